"""Messages end to end: the API sends, the worker pushes to a real HTTP/2 APNs stand-in and
calls addMessage on the local Google stand-in, which checks every body against the
walletobjects discovery document."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from issuer import clock
from issuer.db.session import Database
from issuer.delivery import LEASE
from issuer.message_delivery import claim_google_messages
from passes.apple import DevChainFiles
from passes.google import safe_suffix
from tests.apns_server import ApnsServer, make_pki
from tests.conftest import Api
from tests.google_server import GoogleStandIn, ServiceAccountKey, wallet_schemas
from tests.pkpass_checks import openssl_verify, pass_json, unpack
from webapp.google_channel import GoogleChannel
from webapp.links import card_url
from webapp.settings import Settings
from webapp.wallets import apns_pusher, google_passes
from webapp.worker import DeliveryWorker

PASS_TYPE = Settings.apple_pass_type_id
ISSUER_ID = "3388000000022334455"


@pytest.fixture(scope="module")
def apns(tmp_path_factory: pytest.TempPathFactory, certs_path: Path) -> Iterator[ApnsServer]:
    """The APNs stand-in, trusting the development chain our pass certificate comes from."""
    folder = tmp_path_factory.mktemp("apns")
    chain = DevChainFiles.in_directory(certs_path / "dev")
    trusted = folder / "wallet-chain.pem"
    trusted.write_bytes(chain.root.read_bytes() + chain.intermediate.read_bytes())
    pki = dataclasses.replace(make_pki(folder), client_ca=trusted)
    with ApnsServer(pki) as server:
        yield server


@pytest.fixture(scope="module")
def google_key() -> ServiceAccountKey:
    """The test service account (an RSA key is slow to make: once per module)."""
    return ServiceAccountKey.generate()


@pytest.fixture
def google(google_key: ServiceAccountKey) -> Iterator[GoogleStandIn]:
    """Google's token endpoint and Wallet API on 127.0.0.1."""
    with GoogleStandIn([google_key]) as stand_in:
        yield stand_in


@pytest.fixture
def settings(
    settings: Settings,
    apns: ApnsServer,
    google: GoogleStandIn,
    google_key: ServiceAccountKey,
    tmp_path: Path,
) -> Settings:
    """The test settings with both wallets pointed at the stand-ins."""
    key_file = google_key.write(tmp_path / "service-account.json", google.token_uri)
    return dataclasses.replace(
        settings, apns_url=apns.url, apns_ca=apns.ca_file, google_issuer_id=ISSUER_ID,
        google_service_account=key_file, google_api_url=google.url,
    )  # fmt: skip


@pytest.fixture
def worker(app: Flask, settings: Settings) -> Iterator[DeliveryWorker]:
    """A delivery worker with a real APNs client and the Google channel."""
    pusher, passes = apns_pusher(settings), google_passes(settings)
    assert pusher is not None
    assert passes is not None
    channel = GoogleChannel(passes, lambda card: card_url(card, settings))
    yield DeliveryWorker(_database(app), pusher, channel)
    pusher.close()


def _database(app: Flask) -> Database:
    found: Database = app.extensions["tessera.database"]
    return found


def _card(api: Api) -> dict[str, Any]:
    body = {"kind": "accumulative", "name": "Club", "slug": f"club-{time.monotonic_ns()}"}
    _, program = api.call("POST", "/programs", body=body)
    api.call("POST", f"/programs/{program['id']}/publish")
    member = {"name": "Olena Kovalenko", "email": "olena@example.com", "company": "Acme"}
    _, card = api.call("POST", f"/programs/{program['id']}/cards", body={"member": member})
    return dict(card)


def _send(api: Api, card: dict[str, Any], title: str, body: str) -> dict[str, Any]:
    status, sent = api.call(
        "POST", f"/programs/{card['program_id']}/messages", body={"title": title, "body": body}
    )
    assert status == 201, sent
    return dict(sent)


def _history(api: Api, card: dict[str, Any]) -> list[dict[str, Any]]:
    status, listed = api.call("GET", f"/programs/{card['program_id']}/messages")
    assert status == 200
    return list(listed["messages"])


def _pass(api: Api, card: dict[str, Any], token: str | None = None) -> Any:
    path = card["apple_pass_url"].removeprefix("https://tessera.test")
    if token is None:
        return api.client.get(path)
    url = f"/apple/v1/passes/{PASS_TYPE}/{card['serial']}"
    return api.client.get(url, headers={"Authorization": f"ApplePass {token}"})


def _register(api: Api, card: dict[str, Any], push_token: str) -> str:
    token: str = pass_json(_pass(api, card).data)["authenticationToken"]
    url = f"/apple/v1/devices/phone-{push_token[:8]}/registrations/{PASS_TYPE}/{card['serial']}"
    headers = {"Authorization": f"ApplePass {token}"}
    assert api.client.post(url, json={"pushToken": push_token}, headers=headers).status_code == 201
    return token


