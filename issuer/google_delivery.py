"""Google Wallet delivery: patch the object of every card at Google whose version moved.

The same durable pattern as Apple's (issuer.delivery): claim under a lease and commit,
call Google, then record the version delivered. Only cards whose object exists at Google
(a save link was handed out: ``google_delivered_version`` >= 1) are ever claimed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from issuer.db.models import Card
from issuer.delivery import LEASE, RETRY_DELAY

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class GoogleClaim:
    """A card claimed for a Google update, and the version it is to get."""

    card_id: int
    version: int


def claim_google_batch(session: Session, now: dt.datetime, limit: int) -> list[GoogleClaim]:
    """Claim up to ``limit`` cards whose Google object is behind their version."""
    query = (
        select(Card.id, Card.version)
        .where(Card.google_delivered_version >= 1)
        .where(Card.google_delivered_version < Card.version)
        .where(or_(Card.google_claimed_until.is_(None), Card.google_claimed_until < now))
        .order_by(Card.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = session.execute(query).all()
    if rows:
        leases = [{"id": card_id, "google_claimed_until": now + LEASE} for card_id, _ in rows]
        session.execute(update(Card), leases)
    return [GoogleClaim(card_id, version) for card_id, version in rows]


def record_google_delivery(
    session: Session,
    delivered: Sequence[GoogleClaim],
    failed: Sequence[GoogleClaim],
    now: dt.datetime,
) -> None:
    """Record the versions Google now holds; claims that failed are tried again later."""
    if delivered:
        done = [
            {"id": c.card_id, "google_delivered_version": c.version, "google_claimed_until": None}
            for c in delivered
        ]
        session.execute(update(Card), done)
    if failed:
        later = [{"id": c.card_id, "google_claimed_until": now + RETRY_DELAY} for c in failed]
        session.execute(update(Card), later)
