"""The analytics summary of DESIGN.md section 8, every figure computed by the database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from issuer.analytics.accounts import (
    AccountFigures,
    TierCount,
    account_figures,
    accounts_per_tier,
    share,
)
from issuer.analytics.attribution import Contribution, per_location, per_staff
from issuer.analytics.cards import CardFigures, card_figures
from issuer.analytics.ledger import CurrencyTotals, DayFigures, currency_totals, daily_series
from issuer.analytics.period import Period
from issuer.analytics.segments import PartnerSegment, partner_segments


@dataclass(frozen=True, slots=True)
class Summary:
    """Every analytics figure for a period and, optionally, one program.

    Money figures are per currency: amounts of different currencies are never added.
    """

    period: Period
    program_id: int | None
    cards: CardFigures
    totals: list[CurrencyTotals]
    days: list[DayFigures]
    accounts: list[AccountFigures]
    tiers: list[TierCount]
    partners: list[PartnerSegment]
    staff: list[Contribution]
    locations: list[Contribution]

    @property
    def orders(self) -> int:
        """Net orders of the period, every currency together (a count, not money)."""
        return sum(row.orders for row in self.totals)

    @property
    def stamps_given(self) -> int:
        """Stamps given in the period."""
        return sum(row.stamps_given for row in self.totals)

    @property
    def rewards_redeemed(self) -> int:
        """Rewards taken in the period."""
        return sum(row.rewards_redeemed for row in self.totals)

    @property
    def account_count(self) -> int:
        """Accounts of every currency."""
        return sum(row.accounts for row in self.accounts)

    @property
    def repeat_accounts(self) -> int:
        """Accounts with two orders or more."""
        return sum(row.repeat_accounts for row in self.accounts)

    @property
    def repeat_customer_rate(self) -> Decimal | None:
        """Share of accounts with two orders or more (0.2500 is 25 %)."""
        return share(self.repeat_accounts, self.account_count)


def summarize(session: Session, period: Period, program_id: int | None = None) -> Summary:
    """Compute every figure of the period (and program) with one query per group of figures."""
    return Summary(
        period=period,
        program_id=program_id,
        cards=card_figures(session, period, program_id),
        totals=currency_totals(session, period, program_id),
        days=daily_series(session, period, program_id),
        accounts=account_figures(session, program_id),
        tiers=accounts_per_tier(session, program_id),
        partners=partner_segments(session, period, program_id),
        staff=per_staff(session, period, program_id),
        locations=per_location(session, period, program_id),
    )
