"""Rolling up closed days: what is filled when, repeated fills, and entries after the fill."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from issuer import checkout
from issuer.analytics import Period, Summary, summarize
from issuer.analytics.closed import closed_until
from issuer.analytics.closing import close_all_days, close_days, reopen_from
from issuer.db.models import ClosedDayFigures, ClosedMonthRevenue
from issuer.db.session import Database
from issuer.rules import Order
from tests import analytics_data
from tests.analytics_data import Fixture, day

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


def test_a_second_filler_skips_while_one_is_filling(db: Database, data: Fixture) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite's write lock serialises fillers; there is no row lock to skip")
    assert _close(db, day(10, 1)) is None  # nothing closed yet, but the watermark row exists
    with db.write() as first:
        assert close_days(first, day(12, 5)) == dt.date(2026, 11, 1)
        assert _close(db, day(12, 5)) is None  # the first still holds the watermark's lock
        first.commit()
    assert _close(db, day(12, 5)) == dt.date(2026, 12, 1)
