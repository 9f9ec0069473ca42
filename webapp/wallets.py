"""Wallet set-up at start-up: Apple signing material is loaded and checked once per process.

A certificate that does not match the configured pass type or team, or has expired, stops
the app from starting with a message that says which; without any configuration the
development chain from `tessera certs dev` is used, and without that Apple Wallet is off.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app

from issuer.apple_passes import ApplePasses
from passes.apple import (
    AppleIdentity,
    CertificateProblem,
    DevChainFiles,
    Signer,
    SigningMaterial,
    load_p12_material,
    load_pem_material,
)
from webapp.settings import Settings

log = logging.getLogger(__name__)
EXTENSION = "tessera.apple"
BUNDLE_SUFFIXES = {".p12", ".pfx"}


def init_app(app: Flask, settings: Settings) -> None:
    """Load the Apple signing material (or note that Apple Wallet is not set up)."""
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
