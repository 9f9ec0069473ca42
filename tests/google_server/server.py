"""A real local HTTP/1.1 server standing in for Google's token endpoint and Wallet REST API.

Token endpoint: the OAuth 2.0 JWT-bearer grant (RFC 7523) as Google runs it for service
accounts (reference/wallet-protocols.md 4.5): the assertion must be RS256-signed by the key
of its ``iss`` account, name Google's token endpoint (or this one) as ``aud`` and ask for
the wallet scope; the answer is ``{access_token, expires_in, token_type}``.
Wallet API: ``wallet.WalletApi``, reached only with ``Authorization: Bearer <a token issued
here>``. Failures can be scripted per path ("the next 2 calls to
/walletobjects/v1/loyaltyObject answer 503"); every request is recorded.
"""

from __future__ import annotations

import json
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

from google.auth import exceptions as auth_exceptions
from google.auth import jwt

from tests.google_server.accounts import ServiceAccountKey
from tests.google_server.schema import WalletSchemas, wallet_schemas
from tests.google_server.wallet import Answer, WalletApi, google_error

WALLET_SCOPE = "https://www.googleapis.com/auth/wallet_object.issuer"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_PATH = "/token"
# google-auth always names Google's own endpoint as the assertion's audience, whatever the
# key's token_uri says (google/oauth2/service_account.py _make_authorization_grant_assertion).
GOOGLE_TOKEN_ENDPOINT = "https://oauth2.googleapis.com/token"
_ROUTE = re.compile(
    r"/walletobjects/v1/(loyaltyClass|loyaltyObject)(?:/([^/]+))?(?:/(addMessage))?"
)
_DEFAULT_FAILURE = {
    429: ("rateLimitExceeded", "Rate limit exceeded for the Google Wallet API."),
    500: ("backendError", "Internal error encountered."),
    503: ("backendError", "The service is currently unavailable."),
}


