"""Who took the period's orders and where: net orders and revenue per staff member and location.

The sums come from the one pass of :mod:`issuer.analytics.rollup`; this names them. Orders
sent through the API without a staff member or location are listed under ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer.db.models import Location, Staff


@dataclass(frozen=True, slots=True)
class Contribution:
    """Net orders and revenue of one staff member or location in one currency."""

    id: int | None
    name: str | None
    currency: str
    orders: int
    revenue: int


def named(
    session: Session,
    sums: list[tuple[int | None, str, int, int]],
    model: type[Staff] | type[Location],
) -> list[Contribution]:
    """The sums with the staff members' or locations' names, biggest revenue first per currency."""
    ids = {key for key, *_ in sums if key is not None}
    query = select(model.id, model.name).where(model.id.in_(ids))
    names: dict[int, str] = {row.id: row.name for row in session.execute(query)}
    rows = [
        Contribution(key, None if key is None else names.get(key), currency, orders, revenue)
        for key, currency, orders, revenue in sums
    ]
    return sorted(rows, key=lambda r: (r.currency, -r.revenue, r.id is None, r.id or 0))
