"""Rolling up closed days: the ledger's figures of every UTC day that can no longer change.

An entry's ``created_at`` is taken before its transaction commits, so a day is closed only
once it ended more than ``MARGIN`` ago. Each call rolls up the days from the watermark
(``analytics_closed_until``) to the next month's start at most, the month's revenue per
account once the month is complete, and moves the watermark. The row lock on the watermark
makes one process at a time the filler (``SKIP LOCKED``: the others skip; SQLite's write lock
serialises them anyway). Rows at or after the watermark are replaced, so a call that is
repeated, or follows one rolled back, writes each day once. Called by the delivery worker
and ``tessera analytics rollup``, never by orders; the caller commits.

Every writer of the ledger stamps entries with the current time (orders, reversals,
adjustments, demo seeding), so no entry lands before a closed day. Anything that writes
older entries (a restored backup, a bulk load) must call :func:`reopen_from` first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, delete, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from issuer.analytics.closed import DAY, WATERMARK_ID, month_start, next_month
from issuer.analytics.ledger import order_entries, total
from issuer.analytics.period import Period, utc_day
from issuer.analytics.rollup import FIGURES
from issuer.db.models import AnalyticsClosedUntil, ClosedDayFigures, ClosedMonthRevenue, Transaction

MARGIN = dt.timedelta(hours=1)
DAY_KEYS = ("day", "program_id", "currency", "staff_id", "location_id")


def close_days(session: Session, now: dt.datetime, margin: dt.timedelta = MARGIN) -> dt.date | None:
    """Roll up the next closed days (a month's at most); the new watermark, or None when there
    was nothing to roll up or another process is rolling up."""
    locked, start = _lock_watermark(session)
    if not locked:
        return None
    stop = (now - margin).date()
    start = start or _first_entry_day(session)
    if start is None or start >= stop:
        return None
    stop = min(stop, next_month(start))
    _roll_up_days(session, Period(start, stop - DAY))
    if stop.day == 1:
        _roll_up_month(session, month_start(start))
    _move_watermark(session, stop)
    return stop


def reopen_from(session: Session, day: dt.date | None) -> None:
    """Forget the rollups from ``day`` on (and of its month), before writing entries dated then;
    None forgets every rollup (the next fill starts again from the ledger's first entry)."""
    _, closed = _lock_watermark(session, wait=True)
    if closed is None or (day is not None and closed <= day):
        return
    days, months = delete(ClosedDayFigures), delete(ClosedMonthRevenue)
    if day is not None:
        days = days.where(ClosedDayFigures.day >= day)
        months = months.where(ClosedMonthRevenue.month >= month_start(day))
    session.execute(days)
    session.execute(months)
    _move_watermark(session, day)


def _lock_watermark(session: Session, wait: bool = False) -> tuple[bool, dt.date | None]:
    """Lock the watermark row (making it on the first fill); whether locked, and its day."""
    found = session.execute(_watermark(wait)).one_or_none()
    if found is None and session.scalar(_watermark(wait=True, lock=False)) is None:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        first = dialect.insert(AnalyticsClosedUntil).values(id=WATERMARK_ID, day=None)
        session.execute(first.on_conflict_do_nothing(index_elements=[AnalyticsClosedUntil.id]))
        found = session.execute(_watermark(wait)).one_or_none()
    return (False, None) if found is None else (True, found.day)


def _watermark(wait: bool, lock: bool = True) -> Select[int, dt.date | None]:
    query = select(AnalyticsClosedUntil.id, AnalyticsClosedUntil.day)
    query = query.where(AnalyticsClosedUntil.id == WATERMARK_ID)
    return query.with_for_update(skip_locked=not wait) if lock else query


def _first_entry_day(session: Session) -> dt.date | None:
    first: dt.datetime | None = session.scalar(select(Transaction.created_at).order_by(
        Transaction.created_at).limit(1))  # fmt: skip
    return None if first is None else first.date()


def _roll_up_days(session: Session, days: Period) -> None:
    session.execute(delete(ClosedDayFigures).where(ClosedDayFigures.day >= days.since))
    day = utc_day(Transaction.created_at).label("day")
    keys = (day, Transaction.program_id, Transaction.currency, Transaction.staff_id,
            Transaction.location_id)  # fmt: skip
    sums = [total(column).label(name) for name, column in FIGURES]
    query = select(*keys, *sums).where(*order_entries(days, None)).group_by(*keys)
    columns = [*DAY_KEYS, *(name for name, _ in FIGURES)]
    session.execute(insert(ClosedDayFigures).from_select(columns, query))


def _roll_up_month(session: Session, first: dt.date) -> None:
    session.execute(delete(ClosedMonthRevenue).where(ClosedMonthRevenue.month >= first))
    month = Period(first, next_month(first) - DAY)
    keys = (Transaction.program_id, Transaction.account_id, Transaction.currency)
    query: Any = select(literal(first).label("month"), *keys, total(Transaction.payable))
    query = query.where(*order_entries(month, None)).group_by(*keys)
    columns = ["month", "program_id", "account_id", "currency", "revenue"]
    session.execute(insert(ClosedMonthRevenue).from_select(columns, query))


def _move_watermark(session: Session, day: dt.date | None) -> None:
    moved = update(AnalyticsClosedUntil).where(AnalyticsClosedUntil.id == WATERMARK_ID)
    session.execute(moved.values(day=day))
