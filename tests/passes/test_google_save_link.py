"""The "Save to Google Wallet" link: signature, claims, payload and the 1,800-character switch."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from google.auth import crypt, exceptions, jwt

from passes.content import CardKind
from passes.google import (
    MAX_LINK_JWT_CHARS,
    SAVE_URL_PREFIX,
    exceeds_link_limit,
    loyalty_class,
    loyalty_object,
    origins_for,
    save_jwt,
    save_url,
    short_save_url,
    signer_from,
)
from tests.google_server import ServiceAccountKey, wallet_schemas
from tests.passes.sample_passes import content

ISSUER = "3388000000022"
ORIGINS = ["https://tessera.example", "tessera.example"]
TOKEN_URI = "https://oauth2.googleapis.com/token"


@pytest.fixture(scope="module")
def key() -> ServiceAccountKey:
    return ServiceAccountKey.generate()


def _documents(kind: CardKind = CardKind.STAMP) -> tuple[dict[str, Any], dict[str, Any]]:
    pass_content = content(kind)
    cls = loyalty_class(
        pass_content,
        issuer_id=ISSUER,
        class_suffix="acme-v1",
        issuer_name="Acme Supplies",
        logo_url="https://tessera.example/img/logo.png",
    )
    obj = loyalty_object(pass_content, issuer_id=ISSUER, object_suffix="T-1", class_id=cls["id"])
    return cls, obj


def _verified(token: str, certificate: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check the RS256 signature with the key's certificate; return header and claims."""
    signed, _, signature = token.rpartition(".")
    verifier = crypt.RSAVerifier.from_string(certificate)  # type: ignore[no-untyped-call]
    assert verifier.verify(signed.encode(), _unpadded(signature)), "signature does not verify"
    header, claims = (json.loads(_unpadded(part)) for part in signed.split("."))
    return header, claims


