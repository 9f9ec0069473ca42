"""The JSON API v1 for POS, CRM and ERP systems."""

from __future__ import annotations

from flask import Flask

from issuer.access import KeyRing

# The view modules register their operations on the blueprint when imported.
from webapp.api import analytics, cards, invites, messages, openapi, orders, programs  # noqa: F401
from webapp.api.auth import KEY_RING
from webapp.api.blueprint import bp


def init_app(app: Flask) -> None:
    """Mount the API at /api/v1, with this app's ring of the API keys it has seen."""
    app.extensions[KEY_RING] = KeyRing()
    app.register_blueprint(bp)
