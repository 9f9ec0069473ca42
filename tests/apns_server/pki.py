"""Throw-away certificates for the APNs stand-in: its server chain and the pass certificate."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASS_TYPE_ID = "pass.com.example.tessera"
_LOOPBACK = ipaddress.ip_address("127.0.0.1")


@dataclass(frozen=True)
class Pki:
    """Throw-away certificates: the server's chain and the pass certificate the client shows."""

    server_ca: Path
    server_cert: Path
    server_key: Path
    client_ca: Path
    client_cert: Path
    client_key: Path
    client_key_password: str | None
    rogue_cert: Path
    rogue_key: Path


def make_pki(directory: Path, key_password: str | None = None) -> Pki:
    """Write a server CA + 127.0.0.1 certificate, a WWDR-like CA + pass certificate, a rogue."""
    server_ca, server_ca_key = _issue("Stand-in APNs CA", None, ca=True)
    server, server_key = _issue("localhost", (server_ca, server_ca_key), server=True)
    wwdr, wwdr_key = _issue("Stand-in WWDR CA", None, ca=True)
    client, client_key = _issue(f"Pass Type ID: {PASS_TYPE_ID}", (wwdr, wwdr_key))
    rogue, rogue_key = _issue(f"Pass Type ID: {PASS_TYPE_ID}", None)
    return Pki(
        server_ca=_write_cert(directory / "server-ca.pem", server_ca),
        server_cert=_write_cert(directory / "server.pem", server),
        server_key=_write_key(directory / "server.key", server_key),
        client_ca=_write_cert(directory / "client-ca.pem", wwdr),
        client_cert=_write_cert(directory / "pass.pem", client),
        client_key=_write_key(directory / "pass.key", client_key, key_password),
        client_key_password=key_password,
        rogue_cert=_write_cert(directory / "rogue.pem", rogue),
        rogue_key=_write_key(directory / "rogue.key", rogue_key),
    )


def _issue(
    name: str,
    issuer: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None,
    *,
    ca: bool = False,
    server: bool = False,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    issuer_name, signing_key = (issuer[0].subject, issuer[1]) if issuer else (subject, key)
    now = dt.datetime.now(dt.UTC)
    usage = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
    builder = (
        x509.CertificateBuilder(issuer_name=issuer_name, subject_name=subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if server:
        names = [x509.DNSName("localhost"), x509.IPAddress(_LOOPBACK)]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(signing_key, hashes.SHA256()), key


def _write_cert(path: Path, cert: x509.Certificate) -> Path:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey, password: str | None = None) -> Path:
    encryption: serialization.KeySerializationEncryption = serialization.NoEncryption()
    if password:
        encryption = serialization.BestAvailableEncryption(password.encode())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    path.write_bytes(pem)
    return path
