"""The short path for Apple's busiest request: a wallet fetching a pass it may already have.

``GET {webServiceURL}/v1/passes/<pass type>/<serial>`` comes from every registered device
after each push and at every pull to refresh, and most of the time this process has already
built the pass for the card's current version. Answering then takes one indexed read (the
token and the card's version) and bytes already in memory, while Flask's request handling
around them cost more than both together (bench/RESULTS.md, 2026-12-07). So this WSGI layer
in front of the Flask app answers exactly that case itself:

- a GET of a pass of our pass type,
- from an address that has not used up its refused attempts,
- with the card's own token (``ApplePass`` or ``AndroidPass``),
- answered with 304 when ``If-Modified-Since`` covers the card's last change, else with the
  pass this process built for the card's current version and design.

Everything else goes on to the Flask view in ``webapp.apple_ws`` untouched, which answers it
as it always has: a wrong token (401, counted by the refusal limit), an address over that
limit (429), a pass still to be built, a database that does not answer. Both paths check the
token with ``issuer.registrations.authorized_pass`` and send the app's response headers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import http_date, is_resource_modified

from issuer import registrations
from issuer.apple_passes import ApplePasses
from issuer.errors import NotAuthorized
from passes.apple import MEDIA_TYPE
from webapp.security import RefusalLimit, client_address

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

TOKEN_SCHEMES = ("applepass", "androidpass")
Answer = tuple[str, list[tuple[str, str]], list[bytes]]


def presented_token(authorization: str) -> str | None:
    """The token of an ``ApplePass <token>`` or ``AndroidPass <token>`` header, else None."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() in TOKEN_SCHEMES else None


class PassDownloads:
    """WSGI middleware answering a wallet's request for a pass this process has built."""

    def __init__(
        self,
        app: WSGIApplication,
        prefix: str,
        engine: Engine,
        passes: ApplePasses,
        refusals: RefusalLimit,
        headers: dict[str, str],
    ) -> None:
        """Answer GETs below ``prefix`` (``.../passes/<our pass type>/``); pass on the rest."""
        self.app, self._prefix, self._engine = app, prefix, engine
        self._passes, self._refusals = passes, refusals
        self._headers = list(headers.items())

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        serial = self._serial(environ)
        answer = self._answer(environ, serial) if serial is not None else None
        if answer is None:
            return self.app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return body

    def _serial(self, environ: WSGIEnvironment) -> str | None:
        """The serial number asked for, when the request is a GET of one of our passes."""
        path: str = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") != "GET" or not path.startswith(self._prefix):
            return None
        serial = path[len(self._prefix) :]
        return serial if serial and "/" not in serial else None

    def _answer(self, environ: WSGIEnvironment, serial: str) -> Answer | None:
        if self._refusals.exceeded(client_address(environ)):
            return None
        ref = self._pass_ref(serial, presented_token(environ.get("HTTP_AUTHORIZATION", "")))
        if ref is None:
            return None
        headers = [("Last-Modified", http_date(ref.modified_at)), *self._headers]
        if not is_resource_modified(environ, last_modified=ref.modified_at):
            return "304 Not Modified", headers, []
        data = self._passes.built(ref.card_id, ref.version, ref.design_version_id)
        if data is None:
            return None
        length = ("Content-Length", str(len(data)))
        return "200 OK", [("Content-Type", MEDIA_TYPE), length, *headers], [data]

    def _pass_ref(self, serial: str, token: str | None) -> registrations.PassRef | None:
        """The card's pass if the token is right; None for Flask to answer otherwise."""
        try:
            with self._engine.connect() as connection:
                return registrations.authorized_pass(connection, serial, token)
        except (NotAuthorized, SQLAlchemyError):
            return None
