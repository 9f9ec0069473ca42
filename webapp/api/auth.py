"""API keys on requests: ``Authorization: Bearer <key>``, with ``pos`` and ``admin`` scopes."""

from __future__ import annotations

from flask import g, request

from issuer.access import authenticate_api_key
from issuer.db.models import ApiKey, Scope
from webapp import database
from webapp.api.problems import ApiProblem


def authorize(scope: str) -> ApiKey:
    """The request's API key, if it is valid and may act in ``scope``."""
    presented = _bearer_token()
    key = authenticate_api_key(database.session(), presented)
    if key is None:
        raise ApiProblem(401, "invalid_api_key", "The API key is not valid or has been revoked.")
    if scope == Scope.ADMIN and key.scope != Scope.ADMIN:
        raise ApiProblem(403, "forbidden", "This API key's scope does not allow this operation.")
    g.api_key = key
    return key


def _bearer_token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(
            401, "missing_api_key", "Send the API key as 'Authorization: Bearer <key>'."
        )
    return token.strip()
