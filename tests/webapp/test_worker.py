"""The delivery worker's other job: rolling up the analytics figures of closed days."""

from __future__ import annotations

import datetime as dt
import time

from issuer import clock
from issuer.analytics.closed import closed_until
from issuer.analytics.closing import MARGIN
from issuer.db.session import Database
from tests import analytics_data
from webapp.worker import DeliveryWorker, start_in_background


def test_the_worker_rolls_up_a_month_per_commit_then_looks_once_a_minute(db: Database) -> None:
    with db.write() as session:
        analytics_data.build(session)  # October 25 to December 2, 2026
        session.commit()
    worker = DeliveryWorker(db, None)
    steps = 0
    while worker.close_analytics_days():
        steps += 1
    with db.read() as session:
        assert closed_until(session) == _closed_today()
    assert steps >= 2  # October, November, and December's days that are over
    assert not worker.close_analytics_days()  # the next look is a minute away


def test_the_background_worker_rolls_up_without_any_wallet(db: Database) -> None:
    with db.write() as session:
        analytics_data.build(session)
        session.commit()
    stop = start_in_background(DeliveryWorker(db, None))
    try:
        deadline = time.monotonic() + 10
        while _closed(db) != _closed_today() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop()
    assert _closed(db) == _closed_today()


def _closed_today() -> dt.date:
    """The first day not closed yet: today, or yesterday in the first hour of today."""
    return (clock.now() - MARGIN).date()


def _closed(db: Database) -> object:
    with db.read() as session:
        return closed_until(session)
