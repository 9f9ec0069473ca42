"""Checkout: quote an order, place it once, and reverse it.

Use cases never commit: the view, CLI command or worker that calls them does, and pushes pass
updates only after that commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer.accounts import lock_account, snapshot, state_of, store_state
from issuer.cards import lock_card_account
from issuer.db.models import Account, Card, Transaction, TransactionKind
from issuer.errors import Conflict, IdempotencyMismatch, Invalid, NotFound
from issuer.ledger import delta_of
from issuer.programs import published_rules
from issuer.rules import Order, Outcome, price_order, reverse


@dataclass(frozen=True, slots=True)
class Idempotency:
    """A client's promise that requests with the same key are one request."""

    scope: str
    key: str
    request_hash: str


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who placed an order, and where."""

    staff_id: int | None = None
    location_id: int | None = None
    api_key_id: int | None = None


@dataclass(frozen=True, slots=True)
class Receipt:
    """A ledger entry written (or found again, when ``replayed``) and its account."""

    transaction: Transaction
    account: Account
    replayed: bool = False


def quote_order(session: Session, card: Card, order: Order, currency: str | None = None) -> Outcome:
    """What the order would do to the card's account; changes nothing."""
    _check_usable(card, currency)
    rules = published_rules(card.program)
    return price_order(rules, state_of(card.account), order)


def place_order(
    session: Session,
    card_id: int,
    order: Order,
    idempotency: Idempotency,
    by: Attribution,
    now: dt.datetime,
    currency: str | None = None,
) -> Receipt:
    """Apply an order to the card's account exactly once per idempotency key.

    ``currency``, when the caller states one, must be the program's.
    """
    card = lock_card_account(session, card_id)
    account = card.account
    replay = _replay(session, idempotency, account)
    if replay is not None:
        return replay
    _check_usable(card, currency)
    rules = published_rules(card.program)
    outcome = price_order(rules, state_of(account), order)
    store_state(session, account, outcome.state_after, rules, now)
    entry = _order_entry(card, account, outcome, by, now)
    return _record(session, entry, account, idempotency)


def reverse_order(
    session: Session,
    transaction_id: int,
    reason: str | None,
    idempotency: Idempotency,
    by: Attribution,
    now: dt.datetime,
) -> Receipt:
    """Write the opposite of an order, unless already reversed or a balance would go negative."""
    original = _order_to_reverse(session, transaction_id)
    account = lock_account(session, original.account_id)
    replay = _replay(session, idempotency, account)
    if replay is not None:
        return replay
    if _reversal_of(session, original.id) is not None:
        raise Conflict("This order has already been reversed.", code="already_reversed")
    rules = published_rules(account.program)
    state = reverse(state_of(account), delta_of(original))
    store_state(session, account, state, rules, now)
    entry = _reversal_entry(original, account, reason, by, now)
    return _record(session, entry, account, idempotency)


def find_transaction(session: Session, transaction_id: int) -> Transaction:
    """The ledger entry with this id.

    :raises NotFound: when there is none.
    """
    entry = session.get(Transaction, transaction_id)
    if entry is None:
        raise NotFound("No such transaction.")
    return entry


def _check_usable(card: Card, currency: str | None) -> None:
    if currency is not None and currency != card.program.currency:
        raise Invalid({"currency": f"This program keeps accounts in {card.program.currency}."})
    if card.is_voided:
        raise Conflict("This card has been voided and cannot take orders.", code="card_voided")


def _replay(session: Session, idempotency: Idempotency, account: Account) -> Receipt | None:
    query = select(Transaction).where(
        Transaction.idempotency_scope == idempotency.scope,
        Transaction.idempotency_key == idempotency.key,
    )
    earlier = session.scalars(query).one_or_none()
    if earlier is None:
        return None
    if earlier.request_hash != idempotency.request_hash:
        raise IdempotencyMismatch("This Idempotency-Key was already used for a different request.")
    return Receipt(transaction=earlier, account=account, replayed=True)


def _record(
    session: Session, entry: Transaction, account: Account, idempotency: Idempotency
) -> Receipt:
    entry.idempotency_scope = idempotency.scope
    entry.idempotency_key = idempotency.key
    entry.request_hash = idempotency.request_hash
    entry.state_after = snapshot(account)
    session.add(entry)
    session.flush()
    return Receipt(transaction=entry, account=account)


def _order_entry(
    card: Card, account: Account, outcome: Outcome, by: Attribution, now: dt.datetime
) -> Transaction:
    delta = outcome.delta
    return Transaction(
        account_id=account.id,
        card_id=card.id,
        program_id=card.program_id,
        kind=TransactionKind.ORDER,
        currency=card.program.currency,
        amount=outcome.amount,
        discount=outcome.discount,
        redeemed=outcome.redeemed,
        earned=outcome.earned,
        payable=outcome.payable,
        stamps_earned=outcome.stamps_earned,
        rewards_earned=outcome.rewards_earned,
        rewards_redeemed=outcome.rewards_redeemed,
        tier_before=outcome.tier_before,
        tier_after=outcome.tier_after,
        delta_total_spent=delta.total_spent,
        delta_orders_count=delta.orders_count,
        delta_cashback_balance=delta.cashback_balance,
        delta_stamps=delta.stamps,
        delta_rewards_available=delta.rewards_available,
        staff_id=by.staff_id,
        location_id=by.location_id,
        api_key_id=by.api_key_id,
        created_at=now,
    )


def _reversal_entry(
    original: Transaction, account: Account, reason: str | None, by: Attribution, now: dt.datetime
) -> Transaction:
    opposite = {name: -getattr(original, name) for name in _SIGNED_FIELDS}
    return Transaction(
        account_id=account.id,
        card_id=original.card_id,
        program_id=original.program_id,
        kind=TransactionKind.REVERSAL,
        currency=original.currency,
        tier_before=original.tier_after,
        tier_after=account.tier,
        reverses_id=original.id,
        reason=reason,
        staff_id=by.staff_id,
        location_id=by.location_id,
        api_key_id=by.api_key_id,
        created_at=now,
        **opposite,
    )


_SIGNED_FIELDS = (
    "amount",
    "discount",
    "redeemed",
    "earned",
    "payable",
    "stamps_earned",
    "rewards_earned",
    "rewards_redeemed",
    "delta_total_spent",
    "delta_orders_count",
    "delta_cashback_balance",
    "delta_stamps",
    "delta_rewards_available",
)


def _order_to_reverse(session: Session, transaction_id: int) -> Transaction:
    original = find_transaction(session, transaction_id)
    if original.kind != TransactionKind.ORDER:
        raise Conflict("Only orders can be reversed.", code="not_reversible")
    return original


def _reversal_of(session: Session, transaction_id: int) -> Transaction | None:
    query = select(Transaction).where(Transaction.reverses_id == transaction_id)
    return session.scalars(query).one_or_none()
