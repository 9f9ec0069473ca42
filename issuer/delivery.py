"""Durable pass delivery: find cards whose pass is behind, push, record what was delivered.

Every change a pass shows raises the card's ``version``; ``apple_delivered_version`` is what
Wallet was last told about. A worker claims a batch of cards that are behind (a lease, so
other workers skip them; ``FOR UPDATE SKIP LOCKED`` on PostgreSQL while claiming), draws their
update tags and commits; then pushes; then records the versions delivered. A worker that dies
between the steps loses nothing: its lease runs out and another worker claims the cards again.
Several changes before a claim coalesce into one push.

Update tags come from one counter row whose lock is held until the claim commits, so tags are
handed out in commit order: a device listing "changed since tag T" cannot miss a change that
commits later with a smaller tag. Last-Modified moves forward by at least a second per
delivered version, so a device's If-Modified-Since (whole seconds) never hides a newer pass.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import Session

from issuer import registrations
from issuer.db.models import AppleDevice, Card, DeviceRegistration, MessageDelivery, UpdateCounter
from passes.apple.apns import PushAction, PushResult

log = logging.getLogger(__name__)
LEASE = dt.timedelta(seconds=60)
RETRY_DELAY = dt.timedelta(seconds=30)
SECOND = dt.timedelta(seconds=1)


class Pusher(Protocol):
    """What delivery needs from an APNs client."""

    def push_many(self, tokens: Iterable[str]) -> list[PushResult]:
        """Push ``{}`` to each token once; one result per distinct token."""
        ...


@dataclass(frozen=True, slots=True)
class Claim:
    """A card a worker has claimed: the version it will deliver, and the tokens to push."""

    card_id: int
    version: int
    tokens: tuple[str, ...]


def claim_apple_batch(session: Session, now: dt.datetime, limit: int) -> list[Claim]:
    """Claim up to ``limit`` cards whose Apple pass is behind, and give each a new tag."""
    rows = session.execute(_pending(now).limit(limit)).all()
    if not rows:
        return []
    first_tag = _draw_tags(session, len(rows))
    session.execute(
        update(Card),
        [
            {
                "id": card_id,
                "apple_tag": first_tag + index,
                "apple_modified_at": _next_modified(modified, now),
                "apple_claimed_until": now + LEASE,
            }
            for index, (card_id, _, modified) in enumerate(rows)
        ],
    )
    tokens = _tokens(session, [card_id for card_id, _, _ in rows])
    return [Claim(card_id, version, tokens[card_id]) for card_id, version, _ in rows]


def record_apple_delivery(
    session: Session, claims: Sequence[Claim], results: Iterable[PushResult], now: dt.datetime
) -> int:
    """Record which claimed versions reached every device; forget refused tokens."""
    by_token = {result.token: result for result in results}
    waiting = {t for t, r in by_token.items() if r.action == PushAction.RETRY_LATER}
    done = [claim for claim in claims if not waiting.intersection(claim.tokens)]
    later = [claim for claim in claims if waiting.intersection(claim.tokens)]
    if done:
        session.execute(
            update(Card),
            [{"id": c.card_id, "apple_delivered_version": c.version, "apple_claimed_until": None}
             for c in done],
        )  # fmt: skip
    if later:
        retry_at = now + RETRY_DELAY
        retries = [{"id": claim.card_id, "apple_claimed_until": retry_at} for claim in later]
        session.execute(update(Card), retries)
    _note_message_pushes(session, [claim.card_id for claim in done if claim.tokens], now)
    _forget_refused(session, by_token.values())
    return len(done)


def _note_message_pushes(session: Session, card_ids: list[int], now: dt.datetime) -> None:
    # Messages ride in the pass: one is out once a card version carrying it was pushed.
    if not card_ids:
        return
    delivered = select(Card.apple_delivered_version).where(Card.id == MessageDelivery.card_id)
    session.execute(
        update(MessageDelivery)
        .where(MessageDelivery.card_id.in_(card_ids), MessageDelivery.apple_pushed_at.is_(None))
        .where(MessageDelivery.card_version <= delivered.scalar_subquery())
        .values(apple_pushed_at=now)
        .execution_options(synchronize_session=False)
    )


def _pending(now: dt.datetime) -> Select[int, int, dt.datetime | None]:
    return (
        select(Card.id, Card.version, Card.apple_modified_at)
        .where(Card.apple_delivered_version < Card.version)
        .where(or_(Card.apple_claimed_until.is_(None), Card.apple_claimed_until < now))
        .order_by(Card.id)
        .with_for_update(skip_locked=True)
    )


def _draw_tags(session: Session, count: int) -> int:
    # The UPDATE's row lock is held until this transaction commits: tags follow commit order.
    drawn = session.execute(
        update(UpdateCounter)
        .where(UpdateCounter.id == 1)
        .values(value=UpdateCounter.value + count)
        .returning(UpdateCounter.value)
    ).scalar_one()
    return int(drawn) - count + 1


def _next_modified(previous: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    whole_second = now.replace(microsecond=0) + (SECOND if now.microsecond else dt.timedelta())
    return whole_second if previous is None else max(whole_second, previous + SECOND)


def _tokens(session: Session, card_ids: list[int]) -> dict[int, tuple[str, ...]]:
    query = (
        select(DeviceRegistration.card_id, AppleDevice.push_token)
        .join(AppleDevice, AppleDevice.id == DeviceRegistration.device_id)
        .where(DeviceRegistration.card_id.in_(card_ids))
    )
    found: dict[int, list[str]] = defaultdict(list)
    for card_id, token in session.execute(query):
        found[card_id].append(token)
    return {card_id: tuple(found[card_id]) for card_id in card_ids}


def _forget_refused(session: Session, results: Iterable[PushResult]) -> None:
    for result in results:
        if result.action == PushAction.UNREGISTER:
            since = _from_millis(result.timestamp)
            registrations.forget_token(session, result.token, registered_before=since)
        elif result.action == PushAction.DROP:
            registrations.forget_token(session, result.token, registered_before=None)
        elif result.action == PushAction.FAILED:
            log.error("APNs refused a push (%s %s); check the pass certificate and topic",
                      result.status, result.reason)  # fmt: skip


def _from_millis(timestamp: int | None) -> dt.datetime | None:
    return None if timestamp is None else dt.datetime.fromtimestamp(timestamp / 1000, dt.UTC)
