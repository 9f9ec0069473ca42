"""Checkout: quote an order, place it once, and reverse it.

Use cases never commit: the view, CLI command or worker that calls them does, and pushes pass
updates only after that commit.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer.accounts import (
    STATE_FIELDS,
    OrderTarget,
    lock_account,
    lock_for_order,
    snapshot,
    state_of,
    store_state,
)
from issuer.db.models import Account, Card, Transaction, TransactionKind
from issuer.errors import Conflict, IdempotencyMismatch, Invalid, KeyRevoked, NotFound
from issuer.ledger import append_order, delta_of
from issuer.programs import published_rules
from issuer.rules import Order, Outcome, Rules, parse_rules, price_order, reverse, tier_of


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
    """A ledger entry written (or found again, when ``replayed``) and the rules it followed."""

    transaction: Transaction
    rules: Rules | None
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

    ``currency``, when the caller states one, must be the program's. Plain statements, no ORM
    objects: one locked read, one insert of the entry, one update each of account and cards.
    The locked read also confirms that the API key placing the order (``by.api_key_id``) is
    still live, so the caller may identify the key without reading it again.

    :raises KeyRevoked: when that key no longer exists or has been revoked.
    """
    target = lock_for_order(session, card_id, idempotency.scope, idempotency.key, by.api_key_id)
    if not target.key_live:
        raise KeyRevoked("The API key is not valid or has been revoked.")
    rules = _target_rules(target)
    if target.earlier_id is not None:
        earlier = session.get_one(Transaction, target.earlier_id)
        return _replayed(earlier, idempotency.request_hash, rules)
    _check_target(target, currency)
    if rules is None:
        raise Conflict("This program is not published.", code="program_not_published")
    outcome = price_order(rules, target.state, order)
    values = _order_values(card_id, target, outcome, tier_of(rules, outcome.state_after), now)
    return _append(session, target, values | _promised(idempotency, by), rules)


def _append(session: Session, target: OrderTarget, values: dict[str, Any], rules: Rules) -> Receipt:
    entry_id = append_order(session, values)
    if entry_id is None:  # the same key committed by a concurrent request while we waited
        return _replayed(_by_key(session, values), values["request_hash"], rules)
    return Receipt(transaction=Transaction(id=entry_id, **values), rules=rules)


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
    rules = published_rules(account.program)
    replay = _replay(session, idempotency, rules)
    if replay is not None:
        return replay
    if _reversal_of(session, original.id) is not None:
        raise Conflict("This order has already been reversed.", code="already_reversed")
    state = reverse(state_of(account), delta_of(original))
    store_state(session, account, state, rules, now)
    entry = _reversal_entry(original, account, reason, by, now)
    return _record(session, entry, account, idempotency, rules)


def find_transaction(session: Session, transaction_id: int) -> Transaction:
    """The ledger entry with this id.

    :raises NotFound: when there is none.
    """
    entry = session.get(Transaction, transaction_id)
    if entry is None:
        raise NotFound("No such transaction.")
    return entry


def _check_usable(card: Card, currency: str | None) -> None:
    _check_currency(card.program.currency, currency)
    if card.is_voided:
        raise Conflict("This card has been voided and cannot take orders.", code="card_voided")


def _check_target(target: OrderTarget, currency: str | None) -> None:
    _check_currency(target.currency, currency)
    if target.card_voided:
        raise Conflict("This card has been voided and cannot take orders.", code="card_voided")


def _check_currency(kept: str, stated: str | None) -> None:
    if stated is not None and stated != kept:
        raise Invalid({"currency": f"This program keeps accounts in {kept}."})


def _target_rules(target: OrderTarget) -> Rules | None:
    if target.rules_json is None or not target.program_published:
        return None
    return _parsed_rules(target.kind, target.rules_json)


@lru_cache(maxsize=256)
def _parsed_rules(kind: str, rules_json: str) -> Rules:
    # Published versions never change: parse each version's rules once per process.
    return parse_rules(kind, json.loads(rules_json))


def _order_values(
    card_id: int, target: OrderTarget, outcome: Outcome, tier: int | None, now: dt.datetime
) -> dict[str, Any]:
    after = outcome.state_after
    state = {name: getattr(after, name) for name in STATE_FIELDS}
    delta = {f"delta_{name}": getattr(outcome.delta, name) for name in STATE_FIELDS}
    figures = {name: getattr(outcome, name) for name in _OUTCOME_FIELDS}
    return figures | delta | {
        "account_id": target.account_id, "card_id": card_id, "program_id": target.program_id,
        "kind": TransactionKind.ORDER, "currency": target.currency, "created_at": now,
        "state_after": state | {"tier": tier, "version": target.version + 1},
    }  # fmt: skip


def _promised(idempotency: Idempotency, by: Attribution) -> dict[str, Any]:
    return {
        "idempotency_scope": idempotency.scope, "idempotency_key": idempotency.key,
        "request_hash": idempotency.request_hash, "staff_id": by.staff_id,
        "location_id": by.location_id, "api_key_id": by.api_key_id,
    }  # fmt: skip


def _by_key(session: Session, values: dict[str, Any]) -> Transaction:
    query = select(Transaction).where(
        Transaction.idempotency_scope == values["idempotency_scope"],
        Transaction.idempotency_key == values["idempotency_key"],
    )
    return session.scalars(query).one()


def _replay(session: Session, idempotency: Idempotency, rules: Rules | None) -> Receipt | None:
    query = select(Transaction).where(
        Transaction.idempotency_scope == idempotency.scope,
        Transaction.idempotency_key == idempotency.key,
    )
    earlier = session.scalars(query).one_or_none()
    if earlier is None:
        return None
    return _replayed(earlier, idempotency.request_hash, rules)


def _replayed(earlier: Transaction, request_hash: str, rules: Rules | None) -> Receipt:
    if earlier.request_hash != request_hash:
        raise IdempotencyMismatch("This Idempotency-Key was already used for a different request.")
    return Receipt(transaction=earlier, rules=rules, replayed=True)


def _record(
    session: Session,
    entry: Transaction,
    account: Account,
    idempotency: Idempotency,
    rules: Rules | None,
) -> Receipt:
    entry.idempotency_scope = idempotency.scope
    entry.idempotency_key = idempotency.key
    entry.request_hash = idempotency.request_hash
    entry.state_after = snapshot(account)
    session.add(entry)
    session.flush()
    return Receipt(transaction=entry, rules=rules)


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


_OUTCOME_FIELDS = (
    "amount",
    "discount",
    "redeemed",
    "earned",
    "payable",
    "stamps_earned",
    "rewards_earned",
    "rewards_redeemed",
    "tier_before",
    "tier_after",
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
