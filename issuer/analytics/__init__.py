"""Analytics (DESIGN.md section 8): figures computed in SQL over a period and a program.

Period figures (orders, revenue, discount, cashback, stamps, rewards, per day, per staff
member and location, ABC classes) are net over the ledger entries written in the period;
account figures (repeat rate, lifetime value, cashback outstanding, tiers) describe the
accounts as they stand now. See each module for the exact definitions.
"""

from issuer.analytics.accounts import AccountFigures, TierCount
from issuer.analytics.attribution import Contribution
from issuer.analytics.cards import CardFigures
from issuer.analytics.filters import Filters, read_filters
from issuer.analytics.ledger import CurrencyTotals, DayFigures
from issuer.analytics.period import ACTIVE_DAYS, DEFAULT_DAYS, Period
from issuer.analytics.segments import PartnerSegment, partner_classes, segments_query
from issuer.analytics.summary import Summary, summarize

__all__ = [
    "ACTIVE_DAYS",
    "DEFAULT_DAYS",
    "AccountFigures",
    "CardFigures",
    "Contribution",
    "CurrencyTotals",
    "DayFigures",
    "Filters",
    "PartnerSegment",
    "Period",
    "Summary",
    "TierCount",
    "partner_classes",
    "read_filters",
    "segments_query",
    "summarize",
]
