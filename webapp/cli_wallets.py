"""``tessera certs`` and ``tessera pass``: signing material and single passes."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from issuer import cards
from passes.apple import (
    CertificateProblem,
    CertificateReport,
    DevChainFiles,
    describe_certificate,
    read_certificate,
    write_dev_chain,
)
from passes.google import ServiceAccountError, service_account_summary
from webapp import database
from webapp.links import card_url
from webapp.settings import Settings, current_settings
from webapp.wallets import apple_passes, signing_material

certs = AppGroup("certs", help="Apple signing material.")
pass_group = AppGroup("pass", help="Single passes.")


@certs.command("dev")
@click.option("--force", is_flag=True, help="Replace an existing development chain.")
@click.option("--if-missing", is_flag=True, help="Do nothing when the chain already exists.")
def certs_dev(force: bool, if_missing: bool) -> None:
    """Write a throwaway Apple-shaped chain to certs/dev (passes verify; iPhones refuse them)."""
    settings = current_settings()
    files = DevChainFiles.in_directory(settings.dev_chain_path)
    if files.exist() and not force:
        if if_missing:
            return
        raise click.ClickException(f"{settings.dev_chain_path} already has a chain; use --force.")
    write_dev_chain(
        settings.dev_chain_path,
        pass_type_id=settings.apple_pass_type_id,
        team_id=settings.apple_team_id,
    )
    click.echo(f"Development chain written to {settings.dev_chain_path} (root: {files.root.name}).")


@certs.command("check")
def certs_check() -> None:
    """Show each certificate's subject, pass type, team and expiry; warn 30 days ahead."""
    settings = current_settings()
    click.echo(_google_report(settings))
    try:
        material = signing_material(settings)
    except CertificateProblem as problem:
        raise click.ClickException(str(problem)) from None
    if material is None:
        raise click.ClickException(
            "Apple Wallet is not set up: set TESSERA_APPLE_CERT or run `tessera certs dev`."
        )
    click.echo(_report("Apple pass certificate", material.describe()))
    wwdr = _wwdr_path(settings)
    if wwdr is not None:
        click.echo(_report("WWDR intermediate", describe_certificate(read_certificate(wwdr))))


def _google_report(settings: Settings) -> str:
    if settings.google_service_account is None:
        return "Google Wallet: not set up (TESSERA_GOOGLE_SERVICE_ACCOUNT is not set)."
    try:
        account = service_account_summary(settings.google_service_account)
    except ServiceAccountError as problem:
        raise click.ClickException(f"Google service account: {problem}") from None
    issuer = settings.google_issuer_id or "NOT SET: set TESSERA_GOOGLE_ISSUER_ID"
    return (
        f"Google service account: {account.client_email}\n"
        f"  key id: {account.key_id}   issuer id: {issuer}"
    )


def _wwdr_path(settings: Settings) -> Path | None:
    if settings.apple_cert is None:
        return DevChainFiles.in_directory(settings.dev_chain_path).intermediate
    return settings.apple_wwdr


def _report(title: str, report: CertificateReport) -> str:
    lines = [
        f"{title}: {report.subject}",
        f"  pass type (UID): {report.uid or '-'}   team (OU): {report.team or '-'}",
        f"  expires: {report.not_after:%Y-%m-%d %H:%M} UTC ({report.days_left} days left)",
    ]
    if report.expired:
        lines.append("  EXPIRED: passes signed with it are refused; renew it now.")
    elif report.expires_soon:
        lines.append(f"  WARNING: expires in {report.days_left} days; renew it before then.")
    return "\n".join(lines)


@pass_group.command("export")
@click.argument("serial")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def pass_export(serial: str, file: Path) -> None:
    """Write the signed .pkpass of the card with this serial number to FILE."""
    builder = apple_passes()
    if builder is None:
        raise click.ClickException(
            "Apple Wallet is not set up: set TESSERA_APPLE_CERT or run `tessera certs dev`."
        )
    session = database.database().read()
    with session:
        card = cards.find_card_by_serial(session, serial)
        if card is None:
            raise click.ClickException(f"No card has the serial number {serial!r}.")
        data = builder.pkpass(session, card, card_url(card, current_settings()))
    file.write_bytes(data)
    click.echo(f"Wrote {file} ({len(data)} bytes).")
