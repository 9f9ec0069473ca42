"""The Google Wallet REST client against the local stand-in, through google-auth's token flow.

The client reaches the stand-in only through the key's ``token_uri`` and the base URL.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from passes.content import CardKind
from passes.google import (
    Backoff,
    WalletApiError,
    WalletClient,
    loyalty_class,
    loyalty_object,
    loyalty_points,
)
from passes.localized import LocalizedText
from tests.google_server import JWT_BEARER, GoogleStandIn, ServiceAccountKey
from tests.passes.sample_passes import content, face

ISSUER = "3388000000022"
CLASS_ID = f"{ISSUER}.acme-v1"
OBJECT_ID = f"{ISSUER}.T-cashback-0001"
OBJECTS = "/walletobjects/v1/loyaltyObject"


@pytest.fixture(scope="module")
def key() -> ServiceAccountKey:
    return ServiceAccountKey.generate()


@pytest.fixture
def google(key: ServiceAccountKey) -> Iterator[GoogleStandIn]:
    with GoogleStandIn([key]) as stand_in:
        yield stand_in


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(
    key: ServiceAccountKey, google: GoogleStandIn, sleeps: list[float]
) -> Iterator[WalletClient]:
    # jitter 1.0 makes every wait the full exponential step, so the waits can be asserted.
    info = key.info(google.token_uri)
    with WalletClient(info, base_url=google.url, sleep=sleeps.append, jitter=lambda: 1.0) as wallet:
        yield wallet


def _class(**changes: Any) -> dict[str, Any]:
    return loyalty_class(
        content(CardKind.CASHBACK, **changes),
        issuer_id=ISSUER,
        class_suffix="acme-v1",
        issuer_name="Acme Supplies",
        logo_url="https://tessera.example/img/logo.png",
    )


def _object(**changes: Any) -> dict[str, Any]:
    return loyalty_object(
        content(CardKind.CASHBACK, **changes),
        issuer_id=ISSUER,
        object_suffix="T-cashback-0001",
        class_id=CLASS_ID,
    )


def _issued(client: WalletClient) -> None:
    client.upsert_class(_class())
    client.upsert_object(_object())


def test_upsert_inserts_then_replaces_and_skips_what_google_already_has(
    client: WalletClient, google: GoogleStandIn
) -> None:
    _issued(client)
    assert [(c.method, c.status) for c in google.calls(path="/walletobjects")] == [
        ("GET", 404), ("POST", 200), ("GET", 404), ("POST", 200),
    ]  # fmt: skip
    client.upsert_class(_class())
    client.upsert_object(_object())
    assert not google.calls("PUT")
    richer = _object(face=face(CardKind.CASHBACK, balance=99_900))
    assert (
        client.upsert_object(richer)["loyaltyPoints"]["balance"]["money"]["micros"] == "999000000"
    )
    client.upsert_class(_class(colours=content(CardKind.STAMP).colours))
    (object_put, class_put) = google.calls("PUT")
    assert object_put.path == f"{OBJECTS}/{OBJECT_ID}"
    assert "notifyPreference" not in object_put.body
    assert class_put.body["reviewStatus"] == "UNDER_REVIEW"
    assert google.wallet.classes[CLASS_ID]["hexBackgroundColor"] == "#7c2d12"


def test_the_token_comes_from_token_uri_once_and_rides_on_every_call(
    client: WalletClient, google: GoogleStandIn, key: ServiceAccountKey
) -> None:
    _issued(client)
    (grant,) = google.calls("POST", "/token")
    assert grant.body["grant_type"] == JWT_BEARER
    (token,) = google.tokens
    api_calls = google.calls(path="/walletobjects")
    assert api_calls
    assert {call.headers["authorization"] for call in api_calls} == {f"Bearer {token}"}


def test_a_revoked_token_is_renewed_once(client: WalletClient, google: GoogleStandIn) -> None:
    _issued(client)
    google.revoke_tokens()
    assert client.get_object(OBJECT_ID) is not None
    assert [c.status for c in google.calls()][-3:] == [401, 200, 200]
    assert len(google.calls("POST", "/token")) == 2


def test_patch_carries_the_new_balance_and_asks_to_notify(
    client: WalletClient, google: GoogleStandIn
) -> None:
    _issued(client)
    points = loyalty_points(face(CardKind.CASHBACK, balance=20_000).main_value, "en")
    answer = client.patch_object(OBJECT_ID, {"loyaltyPoints": points}, notify=True)
    assert answer["loyaltyPoints"]["balance"] == {
        "money": {"micros": "200000000", "currencyCode": "USD"}
    }
    client.patch_object(OBJECT_ID, {"state": "INACTIVE"}, notify=False)
    noisy, quiet = (call.body for call in google.calls("PATCH"))
    assert noisy["notifyPreference"] == "NOTIFY_ON_UPDATE"
    assert quiet == {"state": "INACTIVE"}
    assert google.wallet.objects[OBJECT_ID]["state"] == "INACTIVE"
    assert len(google.wallet.notifications[OBJECT_ID]) == 1


def test_a_429_is_retried_after_a_backoff(
    client: WalletClient, google: GoogleStandIn, sleeps: list[float]
) -> None:
    _issued(client)
    google.fail(OBJECTS, 429, times=1, method="GET")
    assert client.get_object(OBJECT_ID) is not None
    assert [c.status for c in google.calls("GET", OBJECTS)][-2:] == [429, 200]
    assert sleeps == [0.5]


def test_retry_after_is_honoured_up_to_the_cap(
    client: WalletClient, google: GoogleStandIn, sleeps: list[float]
) -> None:
    _issued(client)
    google.fail(OBJECTS, 503, times=2, method="GET", retry_after=3)
    google.fail(OBJECTS, 503, times=1, method="GET", retry_after=600)
    assert client.get_object(OBJECT_ID) is not None
    assert sleeps == [3.0, 3.0, 20.0]


def test_503_forever_gives_up_after_bounded_attempts_with_googles_message(
    client: WalletClient,
    google: GoogleStandIn,
    sleeps: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    google.fail(OBJECTS, 503, times=None)
    with (
        caplog.at_level(logging.WARNING, "passes.google.client"),
        pytest.raises(WalletApiError, match="currently unavailable") as raised,
    ):
        client.get_object(OBJECT_ID)
    assert (raised.value.status, raised.value.reason) == (503, "backendError")
    assert raised.value.message == "The service is currently unavailable."
    assert len(google.calls("GET", OBJECTS)) == Backoff().attempts
    assert sleeps == [0.5, 1.0, 2.0, 4.0]
    assert "gave up after 5 tries" in caplog.text
    assert "The service is currently unavailable." in caplog.text


def test_other_errors_raise_at_once_with_googles_message(
    client: WalletClient, google: GoogleStandIn, sleeps: list[float]
) -> None:
    with pytest.raises(WalletApiError, match="not found") as missing:
        client.patch_object(OBJECT_ID, {"state": "INACTIVE"}, notify=False)
    assert missing.value.status == 404
    _issued(client)
    with pytest.raises(WalletApiError, match="accountNumber: unknown field") as invalid:
        client.patch_object(OBJECT_ID, {"accountNumber": "x"}, notify=False)
    assert (invalid.value.status, invalid.value.reason) == (400, "invalid")
    assert sleeps == []


def test_an_insert_that_loses_a_race_replaces_the_winner(
    client: WalletClient, google: GoogleStandIn
) -> None:
    _issued(client)
    # Google says "not found" once more (a read behind a write elsewhere), the insert then
    # meets 409, and the client falls back to a replacement.
    google.fail(f"{OBJECTS}/{OBJECT_ID}", 404, method="GET", reason="notFound", message="gone")
    client.upsert_object(_object(voided=True))
    assert [(c.method, c.status) for c in google.calls(path=OBJECTS)][-3:] == [
        ("GET", 404), ("POST", 409), ("PUT", 200),
    ]  # fmt: skip
    assert google.wallet.objects[OBJECT_ID]["state"] == "INACTIVE"


def test_add_message_notifies_only_when_asked(client: WalletClient, google: GoogleStandIn) -> None:
    _issued(client)
    header = LocalizedText.from_mapping({"en": "New tier", "uk": "Новий рівень"}, "en")
    loud = client.add_message(OBJECT_ID, header, "Gold", notify=True, message_id="m-1")
    quiet = client.add_message(OBJECT_ID, "Hello", "World", notify=False)
    assert (loud.notified, quiet.notified) == (True, False)
    first, second = (call.body["message"] for call in google.calls("POST", f"{OBJECTS}/"))
    assert (first["messageType"], second["messageType"]) == ("TEXT_AND_NOTIFY", "TEXT")
    assert first["id"] == "m-1"
    assert first["localizedHeader"]["translatedValues"] == [
        {"language": "uk", "value": "Новий рівень"}
    ]
    assert [m["header"] for m in quiet.resource["messages"]] == ["New tier", "Hello"]


def test_past_the_daily_budget_a_message_goes_out_silently(
    client: WalletClient, google: GoogleStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    _issued(client)
    results = [client.add_message(OBJECT_ID, "Hi", str(n), notify=True) for n in range(4)]
    assert [result.notified for result in results] == [True, True, True, False]
    statuses = [c.status for c in google.calls("POST", f"{OBJECTS}/{OBJECT_ID}/addMessage")]
    assert statuses == [200, 200, 200, 403, 200]
    assert len(results[-1].resource["messages"]) == 4
    assert "Quota exceeded" in caplog.text


def test_an_update_keeps_the_messages_google_holds(
    client: WalletClient, google: GoogleStandIn
) -> None:
    _issued(client)
    client.add_message(OBJECT_ID, "Welcome", "Glad to have you", notify=False)
    client.upsert_object(_object(face=face(CardKind.CASHBACK, balance=1)), notify=True)
    (put,) = google.calls("PUT")
    assert put.body["notifyPreference"] == "NOTIFY_ON_UPDATE"
    assert [m["header"] for m in google.wallet.objects[OBJECT_ID]["messages"]] == ["Welcome"]


def test_an_unreachable_api_is_retried_then_reported(
    key: ServiceAccountKey, google: GoogleStandIn, sleeps: list[float]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    info = key.info(google.token_uri)
    backoff = Backoff(attempts=3)
    dead = f"http://127.0.0.1:{closed_port}"
    wallet = WalletClient(info, base_url=dead, backoff=backoff, sleep=sleeps.append)
    with wallet, pytest.raises(WalletApiError, match="unreachable ConnectionError") as raised:
        wallet.get_class(CLASS_ID)
    assert raised.value.status is None
    assert len(sleeps) == 2


def test_a_key_google_does_not_know_is_refused_without_retries(
    google: GoogleStandIn, sleeps: list[float]
) -> None:
    stranger = ServiceAccountKey.generate("stranger@elsewhere.iam.gserviceaccount.com")
    info = stranger.info(google.token_uri)
    wallet = WalletClient(info, base_url=google.url, sleep=sleeps.append)
    with wallet, pytest.raises(WalletApiError, match="invalid_grant") as raised:
        wallet.get_class(CLASS_ID)
    assert (raised.value.status, raised.value.reason) == (401, "authError")
    assert not google.calls(path="/walletobjects")
    assert sleeps == []


def test_backoff_grows_exponentially_with_full_jitter_up_to_a_cap() -> None:
    backoff = Backoff(attempts=8, base=0.5, cap=5.0)
    assert [backoff.delay(n, 1.0) for n in range(5)] == [0.5, 1.0, 2.0, 4.0, 5.0]
    assert backoff.delay(3, 0.25) == 1.0
    with pytest.raises(ValueError, match="at least one attempt"):
        Backoff(attempts=0)
