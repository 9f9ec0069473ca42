"""Apple's pass web service at ``webServiceURL`` (= public URL + /apple), protocol v1.

Exactly as reference/wallet-protocols.md section 2: 201 for a new registration and 200 for a
known one, 204 when nothing changed, ``lastUpdated`` as a JSON string, 304 for an unchanged
pass, 401 for a wrong token. Both ``ApplePass`` and ``AndroidPass`` tokens are accepted.
A wallet fetching a pass this process has already built for the card's current version is
answered before Flask, by ``webapp.apple_downloads``; every other request comes here.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import Connection
from werkzeug.http import http_date, is_resource_modified

from issuer import cards, clock, registrations
from issuer.apple_passes import ApplePasses
from issuer.errors import NotAuthorized
from passes.apple import MEDIA_TYPE
from webapp.apple_downloads import PassDownloads, presented_token
from webapp.database import READ_ENGINE, read_connection, session
from webapp.links import card_url
from webapp.security import RefusalLimit, client_address, limiter, response_headers
from webapp.settings import Settings, current_settings
from webapp.wallets import EXTENSION as APPLE_PASSES
from webapp.wallets import apple_passes

bp = Blueprint("apple", __name__, url_prefix="/apple/v1")
MAX_LOG_BODY = 64 * 1024
REGISTRATION = "/devices/<library_id>/registrations/<pass_type_id>/<serial>"
PASSES = "/passes"
# Guessing tokens is what a limit must stop: only refused tokens count, per address and
# across the endpoints that take one, so devices that present their pass's token are never
# slowed, however often they ask; an address over the limit hears 429 even for a right one.
REFUSALS = "20 per minute"
REFUSAL_LIMIT = "tessera.apple.refusals"
LOGS = "30 per minute"


@bp.post(REGISTRATION)
def register(library_id: str, pass_type_id: str, serial: str) -> ResponseReturnValue:
    """Register a device for a pass's updates: 201 new, 200 already registered."""
    ref = _authorized(pass_type_id, serial)
    push_token = _push_token()
    created = registrations.register(
        session(), library_id, pass_type_id, ref.card_id, push_token, clock.now()
    )
    session().commit()
    return Response(status=201 if created else 200)


@bp.delete(REGISTRATION)
def unregister(library_id: str, pass_type_id: str, serial: str) -> ResponseReturnValue:
    """Forget a device's registration for a pass."""
    ref = _authorized(pass_type_id, serial)
    registrations.unregister(session(), library_id, ref.card_id)
    session().commit()
    return Response(status=200)


@bp.get("/devices/<library_id>/registrations/<pass_type_id>")
def changed_serials(library_id: str, pass_type_id: str) -> ResponseReturnValue:
    """Serials of the device's passes changed since the tag; 204 when none (no token needed)."""
    since = request.args.get("passesUpdatedSince")
    changed = registrations.changed_passes(session(), library_id, pass_type_id, since)
    if changed is None:
        return Response(status=204)
    return jsonify(serialNumbers=changed.serial_numbers, lastUpdated=changed.last_updated)


@bp.get(f"{PASSES}/<pass_type_id>/<serial>")
def latest_pass(pass_type_id: str, serial: str) -> ResponseReturnValue:
    """The pass as it is now, with Last-Modified; 304 when the device already has it."""
    ref = _authorized(pass_type_id, serial, read_connection())
    builder = apple_passes()
    if builder is None:
        return Response(status=503)
    headers = {"Last-Modified": http_date(ref.modified_at)}
    if not is_resource_modified(request.environ, last_modified=ref.modified_at):
        return Response(status=304, headers=headers)
    data = builder.built(ref.card_id, ref.version, ref.design_version_id)
    if data is None:
        card = cards.get_card(session(), ref.card_id)
        data = builder.pkpass(session(), card, card_url(card, current_settings()))
    return Response(data, mimetype=MEDIA_TYPE, headers=headers)


@bp.post("/log")
@limiter.limit(LOGS)
def device_log() -> ResponseReturnValue:
    """Keep what devices report about failed updates (bounded in size and count)."""
    if (request.content_length or 0) > MAX_LOG_BODY:
        return Response(status=413)
    logs = _log_messages()
    registrations.record_log(session(), logs, clock.now())
    session().commit()
    return Response(status=200)


def _authorized(
    pass_type_id: str, serial: str, connection: Connection | None = None
) -> registrations.PassRef:
    """The pass if the request's token is its own; 401 (counted) or 429 (over the limit)."""
    refusals: RefusalLimit = current_app.extensions[REFUSAL_LIMIT]
    address = client_address(request.environ)
    if refusals.exceeded(address):
        abort(429)
    try:
        return _authorized_pass(pass_type_id, serial, connection)
    except NotAuthorized:
        refusals.refused(address)
        abort(401)


def _authorized_pass(
    pass_type_id: str, serial: str, connection: Connection | None
) -> registrations.PassRef:
    if pass_type_id != current_settings().apple_pass_type_id:
        raise NotAuthorized("This pass type is not ours.")
    token = presented_token(request.headers.get("Authorization", ""))
    found = connection if connection is not None else session().connection()
    return registrations.authorized_pass(found, serial, token)


def _push_token() -> str:
    body = request.get_json(silent=True)
    token = body.get("pushToken") if isinstance(body, dict) else None
    if not isinstance(token, str) or not 1 <= len(token) <= 128 or not token.isalnum():
        abort(400)
    return token


def _log_messages() -> list[str]:
    body = request.get_json(silent=True, force=True)
    logs = body.get("logs") if isinstance(body, dict) else None
    if not isinstance(logs, list):
        abort(400)
    return [str(entry) for entry in logs]


def init_app(app: Flask, settings: Settings) -> None:
    """Mount the web service at /apple/v1, with the short path for built passes before it.

    Without Apple signing material every pass request is Flask's (it answers 503).
    """
    app.register_blueprint(bp)
    refusals = RefusalLimit(REFUSALS, settings.rate_limit_storage, scope="apple-tokens")
    app.extensions[REFUSAL_LIMIT] = refusals
    passes: ApplePasses | None = app.extensions[APPLE_PASSES]
    if passes is None:
        return
    prefix = f"{bp.url_prefix}{PASSES}/{settings.apple_pass_type_id}/"
    engine = app.extensions[READ_ENGINE]
    headers = response_headers(settings)
    downloads = PassDownloads(app.wsgi_app, prefix, engine, passes, refusals, headers)
    app.wsgi_app = downloads  # type: ignore[method-assign]
