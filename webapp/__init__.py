"""The Tessera web application: create_app wires every part with its init_app."""

from __future__ import annotations

from flask import Flask

from webapp import (
    admin,
    api,
    apple_ws,
    auth,
    cardpage,
    cli,
    database,
    enroll,
    errors,
    i18n,
    media,
    security,
    site,
    staff,
    wallets,
)
from webapp.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app from ``settings`` (read from the environment when not given)."""
    settings = settings or Settings.from_env()
    app = Flask(__name__, instance_path=str(settings.instance_path.resolve()))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.public_url.startswith("https://"),
        JSON_SORT_KEYS=False,
    )
    app.extensions["tessera.settings"] = settings
    database.init_app(app, settings)
    i18n.init_app(app, settings)
    wallets.init_app(app, settings)
    errors.init_app(app)
    site.init_app(app)
    cardpage.init_app(app)
    enroll.init_app(app)
    media.init_app(app)
    apple_ws.init_app(app, settings)
    api.init_app(app)
    security.init_app(app, settings)  # after the blueprints it exempts from CSRF
    auth.init_app(app)
    staff.init_app(app)
    admin.init_app(app)
    cli.init_app(app)
    return app
