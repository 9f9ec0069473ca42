"""ABC segmentation of partner companies by their net revenue in a period.

Partners are ranked by revenue within each currency (ties by partner id). A partner is in
class A while the revenue ranked above it is under 80 % of the currency's total, so class A
is the smallest group of top partners making at least 80 % of revenue; B takes the next 15 %
the same way, and C the rest, with every partner of no positive revenue. A partner's revenue
is that of its pooled account and of its members' own accounts. Whole closed months come
from ``closed_month_revenue`` (see :mod:`issuer.analytics.closing`), the rest of the period
from the ledger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select, union_all
from sqlalchemy.orm import Session

from issuer.analytics.closed import closed_until, split_months
from issuer.analytics.ledger import order_entries, total
from issuer.analytics.period import Period
from issuer.db.models import Account, ClosedMonthRevenue, Member, Partner, Transaction

CLASSES = ("A", "B", "C")
A_SHARE = 80
B_SHARE = 95


@dataclass(frozen=True, slots=True)
class PartnerSegment:
    """One partner's net revenue in one currency, and its class."""

    partner_id: int
    partner_name: str
    currency: str
    revenue: int
    segment: str


def segments_query(
    period: Period, program_id: int | None, closed: dt.date | None = None
) -> Select[Any]:
    """partner_id, currency, revenue and segment ("A", "B" or "C") of every partner with orders.

    ``closed`` is the rollups' watermark (:func:`issuer.analytics.closed.closed_until`): whole
    months before it are read from ``closed_month_revenue``; None reads the ledger only.
    """
    # Sum per account first (a few thousand rows), then join the partners: joining every
    # ledger entry to its account and member first cost three times as much.
    months, edges = split_months(period, closed)
    parts = [_ledger_revenue(edge, program_id) for edge in edges]
    if months is not None:
        parts.append(_closed_revenue(months, program_id))
    per_account = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("account_revenue")
    partner = func.coalesce(Account.partner_id, Member.partner_id).label("partner_id")
    revenue = (
        select(partner, per_account.c.currency, total(per_account.c.paid).label("revenue"))
        .join(Account, Account.id == per_account.c.account_id)
        .outerjoin(Member, Member.id == Account.member_id)
        .where(partner.is_not(None))
        .group_by(partner, per_account.c.currency)
        .subquery("partner_revenue")
    )
    ranked = func.sum(revenue.c.revenue).over(
        partition_by=revenue.c.currency,
        order_by=(revenue.c.revenue.desc(), revenue.c.partner_id),
        rows=(None, -1),
    )
    above = func.coalesce(ranked, 0)
    positive = case((revenue.c.revenue > 0, revenue.c.revenue), else_=0)
    whole = func.sum(positive).over(partition_by=revenue.c.currency)
    segment = case(
        (revenue.c.revenue <= 0, "C"),
        (above * 100 < whole * A_SHARE, "A"),
        (above * 100 < whole * B_SHARE, "B"),
        else_="C",
    )
    return select(
        revenue.c.partner_id, revenue.c.currency, revenue.c.revenue, segment.label("segment")
    )


def _ledger_revenue(period: Period, program_id: int | None) -> Select[int, str, int]:
    return (
        select(
            Transaction.account_id, Transaction.currency, total(Transaction.payable).label("paid")
        )
        .where(*order_entries(period, program_id))
        .group_by(Transaction.account_id, Transaction.currency)
    )


def _closed_revenue(months: Period, program_id: int | None) -> Select[int, str, int]:
    rows = ClosedMonthRevenue
    query = select(rows.account_id, rows.currency, rows.revenue.label("paid"))
    query = query.where(rows.month >= months.since, rows.month <= months.until)
    return query if program_id is None else query.where(rows.program_id == program_id)


def partner_segments(
    session: Session, period: Period, program_id: int | None
) -> list[PartnerSegment]:
    """Every partner with orders in the period, per currency, biggest revenue first."""
    ranked = segments_query(period, program_id, closed_until(session)).subquery("ranked")
    query = (
        select(ranked, Partner.name)
        .join(Partner, Partner.id == ranked.c.partner_id)
        .order_by(ranked.c.currency, ranked.c.revenue.desc(), ranked.c.partner_id)
    )
    return [
        PartnerSegment(row.partner_id, row.name, row.currency, int(row.revenue), row.segment)
        for row in session.execute(query)
    ]


def partner_classes(
    session: Session, program_id: int | None, since: dt.date, until: dt.date
) -> dict[int, str]:
    """Each partner's ABC class over the days ``since`` to ``until``.

    A partner buying in several currencies takes its best class of them.
    """
    classes: dict[int, str] = {}
    query = segments_query(Period(since, until), program_id, closed_until(session))
    for row in session.execute(query):
        classes[row.partner_id] = min(row.segment, classes.get(row.partner_id, "C"))
    return classes
