"""Analytics rollups: the ledger's figures of closed UTC days and months, summed once.

The ledger is append-only and every entry counts on the UTC day it was written, so the
figures of a day that has ended (and whose late commits are past, see
:mod:`issuer.analytics.closing`) never change. These tables keep them; the summary reads them
for the closed part of a period and the ledger itself for the rest.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from issuer.db.base import Base, id_pk

total = BigInteger


class ClosedDayFigures(Base):
    """The net order figures of one closed UTC day per program, currency, staff and location."""

    __tablename__ = "closed_day_figures"

    id: Mapped[id_pk]
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    currency: Mapped[str] = mapped_column(String(3))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    orders: Mapped[int] = mapped_column(total)
    revenue: Mapped[int] = mapped_column(total)
    discount: Mapped[int] = mapped_column(total)
    cashback_earned: Mapped[int] = mapped_column(total)
    cashback_redeemed: Mapped[int] = mapped_column(total)
    stamps_given: Mapped[int] = mapped_column(total)
    rewards_redeemed: Mapped[int] = mapped_column(total)


class ClosedMonthRevenue(Base):
    """The net revenue of one account in one currency over one closed UTC calendar month."""

    __tablename__ = "closed_month_revenue"

    id: Mapped[id_pk]
    month: Mapped[dt.date] = mapped_column(Date, index=True)  # its first day
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    currency: Mapped[str] = mapped_column(String(3))
    revenue: Mapped[int] = mapped_column(total)


class AnalyticsClosedUntil(Base):
    """One row: the first UTC day not yet rolled up (every day and month before it is).

    Its row lock is held by the one process filling the rollups until it commits.
    """

    __tablename__ = "analytics_closed_until"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[dt.date | None] = mapped_column(Date)
