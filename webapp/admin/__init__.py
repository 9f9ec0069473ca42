"""The admin pages at /admin: only admins get in (every route is guarded by its role)."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from flask.typing import ResponseReturnValue

from issuer.db.models import Role
from webapp.auth import role_required, signed_in

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.get("/")
@role_required(Role.ADMIN)
def home() -> ResponseReturnValue:
    """The admin's start page."""
    return render_template("admin/home.html", admin=signed_in())


def init_app(app: Flask) -> None:
    """Mount the admin pages."""
    app.register_blueprint(bp)
