"""ledger.append_order: entry, account state and card versions written together, or not at all."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from issuer import checkout, clock
from issuer.checkout import Attribution, Idempotency
from issuer.db.models import Account, Card, Transaction
from issuer.db.session import Database
from issuer.ledger import append_order
from issuer.rules import Kind, Order
from tests.factories import make_card, make_program

_WRITTEN_BY_ORDERS = [
    c.name for c in Transaction.__table__.columns if c.name not in ("id", "reverses_id", "reason")
]


def _first_order(db: Database) -> tuple[int, dict[str, Any]]:
    with db.write() as session:
        card = make_card(session, program=make_program(session, kind=Kind.CASHBACK))
        promise = Idempotency(scope="test", key="k1", request_hash="same")
        receipt = checkout.place_order(
            session, card.id, Order(amount=10_000), promise, Attribution(), clock.now()
        )
        session.commit()
        entry = receipt.transaction
        return card.id, {name: getattr(entry, name) for name in _WRITTEN_BY_ORDERS}


def _state(db: Database, card_id: int) -> tuple[int, int, int, int]:
    with db.read() as session:
        card = session.get_one(Card, card_id)
        entries = session.scalar(select(func.count()).select_from(Transaction))
        return card.account.cashback_balance, card.account.version, card.version, entries or 0


def test_an_entry_under_a_used_key_writes_nothing_at_all(db: Database) -> None:
    card_id, values = _first_order(db)
    before = _state(db, card_id)
    again = values | {"state_after": values["state_after"] | {"cashback_balance": 9, "version": 7}}
    with db.write() as session:
        assert append_order(session, again) is None
        session.commit()
    assert _state(db, card_id) == before


def test_an_entry_under_a_new_key_updates_account_and_cards_with_it(db: Database) -> None:
    card_id, values = _first_order(db)
    _, account_version, card_version, entries = _state(db, card_id)
    state = values["state_after"] | {"cashback_balance": 900, "version": account_version + 1}
    with db.write() as session:
        account = session.get_one(Account, values["account_id"])
        assert append_order(session, values | {"idempotency_key": "k2", "state_after": state})
        assert account.cashback_balance == 900  # the session's loaded account is refreshed
        session.commit()
    assert _state(db, card_id) == (900, account_version + 1, card_version + 1, entries + 1)
