"""What every response and form gets: CSRF checks, security headers and rate limits.

CSRF protection covers every POST of the app except the blueprints whose callers prove who
they are with a token in a header (the JSON API and Apple's web service): a cross-site form
cannot send those headers, and those callers have no CSRF token to send.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, Response
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect  # type: ignore[import-untyped]
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.i18n import gettext
from webapp.pages import refusal
from webapp.settings import Settings

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

TOKEN_AUTHENTICATED = ("api", "apple")
# Nothing from other hosts: scripts, styles, images and fetches come from us; the camera's
# stream is a blob or mediastream URL; no page of ours may be framed.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob: mediastream:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Same-origin referrers let CSRF checks over https see where a form came from, and keep
    # card-page addresses from leaking to other sites.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


def init_app(app: Flask, settings: Settings) -> None:
    """Protect forms, limit rates and add the headers; after the API blueprints are mounted."""
    if settings.proxy_hops:
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.config["RATELIMIT_STORAGE_URI"] = settings.rate_limit_storage
    app.config["WTF_CSRF_TIME_LIMIT"] = None  # the token lives as long as the login session
    csrf.init_app(app)
    limiter.init_app(app)
    for name in TOKEN_AUTHENTICATED:
        csrf.exempt(app.blueprints[name])
    headers = response_headers(settings)
    app.after_request(lambda response: _with_headers(response, headers))
    app.register_error_handler(CSRFError, _csrf_refused)
    app.register_error_handler(TooManyRequests, _too_many)  # flask-limiter's and our own


def response_headers(settings: Settings) -> dict[str, str]:
    """The headers every response of the app carries (HSTS only when served over https)."""
    if settings.public_url.startswith("https://"):
        return HEADERS | {"Strict-Transport-Security": HSTS}
    return dict(HEADERS)


def client_address(environ: WSGIEnvironment) -> str:
    """The address rate limits count by, as flask-limiter's ``get_remote_address`` takes it."""
    address: str | None = environ.get("REMOTE_ADDR")
    return address or "127.0.0.1"


class RefusalLimit:
    """At most ``limit`` refused attempts per address; attempts that succeed never count.

    For secrets presented in headers (Apple's authentication tokens): a guesser is stopped,
    while a device that presents its own token is never slowed however often it asks. The
    counters live where flask-limiter's do (``TESSERA_RATE_LIMIT_STORAGE``), in fixed
    windows as flask-limiter counts by default.
    """

    def __init__(self, limit: str, storage_uri: str, scope: str) -> None:
        self._item: RateLimitItem = parse(limit)
        self._scope = scope
        self._counter = FixedWindowRateLimiter(storage_from_string(storage_uri))

    def exceeded(self, address: str) -> bool:
        """Whether ``address`` has used up its refusals for now (it is then refused at once)."""
        return not self._counter.test(self._item, self._scope, address)

    def refused(self, address: str) -> None:
        """Count one refused attempt of ``address``."""
        self._counter.hit(self._item, self._scope, address)


def _with_headers(response: Response, headers: dict[str, str]) -> Response:
    for name, value in headers.items():
        response.headers.setdefault(name, value)
    return response


def _csrf_refused(error: CSRFError) -> ResponseReturnValue:
    message = gettext("This form has expired. Reload the page and try again.")
    return refusal(400, "csrf_failed", gettext("Form expired"), message)


def _too_many(error: TooManyRequests) -> ResponseReturnValue:
    message = gettext("Too many attempts. Wait a minute and try again.")
    return refusal(429, "rate_limited", gettext("Too many attempts"), message)
