"""Design images at content-hashed URLs; immutable, so caches may keep them for a year."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort
from flask.typing import ResponseReturnValue

from issuer import media
from webapp.database import session

bp = Blueprint("media", __name__)
YEAR = 365 * 24 * 3600


@bp.get("/media/<digest>.png")
def image(digest: str) -> ResponseReturnValue:
    """The PNG whose SHA-256 the URL names."""
    data = media.image_by_digest(digest, session())
    if data is None:
        abort(404)
    response = Response(data, mimetype="image/png")
    response.cache_control.public = True
    response.cache_control.max_age = YEAR
    response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    """Mount /media."""
    app.register_blueprint(bp)
