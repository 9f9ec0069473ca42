"""Messages on their way to the wallets: Apple pushes recorded, Google addMessage calls queued.

Apple needs nothing of its own: the message raised the card's version, so the ordinary
delivery worker pushes, and notes when a card version carrying a message reached the card's
devices (issuer.delivery). Google needs one addMessage call per card, made durable
the same way as pass updates (issuer.google_delivery): claim pending rows under a lease and
commit, call Google, record. Google lets three notifying updates reach a pass per 24 hours;
a message beyond that goes out without a notification, and the row says so.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from issuer.db.models import Card, GoogleStatus, Message, MessageDelivery
from issuer.delivery import LEASE, RETRY_DELAY
from passes.google import NOTIFICATION_WINDOW, notification_allowed

MAX_ATTEMPTS = 8


@dataclass(frozen=True, slots=True)
class GoogleMessageClaim:
    """One message to put on one card's Google object, and whether it may notify."""

    delivery_id: int
    message_id: int
    serial: str
    title: str
    body: str
    notify: bool


class Outcome(enum.Enum):
    """What Google made of one addMessage call."""

    NOTIFIED = "notified"
    SILENT = "silent"
    NOT_SAVED = "not_saved"
    RETRY = "retry"


def claim_google_messages(
    session: Session, now: dt.datetime, limit: int
) -> list[GoogleMessageClaim]:
    """Claim up to ``limit`` pending messages, deciding per card whether each may notify."""
    query = (
        select(
            MessageDelivery.id,
            MessageDelivery.card_id,
            Message.id,
            Card.serial,
            Message.title,
            Message.body,
        )
        .join(Message, Message.id == MessageDelivery.message_id)
        .join(Card, Card.id == MessageDelivery.card_id)
        .where(MessageDelivery.google_status == GoogleStatus.PENDING)
        .where(
            or_(
                MessageDelivery.google_claimed_until.is_(None),
                MessageDelivery.google_claimed_until < now,
            )
        )
        .order_by(MessageDelivery.id)
        .limit(limit)
        .with_for_update(of=MessageDelivery, skip_locked=True)
    )
    rows = session.execute(query).all()
    if not rows:
        return []
    leases = [{"id": row[0], "google_claimed_until": now + LEASE} for row in rows]
    session.execute(update(MessageDelivery), leases)
    sent = _notified_since(session, {row[1] for row in rows}, now - NOTIFICATION_WINDOW)
    claims = []
    for delivery_id, card_id, message_id, serial, title, body in rows:
        notify = notification_allowed(sent[card_id], now)
        if notify:
            sent[card_id].append(now)  # a second message to the card in this batch counts it
        claims.append(GoogleMessageClaim(delivery_id, message_id, serial, title, body, notify))
    return claims


def record_google_messages(
    session: Session, outcomes: Sequence[tuple[GoogleMessageClaim, Outcome]], now: dt.datetime
) -> None:
    """Record what Google made of each claimed message; failures are tried again later."""
    done = [_recorded(c.delivery_id, o, now) for c, o in outcomes if o is not Outcome.RETRY]
    if done:
        session.execute(update(MessageDelivery), done)
    retried = [claim.delivery_id for claim, outcome in outcomes if outcome is Outcome.RETRY]
    if retried:
        _retry_later(session, retried, now)


def _recorded(delivery_id: int, outcome: Outcome, now: dt.datetime) -> dict[str, object]:
    saved = outcome is not Outcome.NOT_SAVED
    return {
        "id": delivery_id,
        "google_claimed_until": None,
        "google_status": GoogleStatus.DELIVERED if saved else GoogleStatus.NOT_SAVED,
        "google_notified": outcome is Outcome.NOTIFIED,
        "google_delivered_at": now if saved else None,
    }


def _retry_later(session: Session, delivery_ids: list[int], now: dt.datetime) -> None:
    chosen = MessageDelivery.id.in_(delivery_ids)
    session.execute(
        update(MessageDelivery)
        .where(chosen)
        .values(
            google_attempts=MessageDelivery.google_attempts + 1,
            google_claimed_until=now + RETRY_DELAY,
        )
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(MessageDelivery)
        .where(chosen, MessageDelivery.google_attempts >= MAX_ATTEMPTS)
        .values(google_status=GoogleStatus.FAILED, google_claimed_until=None)
        .execution_options(synchronize_session=False)
    )


def _notified_since(
    session: Session, card_ids: set[int], since: dt.datetime
) -> defaultdict[int, list[dt.datetime]]:
    query = select(MessageDelivery.card_id, MessageDelivery.google_delivered_at).where(
        MessageDelivery.card_id.in_(card_ids),
        MessageDelivery.google_notified.is_(True),
        MessageDelivery.google_delivered_at > since,
    )
    found: defaultdict[int, list[dt.datetime]] = defaultdict(list)
    for card_id, moment in session.execute(query):
        if moment is not None:
            found[card_id].append(moment)
    return found
