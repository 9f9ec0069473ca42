"""Wallet set-up at start-up: Apple signing material is loaded and checked once per process.

A certificate that does not match the configured pass type or team, or has expired, stops
the app from starting with a message that says which; without any configuration the
development chain from `tessera certs dev` is used, and without that Apple Wallet is off.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from flask import Flask, current_app

from issuer.apple_passes import ApplePasses
from issuer.google_passes import GooglePasses
from passes.apple import (
    AppleIdentity,
    CertificateProblem,
    DevChainFiles,
    Signer,
    SigningMaterial,
    load_p12_material,
    load_pem_material,
)
from passes.apple.apns import ApnsClient, ApnsConfig, ProviderToken
from passes.google import WalletClient, read_service_account
from webapp.settings import Settings

log = logging.getLogger(__name__)
EXTENSION = "tessera.apple"
GOOGLE = "tessera.google"
BUNDLE_SUFFIXES = {".p12", ".pfx"}


def init_app(app: Flask, settings: Settings) -> None:
    """Load the Apple signing material and the Google service account, each if configured."""
    app.extensions[GOOGLE] = google_passes(settings)
    if app.extensions[GOOGLE] is None:
        log.warning(
            "Google Wallet is not set up: set TESSERA_GOOGLE_ISSUER_ID and _SERVICE_ACCOUNT"
        )
    material = signing_material(settings)
    if material is None:
        log.warning("Apple Wallet is not set up: set TESSERA_APPLE_* or run `tessera certs dev`")
        app.extensions[EXTENSION] = None
        return
    identity = AppleIdentity(
        settings.apple_pass_type_id, settings.apple_team_id, settings.apple_web_service_url
    )
    app.extensions[EXTENSION] = ApplePasses(identity, Signer.from_material(material))


def apple_passes() -> ApplePasses | None:
    """The app's Apple pass builder, or None when Apple Wallet is not set up."""
    found: ApplePasses | None = current_app.extensions[EXTENSION]
    return found


def google_wallet() -> GooglePasses | None:
    """The app's Google pass service, or None when Google Wallet is not set up."""
    found: GooglePasses | None = current_app.extensions[GOOGLE]
    return found


def google_passes(settings: Settings) -> GooglePasses | None:
    """The Google pass service for the configured issuer and service account.

    :raises ServiceAccountError: when the key file is unreadable or malformed.
    """
    if not settings.google_issuer_id or settings.google_service_account is None:
        return None
    account = read_service_account(settings.google_service_account)
    client = WalletClient(account, base_url=settings.google_api_url)
    return GooglePasses(settings.google_issuer_id, account, settings.public_url, client)


def signing_material(settings: Settings) -> SigningMaterial | None:
    """The configured signing material, checked; the development chain when none is configured.

    :raises CertificateProblem: when the files do not fit the configuration or have expired.
    """
    if settings.apple_cert is None:
        return _dev_material(settings)
    if settings.apple_cert.suffix.lower() in BUNDLE_SUFFIXES:
        return load_p12_material(
            bundle=settings.apple_cert,
            password=settings.apple_key_password,
            intermediate=settings.apple_wwdr,
            pass_type_id=settings.apple_pass_type_id,
            team_id=settings.apple_team_id,
        )
    if settings.apple_key is None or settings.apple_wwdr is None:
        raise CertificateProblem(
            "TESSERA_APPLE_CERT is a PEM certificate, so TESSERA_APPLE_KEY and "
            "TESSERA_APPLE_WWDR must name its private key and Apple's WWDR intermediate."
        )
    return load_pem_material(
        certificate=settings.apple_cert,
        key=settings.apple_key,
        intermediate=settings.apple_wwdr,
        key_password=settings.apple_key_password,
        pass_type_id=settings.apple_pass_type_id,
        team_id=settings.apple_team_id,
    )


def _dev_material(settings: Settings) -> SigningMaterial | None:
    files = DevChainFiles.in_directory(settings.dev_chain_path)
    if not files.exist():
        return None
    return load_pem_material(
        certificate=files.certificate,
        key=files.key,
        intermediate=files.intermediate,
        pass_type_id=settings.apple_pass_type_id,
        team_id=settings.apple_team_id,
    )


def apns_pusher(settings: Settings) -> ApnsClient | None:
    """An APNs client for the delivery worker: the pass certificate, or a .p8 provider token."""
    config = partial(
        ApnsConfig,
        settings.apple_pass_type_id,
        base_url=settings.apns_url,
        ca_file=settings.apns_ca,
    )
    if settings.apns_auth_key is not None and settings.apns_key_id:
        token = ProviderToken.from_file(
            settings.apns_auth_key, settings.apns_key_id, settings.apple_team_id
        )
        return ApnsClient(config(provider_token=token))
    pair = _push_certificate(settings)
    if pair is None:
        return None
    password = settings.apple_key_password
    return ApnsClient(config(cert_file=pair[0], key_file=pair[1], key_password=password))


def _push_certificate(settings: Settings) -> tuple[Path, Path] | None:
    if settings.apple_cert is None:
        files = DevChainFiles.in_directory(settings.dev_chain_path)
        return (files.certificate, files.key) if files.exist() else None
    if settings.apple_cert.suffix.lower() in BUNDLE_SUFFIXES or settings.apple_key is None:
        log.warning(
            "APNs presents the pass certificate as PEM files (TESSERA_APPLE_CERT and "
            "TESSERA_APPLE_KEY), or uses TESSERA_APNS_AUTH_KEY; pass updates are not pushed."
        )
        return None
    return settings.apple_cert, settings.apple_key
