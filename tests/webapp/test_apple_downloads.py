"""The short path for wallets fetching passes built already, in front of Flask.

A pass this process has built for the card's current version is answered in front of Flask;
everything else goes on to the Flask view. Both must answer the same.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, request, request_started
from sqlalchemy import create_engine

from tests.conftest import PUBLIC_URL, Api
from tests.factories import make_api_key
from tests.pkpass_checks import field_values, pass_json
from webapp import create_app
from webapp.apple_downloads import PassDownloads, presented_token
from webapp.settings import Settings

PASS_TYPE = Settings.apple_pass_type_id
PASSES = f"/apple/v1/passes/{PASS_TYPE}"


@pytest.fixture
def through_flask(app: Flask) -> Iterator[list[str]]:
    """The paths of the requests that Flask handled while the test ran."""
    handled: list[str] = []

    def record(sender: Flask, **_: Any) -> None:
        handled.append(request.path)

    request_started.connect(record, app)
    yield handled
    request_started.disconnect(record, app)


class Wallet:
    """A phone's Wallet holding one card, fetching its pass from the web service."""

    def __init__(self, api: Api, kind: str = "cashback") -> None:
        """A new card of a new program; its pass is built when the card page offers it."""
        self.api = api
        slug = f"{kind}-{time.monotonic_ns()}"
        _, program = api.call("POST", "/programs", body={"kind": kind, "name": kind, "slug": slug})
        api.call("POST", f"/programs/{program['id']}/publish")
        member = {"name": "Olena Kovalenko", "email": f"olena{time.monotonic_ns()}@example.com"}
        _, self.card = api.call("POST", f"/programs/{program['id']}/cards", body={"member": member})
        offered = api.client.get(str(self.card["apple_pass_url"]).removeprefix(PUBLIC_URL))
        self.token = pass_json(offered.data)["authenticationToken"]

    def fetch(self, token: str | None = None, scheme: str = "ApplePass", **headers: str) -> Any:
        auth = {"Authorization": f"{scheme} {token or self.token}"}
        return self.api.client.get(f"{PASSES}/{self.card['serial']}", headers=auth | headers)

    def order(self, amount: int = 10_000) -> None:
        status, _ = self.api.call(
            "POST", f"/cards/{self.card['id']}/orders", key=self.api.pos_key,
            body={"amount": amount}, **{"Idempotency-Key": f"o-{time.monotonic_ns()}"},
        )  # fmt: skip
        assert status == 201


def test_a_built_pass_is_served_without_flask(api: Api, through_flask: list[str]) -> None:
    wallet = Wallet(api)
    through_flask.clear()
    assert wallet.fetch().status_code == 200
    assert wallet.fetch(scheme="AndroidPass").status_code == 200
    assert through_flask == []


def test_the_short_path_answers_as_flask_does(
    app: Flask, api: Api, through_flask: list[str]
) -> None:
    wallet = Wallet(api)
    short = wallet.fetch()
    app.wsgi_app = _inner(app)  # type: ignore[method-assign]
    through_flask.clear()
    flask = wallet.fetch()
    assert through_flask == [f"{PASSES}/{wallet.card['serial']}"]
    assert short.data == flask.data
    assert dict(short.headers) == dict(flask.headers)
    assert short.headers["Content-Type"] == "application/vnd.apple.pkpass"
    assert int(short.headers["Content-Length"]) == len(short.data)
    assert short.headers["X-Content-Type-Options"] == "nosniff"


def test_a_changed_card_is_built_by_flask_then_served_short(
    api: Api, through_flask: list[str]
) -> None:
    wallet = Wallet(api)
    before = field_values(pass_json(wallet.fetch().data))
    wallet.order()
    through_flask.clear()
    after = wallet.fetch()
    assert len(through_flask) == 1  # the new version is built in the Flask view
    assert field_values(pass_json(after.data))["balance"] != before["balance"]
    assert wallet.fetch().data == after.data
    assert len(through_flask) == 1


def test_unchanged_pass_is_304_on_the_short_path(api: Api, through_flask: list[str]) -> None:
    wallet = Wallet(api)
    first = wallet.fetch()
    through_flask.clear()
    again = wallet.fetch(**{"If-Modified-Since": first.headers["Last-Modified"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["Last-Modified"] == first.headers["Last-Modified"]
    assert through_flask == []


def test_wrong_tokens_go_to_flask_and_are_refused(api: Api, through_flask: list[str]) -> None:
    wallet = Wallet(api)
    through_flask.clear()
    assert wallet.fetch(token="wrong" * 8).status_code == 401
    assert wallet.fetch(scheme="Bearer").status_code == 401
    other_type = api.client.get(
        f"/apple/v1/passes/pass.com.other/{wallet.card['serial']}",
        headers={"Authorization": f"ApplePass {wallet.token}"},
    )
    assert other_type.status_code == 401
    assert len(through_flask) == 3


def test_a_database_error_on_the_short_path_leaves_the_request_to_flask(
    app: Flask, api: Api, through_flask: list[str], tmp_path: Any
) -> None:
    wallet = Wallet(api)
    downloads = _downloads(app)
    unreachable = create_engine(f"sqlite:///{tmp_path / 'missing' / 'no.db'}")
    downloads._engine = unreachable  # the short path's reads now fail
    through_flask.clear()
    assert wallet.fetch().status_code == 200
    assert len(through_flask) == 1


def test_head_and_other_paths_are_flasks(api: Api, through_flask: list[str]) -> None:
    wallet = Wallet(api)
    through_flask.clear()
    auth = {"Authorization": f"ApplePass {wallet.token}"}
    assert api.client.head(f"{PASSES}/{wallet.card['serial']}", headers=auth).status_code == 200
    assert api.client.get(f"{PASSES}/{wallet.card['serial']}/x", headers=auth).status_code == 404
    assert api.client.get(f"{PASSES}/", headers=auth).status_code == 404
    assert len(through_flask) == 3


def test_behind_a_proxy_the_limit_counts_the_forwarded_address(settings: Settings) -> None:
    app = create_app(dataclasses.replace(settings, proxy_hops=1))
    wallet = Wallet(Api(app.test_client(), *_keys(app)))
    guesser, device = {"X-Forwarded-For": "192.0.2.66"}, {"X-Forwarded-For": "192.0.2.10"}
    refused = [wallet.fetch(token="wrong" * 8, **guesser).status_code for _ in range(20)]
    assert refused == [401] * 20
    assert wallet.fetch(**guesser).status_code == 429
    assert wallet.fetch(**device).status_code == 200
    app.extensions["tessera.database"].dispose()


def _keys(app: Flask) -> tuple[str, str]:
    with app.extensions["tessera.database"].write() as session:
        keys = make_api_key(session, scope="admin"), make_api_key(session, scope="pos")
        session.commit()
    return keys


def test_presented_token_takes_both_schemes_and_nothing_else() -> None:
    assert presented_token("ApplePass abc") == "abc"
    assert presented_token("androidpass  abc ") == "abc"
    assert presented_token("Bearer abc") is None
    assert presented_token("") is None


def _downloads(app: Flask) -> PassDownloads:
    layer: Any = app.wsgi_app
    while not isinstance(layer, PassDownloads):
        layer = layer.app
    return layer


def _inner(app: Flask) -> Any:
    """The app without the short path in front."""
    return _downloads(app).app
