"""The staff checkout at /staff: scan or type a card's code, quote and place orders, undo them."""

from __future__ import annotations

from flask import Flask

from webapp.staff import scripts, views
from webapp.staff.blueprint import bp

__all__ = ["init_app", "scripts", "views"]


def init_app(app: Flask) -> None:
    """Mount the staff pages, their scripts' endpoints and static files."""
    app.register_blueprint(bp)
