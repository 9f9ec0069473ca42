"""The enrollment blueprint: its templates, and no caching of anyone's card."""

from __future__ import annotations

from flask import Blueprint, Response

bp = Blueprint("enroll", __name__, template_folder="templates")


@bp.after_request
def not_stored(response: Response) -> Response:
    """Card pages and forms with entered details are kept in no cache, shared or private."""
    response.headers["Cache-Control"] = "no-store"
    return response
