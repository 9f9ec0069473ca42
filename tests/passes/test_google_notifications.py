"""Google's budget of three notifying updates per pass per 24 hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from passes.google import next_notification_at, notification_allowed

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_three_in_a_day_fit_and_a_fourth_does_not() -> None:
    sent: list[datetime] = []
    for hours_ago in (20, 10, 1):
        assert notification_allowed(sent, NOW)
        sent.append(NOW - hours_ago * HOUR)
    assert not notification_allowed(sent, NOW)


def test_notifications_older_than_a_day_no_longer_count() -> None:
    sent = [NOW - 24 * HOUR, NOW - 30 * HOUR, NOW - 2 * HOUR, NOW - HOUR]
    assert notification_allowed(sent, NOW)
    assert not notification_allowed([*sent, NOW - timedelta(hours=23, minutes=59)], NOW)


def test_times_in_other_zones_compare_as_instants() -> None:
    kyiv = timezone(timedelta(hours=3))
    sent = [(NOW - n * HOUR).astimezone(kyiv) for n in (1, 2, 25)]
    assert notification_allowed(sent, NOW)
    assert not notification_allowed([*sent, NOW.astimezone(kyiv) - 3 * HOUR], NOW)


def test_the_next_slot_opens_when_the_oldest_counted_notice_ages_out() -> None:
    assert next_notification_at([NOW - HOUR], NOW) == NOW
    sent = [NOW - 20 * HOUR, NOW - 5 * HOUR, NOW - HOUR, NOW - 30 * HOUR]
    assert next_notification_at(sent, NOW) == NOW + 4 * HOUR
    # Four counted (an overshoot): two must age out.
    assert next_notification_at([*sent, NOW - 2 * HOUR], NOW) == NOW + 19 * HOUR


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        notification_allowed([datetime(2026, 5, 1, 11, 0)], NOW)  # noqa: DTZ001 - the point
