"""Throwaway Google service accounts: an RSA key, its certificate, and the JSON key file.

Google's key files carry ``type``, ``project_id``, ``private_key_id``, ``private_key``,
``client_email`` and ``token_uri`` (reference/wallet-protocols.md 4.5); Google publishes each
key's X.509 certificate, which is what a verifier of the save JWT uses (6.3).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

PROJECT_ID = "tessera-test"
EMAIL = f"wallet-issuer@{PROJECT_ID}.iam.gserviceaccount.com"


@dataclass(frozen=True)
class ServiceAccountKey:
    """A service account's e-mail, key id, private key and self-signed certificate (PEM)."""

    client_email: str
    key_id: str
    private_key_pem: str
    certificate_pem: str
    project_id: str = PROJECT_ID

    @classmethod
    def generate(cls, client_email: str = EMAIL) -> ServiceAccountKey:
        """Make a fresh 2048-bit RSA key, as Google issues them, and its certificate."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return cls(
            client_email, secrets.token_hex(20), pem.decode(), _certificate(key, client_email)
        )

    def info(self, token_uri: str) -> dict[str, Any]:
        """Return the JSON key file's contents, with ``token_uri`` pointing where asked."""
        return {
            "type": "service_account",
            "project_id": self.project_id,
            "private_key_id": self.key_id,
            "private_key": self.private_key_pem,
            "client_email": self.client_email,
            "client_id": "100000000000000000001",
            "token_uri": token_uri,
        }

    def write(self, path: Path, token_uri: str) -> Path:
        """Write the JSON key file and return its path."""
        path.write_text(json.dumps(self.info(token_uri), indent=2), encoding="utf-8")
        return path


def _certificate(key: rsa.RSAPrivateKey, email: str) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, email)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=10))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()
