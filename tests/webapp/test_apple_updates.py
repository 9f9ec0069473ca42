"""Pass updates end to end: the web service, the delivery worker and a real HTTP/2 APNs stand-in."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from issuer import clock
from issuer.db.models import DeviceLogEntry, DeviceRegistration
from issuer.db.session import Database
from issuer.delivery import LEASE, claim_apple_batch
from passes.apple import DevChainFiles
from tests.apns_server import (
    BAD_DEVICE_TOKEN,
    TOO_MANY_REQUESTS,
    ApnsServer,
    make_pki,
    unregistered,
)
from tests.conftest import Api
from tests.pkpass_checks import field_values, pass_json
from webapp.settings import Settings
from webapp.wallets import apns_pusher
from webapp.worker import DeliveryWorker, start_in_background

PASS_TYPE = Settings.apple_pass_type_id


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


@pytest.fixture
def settings(settings: Settings, apns: ApnsServer) -> Settings:
    """The test settings, pushing to the stand-in."""
    return dataclasses.replace(settings, apns_url=apns.url, apns_ca=apns.ca_file)


@pytest.fixture
def worker(app: Flask, settings: Settings) -> Iterator[DeliveryWorker]:
    """A delivery worker on the app's database with a real APNs client."""
    pusher = apns_pusher(settings)
    assert pusher is not None
    yield DeliveryWorker(_database(app), pusher)
    pusher.close()


def _database(app: Flask) -> Database:
    found: Database = app.extensions["tessera.database"]
    return found


class Device:
    """A phone's Wallet speaking the web service protocol."""

    def __init__(self, api: Api, card: dict[str, Any], library_id: str, push_token: str) -> None:
        self.client, self.card = api.client, card
        self.library_id, self.push_token = library_id, push_token
        document = pass_json(api.client.get(_path(card["apple_pass_url"])).data)
        self.token = document["authenticationToken"]
        self.serial = document["serialNumber"]

    def register(self, scheme: str = "ApplePass", token: str | None = None) -> int:
        return self._registration("POST", scheme, token, {"pushToken": self.push_token})

    def unregister(self, token: str | None = None) -> int:
        return self._registration("DELETE", "ApplePass", token, None)

    def changed(self, since: str | None = None) -> tuple[int, Any]:
        query = f"?passesUpdatedSince={since}" if since is not None else ""
        url = f"/apple/v1/devices/{self.library_id}/registrations/{PASS_TYPE}{query}"
        response = self.client.get(url)
        return response.status_code, response.get_json(silent=True)

    def download(self, token: str | None = None, **headers: str) -> Any:
        auth = {"Authorization": f"ApplePass {token or self.token}"}
        return self.client.get(
            f"/apple/v1/passes/{PASS_TYPE}/{self.serial}", headers=auth | headers
        )

    def _registration(self, method: str, scheme: str, token: str | None, body: Any) -> int:
        url = f"/apple/v1/devices/{self.library_id}/registrations/{PASS_TYPE}/{self.serial}"
        headers = {"Authorization": f"{scheme} {token or self.token}"}
        return self.client.open(url, method=method, json=body, headers=headers).status_code


def _path(url: str) -> str:
    return url.removeprefix("https://tessera.test")


def _card(api: Api, kind: str = "cashback") -> dict[str, Any]:
    _, program = api.call("POST", "/programs", body={"kind": kind, "name": kind, "slug": kind})
    api.call("POST", f"/programs/{program['id']}/publish")
    member = {"name": "Olena Kovalenko", "email": f"olena{time.monotonic_ns()}@example.com"}
    _, card = api.call("POST", f"/programs/{program['id']}/cards", body={"member": member})
    return dict(card)


def _order(api: Api, card: dict[str, Any], amount: int = 10_000) -> None:
    status, _ = api.call(
        "POST", f"/cards/{card['id']}/orders", key=api.pos_key, body={"amount": amount},
        **{"Idempotency-Key": f"order-{time.monotonic_ns()}"},
    )  # fmt: skip
    assert status == 201


def _registered(api: Api, worker: DeliveryWorker, library_id: str) -> Device:
    """A device holding a new card, registered after the card's first version went out."""
    device = Device(api, _card(api), library_id, _token())
    worker.run_once()
    assert device.register() == 201
    return device


def _pushes_to(apns: ApnsServer, token: str) -> list[Any]:
    return [request for request in apns.requests if request.token == token]


def _token() -> str:
    return f"{time.monotonic_ns():064x}"[-64:]


