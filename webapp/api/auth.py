"""API keys on requests: ``Authorization: Bearer <key>``, with ``pos`` and ``admin`` scopes."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Response, after_this_request, g, request
from sqlalchemy.exc import SQLAlchemyError

from issuer import api_keys, clock
from issuer.access import AuthorizedKey, authenticate_api_key
from issuer.db.models import Scope
from webapp import database
from webapp.api.problems import ApiProblem

log = logging.getLogger(__name__)


def authorize(scope: str) -> AuthorizedKey:
    """The request's API key, if it is valid and may act in ``scope``."""
    presented = _bearer_token()
    key = authenticate_api_key(database.session(), presented)
    if key is None:
        raise ApiProblem(401, "invalid_api_key", "The API key is not valid or has been revoked.")
    if scope == Scope.ADMIN and key.scope != Scope.ADMIN:
        raise ApiProblem(403, "forbidden", "This API key's scope does not allow this operation.")
    g.api_key = key
    if api_keys.use_worth_noting(key, clock.now()):
        after_this_request(_noting_use(key.id))
    return key


def _noting_use(key_id: int) -> Callable[[Response], Response]:
    # Kept to the minute, so most requests skip this. It runs once the answer is made, in its
    # own short transaction, after the request's session is closed (SQLite has one writer).
    def note(response: Response) -> Response:
        database.close_request_session()
        try:
            with database.database().write() as session:
                api_keys.note_use(session, key_id, clock.now())
                session.commit()
        except SQLAlchemyError:
            log.warning("could not record the use of API key %s", key_id, exc_info=True)
        return response

    return note


def _bearer_token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(
            401, "missing_api_key", "Send the API key as 'Authorization: Bearer <key>'."
        )
    return token.strip()
