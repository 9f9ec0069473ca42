"""CSV files of the analytics summary and of its daily series.

Money is written in major units with the currency's decimals ("467.50"), one currency per
row, so a spreadsheet reads it as a number. Names people typed are guarded against formula
injection: a cell starting with = + - @ gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from decimal import Decimal

from issuer.analytics import Summary
from passes.money_display import currency_exponent

Row = tuple[str, str, str, str, str]
SUMMARY_HEADER: Row = ("section", "currency", "subject", "figure", "value")
DAYS_HEADER = ("day", "currency", "orders", "revenue")


def major(minor: int | None, currency: str) -> str:
    """Minor units as a plain decimal in major units; empty for None."""
    if minor is None:
        return ""
    return str(Decimal(minor).scaleb(-currency_exponent(currency)))


def as_text(name: str | None) -> str:
    """A typed name, safe to open in a spreadsheet."""
    text = name or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def summary_csv(summary: Summary) -> str:
    """Every figure of the summary, one per row."""
    return _csv([SUMMARY_HEADER, *_summary_rows(summary)])


def days_csv(summary: Summary) -> str:
    """Net orders and revenue for every day of the period and every currency, zeros included."""
    found = {(d.day, d.currency): d for d in summary.days}
    currencies = sorted({t.currency for t in summary.totals})
    rows: list[tuple[str, ...]] = [DAYS_HEADER]
    for day in summary.period.days:
        for currency in currencies:
            entry = found.get((day, currency))
            orders, revenue = (entry.orders, entry.revenue) if entry else (0, 0)
            rows.append((day.isoformat(), currency, str(orders), major(revenue, currency)))
    return _csv(rows)


def _summary_rows(summary: Summary) -> Iterator[Row]:
    cards = summary.cards
    for figure in ("issued", "apple_registrations", "google_saves", "wallet_installs", "active"):
        yield ("cards", "", "", figure, str(getattr(cards, figure)))
    rate = summary.repeat_customer_rate
    yield ("accounts", "", "", "repeat_customer_rate", "" if rate is None else str(rate))
    yield from _money_rows(summary)
    for tier in summary.tiers:
        subject = f"{as_text(tier.program_name)}: {as_text(tier.tier_name)}"
        yield ("tier", "", subject, "accounts", str(tier.accounts))
    for p in summary.partners:
        yield (
            "partner",
            p.currency,
            as_text(p.partner_name),
            "revenue",
            major(p.revenue, p.currency),
        )
        yield ("partner", p.currency, as_text(p.partner_name), "segment", p.segment)
    for section, rows in (("staff", summary.staff), ("location", summary.locations)):
        for row in rows:
            yield (section, row.currency, as_text(row.name), "orders", str(row.orders))
            yield (
                section,
                row.currency,
                as_text(row.name),
                "revenue",
                major(row.revenue, row.currency),
            )


def _money_rows(summary: Summary) -> Iterator[Row]:
    for t in summary.totals:
        yield ("orders", t.currency, "", "orders", str(t.orders))
        for figure in ("revenue", "average_order_value", "discount", "cashback_earned",
                       "cashback_redeemed"):  # fmt: skip
            yield ("orders", t.currency, "", figure, major(getattr(t, figure), t.currency))
        yield ("orders", t.currency, "", "stamps_given", str(t.stamps_given))
        yield ("orders", t.currency, "", "rewards_redeemed", str(t.rewards_redeemed))
    for a in summary.accounts:
        yield ("accounts", a.currency, "", "accounts", str(a.accounts))
        yield ("accounts", a.currency, "", "repeat_accounts", str(a.repeat_accounts))
        for figure in ("lifetime_revenue", "lifetime_value", "cashback_outstanding"):
            yield ("accounts", a.currency, "", figure, major(getattr(a, figure), a.currency))


def _csv(rows: Sequence[Sequence[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()
