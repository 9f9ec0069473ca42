"""API keys on requests: ``Authorization: Bearer <key>``, with ``pos`` and ``admin`` scopes."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Response, after_this_request, current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from issuer import api_keys, clock
from issuer.access import AuthorizedKey, KeyRing, authenticate_api_key, key_is_live
from issuer.db.models import Scope
from webapp import database
from webapp.api.problems import ApiProblem

log = logging.getLogger(__name__)
KEY_RING = "tessera.api.key_ring"
REFUSED = "The API key is not valid or has been revoked."


def authorize(scope: str) -> AuthorizedKey:
    """The request's API key, if it is valid and may act in ``scope``."""
    return _admit(authenticate_api_key(database.session(), _bearer_token()), scope)


def identify(scope: str) -> AuthorizedKey:
    """The request's API key as the app's key ring knows it, which may be revoked by now.

    Only for operations whose use case confirms the key is live in its own statements
    (``Operation.key_confirmed_by_use_case``); everything else uses :func:`authorize`.
    """
    ring: KeyRing = current_app.extensions[KEY_RING]
    return _admit(ring.identify(database.session(), _bearer_token()), scope)


def confirm_live(key: AuthorizedKey) -> None:
    """Refuse with 401 if ``key`` has been revoked since the key ring first saw it."""
    if not key_is_live(database.session(), key.id):
        raise ApiProblem(401, "invalid_api_key", REFUSED)


def _admit(key: AuthorizedKey | None, scope: str) -> AuthorizedKey:
    if key is None:
        raise ApiProblem(401, "invalid_api_key", REFUSED)
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
        now = clock.now()
        try:
            with database.database().write() as session:
                api_keys.note_use(session, key_id, now)
                session.commit()
        except SQLAlchemyError:
            log.warning("could not record the use of API key %s", key_id, exc_info=True)
            return response
        current_app.extensions[KEY_RING].noted(key_id, now)
        return response

    return note


def _bearer_token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(
            401, "missing_api_key", "Send the API key as 'Authorization: Bearer <key>'."
        )
    return token.strip()
