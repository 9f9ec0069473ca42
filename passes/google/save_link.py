"""The "Save to Google Wallet" link: an RS256 JWT signed with the service account's key.

Google reference: https://developers.google.com/wallet/reference/rest/v1/Jwt and
google-wallet/rest-samples python/demo_loyalty.py; reference/wallet-protocols.md 4.6 (claims,
link, size) and 6.3 (offline checks). Claims: ``iss`` the service-account e-mail, ``aud``
"google", ``typ`` "savetowallet", ``iat``, ``origins``, ``payload``. The JWT is signed, not
encrypted: anyone holding the link reads it, so the short form (object and class ids, inserted
through the REST API first) also keeps holder details out of URLs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from google.auth import crypt, jwt

SAVE_URL_PREFIX = "https://pay.google.com/gp/v/save/"
# google-wallet/pass-converter refuses links whose JWT is longer ("Encoded jwt too large")
# and inserts the class and object through the REST API instead (4.6; limit [S]).
MAX_LINK_JWT_CHARS = 1800


def signer_from(credentials: crypt.Signer | Mapping[str, Any]) -> crypt.Signer:
    """Return a signer; service-account key info gives an RSASigner carrying its key id."""
    if isinstance(credentials, crypt.Signer):
        return credentials
    # google-auth ships py.typed but leaves its factories and jwt.encode unannotated.
    signer: crypt.Signer = crypt.RSASigner.from_service_account_info(credentials)  # type: ignore[no-untyped-call]
    return signer


def save_jwt(
    *,
    credentials: crypt.Signer | Mapping[str, Any],
    issuer_email: str,
    origins: Sequence[str],
    loyalty_classes: Sequence[Mapping[str, Any]] = (),
    loyalty_objects: Sequence[Mapping[str, Any]] = (),
    issued_at: datetime | None = None,
) -> str:
    """Return the signed save JWT carrying the given classes and objects."""
    if not loyalty_objects:
        raise ValueError("a save link needs at least one loyalty object")
    payload: dict[str, Any] = {"loyaltyObjects": [dict(item) for item in loyalty_objects]}
    if loyalty_classes:
        payload["loyaltyClasses"] = [dict(item) for item in loyalty_classes]
    claims = {
        "iss": issuer_email,
        "aud": "google",
        "typ": "savetowallet",
        "iat": int((issued_at or datetime.now(UTC)).timestamp()),
        "origins": list(origins),
        "payload": payload,
    }
    # encode() returns bytes; the signer puts its key id into the header as "kid".
    token: bytes = jwt.encode(signer_from(credentials), claims)  # type: ignore[no-untyped-call]
    return token.decode("ascii")


def save_url(
    *,
    credentials: crypt.Signer | Mapping[str, Any],
    issuer_email: str,
    origins: Sequence[str],
    loyalty_classes: Sequence[Mapping[str, Any]] = (),
    loyalty_objects: Sequence[Mapping[str, Any]] = (),
    issued_at: datetime | None = None,
) -> str:
    """Return the save link with full classes and objects inside (check its length)."""
    token = save_jwt(
        credentials=credentials,
        issuer_email=issuer_email,
        origins=origins,
        loyalty_classes=loyalty_classes,
        loyalty_objects=loyalty_objects,
        issued_at=issued_at,
    )
    return SAVE_URL_PREFIX + token


def short_save_url(
    *,
    credentials: crypt.Signer | Mapping[str, Any],
    issuer_email: str,
    origins: Sequence[str],
    object_id: str,
    class_id: str,
    issued_at: datetime | None = None,
) -> str:
    """Return the save link naming an object already inserted through the REST API."""
    # google-wallet/rest-samples create_jwt_existing_objects: "The objects to add must follow
    # the below format: {'id': 'ISSUER_ID.OBJECT_SUFFIX', 'classId': 'ISSUER_ID.CLASS_SUFFIX'}".
    return save_url(
        credentials=credentials,
        issuer_email=issuer_email,
        origins=origins,
        loyalty_objects=[{"id": object_id, "classId": class_id}],
        issued_at=issued_at,
    )


def exceeds_link_limit(link_or_jwt: str) -> bool:
    """Tell whether a save link's JWT is too long, so the caller inserts first instead."""
    return len(link_or_jwt.removeprefix(SAVE_URL_PREFIX)) > MAX_LINK_JWT_CHARS


def origins_for(public_url: str) -> list[str]:
    """Return the origins a site's save JWT lists: scheme and host, and the bare host."""
    # Google's JWT reference lists "https://host"; its samples and pass-converter list the
    # bare host. Both forms are allowed, and which one the button checks is unconfirmed (4.6).
    parts = urlsplit(public_url)
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"{public_url!r} is not an absolute URL")
    return [f"{parts.scheme}://{parts.netloc}", parts.netloc]
