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

from sqlalchemy import ColumnElement, func

from issuer.analytics.period import Period
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
