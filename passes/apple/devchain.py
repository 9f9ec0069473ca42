"""A throwaway development certificate chain shaped like Apple's.

Apple reference: section 1.13 of reference/wallet-protocols.md (the Pass Type ID
certificate inspected in Apple's sample pass) and
https://developer.apple.com/help/account/reference/wwdr-intermediate-certificates.
The chain is root CA -> WWDR-like intermediate (OU=G4) -> pass certificate with
subject UID = pass type identifier, OU = team identifier, the EKUs clientAuth +
1.2.840.113635.100.4.14 and Apple's pass-type extensions. Passes signed with it verify
with ``openssl cms -verify -purpose any`` against the development root; no iPhone will
accept them, because only Apple's root is trusted there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
)
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASS_TYPE_ID_EXTENSION = x509.ObjectIdentifier("1.2.840.113635.100.6.1.16")
PASS_SIGNING_USAGE = x509.ObjectIdentifier("1.2.840.113635.100.4.14")
PASS_CERTIFICATE_MARKER = x509.ObjectIdentifier("1.2.840.113635.100.6.3.2")
WWDR_MARKER = x509.ObjectIdentifier("1.2.840.113635.100.6.2.1")
_DER_NULL = b"\x05\x00"
_ORGANIZATION = "Tessera Development"
_CA_YEARS = 10


@dataclass(frozen=True, slots=True)
class DevChain:
    """The development root and intermediate, and the pass certificate with its key."""

    root: x509.Certificate
    intermediate: x509.Certificate
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey


@dataclass(frozen=True, slots=True)
class DevChainFiles:
    """Where write_dev_chain put each PEM file."""

    root: Path
    intermediate: Path
    certificate: Path
    key: Path

    @classmethod
    def in_directory(cls, directory: Path) -> DevChainFiles:
        """Where the chain's files are (or would be) in ``directory``."""
        return cls(
            root=directory / "dev-root-ca.pem",
            intermediate=directory / "dev-wwdr.pem",
            certificate=directory / "pass-certificate.pem",
            key=directory / "pass-key.pem",
        )

    def exist(self) -> bool:
        """Whether every file of the chain is there."""
        return all(
            path.exists() for path in (self.root, self.intermediate, self.certificate, self.key)
        )


def create_dev_chain(
    *,
    pass_type_id: str,
    team_id: str,
    valid_from: datetime | None = None,
    valid_days: int = 365,
) -> DevChain:
    """Make a fresh development chain in memory; the CA keys are thrown away."""
    start = valid_from or datetime.now(UTC) - timedelta(hours=1)
    root_key, intermediate_key, pass_key = (_new_key() for _ in range(3))
    root_name = _ca_name("Tessera Development Root CA")
    root = _ca_certificate(root_name, root_key, root_name, root_key, start, path_length=None)
    # Named like Apple's current intermediate (OU=G4), so tools that look for it find it.
    wwdr_name = _ca_name("Tessera Development WWDR CA", unit="G4")
    intermediate = _ca_certificate(wwdr_name, intermediate_key, root_name, root_key, start, 0)
    leaf = _pass_certificate(
        pass_type_id, team_id, pass_key, intermediate, intermediate_key, start, valid_days
    )
    return DevChain(root, intermediate, leaf, pass_key)


def write_dev_chain(
    directory: Path,
    *,
    pass_type_id: str,
    team_id: str,
    key_password: str | None = None,
    valid_from: datetime | None = None,
    valid_days: int = 365,
) -> DevChainFiles:
    """Create a development chain and write it as PEM files into a directory."""
    chain = create_dev_chain(
        pass_type_id=pass_type_id, team_id=team_id, valid_from=valid_from, valid_days=valid_days
    )
    directory.mkdir(parents=True, exist_ok=True)
    files = DevChainFiles.in_directory(directory)
    files.root.write_bytes(chain.root.public_bytes(Encoding.PEM))
    files.intermediate.write_bytes(chain.intermediate.public_bytes(Encoding.PEM))
    files.certificate.write_bytes(chain.certificate.public_bytes(Encoding.PEM))
    _write_private(files.key, key_pem(chain.key, key_password))
    return files


def key_pem(key: rsa.RSAPrivateKey, password: str | None = None) -> bytes:
    """Serialize a private key as PKCS#8 PEM, encrypted when a password is given."""
    encryption = BestAvailableEncryption(password.encode()) if password else NoEncryption()
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, encryption)


def _pass_certificate(
    pass_type_id: str,
    team_id: str,
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate,
    issuer_key: rsa.RSAPrivateKey,
    start: datetime,
    valid_days: int,
) -> x509.Certificate:
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.USER_ID, pass_type_id),
            x509.NameAttribute(NameOID.COMMON_NAME, f"Pass Type ID: {pass_type_id}"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, team_id),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _ORGANIZATION),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        ]
    )
    usage = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH, PASS_SIGNING_USAGE])
    builder = (
        _builder(subject, key, issuer.subject, issuer_key, start, start + timedelta(valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(usage, critical=False)
        .add_extension(
            x509.UnrecognizedExtension(PASS_TYPE_ID_EXTENSION, _der_utf8(pass_type_id)),
            critical=False,
        )
        .add_extension(
            x509.UnrecognizedExtension(PASS_CERTIFICATE_MARKER, _DER_NULL), critical=False
        )
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _ca_certificate(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: x509.Name,
    issuer_key: rsa.RSAPrivateKey,
    start: datetime,
    path_length: int | None,
) -> x509.Certificate:
    # A day's head start keeps the chain valid whenever the pass certificate is.
    not_before, not_after = start - timedelta(days=1), start + timedelta(days=365 * _CA_YEARS)
    builder = (
        _builder(subject, key, issuer, issuer_key, not_before, not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(_key_usage(signing=False), critical=True)
    )
    if path_length == 0:
        marker = x509.UnrecognizedExtension(WWDR_MARKER, _DER_NULL)
        builder = builder.add_extension(marker, critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _builder(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: x509.Name,
    issuer_key: rsa.RSAPrivateKey,
    not_before: datetime,
    not_after: datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        )
    )


def _key_usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signing,
        crl_sign=not signing,
        encipher_only=False,
        decipher_only=False,
    )


def _ca_name(common_name: str, unit: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if unit is not None:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    attributes += [
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _ORGANIZATION),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
    ]
    return x509.Name(attributes)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _der_utf8(text: str) -> bytes:
    # Apple stores the pass type identifier as a DER UTF8String (tag 0x0C).
    encoded = text.encode("utf-8")
    if len(encoded) < 0x80:
        return b"\x0c" + bytes([len(encoded)]) + encoded
    size = len(encoded).to_bytes((len(encoded).bit_length() + 7) // 8, "big")
    return b"\x0c" + bytes([0x80 | len(size)]) + size + encoded


def _write_private(path: Path, data: bytes) -> None:
    # Created owner-only from the start, so the key is never readable by others.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    path.chmod(0o600)
