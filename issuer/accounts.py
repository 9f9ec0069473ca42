"""Account state: reading it as rules values, locking it, and writing a change back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, bindparam, cast, exists, or_, select, update
from sqlalchemy.orm import Session

from issuer.db.base import Base
from issuer.db.models import (
    Account,
    ApiKey,
    Card,
    CardStatus,
    DesignVersion,
    Program,
    ProgramStatus,
    Transaction,
)
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


@dataclass(frozen=True, slots=True)
class OrderTarget:
    """What an order needs, read under the account's row lock in one statement.

    ``rules_json`` is the published version's rules as text (None when never published);
    ``earlier_id`` the ledger entry already written under the order's idempotency key;
    ``key_live`` whether the API key placing it (if any) exists and is not revoked.
    """

    account_id: int
    state: AccountState
    version: int
    card_voided: bool
    program_id: int
    program_published: bool
    kind: str
    currency: str
    rules_json: str | None
    earlier_id: int | None
    key_live: bool


def lock_for_order(
    session: Session, card_id: int, scope: str, key: str, api_key_id: int | None = None
) -> OrderTarget:
    """The card's account, program and rules, locked until the caller commits; one statement.

    PostgreSQL locks only the account row (``FOR UPDATE OF accounts``); SQLite's write
    transaction is already exclusive (see issuer.db.session).

    :raises NotFound: when there is no such card.
    """
    params = {"card_id": card_id, "scope": scope, "key": key, "api_key_id": api_key_id}
    session.flush()  # plain statements skip the ORM's autoflush; free when nothing is pending
    row = session.connection().execute(_FOR_ORDER, params).one_or_none()
    if row is None:
        raise NotFound("No such card.")
    state = AccountState(*row[1:6])
    voided, published = row.status == CardStatus.VOIDED, row.pstatus == ProgramStatus.PUBLISHED
    return OrderTarget(
        row.id, state, row.version, voided, row.program_id, published, row.kind, row.currency,
        row.rules, row.earlier_id, row.key_live,
    )  # fmt: skip


def write_state(
    session: Session, account_id: int, values: dict[str, Any], now: dt.datetime
) -> None:
    """Store an account's new state (``values``: STATE_FIELDS, tier, version) and raise the
    version of each of its cards; two plain statements, no ORM objects loaded."""
    connection = session.connection()
    connection.execute(_STORE, {**values, "account": account_id, "now": now})
    connection.execute(_RAISE_CARDS, {"account": account_id, "now": now})
    expire_loaded(session, account_id)


def expire_loaded(session: Session, account_id: int) -> None:
    """Mark the objects of this account the session holds as stale: they reload on use."""
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, Account) and loaded.id == account_id:
            session.expire(loaded)
        elif isinstance(loaded, Card) and loaded.account_id == account_id:
            session.expire(loaded, ["version", "updated_at"])


_tables = Base.metadata.tables
_accounts, _cards = _tables[Account.__tablename__], _tables[Card.__tablename__]
_programs, _versions = _tables[Program.__tablename__], _tables[DesignVersion.__tablename__]
_ledger = _tables[Transaction.__tablename__]
_earlier = (
    select(_ledger.c.id)
    .where(_ledger.c.idempotency_scope == bindparam("scope"))
    .where(_ledger.c.idempotency_key == bindparam("key"))
    .scalar_subquery()
)
_keys = _tables[ApiKey.__tablename__]
_placing_key = bindparam("api_key_id", type_=_keys.c.id.type)
_key_live = or_(
    _placing_key.is_(None),
    exists().where(_keys.c.id == _placing_key, _keys.c.revoked_at.is_(None)),
)
_FOR_ORDER = (
    select(
        _accounts.c.id,
        *(_accounts.c[name] for name in STATE_FIELDS),
        _accounts.c.version,
        _cards.c.status,
        _cards.c.program_id,
        _programs.c.status.label("pstatus"),
        _programs.c.kind,
        _programs.c.currency,
        cast(_versions.c.rules, Text).label("rules"),
        _earlier.label("earlier_id"),
        _key_live.label("key_live"),
    )
    .select_from(_cards)
    .join(_accounts, _accounts.c.id == _cards.c.account_id)
    .join(_programs, _programs.c.id == _cards.c.program_id)
    .outerjoin(_versions, _versions.c.id == _programs.c.current_version_id)
    .where(_cards.c.id == bindparam("card_id"))
    .with_for_update(of=_accounts)
)
_STORE = (
    update(_accounts)
    .where(_accounts.c.id == bindparam("account"))
    .values(updated_at=bindparam("now"))
)
_RAISE_CARDS = (
    update(_cards)
    .where(_cards.c.account_id == bindparam("account"))
    .values(version=_cards.c.version + 1, updated_at=bindparam("now"))
)
