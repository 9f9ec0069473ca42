"""The .pkpass ``signature``: a detached DER PKCS#7 signature over manifest.json.

Apple reference: section 1.12 of reference/wallet-protocols.md, and
https://developer.apple.com/documentation/walletpasses/building-a-pass (signing).
Wallet needs the signature detached, over the exact manifest bytes (Binary: no MIME
newline canonicalisation, which otherwise breaks any manifest containing a newline),
with a signingTime attribute, and with the WWDR intermediate that issued the pass
certificate embedded next to it. cryptography signs with SHA-256 (it refuses SHA-1),
which Wallet accepts, and always adds signingTime, contentType and messageDigest
unless told NoAttributes; NoCapabilities leaves out the S/MIME capabilities that
Apple's own passes do not carry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7

from passes.apple.certificates import SigningKey, SigningMaterial

_OPTIONS = (
    pkcs7.PKCS7Options.DetachedSignature,
    pkcs7.PKCS7Options.Binary,
    pkcs7.PKCS7Options.NoCapabilities,
)


class ManifestSigner(Protocol):
    """Anything that turns manifest bytes into a detached signature."""

    def sign(self, manifest: bytes) -> bytes:
        """Return the DER signature of the manifest."""
        ...


@dataclass(frozen=True, slots=True)
class Signer:
    """Signs pass manifests with one pass certificate; build it once per process."""

    certificate: x509.Certificate
    key: SigningKey
    intermediate: x509.Certificate

    @classmethod
    def from_material(cls, material: SigningMaterial) -> Signer:
        """Make a signer from loaded and checked signing material."""
        return cls(material.certificate, material.key, material.intermediate)

    def sign(self, manifest: bytes) -> bytes:
        """Return the detached DER PKCS#7 signature of manifest.json's bytes."""
        return (
            pkcs7.PKCS7SignatureBuilder()
            .set_data(manifest)
            .add_signer(self.certificate, self.key, hashes.SHA256())
            .add_certificate(self.intermediate)
            .sign(Encoding.DER, _OPTIONS)
        )
