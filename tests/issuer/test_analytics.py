"""Every analytics figure, checked against the hand-built data set of tests/analytics_data.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from issuer.analytics import (
    AccountFigures,
    CardFigures,
    Contribution,
    CurrencyTotals,
    DayFigures,
    PartnerSegment,
    Period,
    Summary,
    TierCount,
    partner_classes,
    summarize,
)
from issuer.db.session import Database
from tests import analytics_data
from tests.analytics_data import NOVEMBER, Fixture, close_all_days

# Every figure is checked from the ledger alone, with the days rolled up to the middle of
# November (edges and the open part read from the ledger), and with every day rolled up.
CLOSED_UNTIL = {"ledger": None, "mid-november": (11, 16), "all": (12, 31)}


@pytest.fixture(params=list(CLOSED_UNTIL))
def data(db: Database, request: pytest.FixtureRequest) -> Fixture:
    with db.write() as session:
        made = analytics_data.build(session)
        session.commit()
    closed = CLOSED_UNTIL[request.param]
    if closed is not None:
        with db.write() as session:
            close_all_days(session, analytics_data.day(*closed), margin=dt.timedelta())
            session.commit()
    return made


def _summary(db: Database, program_id: int | None = None, period: Period | None = None) -> Summary:
    with db.read() as session:
        return summarize(session, period or Period(*NOVEMBER), program_id)


def _nov(number: int) -> dt.date:
    return dt.date(2026, 11, number)


def test_card_figures(db: Database, data: Fixture) -> None:
    cards = _summary(db).cards
    # Issued in November: c2-c8. Apple: c2, c4, c6 (c1's is October). Google: c3, c7.
    # Active: every card with an order not reversed in the 90 days to Nov 30; c3's was reversed.
    assert cards == CardFigures(issued=7, apple_registrations=3, google_saves=2, active=9)
    assert cards.wallet_installs == 5


def test_currency_totals_are_net_of_reversals_in_the_period(db: Database, data: Fixture) -> None:
    totals = _summary(db).totals
    # EUR: o2 o3 o4 o5 (reversed in Nov) o6 o7 o8 (reversed in Dec) o16 o17.
    eur = CurrencyTotals("EUR", 8, 46750, 3750, 1300, 1000, 0, 0)
    uah = CurrencyTotals("UAH", 7, 25010, 890, 0, 0, 4, 1)
    assert totals == [eur, uah]
    assert [t.average_order_value for t in totals] == [5844, 3573]  # 5843.75 and 3572.857...


def test_summary_counts_across_currencies(db: Database, data: Fixture) -> None:
    summary = _summary(db)
    assert (summary.orders, summary.stamps_given, summary.rewards_redeemed) == (15, 4, 1)


def test_orders_and_revenue_per_day(db: Database, data: Fixture) -> None:
    expected = [
        (10, "EUR", 2, 27000),
        (11, "EUR", 1, 900),
        (12, "EUR", 1, 2700),
        (13, "EUR", -1, -2700),
        (14, "EUR", 1, 10000),
        (15, "EUR", 1, 3000),
        (16, "UAH", 1, 11640),
        (17, "UAH", 2, 10470),
        (18, "UAH", 1, 500),
        (19, "UAH", 1, 700),
        (20, "UAH", 1, 800),
        (21, "UAH", 1, 900),
        (22, "EUR", 1, 3600),
        (23, "EUR", 1, 450),
        (29, "EUR", 1, 1800),
    ]
    assert _summary(db).days == [DayFigures(_nov(d), c, o, r) for d, c, o, r in expected]


def test_account_figures_are_lifetime(db: Database, data: Fixture) -> None:
    summary = _summary(db)
    # EUR: c1 (2 orders, 13500), c2 (2, 18900), c3 (0, 0), c9 (1, 3600), c10 (1, 450), and
    # the shared Acme cashback account (2, 13000, 300 still to redeem).
    eur = AccountFigures("EUR", 6, 3, 49450, 300)
    # UAH: c6 (2, 21140), c7 (1, 970), c8 (4, 2900).
    uah = AccountFigures("UAH", 3, 2, 25010, 0)
    assert summary.accounts == [eur, uah]
    assert [a.lifetime_value for a in summary.accounts] == [8242, 8337]
    assert summary.repeat_customer_rate == Decimal("0.5556")  # 5 of 9


def test_accounts_per_tier(db: Database, data: Fixture) -> None:
    tiers = data.programs["Tiers"]
    assert _summary(db).tiers == [
        TierCount(tiers, "Tiers", 0, "Bronze", 1),
        TierCount(tiers, "Tiers", 1, "Silver", 1),
    ]


def test_abc_segments(db: Database, data: Fixture) -> None:
    p = data.partners
    # EUR: Acme 10800 + 13000 (cashback), Birch 18900, Elm 3600, Fir 450 = 46750.
    # Birch crosses 80 % (51 % above it): A. Elm crosses 95 %: B. Fir: C.
    # UAH: Cedar 21140 + 2900 = 24040 of 25010: A. Delta (96 % above it): C.
    assert _summary(db).partners == [
        PartnerSegment(p["Acme"], "Acme", "EUR", 23800, "A"),
        PartnerSegment(p["Birch"], "Birch", "EUR", 18900, "A"),
        PartnerSegment(p["Elm"], "Elm", "EUR", 3600, "B"),
        PartnerSegment(p["Fir"], "Fir", "EUR", 450, "C"),
        PartnerSegment(p["Cedar"], "Cedar", "UAH", 24040, "A"),
        PartnerSegment(p["Delta"], "Delta", "UAH", 970, "C"),
    ]


def test_partner_classes_for_targeting(db: Database, data: Fixture) -> None:
    p = data.partners
    with db.read() as session:
        everything = partner_classes(session, None, *NOVEMBER)
        tiers_only = partner_classes(session, data.programs["Tiers"], *NOVEMBER)
    assert everything == {
        p["Acme"]: "A", p["Birch"]: "A", p["Elm"]: "B", p["Fir"]: "C",
        p["Cedar"]: "A", p["Delta"]: "C",
    }  # fmt: skip
    # Tiers alone: Cedar 21140, Delta 970 (95.6 % above it).
    assert tiers_only == {p["Cedar"]: "A", p["Delta"]: "C"}


def test_per_staff_member_and_location(db: Database, data: Fixture) -> None:
    summary = _summary(db)
    s, loc = data.staff, data.locations
    assert summary.staff == [
        Contribution(s["Sam"], "Sam", "EUR", 5, 27400),
        Contribution(s["Tia"], "Tia", "EUR", 2, 18450),
        Contribution(None, None, "EUR", 1, 900),
        Contribution(s["Tia"], "Tia", "UAH", 6, 24040),
        Contribution(s["Sam"], "Sam", "UAH", 1, 970),
    ]
    assert summary.locations == [
        Contribution(loc["Kyiv"], "Kyiv", "EUR", 5, 42400),
        Contribution(loc["Lviv"], "Lviv", "EUR", 2, 3450),
        Contribution(None, None, "EUR", 1, 900),
        Contribution(loc["Kyiv"], "Kyiv", "UAH", 2, 21140),
        Contribution(loc["Lviv"], "Lviv", "UAH", 5, 3870),
    ]


def test_one_program(db: Database, data: Fixture) -> None:
    summary = _summary(db, data.programs["Discount"])
    assert summary.cards == CardFigures(issued=2, apple_registrations=1, google_saves=1, active=4)
    assert summary.totals == [CurrencyTotals("EUR", 6, 33750, 3750, 0, 0, 0, 0)]
    assert summary.totals[0].average_order_value == 5625
    assert summary.accounts == [AccountFigures("EUR", 5, 2, 36450, 0)]
    assert summary.tiers == []
    assert [(row.partner_name, row.segment) for row in summary.partners] == [
        ("Birch", "A"), ("Acme", "A"), ("Elm", "B"), ("Fir", "C"),
    ]  # fmt: skip


def test_a_reversal_counts_on_its_own_day(db: Database, data: Fixture) -> None:
    december = Period(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    summary = _summary(db, period=december)
    assert summary.totals == [CurrencyTotals("EUR", -1, -1800, -200, 0, 0, 0, 0)]
    assert summary.totals[0].average_order_value is None
    assert summary.days == [DayFigures(dt.date(2026, 12, 2), "EUR", -1, -1800)]
    acme = data.partners["Acme"]
    assert summary.partners == [PartnerSegment(acme, "Acme", "EUR", -1800, "C")]


def test_an_empty_period(db: Database, data: Fixture) -> None:
    summary = _summary(db, period=Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31)))
    assert summary.cards == CardFigures(0, 0, 0, 0)
    assert (summary.totals, summary.days, summary.partners) == ([], [], [])
    assert (summary.staff, summary.locations) == ([], [])


def test_a_period_runs_over_whole_utc_days() -> None:
    period = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert period.start == dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    assert period.end == dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert len(period.days) == 30
    assert Period.last_days(dt.date(2026, 11, 30)) == period
    with pytest.raises(ValueError, match="since"):
        Period(dt.date(2026, 11, 2), dt.date(2026, 11, 1))
