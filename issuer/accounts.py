"""Account state: reading it as rules values, locking it, and writing a change back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from issuer.db.models import Account, Card
from issuer.errors import NotFound
from issuer.rules import AccountState, Rules, tier_of

STATE_FIELDS = ("total_spent", "orders_count", "cashback_balance", "stamps", "rewards_available")


def state_of(account: Account) -> AccountState:
    """The account's stored state as a rules value."""
    return AccountState(**{name: getattr(account, name) for name in STATE_FIELDS})


def lock_account(session: Session, account_id: int) -> Account:
    """Load the account for a change, holding its row lock until the caller commits.

    PostgreSQL takes the row lock here; SQLite already holds the write lock because write
    sessions begin with BEGIN IMMEDIATE (see issuer.db.session).
    """
    query = select(Account).where(Account.id == account_id).with_for_update()
    account = session.scalars(query.execution_options(populate_existing=True)).one_or_none()
    if account is None:
        raise NotFound("No such account.")
    return account


def store_state(
    session: Session, account: Account, state: AccountState, rules: Rules, now: dt.datetime
) -> None:
    """Write a new state to the account, raise its version and that of each of its cards."""
    for name in STATE_FIELDS:
        setattr(account, name, getattr(state, name))
    account.tier = tier_of(rules, state)
    account.version += 1
    account.updated_at = now
    session.execute(
        update(Card)
        .where(Card.account_id == account.id)
        .values(version=Card.version + 1, updated_at=now)
        # Syncing the session by fetching every row back doubled an order's cost; the few
        # cards of this account already loaded are expired instead and reload on next use.
        .execution_options(synchronize_session=False)
    )
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, Card) and loaded.account_id == account.id:
            session.expire(loaded, ["version", "updated_at"])


def snapshot(account: Account) -> dict[str, Any]:
    """The account's state as plain values, kept with each ledger entry."""
    values: dict[str, Any] = {name: getattr(account, name) for name in STATE_FIELDS}
    values["tier"] = account.tier
    values["version"] = account.version
    return values
