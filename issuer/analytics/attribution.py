"""Who took the period's orders and where: net orders and revenue per staff member and location.

Orders sent through the API without a staff member or location are listed under ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from issuer.analytics.ledger import NET_ORDERS, REVENUE, order_entries
from issuer.analytics.period import Period
from issuer.db.models import Location, Staff, Transaction


@dataclass(frozen=True, slots=True)
class Contribution:
    """Net orders and revenue of one staff member or location in one currency."""

    id: int | None
    name: str | None
    currency: str
    orders: int
    revenue: int


def per_staff(session: Session, period: Period, program_id: int | None) -> list[Contribution]:
    """The period's net orders and revenue per staff member who took them."""
    return _grouped(session, period, program_id, Transaction.staff_id, Staff)


def per_location(session: Session, period: Period, program_id: int | None) -> list[Contribution]:
    """The period's net orders and revenue per location they were taken at."""
    return _grouped(session, period, program_id, Transaction.location_id, Location)


def _grouped(
    session: Session,
    period: Period,
    program_id: int | None,
    key: InstrumentedAttribute[int | None],
    named: type[Staff] | type[Location],
) -> list[Contribution]:
    sums = (
        select(key.label("id"), Transaction.currency, NET_ORDERS, REVENUE)
        .where(*order_entries(period, program_id))
        .group_by(key, Transaction.currency)
        .subquery()
    )
    query: Any = (
        select(sums.c.id, named.name, sums.c.currency, sums.c.orders, sums.c.revenue)
        .outerjoin(named, named.id == sums.c.id)
        .order_by(sums.c.currency, sums.c.revenue.desc(), sums.c.id)
    )
    return [
        Contribution(row[0], row[1], row[2], int(row[3]), int(row[4]))
        for row in session.execute(query)
    ]
