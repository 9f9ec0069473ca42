"""The ``tessera`` command: a Flask CLI group bound to the app factory.

Each command is a thin wrapper over a use case and commits, just like a view.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from werkzeug.serving import run_simple

from issuer import access, clock, demo
from issuer.db import migrate
from issuer.db.models import Role
from issuer.errors import IssuerError
from issuer.ledger import verify_ledger
from webapp import database
from webapp.cli_analytics import analytics
from webapp.cli_wallets import certs, pass_group
from webapp.google_channel import GoogleChannel
from webapp.links import card_url
from webapp.settings import Settings, current_settings
from webapp.wallets import apns_pusher, google_passes
from webapp.worker import DeliveryWorker, start_in_background


def main() -> None:
    """Entry point of the ``tessera`` console script."""
    from webapp import create_app

    FlaskGroup(create_app=create_app, add_version_option=False, load_dotenv=False)()


def init_app(app: Flask) -> None:
    """Add Tessera's commands to the app's CLI."""
    commands = (
        serve, worker, db, admin, staff, apikey, demo_command, ledger, analytics, certs,
        pass_group,
    )  # fmt: skip
    for command in commands:
        app.cli.add_command(command)


@click.command()
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Serve the web app (development and the embedded default; use gunicorn in production)."""
    from flask import current_app

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stop_worker = _embedded_worker()
    click.echo(f"Tessera is serving on http://{host}:{port}/ (Ctrl+C stops it)")
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        stop_worker()


def _embedded_worker() -> Callable[[], None]:
    settings = current_settings()
    if not settings.embedded_worker:
        return lambda: None
    worker = _delivery_worker(settings)
    click.echo("Pass delivery runs in the background of this process.")
    return start_in_background(worker)


def _delivery_worker(settings: Settings) -> DeliveryWorker:
    google = google_passes(settings)
    channel = GoogleChannel(google, lambda card: card_url(card, settings)) if google else None
    return DeliveryWorker(database.database(), apns_pusher(settings), channel)


@click.command()
@with_appcontext
def worker() -> None:
    """Deliver pass updates and roll up closed analytics days until stopped (any number)."""
    delivery = _delivery_worker(current_settings())
    signal.signal(signal.SIGTERM, lambda *_: delivery.stop())
    if delivery.pusher is None and delivery.google is None:
        click.echo("Neither Apple nor Google Wallet is set up: only rolling up analytics.")
    click.echo("Delivering pass updates and rolling up closed days (Ctrl+C stops).")
    try:
        delivery.run_until_stopped()
    except KeyboardInterrupt:
        delivery.stop()


@click.group(cls=AppGroup)
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema."""
    migrate.upgrade(database.database().engine)
    click.echo("Database is at the newest schema.")


def _create_staff(role: Role, email: str, name: str, password: str) -> None:
    session = database.database().write()
    with session:
        try:
            access.create_staff(session, email, name, password, role, clock.now())
        except IssuerError as refused:
            raise click.ClickException(_explain(refused)) from None
        session.commit()
    click.echo(f"Created {role} {email}.")


def _explain(refused: IssuerError) -> str:
    details = getattr(refused, "errors", {})
    return refused.message + "".join(f"\n  {field}: {text}" for field, text in details.items())


_email = click.option("--email", required=True)
_name = click.option("--name", required=True)
_password = click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)


@click.group(cls=AppGroup)
def admin() -> None:
    """Admin users."""


@admin.command("create")
@_email
@_name
@_password
def admin_create(email: str, name: str, password: str) -> None:
    """Create an admin user."""
    _create_staff(Role.ADMIN, email, name, password)


@click.group(cls=AppGroup)
def staff() -> None:
    """Sales staff users."""


@staff.command("create")
@_email
@_name
@_password
def staff_create(email: str, name: str, password: str) -> None:
    """Create a sales staff user."""
    _create_staff(Role.STAFF, email, name, password)


@click.group(cls=AppGroup)
def apikey() -> None:
    """API keys for POS, CRM and ERP systems."""


@apikey.command("create")
@click.argument("name")
@click.option("--scope", type=click.Choice(["pos", "admin"]), default="pos", show_default=True)
def apikey_create(name: str, scope: str) -> None:
    """Create an API key and print it once; only its hash is kept."""
    session = database.database().write()
    with session:
        made = access.create_api_key(session, name, scope, "cli", clock.now())
        session.commit()
    click.echo(f"API key {name!r} ({scope}), shown only now:\n{made.secret}")


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when programs already exist.")
def demo_command(if_empty: bool) -> None:
    """Seed four demo programs, partners with cards, an admin, a staff user and an API key."""
    session = database.database().write()
    logins_file = current_settings().instance_path / "demo-logins.txt"
    with session:
        if demo.is_seeded(session):
            if not if_empty:
                raise click.ClickException("The database already has programs; demo not seeded.")
            _show_saved_logins(logins_file)
            return
        logins = demo.seed(session, clock.now())
        session.commit()
    text = _logins_text(logins)
    logins_file.parent.mkdir(parents=True, exist_ok=True)
    logins_file.write_text(text, encoding="utf-8")
    logins_file.chmod(0o600)
    click.echo(text)


def _logins_text(logins: demo.DemoLogins) -> str:
    return (
        "Demo data is ready.\n"
        f"  admin: {logins.admin_email} / {logins.admin_password}\n"
        f"  staff: {logins.staff_email} / {logins.staff_password}\n"
        f"  API key (admin scope): {logins.api_key}\n"
    )


def _show_saved_logins(path: object) -> None:
    from pathlib import Path

    saved = Path(str(path))
    if saved.exists():
        click.echo(saved.read_text(encoding="utf-8"))
    else:
        click.echo("Demo data already present.")


@click.group(cls=AppGroup)
def ledger() -> None:
    """The ledger."""


@ledger.command("verify")
def ledger_verify() -> None:
    """Recompute every account from its ledger; exit 1 if any stored state differs."""
    session = database.database().read()
    with session:
        differences = verify_ledger(session)
    for diff in differences:
        click.echo(
            f"account {diff.account_id}: {diff.field} stored {diff.stored}, ledger {diff.ledger}"
        )
    if differences:
        click.echo(f"{len(differences)} difference(s) found.", err=True)
        sys.exit(1)
    click.echo("Every account equals the fold of its ledger.")
