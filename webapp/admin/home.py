"""The admin's start page."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from webapp.admin.blueprint import bp
from webapp.auth import signed_in


@bp.get("/")
def home() -> ResponseReturnValue:
    """Where an admin lands: who is logged in and the ways on."""
    return render_template("admin/home.html", admin=signed_in())
