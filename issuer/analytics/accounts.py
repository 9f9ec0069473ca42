"""Figures of the accounts as they stand now (lifetime, not limited to the period).

An account's state is the fold of its whole ledger, so these read the account rows:
repeat customer rate, revenue per account (lifetime value), cashback outstanding (the
liability: every balance not yet redeemed) and accounts per tier.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from issuer.analytics.ledger import per, total
from issuer.db.models import Account, DesignVersion, Program

REPEAT_ORDERS = 2


@dataclass(frozen=True, slots=True)
class AccountFigures:
    """The accounts of one currency: how many, how many came back, what they spent and hold."""

    currency: str
    accounts: int
    repeat_accounts: int
    lifetime_revenue: int
    cashback_outstanding: int

    @property
    def lifetime_value(self) -> int | None:
        """Revenue per account, rounded half-up to the minor unit."""
        return per(self.lifetime_revenue, self.accounts)


@dataclass(frozen=True, slots=True)
class TierCount:
    """How many accounts of an accumulative program are at one tier."""

    program_id: int
    program_name: str
    tier: int
    tier_name: str
    accounts: int


def share(part: int, whole: int) -> Decimal | None:
    """``part / whole`` to four decimal places (0.2500 is 25 %); None when ``whole`` is 0."""
    if whole <= 0:
        return None
    return (Decimal(part) / whole).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def account_figures(session: Session, program_id: int | None) -> list[AccountFigures]:
    """Account figures per currency."""
    repeat = func.coalesce(func.sum(case((Account.orders_count >= REPEAT_ORDERS, 1), else_=0)), 0)
    query: Any = (
        select(
            Program.currency,
            func.count(Account.id),
            repeat,
            total(Account.total_spent),
            total(Account.cashback_balance),
        )
        .join(Program, Program.id == Account.program_id)
        .group_by(Program.currency)
        .order_by(Program.currency)
    )
    if program_id is not None:
        query = query.where(Account.program_id == program_id)
    return [AccountFigures(row[0], *map(int, row[1:])) for row in session.execute(query)]


def accounts_per_tier(session: Session, program_id: int | None) -> list[TierCount]:
    """Accounts per tier of every accumulative program, named as the published rules name them."""
    query: Any = (
        select(Account.program_id, Account.tier, func.count(Account.id))
        .where(Account.tier.is_not(None))
        .group_by(Account.program_id, Account.tier)
        .order_by(Account.program_id, Account.tier)
    )
    if program_id is not None:
        query = query.where(Account.program_id == program_id)
    counts = [(int(p), int(t), int(n)) for p, t, n in session.execute(query)]
    names = _tier_names(session, {p for p, _, _ in counts})
    return [TierCount(p, names[p][0], t, _tier_name(names[p][1], t), n) for p, t, n in counts]


def _tier_names(session: Session, program_ids: set[int]) -> dict[int, tuple[str, list[Any]]]:
    query = (
        select(Program.id, Program.name, DesignVersion.rules)
        .outerjoin(DesignVersion, DesignVersion.id == Program.current_version_id)
        .where(Program.id.in_(program_ids))
    )
    rows = session.execute(query)
    return {row[0]: (row[1], list((row[2] or {}).get("tiers", []))) for row in rows}


def _tier_name(tiers: list[Any], tier: int) -> str:
    if 0 <= tier < len(tiers) and isinstance(tiers[tier], dict):
        return str(tiers[tier].get("name") or tier + 1)
    return str(tier + 1)
