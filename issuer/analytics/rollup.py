"""One pass over the period's figures for the totals, the days, staff and locations.

The figures per (day, currency, staff member, location) come from the rolled-up closed days
(``closed_day_figures``, see :mod:`issuer.analytics.closing`) and, for the days after the
watermark, from the ledger entries summed the same way, in one common table expression; the
four groupings are then summed from that much smaller set in the same statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Date, Row, Select, cast, literal, null, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import CTE

from issuer.analytics.closed import closed_until, split_days
from issuer.analytics.ledger import CurrencyTotals, DayFigures, order_entries, total
from issuer.analytics.period import Period, utc_day
from issuer.db.models import ClosedDayFigures, Transaction

FIGURES = (
    ("orders", Transaction.delta_orders_count),
    ("revenue", Transaction.payable),
    ("discount", Transaction.discount),
    ("cashback_earned", Transaction.earned),
    ("cashback_redeemed", Transaction.redeemed),
    ("stamps_given", Transaction.stamps_earned),
    ("rewards_redeemed", Transaction.rewards_redeemed),
)
KEYS = ("day", "staff_id", "location_id")
LEVELS = {"total": None, "day": "day", "staff": "staff_id", "location": "location_id"}


@dataclass(frozen=True, slots=True)
class Rollup:
    """The period's net figures per currency: in total, per day, per staff member, per location."""

    totals: list[CurrencyTotals]
    days: list[DayFigures]
    staff: list[tuple[int | None, str, int, int]]
    locations: list[tuple[int | None, str, int, int]]


def rollup(session: Session, period: Period, program_id: int | None) -> Rollup:
    """Every per-currency figure of the ledger in the period, from one statement."""
    fine = _fine(*split_days(period, closed_until(session)), program_id)
    query = union_all(*(_level(fine, name, key) for name, key in LEVELS.items()))
    rows = session.execute(query.order_by("level", "day", "currency", "key")).all()
    by_level: dict[str, list[Row[Any]]] = {name: [] for name in LEVELS}
    for row in rows:
        by_level[row.level].append(row)
    return Rollup(
        totals=[CurrencyTotals(r.currency, *_sums(r)) for r in by_level["total"]],
        days=[DayFigures(r.day, r.currency, *_sums(r)[:2]) for r in by_level["day"]],
        staff=[(r.key, r.currency, *_sums(r)[:2]) for r in by_level["staff"]],
        locations=[(r.key, r.currency, *_sums(r)[:2]) for r in by_level["location"]],
    )


def _fine(closed: Period | None, open_days: Period | None, program_id: int | None) -> CTE:
    parts = [_closed_days(closed, program_id)] if closed else []
    if open_days is not None:
        parts.append(_open_days(open_days, program_id))
    return (union_all(*parts) if len(parts) > 1 else parts[0]).cte("fine")


def _closed_days(days: Period, program_id: int | None) -> Select[Any]:
    rows = ClosedDayFigures
    keys = (rows.day.label("day"), rows.currency, rows.staff_id, rows.location_id)
    query = select(*keys, *(getattr(rows, name) for name, _ in FIGURES))
    query = query.where(rows.day >= days.since, rows.day <= days.until)
    return query if program_id is None else query.where(rows.program_id == program_id)


def _open_days(days: Period, program_id: int | None) -> Select[Any]:
    day = utc_day(Transaction.created_at).label("day")
    keys = (day, Transaction.currency, Transaction.staff_id, Transaction.location_id)
    columns: list[Any] = [*keys, *(total(column).label(name) for name, column in FIGURES)]
    return select(*columns).where(*order_entries(days, program_id)).group_by(*keys)


def _level(fine: CTE, name: str, key: str | None) -> Select[Any]:
    day = fine.c.day if key == "day" else cast(null(), Date)
    grouped = fine.c[key] if key in ("staff_id", "location_id") else cast(null(), BigInteger)
    sums = [total(fine.c[figure]).label(figure) for figure, _ in FIGURES]
    columns = (
        literal(name).label("level"),
        fine.c.currency,
        day.label("day"),
        grouped.label("key"),
    )
    group = [fine.c.currency] + ([fine.c[key]] if key else [])
    return select(*columns, *sums).group_by(*group)


def _sums(row: Row[Any]) -> Sequence[int]:
    return [int(getattr(row, name)) for name, _ in FIGURES]
