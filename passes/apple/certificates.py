"""Loading and checking the pass signing certificate, its key and the WWDR intermediate.

Apple reference: section 1.13 of reference/wallet-protocols.md;
https://developer.apple.com/help/account/reference/wwdr-intermediate-certificates.
Wallet refuses a pass unless passTypeIdentifier equals the certificate's subject UID,
teamIdentifier equals its OU, and the embedded intermediate is the one that issued
the certificate (G4 for every certificate made since 2022). Each of those mistakes is
caught here, once, at start-up, with the file and the mismatch named, instead of
surfacing later as "Safari cannot download this file".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_der_private_key,
    load_pem_private_key,
    pkcs12,
)
from cryptography.x509.oid import NameOID

logger = logging.getLogger(__name__)

SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
WARN_DAYS = 30


class CertificateProblem(Exception):
    """Signing material is unusable; the message names the file and what is wrong."""


@dataclass(frozen=True, slots=True)
class CertificateReport:
    """What `tessera certs check` shows about one certificate."""

    subject: str
    uid: str | None
    team: str | None
    issuer: str
    not_after: datetime
    days_left: int

    @property
    def expired(self) -> bool:
        """Tell whether the certificate has expired."""
        return self.days_left < 0

    @property
    def expires_soon(self) -> bool:
        """Tell whether it expires within the warning period (30 days)."""
        return self.days_left <= WARN_DAYS


@dataclass(frozen=True, slots=True)
class SigningMaterial:
    """A checked pass certificate, its private key and the intermediate that issued it."""

    certificate: x509.Certificate
    key: SigningKey
    intermediate: x509.Certificate
    pass_type_id: str
    team_id: str

    def describe(self, now: datetime | None = None) -> CertificateReport:
        """Describe the pass certificate."""
        return describe_certificate(self.certificate, now=now)


def load_pem_material(
    *,
    certificate: Path,
    key: Path,
    intermediate: Path,
    pass_type_id: str,
    team_id: str,
    key_password: str | bytes | None = None,
    now: datetime | None = None,
) -> SigningMaterial:
    """Load a certificate, key and WWDR intermediate (PEM or DER files) and check them."""
    leaf = read_certificate(certificate)
    private_key = _read_key(key, _password_bytes(key_password))
    wwdr = read_certificate(intermediate)
    _check_key_matches(leaf, private_key, certificate, key)
    return _checked(leaf, private_key, wwdr, pass_type_id, team_id, certificate, now)


def load_p12_material(
    *,
    bundle: Path,
    pass_type_id: str,
    team_id: str,
    password: str | bytes | None = None,
    intermediate: Path | None = None,
    now: datetime | None = None,
) -> SigningMaterial:
    """Load a .p12 bundle (certificate + key) and the WWDR intermediate, and check them.

    Without an intermediate file the issuer is looked for among the bundle's own
    extra certificates.
    """
    leaf, private_key, extra = _read_bundle(bundle, _password_bytes(password))
    if intermediate is not None:
        wwdr = read_certificate(intermediate)
    else:
        wwdr = _issuer_in_bundle(leaf, extra, bundle)
    _check_key_matches(leaf, private_key, bundle, bundle)
    return _checked(leaf, private_key, wwdr, pass_type_id, team_id, bundle, now)


def read_certificate(path: Path) -> x509.Certificate:
    """Read one certificate from a PEM or DER (.cer) file."""
    data = _read(path)
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError as error:
        raise CertificateProblem(f"{path} is not a certificate in PEM or DER form.") from error


def describe_certificate(
    certificate: x509.Certificate, *, now: datetime | None = None
) -> CertificateReport:
    """Return subject, UID, team, expiry and days left of a certificate."""
    not_after = certificate.not_valid_after_utc
    return CertificateReport(
        subject=certificate.subject.rfc4514_string(),
        uid=_name_value(certificate.subject, NameOID.USER_ID),
        team=_name_value(certificate.subject, NameOID.ORGANIZATIONAL_UNIT_NAME),
        issuer=certificate.issuer.rfc4514_string(),
        not_after=not_after,
        days_left=(not_after - (now or datetime.now(UTC))).days,
    )


def _checked(
    leaf: x509.Certificate,
    key: SigningKey,
    wwdr: x509.Certificate,
    pass_type_id: str,
    team_id: str,
    source: Path,
    now: datetime | None,
) -> SigningMaterial:
    moment = now or datetime.now(UTC)
    _check_identifiers(leaf, pass_type_id, team_id, source)
    _check_validity(leaf, f"The pass certificate {source}", moment)
    _check_issuer(leaf, wwdr, source)
    _check_validity(wwdr, f"The intermediate certificate {_common_name(wwdr)}", moment)
    report = describe_certificate(leaf, now=moment)
    if report.expires_soon:
        logger.warning(
            "pass certificate %s expires on %s, in %d days; renew it before then",
            source, report.not_after.date(), report.days_left,
        )  # fmt: skip
    return SigningMaterial(leaf, key, wwdr, pass_type_id, team_id)


def _check_key_matches(
    leaf: x509.Certificate, key: SigningKey, certificate: Path, key_file: Path
) -> None:
    public = leaf.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    if key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo) != public:
        raise CertificateProblem(
            f"The private key {key_file} does not belong to the certificate {certificate}."
        )


def _check_identifiers(
    leaf: x509.Certificate, pass_type_id: str, team_id: str, source: Path
) -> None:
    uid = _name_value(leaf.subject, NameOID.USER_ID)
    if uid != pass_type_id:
        raise CertificateProblem(
            f"The certificate {source} is for pass type {uid!r} (its subject UID), "
            f"but the configured pass type identifier is {pass_type_id!r}."
        )
    team = _name_value(leaf.subject, NameOID.ORGANIZATIONAL_UNIT_NAME)
    if team != team_id:
        raise CertificateProblem(
            f"The certificate {source} belongs to team {team!r} (its subject OU), "
            f"but the configured team identifier is {team_id!r}."
        )


def _check_validity(certificate: x509.Certificate, what: str, now: datetime) -> None:
    not_after = certificate.not_valid_after_utc
    if now > not_after:
        raise CertificateProblem(
            f"{what} expired on {not_after:%Y-%m-%d} ({(now - not_after).days} days ago); renew it."
        )
    if now < certificate.not_valid_before_utc:
        raise CertificateProblem(
            f"{what} is not valid before {certificate.not_valid_before_utc:%Y-%m-%d %H:%M} UTC."
        )


def _check_issuer(leaf: x509.Certificate, wwdr: x509.Certificate, source: Path) -> None:
    try:
        leaf.verify_directly_issued_by(wwdr)
    except (ValueError, TypeError, InvalidSignature) as error:
        raise CertificateProblem(
            f"The certificate {source} was issued by {leaf.issuer.rfc4514_string()!r}, "
            f"not by the intermediate given ({wwdr.subject.rfc4514_string()!r}); "
            "use the Apple WWDR intermediate that issued it (G4 for current certificates)."
        ) from error


def _issuer_in_bundle(
    leaf: x509.Certificate, extra: list[x509.Certificate], bundle: Path
) -> x509.Certificate:
    for candidate in extra:
        if candidate.subject == leaf.issuer:
            return candidate
    raise CertificateProblem(
        f"The bundle {bundle} does not contain the intermediate that issued its certificate "
        f"({leaf.issuer.rfc4514_string()!r}); give the WWDR intermediate file as well."
    )


def _read_bundle(
    path: Path, password: bytes | None
) -> tuple[x509.Certificate, SigningKey, list[x509.Certificate]]:
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(_read(path), password)
    except ValueError as error:
        raise CertificateProblem(
            f"{path} could not be opened: the password is wrong or it is not a .p12 bundle."
        ) from error
    if certificate is None or key is None:
        raise CertificateProblem(f"{path} must hold both the pass certificate and its key.")
    return certificate, _signing_key(key, path), extra


def _read_key(path: Path, password: bytes | None) -> SigningKey:
    data = _read(path)
    loader = load_pem_private_key if b"-----BEGIN" in data else load_der_private_key
    try:
        key = loader(data, password)
    except TypeError as error:
        state = "is encrypted but no password was given"
        if password is not None:
            state = "is not encrypted, yet a password was given"
        raise CertificateProblem(f"The key {path} {state}.") from error
    except ValueError as error:
        raise CertificateProblem(
            f"The key {path} could not be read: the password is wrong or it is not a key."
        ) from error
    return _signing_key(key, path)


def _signing_key(key: object, path: Path) -> SigningKey:
    if isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        return key
    raise CertificateProblem(f"The key in {path} is neither RSA nor EC; passes cannot be signed.")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CertificateProblem(f"Cannot read {path}: {error.strerror or error}.") from error


def _password_bytes(password: str | bytes | None) -> bytes | None:
    if not password:
        return None
    return password.encode("utf-8") if isinstance(password, str) else password


def _name_value(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    attributes = name.get_attributes_for_oid(oid)
    if not attributes:
        return None
    value = attributes[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def _common_name(certificate: x509.Certificate) -> str:
    return (
        _name_value(certificate.subject, NameOID.COMMON_NAME)
        or certificate.subject.rfc4514_string()
    )
