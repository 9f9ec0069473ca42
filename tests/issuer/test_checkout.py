"""Checkout use cases against a real database: orders, idempotency, reversals, concurrency."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

import pytest
from sqlalchemy import func, select

from issuer import checkout, clock
from issuer.accounts import state_of
from issuer.checkout import Attribution, Idempotency
from issuer.db.models import Account, Card, Transaction
from issuer.db.session import Database
from issuer.errors import Conflict, IdempotencyMismatch
from issuer.ledger import delta_of, verify_ledger
from issuer.rules import Kind, Order, OrderRefused, ReversalRefused, fold
from tests.factories import make_card, make_program


def _promise(key: str, body: str = "same") -> Idempotency:
    return Idempotency(scope="test", key=key, request_hash=body)


def _setup(db: Database, kind: Kind, **program: Any) -> int:
    with db.write() as session:
        card = make_card(session, program=make_program(session, kind=kind, **program))
        session.commit()
        return card.id


def _order(db: Database, card_id: int, order: Order, key: str, body: str = "same") -> Transaction:
    with db.write() as session:
        receipt = checkout.place_order(
            session, card_id, order, _promise(key, body), Attribution(), clock.now()
        )
        session.commit()
        return receipt.transaction


def _account(db: Database, card_id: int) -> Account:
    with db.read() as session:
        return session.get_one(Card, card_id).account


def test_order_changes_the_account_and_writes_one_ledger_entry(db: Database) -> None:
    card_id = _setup(db, Kind.CASHBACK)
    entry = _order(db, card_id, Order(amount=10_000), "k1")
    account = _account(db, card_id)
    assert (entry.payable, entry.earned) == (10_000, 500)
    assert (account.total_spent, account.cashback_balance, account.orders_count) == (10_000, 500, 1)
    assert account.version == 1
    assert entry.state_after["cashback_balance"] == 500


def test_order_raises_the_version_of_every_card_on_the_account(db: Database) -> None:
    with db.write() as session:
        program = make_program(session, kind=Kind.STAMP, pooling="partner")
        first = make_card(session, program=program, company="Acme", tax_id="123")
        second = make_card(session, program=program, company="Acme", tax_id="123")
        session.commit()
        ids, before = (first.id, second.id), (first.version, second.version)
    _order(db, ids[0], Order(amount=200_000), "k1")
    with db.read() as session:
        after = tuple(session.get_one(Card, card_id).version for card_id in ids)
    assert after == (before[0] + 1, before[1] + 1)


def test_partner_pooling_gives_every_member_of_a_company_one_account(db: Database) -> None:
    with db.write() as session:
        program = make_program(session, kind=Kind.CASHBACK, pooling="partner")
        first = make_card(session, program=program, company="Acme", tax_id="123")
        second = make_card(session, program=program, company="Acme", tax_id="123")
        other = make_card(session, program=program, company="Other", tax_id="999")
        session.commit()
        ids = (first.id, second.id, other.id)
        assert first.account_id == second.account_id != other.account_id
    _order(db, ids[0], Order(amount=10_000), "a")
    _order(db, ids[1], Order(amount=10_000, redeem="max"), "b")
    assert _account(db, ids[0]).cashback_balance == 500 - 500 + 475
    assert _account(db, ids[2]).cashback_balance == 0


def test_member_pooling_gives_each_member_their_own_account(db: Database) -> None:
    with db.write() as session:
        program = make_program(session, kind=Kind.CASHBACK, pooling="member")
        first = make_card(session, program=program, company="Acme", tax_id="123")
        second = make_card(session, program=program, company="Acme", tax_id="123")
        assert first.account_id != second.account_id


def test_same_idempotency_key_and_body_returns_the_first_result_and_writes_nothing(
    db: Database,
) -> None:
    card_id = _setup(db, Kind.DISCOUNT)
    first = _order(db, card_id, Order(amount=10_000), "same-key")
    again = _order(db, card_id, Order(amount=10_000), "same-key")
    with db.read() as session:
        count = session.scalar(select(func.count()).select_from(Transaction))
    assert again.id == first.id
    assert count == 1
    assert _account(db, card_id).orders_count == 1


def test_same_idempotency_key_with_another_body_is_refused(db: Database) -> None:
    card_id = _setup(db, Kind.DISCOUNT)
    _order(db, card_id, Order(amount=10_000), "key", body="first")
    with pytest.raises(IdempotencyMismatch):
        _order(db, card_id, Order(amount=20_000), "key", body="second")
    assert _account(db, card_id).orders_count == 1


def test_refused_order_changes_nothing(db: Database) -> None:
    card_id = _setup(db, Kind.CASHBACK)
    with pytest.raises(OrderRefused) as refused:
        _order(db, card_id, Order(amount=10_000, redeem=1), "k")
    assert refused.value.code == "redeem_above_balance"
    account = _account(db, card_id)
    assert (account.version, account.orders_count) == (0, 0)


def _reverse(db: Database, transaction_id: int, key: str) -> Transaction:
    with db.write() as session:
        receipt = checkout.reverse_order(
            session, transaction_id, "mistake", _promise(key), Attribution(), clock.now()
        )
        session.commit()
        return receipt.transaction


def test_reversal_restores_the_state_before_the_order(db: Database) -> None:
    card_id = _setup(db, Kind.STAMP)
    _order(db, card_id, Order(amount=200_000), "a")
    before = state_of(_account(db, card_id))
    entry = _order(db, card_id, Order(amount=200_000), "b")
    reversal = _reverse(db, entry.id, "r")
    assert state_of(_account(db, card_id)) == before
    assert (reversal.kind, reversal.reverses_id, reversal.amount) == (
        "reversal",
        entry.id,
        -200_000,
    )


def test_an_order_can_be_reversed_only_once(db: Database) -> None:
    card_id = _setup(db, Kind.DISCOUNT)
    entry = _order(db, card_id, Order(amount=10_000), "a")
    _reverse(db, entry.id, "r1")
    with pytest.raises(Conflict) as refused:
        _reverse(db, entry.id, "r2")
    assert refused.value.code == "already_reversed"


def test_reversal_that_would_drive_a_balance_negative_is_refused(db: Database) -> None:
    card_id = _setup(db, Kind.CASHBACK, rules={"percent": "10"})
    earning = _order(db, card_id, Order(amount=100_000), "earn")
    _order(db, card_id, Order(amount=100_000, redeem="max"), "spend")
    before = state_of(_account(db, card_id))
    with pytest.raises(ReversalRefused):
        _reverse(db, earning.id, "undo-earn")
    assert state_of(_account(db, card_id)) == before


def test_a_reversal_cannot_itself_be_reversed(db: Database) -> None:
    card_id = _setup(db, Kind.DISCOUNT)
    reversal = _reverse(db, _order(db, card_id, Order(amount=10_000), "a").id, "r")
    with pytest.raises(Conflict) as refused:
        _reverse(db, reversal.id, "rr")
    assert refused.value.code == "not_reversible"


def test_voided_card_takes_no_orders(db: Database) -> None:
    card_id = _setup(db, Kind.DISCOUNT)
    with db.write() as session:
        card = session.get_one(Card, card_id)
        card.status = "voided"
        session.commit()
    with pytest.raises(Conflict) as refused:
        _order(db, card_id, Order(amount=10_000), "k")
    assert refused.value.code == "card_voided"


@pytest.mark.parametrize("kind", [Kind.CASHBACK, Kind.STAMP])
def test_fifty_concurrent_orders_on_one_account_lose_nothing(db: Database, kind: Kind) -> None:
    with db.write() as session:
        program = make_program(session, kind=kind, pooling="partner")
        card_ids = [
            make_card(session, program=program, company="Acme", tax_id="42").id for _ in range(5)
        ]
        session.commit()
    start = threading.Barrier(50)
    refusals: list[str] = []

    def place(number: int) -> None:
        start.wait()
        redeem: Literal["max"] | None = "max" if kind == Kind.CASHBACK and number % 3 == 0 else None
        redeem_reward = kind == Kind.STAMP and number % 7 == 6
        order = Order(amount=100_000 + number, redeem=redeem, redeem_reward=redeem_reward)
        try:
            _order(db, card_ids[number % 5], order, f"order-{number}")
        except OrderRefused as refused:  # no reward yet: a correct refusal, not a lost update
            refusals.append(refused.code)

    with ThreadPoolExecutor(max_workers=50) as pool:
        list(pool.map(place, range(50)))
    assert set(refusals) <= {"no_reward_available"}
    with db.read() as session:
        account = session.get_one(Card, card_ids[0]).account
        entries = session.scalars(select(Transaction).where(Transaction.account_id == account.id))
        deltas = [delta_of(entry) for entry in entries]
        assert verify_ledger(session) == []
    assert state_of(account) == fold(deltas)
    assert account.orders_count == len(deltas) == account.version
    assert all(getattr(state_of(account), name) >= 0 for name in ("cashback_balance", "stamps"))
