"""The admin pages at /admin: only admins get in (the blueprint guards every route).

One module per area; importing it adds its routes to the blueprint.
"""

from __future__ import annotations

from flask import Flask

from webapp.admin import (
    analytics,
    api_keys,
    audit_log,
    home,
    invites,
    member_import,
    members,
    messages,
    outbox,
    partners,
    posters,
    settings,
    staff_users,
)
from webapp.admin.blueprint import bp

__all__ = [
    "analytics",
    "api_keys",
    "audit_log",
    "home",
    "init_app",
    "invites",
    "member_import",
    "members",
    "messages",
    "outbox",
    "partners",
    "posters",
    "settings",
    "staff_users",
]


def init_app(app: Flask) -> None:
    """Mount the admin pages and their static files."""
    app.register_blueprint(bp)
