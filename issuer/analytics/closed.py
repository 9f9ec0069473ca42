"""Which part of a period the rollups hold and which part is read from the ledger itself.

``closed_until`` is the first UTC day not rolled up yet: every day before it has its row in
``closed_day_figures``, every calendar month ending on or before it its rows in
``closed_month_revenue`` (see :mod:`issuer.analytics.closing`). None: nothing is rolled up.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer.analytics.period import Period
from issuer.db.models import AnalyticsClosedUntil

DAY = dt.timedelta(days=1)
WATERMARK_ID = 1


def closed_until(session: Session) -> dt.date | None:
    """The first day whose figures are not rolled up; None when none are."""
    query = select(AnalyticsClosedUntil.day).where(AnalyticsClosedUntil.id == WATERMARK_ID)
    return session.scalar(query)


def month_start(day: dt.date) -> dt.date:
    """The first day of the day's month."""
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after the day's."""
    return (month_start(day) + dt.timedelta(days=32)).replace(day=1)


def split_days(period: Period, closed: dt.date | None) -> tuple[Period | None, Period | None]:
    """The period's rolled-up days and the days to read from the ledger (either may be None)."""
    if closed is None or closed <= period.since:
        return None, period
    if closed > period.until:
        return period, None
    return Period(period.since, closed - DAY), Period(closed, period.until)


def split_months(period: Period, closed: dt.date | None) -> tuple[Period | None, list[Period]]:
    """The period's rolled-up whole months, and the days around them to read from the ledger."""
    first = period.since if period.since.day == 1 else next_month(period.since)
    after = month_start(min(period.until + DAY, closed or period.since))
    if first >= after:
        return None, [period]
    edges = [Period(period.since, first - DAY)] if period.since < first else []
    if after <= period.until:
        edges.append(Period(after, period.until))
    return Period(first, after - DAY), edges
