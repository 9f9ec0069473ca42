"""ABC segmentation of partner companies by their net revenue in a period.

Partners are ranked by revenue within each currency (ties by partner id). A partner is in
class A while the revenue ranked above it is under 80 % of the currency's total, so class A
is the smallest group of top partners making at least 80 % of revenue; B takes the next 15 %
the same way, and C the rest, with every partner of no positive revenue. A partner's revenue
is that of its pooled account and of its members' own accounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from issuer.analytics.ledger import order_entries, total
from issuer.analytics.period import Period
from issuer.db.models import Account, Member, Partner, Transaction

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


def segments_query(period: Period, program_id: int | None) -> Select[Any]:
    """partner_id, currency, revenue and segment ("A", "B" or "C") of every partner with orders."""
    # Sum per account first (a few thousand rows), then join the partners: joining every
    # ledger entry to its account and member first cost three times as much.
    per_account = (
        select(
            Transaction.account_id, Transaction.currency, total(Transaction.payable).label("paid")
        )
        .where(*order_entries(period, program_id))
        .group_by(Transaction.account_id, Transaction.currency)
        .subquery("account_revenue")
    )
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


def partner_segments(
    session: Session, period: Period, program_id: int | None
) -> list[PartnerSegment]:
    """Every partner with orders in the period, per currency, biggest revenue first."""
    ranked = segments_query(period, program_id).subquery("ranked")
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
    for row in session.execute(segments_query(Period(since, until), program_id)):
        classes[row.partner_id] = min(row.segment, classes.get(row.partner_id, "C"))
    return classes
