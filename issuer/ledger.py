"""The ledger as the source of truth: deltas of entries and the check that accounts match them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Insert, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from issuer.accounts import STATE_FIELDS
from issuer.db.base import Base
from issuer.db.models import Account, Transaction
from issuer.rules import Delta

_DELTA_COLUMNS = {name: getattr(Transaction, f"delta_{name}") for name in STATE_FIELDS}


def append_entry(session: Session, values: dict[str, Any]) -> int | None:
    """Write one ledger entry in one statement; its id, or None when an entry already holds
    its idempotency scope and key (written by a request that committed in the meantime)."""
    statement = _APPEND[session.get_bind().dialect.name]
    new_id: int | None = session.execute(statement, values).scalar_one_or_none()
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