@dataclass(frozen=True)
class Recorded:
    """One request as the stand-in received it, and the status it answered."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    status: int


@dataclass
class _Failure:
    path: str
    method: str | None
    answer: Answer
    remaining: int | None

    def matches(self, method: str, path: str) -> bool:
        return path.startswith(self.path) and self.method in (None, method)


class GoogleStandIn:
    """Google's OAuth token endpoint and Wallet REST API on 127.0.0.1, for tests."""

    def __init__(
        self,
        accounts: Iterable[ServiceAccountKey],
        *,
        schemas: WalletSchemas | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        token_lifetime: int = 3600,
    ) -> None:
        self.accounts = {account.client_email: account for account in accounts}
        self.wallet = WalletApi(schemas or wallet_schemas(), clock)
        self.requests: list[Recorded] = []
        self.tokens: dict[str, float] = {}
        self.token_lifetime = token_lifetime
        self._failures: list[_Failure] = []
        self._lock = threading.Lock()
        self._running: tuple[_Server, threading.Thread] | None = None

    @property
    def url(self) -> str:
        """The base URL: give it to the client as Google's API address."""
        if self._running is None:
            raise RuntimeError("the stand-in listens only inside its with block")
        host, port = self._running[0].server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def token_uri(self) -> str:
        """The token endpoint: put it into the service account's key info."""
        return self.url + TOKEN_PATH

    def __enter__(self) -> GoogleStandIn:
        httpd = _Server(self)
        # A short poll keeps shutdown() from waiting half a second per test.
        thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), name="google-stand-in")
        thread.start()
        self._running = (httpd, thread)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._running is None:
            return
        httpd, thread = self._running
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        thread.join()

    def fail(
        self,
        path: str,
        status: int,
        *,
        times: int | None = 1,
        method: str | None = None,
        reason: str | None = None,
        message: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Make the next ``times`` calls (None: all) to paths starting with ``path`` fail."""
        default_reason, default_message = _DEFAULT_FAILURE.get(status, ("backendError", "Failed."))
        answer = google_error(status, message or default_message, reason or default_reason)
        if retry_after is not None:
            answer.headers["Retry-After"] = str(retry_after)
        with self._lock:
            self._failures.append(_Failure(path, method, answer, times))

    def revoke_tokens(self) -> None:
        """Forget every issued token, as if they had expired."""
        with self._lock:
            self.tokens.clear()

    def calls(self, method: str | None = None, path: str = "") -> list[Recorded]:
        """Return the recorded requests with this method and a path starting with ``path``."""
        with self._lock:
            return [
                call
                for call in self.requests
                if call.path.startswith(path) and method in (None, call.method)
            ]

    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> Answer:
        """Answer one HTTP request (called by the server's handler threads)."""
        path = target.partition("?")[0]
        with self._lock:
            body, answer = self._route(method, path, headers, raw)
            self.requests.append(Recorded(method, path, headers, body, answer.status))
        return answer

    def _route(
        self, method: str, path: str, headers: dict[str, str], raw: bytes
    ) -> tuple[Any, Answer]:
        if path == TOKEN_PATH:
            form = dict(parse_qsl(raw.decode()))
            return form, self._scripted(method, path) or self._grant(form)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return raw, google_error(400, "Invalid JSON payload received.", "parseError")
        return body, self._scripted(method, path) or self._api(method, path, headers, body)

    def _scripted(self, method: str, path: str) -> Answer | None:
        for failure in self._failures:
            if failure.matches(method, path) and failure.remaining != 0:
                if failure.remaining is not None:
                    failure.remaining -= 1
                return failure.answer
        return None

    def _grant(self, form: dict[str, str]) -> Answer:
        if form.get("grant_type") != JWT_BEARER:
            return _oauth_error("unsupported_grant_type", "Invalid grant_type.")
        try:
            claims = self._verified(form.get("assertion", ""))
        except (ValueError, auth_exceptions.GoogleAuthError) as error:
            return _oauth_error("invalid_grant", f"Invalid JWT Signature. ({error})")
        if WALLET_SCOPE not in str(claims.get("scope", "")).split():
            return _oauth_error("invalid_scope", "The wallet_object.issuer scope is missing.")
        token = secrets.token_urlsafe(32)
        self.tokens[token] = time.monotonic() + self.token_lifetime
        reply = {"access_token": token, "expires_in": self.token_lifetime - 1}
        return Answer(200, reply | {"token_type": "Bearer"})

    def _verified(self, assertion: str) -> dict[str, Any]:
        # The unverified read only picks the account; its own certificate then verifies.
        unverified: dict[str, Any] = jwt.decode(assertion, verify=False)  # type: ignore[no-untyped-call]
        account = self.accounts.get(str(unverified.get("iss")))
        if account is None:
            raise ValueError(f"unknown service account {unverified.get('iss')!r}")
        claims: dict[str, Any] = jwt.decode(  # type: ignore[no-untyped-call]
            assertion,
            certs={account.key_id: account.certificate_pem},
            audience=[GOOGLE_TOKEN_ENDPOINT, self.token_uri],
        )
        return claims

    def _api(self, method: str, path: str, headers: dict[str, str], body: Any) -> Answer:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or self.tokens.get(token, 0.0) < time.monotonic():
            text = "Request had invalid authentication credentials. Expected OAuth 2 access token."
            answer = google_error(401, text, "authError")
            answer.headers["WWW-Authenticate"] = 'Bearer realm="https://accounts.google.com/"'
            return answer
        route = _ROUTE.fullmatch(path)
        if route is None:
            return google_error(404, f"The requested URL {path} was not found.", "notFound")
        collection, resource_id, action = route.groups()
        return self.wallet.answer(method, collection, resource_id, action, body)


def _oauth_error(error: str, description: str) -> Answer:
    # The token endpoint speaks RFC 6749 errors, not the API's error JSON.
    return Answer(400, {"error": error, "error_description": description})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle on, the body waits for the client's
    # delayed ACK (tens of milliseconds per call).
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, open_=True)

    def finish(self) -> None:
        super().finish()
        self.server.track(self.connection, open_=False)

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _serve(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name.lower(): value for name, value in self.headers.items()}
        answer = self.server.stand_in.handle(self.command, self.path, headers, raw)
        payload = json.dumps(answer.body).encode()
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests read ``GoogleStandIn.requests`` instead."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, stand_in: GoogleStandIn) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stand_in = stand_in
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def track(self, connection: socket.socket, *, open_: bool) -> None:
        with self._open_lock:
            (self._open.add if open_ else self._open.discard)(connection)

    def close_connections(self) -> None:
        # Kept-alive connections park their handler thread in a read; ending them lets
        # server_close() join every thread, so no socket outlives the test.
        with self._open_lock:
            for connection in self._open:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    continue
