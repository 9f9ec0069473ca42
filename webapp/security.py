"""What every response and form gets: CSRF checks, security headers and rate limits.

CSRF protection covers every POST of the app except the blueprints whose callers prove who
they are with a token in a header (the JSON API and Apple's web service): a cross-site form
cannot send those headers, and those callers have no CSRF token to send.
"""

from __future__ import annotations

from flask import Flask, Response
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect  # type: ignore[import-untyped]
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.i18n import gettext
from webapp.pages import refusal
from webapp.settings import Settings

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
    strict_transport = settings.public_url.startswith("https://")
    app.after_request(lambda response: _with_headers(response, strict_transport))
    app.register_error_handler(CSRFError, _csrf_refused)
    app.register_error_handler(RateLimitExceeded, _too_many)


def _with_headers(response: Response, strict_transport: bool) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if strict_transport:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _csrf_refused(error: CSRFError) -> ResponseReturnValue:
    message = gettext("This form has expired. Reload the page and try again.")
    return refusal(400, "csrf_failed", gettext("Form expired"), message)


def _too_many(error: RateLimitExceeded) -> ResponseReturnValue:
    message = gettext("Too many attempts. Wait a minute and try again.")
    return refusal(429, "rate_limited", gettext("Too many attempts"), message)
