"""Orders identify their API key from the app's key ring and confirm it live in the order's
own locked read; a key revoked elsewhere (another web process, the admin) is refused at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import event, func, select, update

from issuer import clock
from issuer.db.models import ApiKey, Transaction
from issuer.db.session import Database
from tests.conftest import Api
from tests.webapp.test_api_orders import _card, _order


def _db(app: Flask) -> Database:
    database: Database = app.extensions["tessera.database"]
    return database


def _revoke_elsewhere(app: Flask, secret: str) -> None:
    """Revoke the key straight in the database, as another process would."""
    prefix = secret.split("_")[1]
    with _db(app).write() as session:
        session.execute(
            update(ApiKey).where(ApiKey.prefix == prefix).values(revoked_at=clock.now())
        )
        session.commit()


def _entries(app: Flask) -> int:
    with _db(app).read() as session:
        return session.scalar(select(func.count()).select_from(Transaction)) or 0


@contextmanager
def _statements(app: Flask) -> Iterator[list[str]]:
    sent: list[str] = []

    def record(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        sent.append(statement)

    engine = _db(app).engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_known_key_places_an_order_without_reading_the_key_again(app: Flask, api: Api) -> None:
    card = _card(api)
    assert _order(api, card, {"amount": 1_000}, key="first")[0] == 201
    with _statements(app) as sent:
        assert _order(api, card, {"amount": 1_000}, key="second")[0] == 201
    assert not [s for s in sent if "FROM api_keys" in s and "prefix" in s]


def test_a_key_revoked_elsewhere_places_no_more_orders(app: Flask, api: Api) -> None:
    card = _card(api)
    assert _order(api, card, {"amount": 1_000}, key="before")[0] == 201
    _revoke_elsewhere(app, api.pos_key)
    status, body = _order(api, card, {"amount": 1_000}, key="after")
    assert (status, body["error"]) == (401, "invalid_api_key")
    assert _entries(app) == 1


def test_a_revoked_key_gets_no_replay_of_its_earlier_order(app: Flask, api: Api) -> None:
    card = _card(api)
    assert _order(api, card, {"amount": 1_000}, key="once")[0] == 201
    _revoke_elsewhere(app, api.pos_key)
    assert _order(api, card, {"amount": 1_000}, key="once")[0] == 401


def test_a_revoked_key_hears_401_before_anything_about_its_request(app: Flask, api: Api) -> None:
    card = _card(api)
    assert _order(api, card, {"amount": 1_000}, key="warm")[0] == 201
    _revoke_elsewhere(app, api.pos_key)
    assert _order(api, card, {"amount": -5}, key="bad-body")[0] == 401
    assert _order(api, {"id": 999_999}, {"amount": 1_000}, key="no-card")[0] == 401
    headers = {"Authorization": f"Bearer {api.pos_key}"}
    url = f"/api/v1/cards/{card['id']}/orders"
    no_key = api.client.post(url, json={"amount": 1_000}, headers=headers)
    assert no_key.status_code == 401


def test_a_live_key_still_hears_what_is_wrong_with_its_request(api: Api) -> None:
    card = _card(api)
    assert _order(api, card, {"amount": -5})[0] == 422
    assert _order(api, {"id": 999_999}, {"amount": 1_000})[0] == 404


def test_a_wrong_secret_with_a_known_prefix_is_refused(app: Flask, api: Api) -> None:
    card = _card(api)
    assert _order(api, card, {"amount": 1_000}, key="warm")[0] == 201
    forged = api.pos_key.rsplit("_", 1)[0] + "_" + "x" * 43
    status, _ = api.call(
        "POST",
        f"/cards/{card['id']}/orders",
        key=forged,
        body={"amount": 1},
        **{"Idempotency-Key": "f"},
    )
    assert status == 401
    assert _entries(app) == 1


def test_the_admin_scope_is_still_required_where_it_is(api: Api) -> None:
    card = _card(api)
    assert _order(api, card, {"amount": 1_000}, key="warm")[0] == 201
    assert api.call("POST", f"/cards/{card['id']}/void", key=api.pos_key)[0] == 403


def test_key_use_is_noted_once_a_minute_not_on_every_order(app: Flask, api: Api) -> None:
    card = _card(api)
    for n in range(3):
        assert _order(api, card, {"amount": 1_000}, key=f"o{n}")[0] == 201
    with _db(app).read() as session:
        used = session.scalars(select(ApiKey.last_used_at).where(ApiKey.scope == "pos")).one()
    assert used is not None
    with _statements(app) as sent:
        assert _order(api, card, {"amount": 1_000}, key="o3")[0] == 201
    assert not [s for s in sent if s.lstrip().upper().startswith("UPDATE API_KEYS")]
    assert dt.datetime.now(dt.UTC) - used.replace(tzinfo=dt.UTC) < dt.timedelta(minutes=1)