def test_order_pushes_once_and_the_device_fetches_the_new_pass(
    api: Api, apns: ApnsServer, worker: DeliveryWorker
) -> None:
    device = Device(api, _card(api), "device-1", _token())
    worker.run_once()  # the card's first version reaches nobody: no device yet
    assert device.register() == 201
    assert device.register() == 200
    status, listed = device.changed()
    assert (status, listed["serialNumbers"]) == (200, [device.serial])
    assert isinstance(listed["lastUpdated"], str)
    _order(api, device.card)
    assert worker.run_once() == 1
    pushes = _pushes_to(apns, device.push_token)
    assert len(pushes) == 1
    assert pushes[0].headers["apns-topic"] == PASS_TYPE
    assert pushes[0].body == b"{}"
    status, again = device.changed(listed["lastUpdated"])
    assert (status, again["serialNumbers"]) == (200, [device.serial])
    assert int(again["lastUpdated"]) > int(listed["lastUpdated"])
    response = device.download()
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.apple.pkpass"
    assert field_values(pass_json(response.data))["balance"] == "UAH\u00a05.00"
    assert device.changed(again["lastUpdated"])[0] == 204


def test_unchanged_pass_answers_304_and_a_newer_one_200_even_in_the_same_second(
    api: Api, worker: DeliveryWorker
) -> None:
    device = _registered(api, worker, "device-2")
    first = device.download()
    stamp = first.headers["Last-Modified"]
    assert device.download(**{"If-Modified-Since": stamp}).status_code == 304
    _order(api, device.card)
    worker.run_once()
    newer = device.download(**{"If-Modified-Since": stamp})
    assert newer.status_code == 200
    assert newer.headers["Last-Modified"] != stamp


def test_every_unauthorized_call_is_401(api: Api) -> None:
    device = Device(api, _card(api), "device-3", _token())
    assert device.register(token="wrong" * 8) == 401
    assert device.register(scheme="Bearer") == 401
    assert device.unregister(token="wrong" * 8) == 401
    assert device.download(token="wrong" * 8).status_code == 401
    unknown = api.client.get(
        f"/apple/v1/passes/{PASS_TYPE}/no-such-serial", headers={"Authorization": "ApplePass x"}
    )
    assert unknown.status_code == 401
    other_type = api.client.get(
        f"/apple/v1/passes/pass.other.type/{device.serial}",
        headers={"Authorization": f"ApplePass {device.token}"},
    )
    assert other_type.status_code == 401


def test_android_wallets_authenticate_with_androidpass(api: Api) -> None:
    device = Device(api, _card(api), "android-1", _token())
    assert device.register(scheme="AndroidPass") == 201


def test_unknown_device_and_nothing_changed_are_204(api: Api, worker: DeliveryWorker) -> None:
    device = Device(api, _card(api), "device-4", _token())
    assert device.changed()[0] == 204
    device.register()
    _, listed = device.changed()
    assert device.changed(listed["lastUpdated"])[0] == 204


def test_a_new_push_token_for_a_known_device_replaces_the_old_one(
    api: Api, apns: ApnsServer, worker: DeliveryWorker
) -> None:
    device = _registered(api, worker, "device-5")
    old = device.push_token
    device.push_token = _token()
    assert device.register() == 200
    _order(api, device.card)
    worker.run_once()
    assert _pushes_to(apns, old) == []
    assert len(_pushes_to(apns, device.push_token)) == 1


def test_unregister_stops_updates(api: Api, apns: ApnsServer, worker: DeliveryWorker) -> None:
    device = Device(api, _card(api), "device-6", _token())
    device.register()
    assert device.unregister() == 200
    _order(api, device.card)
    worker.run_once()
    assert _pushes_to(apns, device.push_token) == []
    assert device.changed()[0] == 204


def _registrations(app: Flask) -> int:
    with _database(app).read() as session:
        return int(session.scalar(select(func.count()).select_from(DeviceRegistration)) or 0)


def test_410_removes_the_registration(
    app: Flask, api: Api, apns: ApnsServer, worker: DeliveryWorker
) -> None:
    device = _registered(api, worker, "device-7")
    later = int((clock.now() + dt.timedelta(minutes=1)).timestamp() * 1000)
    apns.script(device.push_token, unregistered(later))
    _order(api, device.card)
    worker.run_once()
    assert _registrations(app) == 0


def test_410_keeps_a_registration_made_after_the_token_died(
    app: Flask, api: Api, apns: ApnsServer, worker: DeliveryWorker
) -> None:
    device = _registered(api, worker, "device-8")
    earlier = int((clock.now() - dt.timedelta(days=1)).timestamp() * 1000)
    apns.script(device.push_token, unregistered(earlier))
    _order(api, device.card)
    worker.run_once()
    assert _registrations(app) == 1


