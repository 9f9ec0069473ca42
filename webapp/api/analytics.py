"""API: the analytics summary of DESIGN.md section 8 (admin scope)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from flask import request
from pydantic import BaseModel, ConfigDict, Field

from issuer import analytics, clock
from issuer.access import AuthorizedKey
from webapp.api.blueprint import api
from webapp.database import session


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class PeriodOut(_Out):
    """Whole UTC days, both ends included."""

    since: dt.date
    until: dt.date


class CardFiguresOut(_Out):
    """Cards issued in the period, wallet installs and active cards."""

    issued: int
    apple_registrations: int = Field(description="Apple Wallet registrations made in the period.")
    google_saves: int = Field(
        description="Cards issued in the period whose Google Wallet save link was handed out "
        "(Google does not report the save itself)."
    )
    wallet_installs: int
    active: int = Field(description="Cards with an order, not reversed, in the last 90 days.")


class CurrencyTotalsOut(_Out):
    """Net figures of the period in one currency; money in minor units."""

    currency: str
    orders: int
    revenue: int
    average_order_value: int | None
    discount: int
    cashback_earned: int
    cashback_redeemed: int
    stamps_given: int
    rewards_redeemed: int


class DayOut(_Out):
    """Net orders and revenue of one UTC day in one currency."""

    day: dt.date
    currency: str
    orders: int
    revenue: int


class AccountFiguresOut(_Out):
    """Accounts of one currency as they stand now (lifetime)."""

    currency: str
    accounts: int
    repeat_accounts: int = Field(description="Accounts with two orders or more.")
    lifetime_revenue: int
    lifetime_value: int | None = Field(description="Revenue per account.")
    cashback_outstanding: int = Field(description="Cashback balances not yet redeemed.")


class TierCountOut(_Out):
    """Accounts of an accumulative program at one tier (0 is the first tier)."""

    program_id: int
    program_name: str
    tier: int
    tier_name: str
    accounts: int


class PartnerSegmentOut(_Out):
    """A partner company's net revenue in one currency and its ABC class."""

    partner_id: int
    partner_name: str
    currency: str
    revenue: int
    segment: Literal["A", "B", "C"]


class ContributionOut(_Out):
    """Net orders and revenue of a staff member or location (null: none was given)."""

    id: int | None
    name: str | None
    currency: str
    orders: int
    revenue: int


class AnalyticsSummary(_Out):
    """Every figure of DESIGN.md section 8 for a period and, optionally, one program."""

    period: PeriodOut
    program_id: int | None
    cards: CardFiguresOut
    orders: int
    stamps_given: int
    rewards_redeemed: int
    repeat_customer_rate: Decimal | None = Field(
        description="Share of accounts with two orders or more, as a decimal (0.25 is 25 %)."
    )
    totals: list[CurrencyTotalsOut]
    days: list[DayOut]
    accounts: list[AccountFiguresOut]
    tiers: list[TierCountOut]
    partners: list[PartnerSegmentOut]
    staff: list[ContributionOut]
    locations: list[ContributionOut]


@api.operation(
    "GET", "/analytics/summary", scope="admin", summary="Analytics summary for a period",
    response=AnalyticsSummary, optional_query=("program_id", "since", "until"),
)  # fmt: skip
def analytics_summary(key: AuthorizedKey) -> AnalyticsSummary:
    """Figures of the days ``since`` to ``until`` (YYYY-MM-DD, default the last 30 days)."""
    filters = analytics.read_filters(session(), request.args, clock.now().date())
    summary = analytics.summarize(session(), filters.period, filters.program_id)
    return AnalyticsSummary.model_validate(summary)
