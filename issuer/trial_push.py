"""A test push from the settings page: wake the devices that hold one chosen card.

An empty push makes each device ask which of its passes changed; with nothing changed it
shows nothing, so a test push is harmless. It proves the APNs set-up end to end and reports
APNs's answer per device. Refused tokens are left alone here (the worker handles them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer import audit, cards
from issuer.db.models import AppleDevice, Card, DeviceRegistration
from issuer.delivery import Pusher
from issuer.errors import Invalid
from passes.apple.apns import PushResult


def find_card(session: Session, typed: str) -> Card:
    """The card with this card code or pass serial number."""
    typed = typed.strip()
    if not typed:
        raise Invalid({"card": "Enter a card code or serial number."})
    card = cards.find_card_by_serial(session, typed) or cards.find_card_by_code(session, typed)
    if card is None:
        raise Invalid({"card": "No card has this code or serial number."})
    return card


def registered_tokens(session: Session, card: Card) -> tuple[str, ...]:
    """The push tokens of the devices that registered this card's pass."""
    query = (
        select(AppleDevice.push_token)
        .join(DeviceRegistration, DeviceRegistration.device_id == AppleDevice.id)
        .where(DeviceRegistration.card_id == card.id)
        .order_by(AppleDevice.id)
    )
    return tuple(session.scalars(query))


def note_trial(
    session: Session, card: Card, tokens: Sequence[str], actor: str, now: dt.datetime
) -> None:
    """Write the test push to the audit log (before it is sent, with the caller's commit)."""
    audit.record(session, actor, "apple.test_push", f"card:{card.id}", now,
                 serial=card.serial, devices=len(tokens))  # fmt: skip


def push(pusher: Pusher, tokens: Sequence[str]) -> list[PushResult]:
    """Push to each token once and return APNs's answer for each."""
    return pusher.push_many(tokens) if tokens else []
