"""The public landing page and the health check."""

from __future__ import annotations

from flask import Blueprint, Flask, jsonify, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp.database import session

bp = Blueprint("site", __name__)


@bp.get("/")
def landing() -> ResponseReturnValue:
    """What Tessera is, with links to the API document."""
    return render_template("landing.html")


@bp.get("/livez")
def livez() -> ResponseReturnValue:
    """Liveness only: the process answers (no database round trip)."""
    return jsonify(status="ok")


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Liveness, with the database checked."""
    try:
        session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


def init_app(app: Flask) -> None:
    """Mount the landing page and /healthz."""
    app.register_blueprint(bp)