def test_a_message_is_pushed_and_the_new_pass_carries_it_on_its_back(
    api: Api, apns: ApnsServer, worker: DeliveryWorker, certs_path: Path, tmp_path: Path
) -> None:
    card = _card(api)
    push_token = f"{time.monotonic_ns():064x}"[-64:]
    worker.run_once()
    auth = _register(api, card, push_token)
    sent = _send(api, card, "Sale 20% off", "Everything in the catalogue until Sunday.")
    assert sent["recipients"] == 1
    worker.run_once()
    pushes = [request for request in apns.requests if request.token == push_token]
    assert len(pushes) == 1
    response = _pass(api, card, auth)
    assert response.status_code == 200
    document = pass_json(response.data)
    (field,) = [f for f in document["storeCard"]["backFields"] if f["key"] == "message"]
    assert field == {
        "key": "message",
        "label": "Sale 20% off",
        "value": "Everything in the catalogue until Sunday.",
        "changeMessage": "Sale 20%% off: %@",
    }
    unpack(response.data, tmp_path)
    assert (
        openssl_verify(tmp_path, DevChainFiles.in_directory(certs_path / "dev").root).returncode
        == 0
    )
    (listed,) = _history(api, card)
    assert listed["delivery"]["apple_pushed"] == 1
    assert listed["delivery"]["apple_last_pushed_at"] is not None


def _object_id(card: dict[str, Any]) -> str:
    return f"{ISSUER_ID}.{safe_suffix(card['serial'])}"


def _saved(api: Api, card: dict[str, Any], google: GoogleStandIn) -> None:
    path = card["google_save_url"].removeprefix("https://tessera.test")
    assert api.client.get(path).status_code == 302
    assert _object_id(card) in google.wallet.objects


def test_google_gets_add_message_with_a_body_the_discovery_document_accepts(
    api: Api, google: GoogleStandIn, worker: DeliveryWorker
) -> None:
    card = _card(api)
    _saved(api, card, google)
    worker.run_once()
    patches_before = len(google.calls("PATCH"))
    sent = _send(api, card, "New season", "Our spring prices are out.")
    worker.run_once()
    (call,) = google.calls("POST", f"/walletobjects/v1/loyaltyObject/{_object_id(card)}/addMessage")
    assert call.status == 200
    assert wallet_schemas().problems(call.body, "AddMessageRequest", strict=True) == []
    assert call.body == {
        "message": {
            "header": "New season",
            "body": "Our spring prices are out.",
            "id": f"message-{sent['id']}",
            "messageType": "TEXT_AND_NOTIFY",
        }
    }
    assert len(google.calls("PATCH")) == patches_before  # nothing else on the object changed
    (stored,) = google.wallet.objects[_object_id(card)]["messages"]
    assert stored["header"] == "New season"
    delivery = _history(api, card)[0]["delivery"]
    assert (delivery["google_delivered"], delivery["google_notified"]) == (1, 1)
    assert worker.run_once() == 0


def test_past_three_notifications_a_day_messages_go_out_silently(
    api: Api, google: GoogleStandIn, worker: DeliveryWorker
) -> None:
    card = _card(api)
    _saved(api, card, google)
    for number in range(4):
        _send(api, card, "News", f"Item {number}")
    worker.run_once()
    kinds = [m["messageType"] for m in google.wallet.objects[_object_id(card)]["messages"]]
    assert kinds == ["TEXT_AND_NOTIFY"] * 3 + ["TEXT"]
    counts = [m["delivery"] for m in _history(api, card)]
    assert sum(c["google_delivered"] for c in counts) == 4
    assert sum(c["google_notified"] for c in counts) == 3


def test_a_worker_that_dies_after_claiming_loses_no_message(
    app: Flask, api: Api, google: GoogleStandIn, worker: DeliveryWorker
) -> None:
    card = _card(api)
    _saved(api, card, google)
    worker.run_once()
    _send(api, card, "News", "Still arrives")
    with _database(app).write() as session:  # claimed and committed, then the worker died
        assert claim_google_messages(session, clock.now() - 2 * LEASE, 10)
        session.commit()
    worker.run_once()
    assert [m["body"] for m in google.wallet.objects[_object_id(card)]["messages"]] == [
        "Still arrives"
    ]


def test_google_refusing_keeps_the_message_for_later(
    api: Api, google: GoogleStandIn, worker: DeliveryWorker
) -> None:
    card = _card(api)
    _saved(api, card, google)
    worker.run_once()
    _send(api, card, "News", "Later")
    google.fail("/walletobjects/v1/loyaltyObject", 400, method="POST")
    worker.run_once()
    assert "messages" not in google.wallet.objects[_object_id(card)]
    delivery = _history(api, card)[0]["delivery"]
    assert (delivery["google_pending"], delivery["google_delivered"]) == (1, 0)


def test_google_keeps_ten_messages_so_the_oldest_gives_way(
    api: Api, google: GoogleStandIn, worker: DeliveryWorker
) -> None:
    card = _card(api)
    _saved(api, card, google)
    old = [{"header": "Old", "body": f"Old {n}", "id": f"old-{n}"} for n in range(10)]
    google.wallet.objects[_object_id(card)]["messages"] = old
    _send(api, card, "New", "Newest")
    worker.run_once()
    kept = [m["body"] for m in google.wallet.objects[_object_id(card)]["messages"]]
    assert kept == [f"Old {n}" for n in range(1, 10)] + ["Newest"]
