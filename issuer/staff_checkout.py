"""Checkout at the counter: staff find a card by its code and place orders at a location.

The JSON API attributes orders to API keys; here every order names the staff member who placed
it and the location they work at, and its idempotency keys belong to that staff member alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer import cardcodes, cards, checkout
from issuer.checkout import Attribution, Idempotency, Receipt
from issuer.db.models import Card, Location, ProgramStatus, Staff
from issuer.errors import Conflict, Invalid, NotFound
from issuer.rules import Order

MAX_KEY_LENGTH = 255  # the ledger's idempotency_key column


def find_card_for_checkout(session: Session, typed: str) -> Card:
    """The card a scanned or typed code belongs to, when it can take orders.

    :raises NotFound: when the text is not a card code of ours, or no card has the code.
    :raises Conflict: when the card is voided or its program is not running.
    """
    if cardcodes.normalized(typed) is None:
        raise NotFound(
            "This is not a card code of ours; it may be a card of another program.",
            code="not_a_card_code",
        )
    card = cards.find_card_by_code(session, typed)
    if card is None:
        raise NotFound("No card has this code.", code="unknown_code")
    if card.is_voided:
        raise Conflict("This card has been voided and cannot take orders.", code="card_voided")
    if card.program.status != ProgramStatus.PUBLISHED:
        raise Conflict("This card's program is not running.", code="program_not_running")
    return card


def staff_locations(session: Session, staff: Staff) -> list[Location]:
    """Where a staff member takes orders: their own locations, or all when none are assigned."""
    if staff.locations:
        return sorted(staff.locations, key=lambda location: location.name)
    return list(session.scalars(select(Location).order_by(Location.name)))


def location_for_order(session: Session, staff: Staff, chosen_id: int | None) -> Location | None:
    """The location an order by this staff member is recorded at.

    One possible location is used as it is; among several the staff member must have chosen.

    :raises Invalid: when a choice is needed and missing, or names a location not theirs.
    """
    possible = staff_locations(session, staff)
    if len(possible) <= 1:
        return possible[0] if possible else None
    chosen = next((location for location in possible if location.id == chosen_id), None)
    if chosen is None:
        raise Invalid({"location": "Choose the location you are working at."})
    return chosen


def place_staff_order(
    session: Session,
    card: Card,
    order: Order,
    staff: Staff,
    location: Location | None,
    key: str,
    now: dt.datetime,
) -> Receipt:
    """Apply an order once per key of this staff member; the same key again returns the first."""
    location_id = location.id if location else None
    fingerprint = f"order card={card.id} {order!r} location={location_id}"
    return checkout.place_order(
        session,
        card.id,
        order,
        staff_idempotency(staff, key, fingerprint),
        Attribution(staff_id=staff.id, location_id=location_id),
        now,
    )


def staff_idempotency(staff: Staff, key: str, request: str) -> Idempotency:
    """A staff member's promise that requests with one key are one request.

    :raises Invalid: when the key is empty or too long to store.
    """
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise Invalid({"idempotency_key": "Reload the page: this form has no valid order key."})
    digest = hashlib.sha256(request.encode()).hexdigest()
    return Idempotency(scope=f"staff:{staff.id}", key=key, request_hash=digest)
