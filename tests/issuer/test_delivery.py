"""Delivery claims: which cards are behind, their update tags, leases and Last-Modified."""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from issuer import cards, checkout, clock, programs
from issuer.checkout import Attribution, Idempotency
from issuer.db.models import Card
from issuer.db.session import Database
from issuer.delivery import claim_apple_batch, record_apple_delivery
from issuer.rules import Kind, Order
from tests.factories import make_card, make_program


def _cards(db: Database, count: int, kind: Kind = Kind.DISCOUNT) -> list[int]:
    with db.write() as session:
        program = make_program(session, kind=kind)
        ids = [make_card(session, program=program).id for _ in range(count)]
        session.commit()
    return ids


def _claim(db: Database, now: dt.datetime | None = None, limit: int = 100) -> list[int]:
    with db.write() as session:
        claims = claim_apple_batch(session, now or clock.now(), limit)
        record_apple_delivery(session, claims, [], now or clock.now())
        session.commit()
    return [claim.card_id for claim in claims]


def _card(db: Database, card_id: int) -> Card:
    with db.read() as session:
        return session.get_one(Card, card_id)


def test_new_cards_are_behind_and_a_claim_delivers_them_once(db: Database) -> None:
    ids = _cards(db, 3)
    assert _claim(db) == ids
    assert _claim(db) == []


def test_tags_rise_in_claim_order(db: Database) -> None:
    first, second = _cards(db, 2)
    _claim(db)
    with db.write() as session:
        card = session.get_one(Card, first)
        cards.void_card(session, card, "test", clock.now())
        session.commit()
    _claim(db)
    assert _card(db, first).apple_tag > _card(db, second).apple_tag > 0


def test_last_modified_moves_forward_even_within_one_second(db: Database) -> None:
    (card_id,) = _cards(db, 1)
    moment = dt.datetime(2026, 11, 22, 12, 0, 0, 300_000, tzinfo=dt.UTC)
    _claim(db, moment)
    first = _card(db, card_id).apple_modified_at
    _order(db, card_id, "a")
    _claim(db, moment + dt.timedelta(milliseconds=200))
    second = _card(db, card_id).apple_modified_at
    assert first == dt.datetime(2026, 11, 22, 12, 0, 1, tzinfo=dt.UTC)
    assert second is not None
    assert first is not None
    assert second - first == dt.timedelta(seconds=1)


def _order(db: Database, card_id: int, key: str) -> int:
    with db.write() as session:
        promise = Idempotency("test", key, key)
        receipt = checkout.place_order(
            session, card_id, Order(amount=1000), promise, Attribution(), clock.now()
        )
        session.commit()
        return receipt.transaction.id


def test_orders_reversals_voids_and_publishing_each_queue_the_card(db: Database) -> None:
    (card_id,) = _cards(db, 1)
    _claim(db)
    entry = _order(db, card_id, "o")
    assert _claim(db) == [card_id]
    with db.write() as session:
        checkout.reverse_order(
            session, entry, None, Idempotency("test", "r", "r"), Attribution(), clock.now()
        )
        session.commit()
    assert _claim(db) == [card_id]
    with db.write() as session:
        program = session.get_one(Card, card_id).program
        programs.update_program(session, program, {"name": "Renamed"}, "test", clock.now())
        session.commit()
    assert _claim(db) == []  # a draft change shows on no pass until it is published
    with db.write() as session:
        programs.publish_program(session, session.get_one(Card, card_id).program, "t", clock.now())
        session.commit()
    assert _claim(db) == [card_id]


def test_a_claim_takes_at_most_its_batch(db: Database) -> None:
    ids = _cards(db, 5)
    assert _claim(db, limit=2) == ids[:2]
    assert _claim(db, limit=10) == ids[2:]


def test_two_workers_claim_disjoint_batches(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite admits one writer at a time, so two claims cannot overlap there")
    _cards(db, 6)
    first = db.write()
    mine = claim_apple_batch(first, clock.now(), 3)  # holds its cards' row locks, uncommitted
    with ThreadPoolExecutor(max_workers=1) as pool:
        theirs = pool.submit(_claim, db)
        time.sleep(0.3)  # the other worker skips the locked cards, then waits for the tag lock
        first.commit()
        first.close()
        assert {c.card_id for c in mine}.isdisjoint(theirs.result(timeout=30))
        assert len(mine) + len(theirs.result()) == 6


def test_claimed_tags_are_unique(db: Database) -> None:
    _cards(db, 20)
    _claim(db, limit=7)
    _claim(db, limit=7)
    _claim(db)
    with db.read() as session:
        tags = list(session.scalars(select(Card.apple_tag)))
    assert len(set(tags)) == 20
