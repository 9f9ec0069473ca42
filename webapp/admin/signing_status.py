"""What the settings page shows: signing material and its expiry, APNs, Google, mail.

The files are read again on every look (an admin page, seldom opened), so a renewed
certificate shows up without a restart; a problem is shown, never raised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from passes.apple import CertificateProblem, CertificateReport, describe_certificate
from passes.google import ServiceAccountError, service_account_summary
from webapp.i18n import gettext
from webapp.settings import Settings
from webapp.wallets import BUNDLE_SUFFIXES, signing_material

OK, WARN, BAD = "ok", "warn", "bad"


@dataclass(frozen=True, slots=True)
class CertificateStatus:
    """One certificate as the page shows it: its facts and how soon it expires."""

    report: CertificateReport

    @property
    def level(self) -> str:
        """``ok``, ``warn`` (30 days or fewer left) or ``bad`` (expired)."""
        if self.report.expired:
            return BAD
        return WARN if self.report.expires_soon else OK

    @property
    def label(self) -> str:
        """The status in words."""
        if self.report.expired:
            return gettext("Expired")
        if self.report.expires_soon:
            return gettext("Expires in %(days)s days", days=self.report.days_left)
        return gettext("Valid")


@dataclass(frozen=True, slots=True)
class AppleStatus:
    """The pass certificate and WWDR intermediate, or why they cannot be used."""

    pass_certificate: CertificateStatus | None
    intermediate: CertificateStatus | None
    problem: str | None
    development: bool
    push_method: str | None


@dataclass(frozen=True, slots=True)
class GoogleStatus:
    """The Google service account, or why it cannot be used."""

    email: str | None
    key_id: str | None
    issuer_id: str | None
    problem: str | None


def apple_status(settings: Settings, now: dt.datetime) -> AppleStatus:
    """The Apple signing material as configured (development chain when nothing is)."""
    development = settings.apple_cert is None
    try:
        material = signing_material(settings)
    except CertificateProblem as unusable:
        return AppleStatus(None, None, str(unusable), development, _push_method(settings))
    if material is None:
        problem = gettext("Not set up: set TESSERA_APPLE_CERT or run “tessera certs dev”.")
        return AppleStatus(None, None, problem, development, None)
    return AppleStatus(
        CertificateStatus(material.describe(now)),
        CertificateStatus(describe_certificate(material.intermediate, now=now)),
        None,
        development,
        _push_method(settings),
    )


def google_status(settings: Settings) -> GoogleStatus:
    """The configured service account's e-mail and key id, and the issuer id."""
    issuer = settings.google_issuer_id
    if settings.google_service_account is None:
        problem = gettext("Not set up: set TESSERA_GOOGLE_SERVICE_ACCOUNT.")
        return GoogleStatus(None, None, issuer, problem)
    try:
        account = service_account_summary(settings.google_service_account)
    except ServiceAccountError as unusable:
        return GoogleStatus(None, None, issuer, str(unusable))
    missing = None if issuer else gettext("Set TESSERA_GOOGLE_ISSUER_ID.")
    return GoogleStatus(account.client_email, account.key_id, issuer, missing)


def _push_method(settings: Settings) -> str | None:
    if settings.apns_auth_key is not None and settings.apns_key_id:
        return gettext("Token key %(key_id)s (.p8)", key_id=settings.apns_key_id)
    certificate = settings.apple_cert
    if certificate is None or (
        settings.apple_key is not None and certificate.suffix.lower() not in BUNDLE_SUFFIXES
    ):
        return gettext("The pass certificate")
    return None
