"""The ``/api/v1`` blueprint and its operation registry."""

from __future__ import annotations

from flask import Blueprint

from webapp.api.operations import Api

bp = Blueprint("api", __name__, url_prefix="/api/v1")
api = Api(bp)
