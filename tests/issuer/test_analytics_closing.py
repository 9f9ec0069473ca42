"""Rolling up closed days: what is filled when, repeated fills, and entries after the fill."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from issuer import checkout
from issuer.analytics import Period, Summary, summarize
from issuer.analytics.closed import closed_until
from issuer.analytics.closing import close_days, reopen_from
from issuer.db.models import (
    Card,
    ClosedDayFigures,
    ClosedMonthRevenue,
    Transaction,
    TransactionKind,
)
from issuer.db.session import Database
from issuer.rules import Order
from tests import analytics_data
from tests.analytics_data import Fixture, close_all_days, day

AUTUMN = Period(dt.date(2026, 10, 1), dt.date(2026, 12, 31))


@pytest.fixture
def data(db: Database) -> Fixture:
    with db.write() as session:
        made = analytics_data.build(session)
        session.commit()
    return made


def _close(db: Database, now: dt.datetime, margin: dt.timedelta | None = None) -> dt.date | None:
    with db.write() as session:
        moved = close_days(session, now) if margin is None else close_days(session, now, margin)
        session.commit()
    return moved


def _summary(db: Database, period: Period = AUTUMN, program_id: int | None = None) -> Summary:
    with db.read() as session:
        return summarize(session, period, program_id)


def _rows(db: Database) -> tuple[list[Any], list[Any]]:
    with db.read() as session:
        days = session.scalars(select(ClosedDayFigures)).all()
        months = session.scalars(select(ClosedMonthRevenue)).all()
        return sorted(_values(r) for r in days), sorted(_values(r) for r in months)


def _values(row: ClosedDayFigures | ClosedMonthRevenue) -> tuple[Any, ...]:
    names = [c.key for c in row.__table__.columns if c.key != "id"]
    return tuple(str(getattr(row, name)) for name in names)


def test_days_are_closed_a_month_at_a_time_from_the_first_entry(
    db: Database, data: Fixture
) -> None:
    # The first entry is o1 on Oct 25; the worker's clock says Dec 5, 10:00.
    now = day(12, 5)
    assert _close(db, now) == dt.date(2026, 11, 1)
    assert _close(db, now) == dt.date(2026, 12, 1)
    assert _close(db, now) == dt.date(2026, 12, 5)
    assert _close(db, now) is None
    with db.read() as session:
        assert closed_until(session) == dt.date(2026, 12, 5)
    months = {row[0] for row in _rows(db)[1]}
    assert months == {"2026-10-01", "2026-11-01"}  # December is not over


def test_a_day_is_closed_only_an_hour_after_it_ended(db: Database, data: Fixture) -> None:
    half_past_midnight = dt.datetime(2026, 11, 20, 0, 30, tzinfo=dt.UTC)
    with db.write() as session:
        close_all_days(session, half_past_midnight)
        session.commit()
    with db.read() as session:
        assert closed_until(session) == dt.date(2026, 11, 19)  # Nov 19 ended only 30 minutes ago


def test_nothing_to_close_on_an_empty_ledger(db: Database) -> None:
    assert _close(db, day(12, 5)) is None
    with db.read() as session:
        assert closed_until(session) is None


def test_closing_again_or_after_reopening_writes_the_same_rows(db: Database, data: Fixture) -> None:
    with db.write() as session:
        assert close_all_days(session, day(12, 5)) == 3
        assert close_all_days(session, day(12, 5)) == 0
        session.commit()
    first = _rows(db)
    assert first[0]
    assert first[1]
    with db.write() as session:
        reopen_from(session, dt.date(2026, 11, 12))
        assert closed_until(session) == dt.date(2026, 11, 12)
        close_all_days(session, day(12, 5))
        session.commit()
    assert _rows(db) == first
    with db.write() as session:
        reopen_from(session, None)
        assert closed_until(session) is None
        close_all_days(session, day(12, 5))
        session.commit()
    assert _rows(db) == first


def test_an_entry_written_after_closing_counts(db: Database, data: Fixture) -> None:
    with db.write() as session:
        close_all_days(session, day(12, 3))  # every day before Dec 3 rolled up
        session.commit()
    before = _summary(db)
    with db.write() as session:
        _order(session, data.cards["c2"], 4000, day(12, 3))
        session.commit()
    after = _summary(db)
    eur = {t.currency: t for t in after.totals}["EUR"]
    assert eur.orders == {t.currency: t for t in before.totals}["EUR"].orders + 1
    with db.write() as session:
        reopen_from(session, None)
        session.commit()
    assert _summary(db) == after


def _order(session: Any, card_id: int, amount: int, when: dt.datetime) -> None:
    promise = checkout.Idempotency("test", f"late-{when.isoformat()}", "hash")
    checkout.place_order(
        session, card_id, Order(amount=amount), promise, checkout.Attribution(), when
    )


def test_a_second_filler_cannot_fill_while_one_is_filling(db: Database, data: Fixture) -> None:
    assert _close(db, day(10, 1)) is None  # nothing closed yet, but the watermark row exists
    with db.write() as first:
        assert close_days(first, day(12, 5)) == dt.date(2026, 11, 1)
        if db.is_sqlite:
            _assert_writes_wait(db)  # BEGIN IMMEDIATE: a second filler waits its turn
        else:
            assert _close(db, day(12, 5)) is None  # SKIP LOCKED: a second filler skips
        first.commit()
    assert _close(db, day(12, 5)) == dt.date(2026, 12, 1)


def _assert_writes_wait(db: Database) -> None:
    other = sqlite3.connect(str(db.engine.url.database), timeout=0.1, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()


BASE = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
HOURS = 24 * 100  # October 1 to January 8
PROGRAMS = (None, "Discount", "Cashback", "Tiers", "Stamps")
KINDS = (TransactionKind.ORDER, TransactionKind.REVERSAL, TransactionKind.ADJUSTMENT)
# Days from October 1 where periods and watermarks are worth cutting: month starts and ends.
EDGES = (0, 1, 29, 30, 31, 32, 59, 60, 61, 62, 90, 91, 92, 93)
some_day = st.one_of(st.sampled_from(EDGES), st.integers(0, 99))
on_an_edge = st.tuples(st.sampled_from(EDGES), st.sampled_from((0, 600, 1439)))
minute = st.one_of(st.integers(0, HOURS * 60 - 1), on_an_edge.map(lambda d: d[0] * 1440 + d[1]))
entries = st.lists(
    st.tuples(
        st.sampled_from(sorted(analytics_data.CARDS)),
        st.sampled_from(KINDS),
        st.sampled_from(("EUR", "UAH")),  # a program's currency can change: either may appear
        st.integers(-50_000, 50_000),
        minute,
        st.booleans(),  # attributed to staff and a location
    ),
    max_size=25,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    written=entries,
    bounds=st.tuples(some_day, some_day).map(sorted),
    program=st.sampled_from(PROGRAMS),
    closed=st.tuples(st.sampled_from(("since", "end", "any")), st.integers(-2, 2), some_day),
)
def test_the_summary_from_rollups_equals_the_summary_from_the_ledger(
    db: Database,
    data: Fixture,
    written: list[tuple[str, str, str, int, int, bool]],
    bounds: list[int],
    program: str | None,
    closed: tuple[str, int, int],
) -> None:
    since, until = (BASE.date() + dt.timedelta(days=number) for number in bounds)
    periods = [Period(since, until), AUTUMN]
    program_id = None if program is None else data.programs[program]
    with db.write() as session:
        ids = [_entry(session, data, *values) for values in written]
        session.commit()
    try:
        ledger_only = [_summary(db, period, program_id) for period in periods]
        with db.write() as session:
            close_all_days(session, _watermark(periods[0], *closed), margin=dt.timedelta())
            session.commit()
        assert [_summary(db, period, program_id) for period in periods] == ledger_only
    finally:
        with db.write() as session:
            session.execute(delete(Transaction).where(Transaction.id.in_(ids)))
            reopen_from(session, None)
            session.commit()


GRID = [BASE.date() + dt.timedelta(days=number) for number in (0, 1, 29, 30, 31, 59, 61, 91, 93)]
# Entries on the first and last minutes of months, where a cut in the wrong place shows.
MONTH_EDGES = (30 * 1440 + 1439, 31 * 1440, 60 * 1440 + 1439, 61 * 1440, 91 * 1440 + 1439)


@pytest.mark.parametrize("program", ["Cashback", None])
def test_every_cut_of_the_fixed_data_set_equals_the_ledger(
    db: Database, data: Fixture, program: str | None
) -> None:
    program_id = None if program is None else data.programs[program]
    with db.write() as session:
        for number, minute in enumerate(MONTH_EDGES):
            _entry(session, data, "c4", TransactionKind.ORDER, "EUR", 700 + number, minute, True)
        session.commit()
    periods = [Period(a, b) for a in GRID for b in GRID if a <= b]
    ledger_only = [_summary(db, period, program_id) for period in periods]
    for closed in GRID:
        with db.write() as session:
            reopen_from(session, None)
            close_all_days(session, dt.datetime.combine(closed, dt.time(), dt.UTC), dt.timedelta())
            session.commit()
        from_rollups = [_summary(db, period, program_id) for period in periods]
        assert from_rollups == ledger_only, closed


def _watermark(period: Period, near: str, shift: int, day_number: int) -> dt.datetime:
    """A fill's clock: near the period's start or end, or on a day of its own."""
    days = {
        "any": day_number,
        "since": (period.since - BASE.date()).days,
        "end": (period.end - BASE).days,
    }
    return BASE + dt.timedelta(days=days[near] + shift)


def _entry(
    session: Session,
    data: Fixture,
    card_name: str,
    kind: str,
    currency: str,
    amount: int,
    minute: int,
    attributed: bool,
) -> int:
    card = session.get_one(Card, data.cards[card_name])
    figures = {"amount": amount, "payable": amount, "discount": amount // 10,
               "earned": amount // 20, "redeemed": amount // 30, "stamps_earned": amount % 3,
               "rewards_redeemed": amount % 2,
               "delta_orders_count": -1 if amount < 0 else 1}  # fmt: skip
    entry = Transaction(
        account_id=card.account_id, card_id=card.id, program_id=card.program_id, kind=kind,
        currency=currency, state_after={}, created_at=BASE + dt.timedelta(minutes=minute),
        staff_id=data.staff["Sam"] if attributed else None,
        location_id=data.locations["Lviv"] if attributed else None, **figures,
    )  # fmt: skip
    session.add(entry)
    session.flush()
    return entry.id
