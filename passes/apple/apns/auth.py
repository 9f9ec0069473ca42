"""APNs credentials: the TLS context (pass certificate) and the ES256 provider token.

Certificate auth uses the Pass Type ID certificate and key that sign the pass; token auth uses a
`.p8` APNs auth key of the same team (wallet-protocols.md §3.3, AD-APNS-CONN).
"""

from __future__ import annotations

import base64
import json
import ssl
import time
from collections.abc import Callable
from pathlib import Path

import certifi
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

# Apple: refresh no more than once every 20 minutes and at least once every 60 (§3.3).
MIN_REFRESH_SECONDS = 20 * 60
MAX_REFRESH_SECONDS = 60 * 60
DEFAULT_REFRESH_SECONDS = 50 * 60


def tls_context(
    cert_file: Path | str | None = None,
    key_file: Path | str | None = None,
    key_password: str | None = None,
    ca_file: Path | str | None = None,
) -> ssl.SSLContext:
    """TLS 1.2+ client context speaking h2, presenting the pass certificate if one is given."""
    context = ssl.create_default_context()
    # The system store may be missing in slim containers; certifi always has Apple's roots.
    context.load_verify_locations(certifi.where())
    if ca_file is not None:
        context.load_verify_locations(ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_2  # §3.1
    context.set_alpn_protocols(["h2"])
    if cert_file is not None:
        context.load_cert_chain(cert_file, key_file, password=key_password)
    return context


class ProviderToken:
    """ES256 JWT for `authorization: bearer`, re-signed every `refresh_after` seconds."""

    def __init__(
        self,
        key: ec.EllipticCurvePrivateKey,
        key_id: str,
        team_id: str,
        *,
        refresh_after: float = DEFAULT_REFRESH_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not isinstance(key.curve, ec.SECP256R1):
            raise ValueError("an APNs auth key is a P-256 (ES256) key")
        if not MIN_REFRESH_SECONDS <= refresh_after < MAX_REFRESH_SECONDS:
            raise ValueError("Apple accepts a provider token refresh between 20 and 60 minutes")
        self.key_id, self.team_id = key_id, team_id
        self._key, self._refresh_after, self._clock = key, refresh_after, clock
        self._token = ""
        self._issued_at = 0.0

    @classmethod
    def from_file(
        cls,
        path: Path | str,
        key_id: str,
        team_id: str,
        *,
        refresh_after: float = DEFAULT_REFRESH_SECONDS,
    ) -> ProviderToken:
        """Load the `.p8` (PKCS#8 PEM) auth key that Apple issued for `key_id`."""
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{path} is not an EC private key")
        return cls(key, key_id, team_id, refresh_after=refresh_after)

    def current(self) -> str:
        """The token to send now: the cached one until it is `refresh_after` seconds old."""
        now = self._clock()
        if not self._token or now - self._issued_at >= self._refresh_after:
            self._token, self._issued_at = self._sign(int(now)), now
        return self._token

    def invalidate(self, token: str) -> None:
        """Forget `token` after APNs answered ExpiredProviderToken, unless already replaced."""
        # Many streams can fail with the same old token; re-signing once per answer would
        # earn TooManyProviderTokenUpdates (§3.3).
        if token == self._token:
            self._token = ""

    def _sign(self, issued_at: int) -> str:
        header = _b64_json({"alg": "ES256", "kid": self.key_id})
        claims = _b64_json({"iss": self.team_id, "iat": issued_at})
        signing_input = f"{header}.{claims}".encode("ascii")
        der = self._key.sign(signing_input, ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        # JWS wants the raw 64-byte r || s form, not the DER that cryptography returns (RFC 7518).
        raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        return f"{header}.{claims}.{_b64(raw)}"


def _b64_json(value: dict[str, object]) -> str:
    return _b64(json.dumps(value, separators=(",", ":")).encode())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
