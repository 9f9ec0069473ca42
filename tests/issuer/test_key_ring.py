"""The key ring keeps what never changes about API keys; orders confirm the key is live."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select, update

from issuer import access, checkout, clock
from issuer.access import KeyRing
from issuer.checkout import Attribution, Idempotency
from issuer.db.models import ApiKey, Transaction
from issuer.db.session import Database
from issuer.errors import KeyRevoked
from issuer.rules import Kind, Order
from tests.factories import make_card, make_program


def _key(db: Database) -> tuple[int, str]:
    with db.write() as session:
        made = access.create_api_key(session, "till", "pos", "test", clock.now())
        session.commit()
        return made.key.id, made.secret


def _revoke(db: Database, key_id: int) -> None:
    with db.write() as session:
        session.execute(update(ApiKey).where(ApiKey.id == key_id).values(revoked_at=clock.now()))
        session.commit()


def test_a_key_once_seen_is_identified_without_the_database(db: Database) -> None:
    key_id, secret = _key(db)
    ring = KeyRing()
    sent: list[str] = []
    with db.read() as session:
        assert ring.identify(session, secret) is not None
        event.listen(db.engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
        known = ring.identify(session, secret)
    assert known is not None
    assert (known.id, known.scope, sent) == (key_id, "pos", [])


def test_unknown_revoked_and_wrong_keys_are_not_identified(db: Database) -> None:
    key_id, secret = _key(db)
    ring = KeyRing()
    with db.read() as session:
        assert ring.identify(session, "tsk_nope_nope") is None
        assert ring.identify(session, "not a key") is None
        assert ring.identify(session, secret[:-3] + "abc") is None
    _revoke(db, key_id)
    fresh = KeyRing()
    with db.read() as session:
        assert fresh.identify(session, secret) is None


def test_noted_use_is_what_the_ring_reports_as_last_used(db: Database) -> None:
    key_id, secret = _key(db)
    ring = KeyRing()
    now = clock.now()
    with db.read() as session:
        before = ring.identify(session, secret)
        ring.noted(key_id, now)
        after = ring.identify(session, secret)
    assert before is not None
    assert after is not None
    assert (before.last_used_at, after.last_used_at) == (None, now)


def test_a_full_ring_starts_over_and_still_identifies_every_key(db: Database) -> None:
    ring = KeyRing(capacity=2)
    secrets = [_key(db)[1] for _ in range(3)]
    with db.read() as session:
        assert all(ring.identify(session, secret) for secret in secrets)
        assert all(ring.identify(session, secret) for secret in secrets)


@pytest.mark.parametrize("gone", ["revoked", "unknown"])
def test_an_order_by_a_revoked_or_unknown_key_is_refused_and_writes_nothing(
    db: Database, gone: str
) -> None:
    key_id, _ = _key(db)
    with db.write() as session:
        card = make_card(session, program=make_program(session, kind=Kind.CASHBACK))
        session.commit()
    if gone == "revoked":
        _revoke(db, key_id)
    promise = Idempotency(scope=f"apikey:{key_id}", key="k", request_hash="h")
    by = Attribution(api_key_id=key_id if gone == "revoked" else key_id + 1000)
    with db.write() as session, pytest.raises(KeyRevoked):
        checkout.place_order(session, card.id, Order(amount=1_000), promise, by, clock.now())
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Transaction)) == 0


def test_an_order_by_a_live_key_or_by_staff_goes_through(db: Database) -> None:
    key_id, _ = _key(db)
    with db.write() as session:
        card = make_card(session, program=make_program(session, kind=Kind.CASHBACK))
        for n, by in enumerate([Attribution(api_key_id=key_id), Attribution()]):
            promise = Idempotency(scope="test", key=f"k{n}", request_hash="h")
            checkout.place_order(session, card.id, Order(amount=1_000), promise, by, clock.now())
        session.commit()
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Transaction)) == 2
