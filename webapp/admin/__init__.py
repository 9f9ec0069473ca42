"""The admin pages at /admin: only admins get in (the blueprint guards every route).

One module per area; importing it adds its routes to the blueprint.
"""

from __future__ import annotations

from flask import Flask

from webapp.admin import home, programs
from webapp.admin.blueprint import bp

__all__ = ["home", "init_app", "programs"]


def init_app(app: Flask) -> None:
    """Mount the admin pages and their static files."""
    app.register_blueprint(bp)
