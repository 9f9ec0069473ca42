"""Partner enrollment at /join/<slug> and the partner's card page at /c/<token>."""

from __future__ import annotations

from flask import Flask

from webapp.enroll import homescreen, views
from webapp.enroll.blueprint import bp

__all__ = ["homescreen", "init_app", "views"]


def init_app(app: Flask) -> None:
    """Mount the enrollment form and the card page."""
    app.register_blueprint(bp)