def test_bad_device_token_removes_the_registration(
    app: Flask, api: Api, apns: ApnsServer, worker: DeliveryWorker
) -> None:
    device = _registered(api, worker, "device-9")
    apns.script(device.push_token, BAD_DEVICE_TOKEN)
    _order(api, device.card)
    worker.run_once()
    assert _registrations(app) == 0


def test_429_then_200_is_retried_and_delivered(
    api: Api, apns: ApnsServer, worker: DeliveryWorker
) -> None:
    device = _registered(api, worker, "device-10")
    apns.script(device.push_token, TOO_MANY_REQUESTS)
    _order(api, device.card)
    assert worker.run_once() == 1
    assert len(_pushes_to(apns, device.push_token)) == 2


def test_ten_quick_orders_coalesce_into_one_push_on_one_connection(
    api: Api, apns: ApnsServer, worker: DeliveryWorker
) -> None:
    device = _registered(api, worker, "device-11")
    connections = apns.connections_accepted
    for _ in range(10):
        _order(api, device.card, 1_000)
    worker.run_once()
    for _ in range(3):
        _order(api, device.card, 1_000)
        worker.run_once()
    assert len(_pushes_to(apns, device.push_token)) == 1 + 3
    assert apns.connections_accepted - connections <= 1


def test_a_worker_stopped_mid_batch_loses_nothing(
    app: Flask, api: Api, apns: ApnsServer, worker: DeliveryWorker
) -> None:
    device = _registered(api, worker, "device-12")
    _order(api, device.card)
    with _database(app).write() as session:  # claimed and committed, then the worker died
        assert claim_apple_batch(session, clock.now() - 2 * LEASE, 100)
        session.commit()
    assert _pushes_to(apns, device.push_token) == []
    assert worker.run_once() == 1  # the dead worker's lease has run out
    assert len(_pushes_to(apns, device.push_token)) == 1
    assert worker.run_once() == 0


def test_a_live_lease_keeps_other_workers_off(
    app: Flask, api: Api, apns: ApnsServer, worker: DeliveryWorker
) -> None:
    device = Device(api, _card(api), "device-13", _token())
    device.register()
    with _database(app).write() as session:
        assert claim_apple_batch(session, clock.now(), 100)
        session.commit()
    assert worker.run_once() == 0
    assert _pushes_to(apns, device.push_token) == []


def test_log_endpoint_keeps_bounded_messages(app: Flask, api: Api) -> None:
    response = api.client.post("/apple/v1/log", json={"logs": ["signature invalid", "x" * 5000]})
    assert response.status_code == 200
    assert api.client.post("/apple/v1/log", data=b"not json").status_code == 400
    too_big = api.client.post("/apple/v1/log", data=b"{" + b" " * 70_000 + b"}")
    assert too_big.status_code == 413
    with _database(app).read() as session:
        kept = list(session.scalars(select(DeviceLogEntry.message)))
    assert kept[0] == "signature invalid"
    assert len(kept[1]) == 2000


def test_embedded_worker_pushes_after_the_commit(
    app: Flask, api: Api, apns: ApnsServer, settings: Settings
) -> None:
    background = DeliveryWorker(_database(app), apns_pusher(settings))
    device = _registered(api, background, "device-14")
    stop = start_in_background(background)
    try:
        _order(api, device.card)
        deadline = time.monotonic() + 10
        while not _pushes_to(apns, device.push_token) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop()
        background.pusher.close()  # type: ignore[union-attr]
    assert len(_pushes_to(apns, device.push_token)) == 1


def test_refused_tokens_are_rate_limited_and_good_ones_never(api: Api) -> None:
    device = Device(api, _card(api), "library-limits", _token())
    assert [device.download().status_code for _ in range(30)] == [200] * 30
    refused = [device.download(token="wrong" * 8).status_code for _ in range(21)]
    assert refused == [401] * 20 + [429]


def test_an_address_over_the_limit_hears_429_even_with_the_right_token(api: Api) -> None:
    device = Device(api, _card(api), "library-over", _token())
    assert [device.download(token="wrong" * 8).status_code for _ in range(20)] == [401] * 20
    assert device.download().status_code == 429
    assert device.register() == 429
    path = f"/apple/v1/passes/{PASS_TYPE}/{device.serial}"
    elsewhere = api.client.get(
        path,
        headers={"Authorization": f"ApplePass {device.token}"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    assert elsewhere.status_code == 200


def test_refusals_count_across_the_endpoints_that_take_a_token(api: Api) -> None:
    device = Device(api, _card(api), "library-across", _token())
    assert [device.register(token="wrong" * 8) for _ in range(10)] == [401] * 10
    assert [device.unregister(token="wrong" * 8) for _ in range(10)] == [401] * 10
    assert device.download().status_code == 429
