"""Google's notification budget: three notifying updates per pass per 24 hours.

Google: "3 notification-triggering updates per pass per 24 h"; beyond that addMessage with
TEXT_AND_NOTIFY fails with QuotaExceededException and should be resent as TEXT
(https://developers.google.com/wallet/retail/loyalty-cards/use-cases/trigger-push-notifications;
reference/wallet-protocols.md 4.8). Field updates sent with ``notifyPreference`` count
against the same budget. The caller stores when each notifying update went out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

NOTIFICATIONS_PER_WINDOW = 3
NOTIFICATION_WINDOW = timedelta(hours=24)


def notification_allowed(earlier: Iterable[datetime], now: datetime) -> bool:
    """Tell whether one more notifying update of a pass fits Google's budget at ``now``."""
    return len(_recent(earlier, now)) < NOTIFICATIONS_PER_WINDOW


def next_notification_at(earlier: Iterable[datetime], now: datetime) -> datetime:
    """Return the first moment from ``now`` on when a notifying update fits again."""
    recent = sorted(_recent(earlier, now))
    if len(recent) < NOTIFICATIONS_PER_WINDOW:
        return now
    # The window frees up when the oldest notification that still fills it ages out.
    return recent[len(recent) - NOTIFICATIONS_PER_WINDOW] + NOTIFICATION_WINDOW


def _recent(earlier: Iterable[datetime], now: datetime) -> list[datetime]:
    moments = [now, *earlier]
    if any(moment.utcoffset() is None for moment in moments):
        raise ValueError("notification times need a time zone")
    return [moment for moment in moments[1:] if now - NOTIFICATION_WINDOW < moment <= now]
