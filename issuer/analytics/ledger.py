"""Figures of the ledger over a period: orders, revenue, discount, cashback, stamps, rewards.

Net figures: every ledger entry counts on the UTC day it was written. An order adds to its
day; its reversal is an entry of the opposite sign (DESIGN.md section 2) and subtracts on the
day of the reversal. A closed period's figures therefore never change afterwards, and a
period holding both an order and its reversal shows neither. Money is summed per currency.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from issuer.analytics.period import Period, utc_day
from issuer.db.models import Transaction, TransactionKind


@dataclass(frozen=True, slots=True)
class CurrencyTotals:
    """The period's net order figures in one currency (money in minor units)."""

    currency: str
    orders: int
    revenue: int
    discount: int
    cashback_earned: int
    cashback_redeemed: int
    stamps_given: int
    rewards_redeemed: int

    @property
    def average_order_value(self) -> int | None:
        """Revenue per order, rounded half-up to the minor unit; None without orders."""
        return per(self.revenue, self.orders)


@dataclass(frozen=True, slots=True)
class DayFigures:
    """Net orders and revenue of one UTC day in one currency."""

    day: dt.date
    currency: str
    orders: int
    revenue: int


def per(total: int, count: int) -> int | None:
    """``total / count`` rounded half-up to a whole minor unit; None when ``count`` is not > 0."""
    if count <= 0:
        return None
    return int((Decimal(total) / count).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def order_entries(period: Period, program_id: int | None) -> list[ColumnElement[bool]]:
    """Conditions selecting the orders and reversals of the period (and program)."""
    conditions = [
        Transaction.kind.in_((TransactionKind.ORDER, TransactionKind.REVERSAL)),
        period.within(Transaction.created_at),
    ]
    if program_id is not None:
        conditions.append(Transaction.program_id == program_id)
    return conditions


def total(column: Any) -> ColumnElement[int]:
    """The sum of a column, 0 over no rows."""
    return func.coalesce(func.sum(column), 0)


NET_ORDERS = total(Transaction.delta_orders_count).label("orders")
REVENUE = total(Transaction.payable).label("revenue")


def currency_totals(
    session: Session, period: Period, program_id: int | None
) -> list[CurrencyTotals]:
    """The net figures of the period, one row per currency."""
    query = (
        select(
            Transaction.currency,
            NET_ORDERS,
            REVENUE,
            total(Transaction.discount),
            total(Transaction.earned),
            total(Transaction.redeemed),
            total(Transaction.stamps_earned),
            total(Transaction.rewards_redeemed),
        )
        .where(*order_entries(period, program_id))
        .group_by(Transaction.currency)
        .order_by(Transaction.currency)
    )
    return [CurrencyTotals(row[0], *map(int, row[1:])) for row in session.execute(query)]


def daily_series(session: Session, period: Period, program_id: int | None) -> list[DayFigures]:
    """Net orders and revenue per UTC day and currency, days without entries left out."""
    day = utc_day(Transaction.created_at).label("day")
    query = (
        select(day, Transaction.currency, NET_ORDERS, REVENUE)
        .where(*order_entries(period, program_id))
        .group_by(day, Transaction.currency)
        .order_by(day, Transaction.currency)
    )
    return [
        DayFigures(row.day, row.currency, int(row.orders), int(row.revenue))
        for row in session.execute(query)
    ]
