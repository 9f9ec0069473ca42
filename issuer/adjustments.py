"""Manual balance adjustments by an admin: one audited ledger entry with a reason.

The account is locked, the change is checked against the card rules (nothing may go below
zero), the entry is written with who made it and why, and every card of the account gets a
new version so the delivery loop updates the passes. The caller commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from issuer import audit
from issuer.accounts import lock_account, snapshot, state_of, store_state
from issuer.db.models import Account, Staff, Transaction, TransactionKind
from issuer.errors import Invalid
from issuer.programs import published_rules
from issuer.rules import MAX_AMOUNT, Delta, Rules, apply_delta
from issuer.rules.adjustments import adjustable_fields, adjustment_delta

MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class Adjustment:
    """What an admin asks for: add ``change`` (negative to take away) to ``field``, and why.

    ``card_id`` names the card the admin acted from, when there is one.
    """

    field: str
    change: int
    reason: str
    card_id: int | None = None


def adjust_balance(
    session: Session, account_id: int, adjustment: Adjustment, staff: Staff, now: dt.datetime
) -> Transaction:
    """Apply the adjustment to the account and write its ledger entry and audit record.

    :raises Invalid: naming every wrong field (field, amount, reason) at once.
    :raises NegativeBalance: when the change would take a field below zero.
    :raises Conflict: when the account's program is not published.
    """
    account = lock_account(session, account_id)
    rules = published_rules(account.program)
    _check(rules, adjustment)
    tier_before = account.tier
    state = state_of(account)
    delta = adjustment_delta(rules, state, adjustment.field, adjustment.change)
    store_state(session, account, apply_delta(state, delta), rules, now)
    entry = _entry(account, adjustment, delta, staff, now)
    entry.tier_before = tier_before
    session.add(entry)
    session.flush()
    _audit(session, account, adjustment, entry, staff, now)
    return entry


def staff_actor(staff: Staff) -> str:
    """How the audit log names a staff user."""
    return f"staff:{staff.id}:{staff.email}"


def _check(rules: Rules, adjustment: Adjustment) -> None:
    errors: dict[str, str] = {}
    fields = adjustable_fields(rules)
    if adjustment.field not in fields:
        errors["field"] = "Choose one of " + ", ".join(fields) + "."
    if adjustment.change == 0 or abs(adjustment.change) > MAX_AMOUNT:
        errors["amount"] = f"Must be a whole number from 1 to {MAX_AMOUNT}, up or down."
    if not adjustment.reason.strip():
        errors["reason"] = "Say why the balance is adjusted."
    elif len(adjustment.reason) > MAX_REASON:
        errors["reason"] = f"At most {MAX_REASON} characters."
    if errors:
        raise Invalid(errors)


def _entry(
    account: Account, adjustment: Adjustment, delta: Delta, staff: Staff, now: dt.datetime
) -> Transaction:
    return Transaction(
        account_id=account.id,
        card_id=adjustment.card_id,
        program_id=account.program_id,
        kind=TransactionKind.ADJUSTMENT,
        currency=account.program.currency,
        tier_after=account.tier,
        delta_total_spent=delta.total_spent,
        delta_orders_count=delta.orders_count,
        delta_cashback_balance=delta.cashback_balance,
        delta_stamps=delta.stamps,
        delta_rewards_available=delta.rewards_available,
        reason=adjustment.reason.strip(),
        state_after=snapshot(account),
        staff_id=staff.id,
        created_at=now,
    )


def _audit(
    session: Session,
    account: Account,
    adjustment: Adjustment,
    entry: Transaction,
    staff: Staff,
    now: dt.datetime,
) -> None:
    audit.record(
        session,
        staff_actor(staff),
        "account.adjust",
        f"account:{account.id}",
        now,
        field=adjustment.field,
        change=adjustment.change,
        reason=entry.reason,
        transaction=entry.id,
    )
