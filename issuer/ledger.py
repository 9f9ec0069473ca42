"""The ledger as the source of truth: deltas of entries and the check that accounts match them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Insert, Select, bindparam, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from issuer.accounts import STATE_FIELDS, expire_loaded, write_state
from issuer.db.base import Base
from issuer.db.models import Account, Card, Transaction
from issuer.rules import Delta

_DELTA_COLUMNS = {name: getattr(Transaction, f"delta_{name}") for name in STATE_FIELDS}


def append_entry(session: Session, values: dict[str, Any]) -> int | None:
    """Write one ledger entry in one statement; its id, or None when an entry already holds
    its idempotency scope and key (written by a request that committed in the meantime)."""
    statement = _APPEND[session.get_bind().dialect.name]
    new_id: int | None = session.connection().execute(statement, values).scalar_one_or_none()
    return new_id


def append_order(session: Session, values: dict[str, Any]) -> int | None:
    """Write an order's ledger entry, store its account's new state (``state_after``) and raise
    the version of the account's cards; the entry's id, or None as in :func:`append_entry`
    (and then nothing is written).

    On PostgreSQL the three writes are one statement (data-modifying CTEs, the updates only
    when the insert wrote a row); SQLite, which has no such CTEs, runs them one by one.
    """
    if session.get_bind().dialect.name != "postgresql":
        entry_id = append_entry(session, values)
        if entry_id is not None:
            write_state(session, values["account_id"], values["state_after"], values["created_at"])
        return entry_id
    # Distinct names: a parameter named like a column would become a SET of the updates.
    params = {f"entry_{name}": value for name, value in values.items()}
    params |= {f"new_{name}": value for name, value in values["state_after"].items()}
    new_id: int | None = session.connection().execute(_APPEND_ORDER, params).scalar_one_or_none()
    if new_id is not None:
        expire_loaded(session, values["account_id"])
    return new_id


def delta_of(entry: Transaction) -> Delta:
    """The change a ledger entry made to its account."""
    return Delta(**{name: getattr(entry, f"delta_{name}") for name in STATE_FIELDS})


@dataclass(frozen=True, slots=True)
class Difference:
    """One field of one account whose stored value is not what its ledger adds up to."""

    account_id: int
    field: str
    stored: int
    ledger: int


def verify_ledger(session: Session) -> list[Difference]:
    """Recompute every account from its ledger (in SQL) and list every difference."""
    sums = [
        func.coalesce(func.sum(column), 0).label(name) for name, column in _DELTA_COLUMNS.items()
    ]
    folded = (
        select(Transaction.account_id, *sums).group_by(Transaction.account_id).subquery("folded")
    )
    query = select(Account, *(func.coalesce(folded.c[name], 0) for name in STATE_FIELDS))
    query = query.outerjoin(folded, folded.c.account_id == Account.id).order_by(Account.id)
    differences: list[Difference] = []
    for account, *ledger in session.execute(query):
        differences.extend(_compare(account, dict(zip(STATE_FIELDS, ledger, strict=True))))
    return differences


def _compare(account: Account, ledger: dict[str, int]) -> list[Difference]:
    return [
        Difference(account.id, name, getattr(account, name), int(ledger[name]))
        for name in STATE_FIELDS
        if getattr(account, name) != int(ledger[name])
    ]


def _append(insert: Any) -> Insert:
    table = Base.metadata.tables[Transaction.__tablename__]
    unique = [table.c.idempotency_scope, table.c.idempotency_key]
    statement: Insert = insert(table).on_conflict_do_nothing(index_elements=unique)
    return statement.returning(table.c.id)


_APPEND = {"postgresql": _append(postgresql.insert), "sqlite": _append(sqlite.insert)}


def _append_order() -> Select[Any]:
    """INSERT the entry ON CONFLICT DO NOTHING; UPDATE account and cards if it was written."""
    tables = Base.metadata.tables
    ledger = tables[Transaction.__tablename__]
    accounts, cards = tables[Account.__tablename__], tables[Card.__tablename__]
    written_by_orders = [c for c in ledger.columns if c.name not in ("id", "reverses_id", "reason")]
    entry_values = {c.name: bindparam(f"entry_{c.name}", type_=c.type) for c in written_by_orders}
    entry = _append(postgresql.insert).values(entry_values).cte("entry")
    written = exists(select(entry.c.id))
    account = bindparam("entry_account_id", type_=ledger.c.account_id.type)
    now = bindparam("entry_created_at", type_=ledger.c.created_at.type)
    new_state = {
        name: bindparam(f"new_{name}", type_=accounts.c[name].type)
        for name in (*STATE_FIELDS, "tier", "version")
    }
    store = update(accounts).where(accounts.c.id == account, written)
    store = store.values(new_state | {"updated_at": now})
    raise_cards = update(cards).where(cards.c.account_id == account, written)
    raise_cards = raise_cards.values(version=cards.c.version + 1, updated_at=now)
    return select(entry.c.id).add_cte(store.cte("store"), raise_cards.cte("raise_cards"))


_APPEND_ORDER = _append_order()
