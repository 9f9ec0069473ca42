"""The Google service-account key file: read it, check it, say whose it is.

Google: the JSON key of a service account carries ``client_email``, ``private_key``,
``private_key_id`` and ``token_uri`` (reference/wallet-protocols.md 4.5); google-auth signs
the OAuth assertion and the save JWT with it. The e-mail must be a user of the issuer in
the Google Pay & Wallet Console, which no file can show.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

_REQUIRED = ("client_email", "private_key", "private_key_id", "token_uri")


class ServiceAccountError(ValueError):
    """The service-account key file cannot be read or is not a usable key."""


class ServiceAccountSummary(NamedTuple):
    """Whose key a file holds: the account's e-mail, the key id and the project."""

    client_email: str
    key_id: str
    project_id: str | None


def read_service_account(path: str | Path) -> dict[str, Any]:
    """Return the key file's contents after checking it holds a usable service-account key."""
    info = _load(Path(path))
    if info.get("type") != "service_account":
        raise ServiceAccountError(
            f"{path} is not a service-account key (type {info.get('type')!r})"
        )
    missing = [key for key in _REQUIRED if not isinstance(info.get(key), str) or not info[key]]
    if missing:
        raise ServiceAccountError(f"{path} lacks {', '.join(missing)}")
    _check_key(path, info["private_key"])
    return info


def service_account_summary(path: str | Path) -> ServiceAccountSummary:
    """Return (client_email, key_id, project_id) of a checked key file."""
    info = read_service_account(path)
    project = info.get("project_id")
    return ServiceAccountSummary(
        info["client_email"], info["private_key_id"], project if isinstance(project, str) else None
    )


def _check_key(path: str | Path, pem: str) -> None:
    # Google signs service-account keys with RS256 only (4.5, 4.6).
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise ServiceAccountError(f"{path}: the private key does not load ({error})") from error
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ServiceAccountError(f"{path}: the private key is not an RSA key")


def _load(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ServiceAccountError(f"cannot read the service-account key {path}: {error}") from error
    try:
        info = json.loads(text)
    except json.JSONDecodeError as error:
        raise ServiceAccountError(f"{path} is not JSON: {error}") from error
    if not isinstance(info, dict):
        raise ServiceAccountError(f"{path} does not hold a JSON object")
    return info