def _unpadded(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_the_full_link_is_signed_by_the_service_account_and_carries_the_pass(
    key: ServiceAccountKey,
) -> None:
    cls, obj = _documents()
    link = save_url(
        credentials=key.info(TOKEN_URI), issuer_email=key.client_email, origins=ORIGINS,
        loyalty_classes=[cls], loyalty_objects=[obj],
    )  # fmt: skip
    assert link.startswith("https://pay.google.com/gp/v/save/")
    header, claims = _verified(link.removeprefix(SAVE_URL_PREFIX), key.certificate_pem)
    assert header == {"alg": "RS256", "typ": "JWT", "kid": key.key_id}
    assert (claims["iss"], claims["aud"], claims["typ"]) == (
        key.client_email,
        "google",
        "savetowallet",
    )
    assert abs(claims["iat"] - time.time()) < 60
    assert claims["origins"] == ORIGINS
    assert claims["payload"] == {"loyaltyClasses": [cls], "loyaltyObjects": [obj]}


def test_google_auth_decode_verifies_it_but_wants_an_exp_google_does_not_define(
    key: ServiceAccountKey,
) -> None:
    # Google's Jwt reference lists iss, aud, typ, iat, origins and payload; no exp. So
    # google.auth.jwt.decode checks the signature and audience, then stops at the exp it
    # demands of every token; an unverified read shows the same claims.
    token = save_jwt(
        credentials=key.info(TOKEN_URI), issuer_email=key.client_email, origins=ORIGINS,
        loyalty_objects=[{"id": f"{ISSUER}.T-1"}],
    )  # fmt: skip
    with pytest.raises(exceptions.MalformedError, match="required claim exp"):
        jwt.decode(token, certs=key.certificate_pem, audience="google")  # type: ignore[no-untyped-call]
    other = ServiceAccountKey.generate()
    with pytest.raises(exceptions.MalformedError, match="Could not verify token signature"):
        jwt.decode(token, certs=other.certificate_pem, audience="google")  # type: ignore[no-untyped-call]
    claims = jwt.decode(token, verify=False)  # type: ignore[no-untyped-call]
    assert claims["typ"] == "savetowallet"


def test_a_signer_built_once_signs_the_same_way(key: ServiceAccountKey) -> None:
    signer = signer_from(key.info(TOKEN_URI))
    moment = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    common: dict[str, Any] = {
        "issuer_email": key.client_email,
        "origins": ORIGINS,
        "loyalty_objects": [{"id": f"{ISSUER}.T-1"}],
        "issued_at": moment,
    }
    token = save_jwt(credentials=signer, **common)
    # RS256 (PKCS#1 v1.5) is deterministic: the same key and claims give the same token.
    assert token == save_jwt(credentials=key.info(TOKEN_URI), **common)
    assert _verified(token, key.certificate_pem)[1]["iat"] == int(moment.timestamp())


def test_every_class_and_object_in_the_payload_passes_the_discovery_document(
    key: ServiceAccountKey,
) -> None:
    schemas = wallet_schemas()
    for kind in CardKind:
        cls, obj = _documents(kind)
        token = save_jwt(
            credentials=key.info(TOKEN_URI), issuer_email=key.client_email, origins=ORIGINS,
            loyalty_classes=[cls], loyalty_objects=[obj],
        )  # fmt: skip
        payload = _verified(token, key.certificate_pem)[1]["payload"]
        assert schemas.problems(payload["loyaltyClasses"][0], "LoyaltyClass") == []
        assert schemas.problems(payload["loyaltyObjects"][0], "LoyaltyObject") == []
        assert payload["loyaltyObjects"][0]["classId"].startswith(f"{ISSUER}.")


def test_the_short_link_names_only_the_inserted_object(key: ServiceAccountKey) -> None:
    link = short_save_url(
        credentials=key.info(TOKEN_URI), issuer_email=key.client_email, origins=ORIGINS,
        object_id=f"{ISSUER}.T-1", class_id=f"{ISSUER}.acme-v1",
    )  # fmt: skip
    claims = _verified(link.removeprefix(SAVE_URL_PREFIX), key.certificate_pem)[1]
    assert claims["payload"] == {
        "loyaltyObjects": [{"id": f"{ISSUER}.T-1", "classId": f"{ISSUER}.acme-v1"}]
    }
    assert not exceeds_link_limit(link)


def test_a_full_pass_is_too_long_for_a_link_so_the_caller_inserts_first(
    key: ServiceAccountKey,
) -> None:
    cls, obj = _documents()
    link = save_url(
        credentials=key.info(TOKEN_URI), issuer_email=key.client_email, origins=ORIGINS,
        loyalty_classes=[cls], loyalty_objects=[obj],
    )  # fmt: skip
    assert exceeds_link_limit(link)
    assert exceeds_link_limit(link.removeprefix(SAVE_URL_PREFIX))


@pytest.mark.parametrize(
    ("length", "too_long"),
    [(MAX_LINK_JWT_CHARS - 1, False), (MAX_LINK_JWT_CHARS, False), (MAX_LINK_JWT_CHARS + 1, True)],
)
def test_the_limit_is_1800_characters_of_jwt(length: int, too_long: bool) -> None:
    assert exceeds_link_limit("x" * length) is too_long
    assert exceeds_link_limit(SAVE_URL_PREFIX + "x" * length) is too_long


def test_a_link_needs_an_object(key: ServiceAccountKey) -> None:
    with pytest.raises(ValueError, match="at least one loyalty object"):
        save_jwt(credentials=key.info(TOKEN_URI), issuer_email=key.client_email, origins=ORIGINS)


def test_origins_name_the_site_both_ways() -> None:
    assert origins_for("https://tessera.example:8443/c/abc") == [
        "https://tessera.example:8443",
        "tessera.example:8443",
    ]
    with pytest.raises(ValueError, match="absolute URL"):
        origins_for("tessera.example")
