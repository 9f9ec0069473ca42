"""The local Google stand-in itself: it refuses what Google refuses, so green means something."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from google.auth import crypt, jwt

from tests.google_server import JWT_BEARER, WALLET_SCOPE, GoogleStandIn, ServiceAccountKey

GOOGLE_TOKEN_ENDPOINT = "https://oauth2.googleapis.com/token"
CLASS = {
    "id": "3388000000022.acme",
    "issuerName": "Acme",
    "programName": "Acme Club",
    "programLogo": {"sourceUri": {"uri": "https://tessera.example/logo.png"}},
    "reviewStatus": "UNDER_REVIEW",
}


@pytest.fixture(scope="module")
def key() -> ServiceAccountKey:
    return ServiceAccountKey.generate()


@pytest.fixture
def google(key: ServiceAccountKey) -> Iterator[GoogleStandIn]:
    with GoogleStandIn([key]) as stand_in:
        yield stand_in


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def _assertion(key: ServiceAccountKey, **changes: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": key.client_email,
        "aud": GOOGLE_TOKEN_ENDPOINT,
        "scope": WALLET_SCOPE,
        "iat": now,
        "exp": now + 3600,
    }
    signer = crypt.RSASigner.from_service_account_info(key.info(""))  # type: ignore[no-untyped-call]
    token: bytes = jwt.encode(signer, claims | changes)  # type: ignore[no-untyped-call]
    return token.decode()


def _grant(http: requests.Session, google: GoogleStandIn, assertion: str) -> requests.Response:
    form = {"grant_type": JWT_BEARER, "assertion": assertion}
    return http.post(google.token_uri, data=form, timeout=5)


def _token(http: requests.Session, google: GoogleStandIn, key: ServiceAccountKey) -> str:
    answer = _grant(http, google, _assertion(key))
    assert answer.status_code == 200
    token: str = answer.json()["access_token"]
    return token


def test_a_signed_assertion_buys_a_bearer_token(
    http: requests.Session, google: GoogleStandIn, key: ServiceAccountKey
) -> None:
    answer = _grant(http, google, _assertion(key))
    body = answer.json()
    assert (answer.status_code, body["token_type"], body["expires_in"]) == (200, "Bearer", 3599)
    assert body["access_token"] in google.tokens


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"aud": "https://elsewhere.example/token"}, "invalid_grant"),
        ({"iss": "nobody@elsewhere.iam.gserviceaccount.com"}, "invalid_grant"),
        ({"exp": int(time.time()) - 10}, "invalid_grant"),
        ({"scope": "https://www.googleapis.com/auth/cloud-platform"}, "invalid_scope"),
    ],
)
def test_bad_assertions_are_refused(
    http: requests.Session,
    google: GoogleStandIn,
    key: ServiceAccountKey,
    changes: dict[str, Any],
    error: str,
) -> None:
    answer = _grant(http, google, _assertion(key, **changes))
    assert (answer.status_code, answer.json()["error"]) == (400, error)
    assert not google.tokens


def test_an_assertion_signed_by_another_key_is_refused(
    http: requests.Session, google: GoogleStandIn, key: ServiceAccountKey
) -> None:
    impostor = ServiceAccountKey.generate(key.client_email)
    answer = _grant(http, google, _assertion(impostor))
    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_grant")


def test_other_grants_are_refused(http: requests.Session, google: GoogleStandIn) -> None:
    answer = http.post(google.token_uri, data={"grant_type": "password"}, timeout=5)
    assert answer.json()["error"] == "unsupported_grant_type"


@pytest.mark.parametrize("authorization", [None, "Bearer made-up", "Basic abc"])
def test_the_api_wants_a_token_it_issued(
    http: requests.Session, google: GoogleStandIn, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    answer = http.get(f"{google.url}/walletobjects/v1/loyaltyClass/1.x", headers=headers, timeout=5)
    assert answer.status_code == 401
    assert answer.json()["error"]["status"] == "UNAUTHENTICATED"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_google_status_codes_and_messages(
    http: requests.Session, google: GoogleStandIn, key: ServiceAccountKey
) -> None:
    http.headers["Authorization"] = f"Bearer {_token(http, google, key)}"
    classes = f"{google.url}/walletobjects/v1/loyaltyClass"
    objects = f"{google.url}/walletobjects/v1/loyaltyObject"
    first, again = (http.post(classes, json=CLASS, timeout=5) for _ in range(2))
    assert first.json()["reviewStatus"] == "APPROVED"
    assert first.json()["kind"] == "walletobjects#loyaltyClass"
    assert again.status_code == 409
    assert (
        again.json()["error"]["message"]
        == "Wallet Object Class {3388000000022.acme} already exists."
    )
    missing = http.get(f"{objects}/3388000000022.nobody", timeout=5)
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "Wallet Object {3388000000022.nobody} not found."
    orphan = {"id": "3388000000022.o", "classId": "3388000000022.none", "state": "ACTIVE"}
    assert http.post(objects, json=orphan, timeout=5).status_code == 404
    bad_id = http.post(classes, json=CLASS | {"id": "acme"}, timeout=5)
    assert "Invalid resource ID" in bad_id.json()["error"]["message"]
    assert http.get(f"{google.url}/walletobjects/v1/offerClass", timeout=5).status_code == 404


def test_bodies_are_checked_against_the_discovery_document(
    http: requests.Session, google: GoogleStandIn, key: ServiceAccountKey
) -> None:
    http.headers["Authorization"] = f"Bearer {_token(http, google, key)}"
    classes = f"{google.url}/walletobjects/v1/loyaltyClass"
    body = CLASS | {"programColour": "#fff", "hexBackgroundColor": 7}
    answer = http.post(classes, json=body, timeout=5)
    message = answer.json()["error"]["message"]
    assert answer.status_code == 400
    assert "LoyaltyClass.programColour: unknown field" in message
    assert "LoyaltyClass.hexBackgroundColor: 7 is not a string" in message
    assert not google.wallet.classes


def test_stopping_ends_kept_alive_connections(key: ServiceAccountKey) -> None:
    with requests.Session() as session:
        with GoogleStandIn([key]) as stand_in:
            _token(session, stand_in, key)
            assert len(stand_in.calls()) == 1
        # The stand-in stopped although the session still held its connection open.
        with pytest.raises(requests.ConnectionError):
            session.get(stand_in.token_uri, timeout=1)
