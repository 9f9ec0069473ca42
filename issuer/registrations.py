"""Apple Wallet devices: registering for a pass's updates, listing changed passes, logs.

The protocol is Apple's pass web service (reference/wallet-protocols.md section 2). Update
tags are the cards' ``apple_tag``: drawn by the delivery worker in commit order, so a device
asking "what changed since tag T" can never miss a change committed after it asked.
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
from dataclasses import dataclass

from sqlalchemy import Connection, Dialect, bindparam, delete, func, select
from sqlalchemy.orm import Session

from issuer.db.base import Base
from issuer.db.driver_statements import DriverStatement
from issuer.db.models import AppleDevice, Card, DeviceLogEntry, DeviceRegistration, Program
from issuer.errors import NotAuthorized

MAX_LOG_ENTRIES = 20
MAX_LOG_ENTRY_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class ChangedPasses:
    """The serial numbers that changed since a tag, and the tag to ask with next time."""

    serial_numbers: list[str]
    last_updated: str


@dataclass(frozen=True, slots=True)
class PassRef:
    """What a wallet's request needs to know of a card: which pass, which version of it."""

    card_id: int
    version: int
    design_version_id: int | None
    modified_at: dt.datetime


def authorized_pass(connection: Connection, serial: str, token: str | None) -> PassRef:
    """The card with this serial if ``token`` is its authentication token (constant time).

    One query on the driver's cursor, no ORM objects: a wallet asking again for a pass it
    has is the common case, and a built pass is kept per version, so most requests need
    nothing more.

    :raises NotAuthorized: for an unknown serial or a wrong token alike.
    """
    row = _pass_ref(connection.dialect).first_row(connection, {"serial": serial})
    expected = row[1] if row is not None else "x" * 43
    if not hmac.compare_digest(expected.encode(), (token or "").encode()) or row is None:
        raise NotAuthorized("The pass's authentication token does not match.")
    card_id, _, version, apple_modified_at, created_at, design_version_id = row
    return PassRef(card_id, version, design_version_id, apple_modified_at or created_at)


@functools.lru_cache(maxsize=8)
def _pass_ref(dialect: Dialect) -> DriverStatement:
    return DriverStatement.compile(_PASS_REF, dialect)


# Table columns rather than mapped attributes: Core, compiled once per dialect and run on
# the driver's cursor (see issuer.db.driver_statements).
_tables = Base.metadata.tables
_cards, _programs = _tables[Card.__tablename__], _tables[Program.__tablename__]
_PASS_REF = select(
    _cards.c.id,
    _cards.c.auth_token,
    _cards.c.version,
    _cards.c.apple_modified_at,
    _cards.c.created_at,
    _programs.c.current_version_id,
).join(_programs, _programs.c.id == _cards.c.program_id)
_PASS_REF = _PASS_REF.where(_cards.c.serial == bindparam("serial"))


def register(
    session: Session,
    library_id: str,
    pass_type_id: str,
    card_id: int,
    push_token: str,
    now: dt.datetime,
) -> bool:
    """Register the device for the card's updates; True when the registration is new."""
    device = _device(session, library_id, push_token, now)
    query = select(DeviceRegistration).where(
        DeviceRegistration.device_id == device.id, DeviceRegistration.card_id == card_id
    )
    if session.scalars(query).one_or_none() is not None:
        return False
    session.add(
        DeviceRegistration(
            device=device, card_id=card_id, pass_type_id=pass_type_id, created_at=now
        )
    )
    session.flush()
    return True


def unregister(session: Session, library_id: str, card_id: int) -> None:
    """Forget the device's registration for the card, and the device once it has none."""
    device = _find_device(session, library_id)
    if device is None:
        return
    session.execute(
        delete(DeviceRegistration).where(
            DeviceRegistration.device_id == device.id, DeviceRegistration.card_id == card_id
        )
    )
    _forget_if_unused(session, device)


def changed_passes(
    session: Session, library_id: str, pass_type_id: str, since: str | None
) -> ChangedPasses | None:
    """Serials registered by the device whose tag is newer than ``since``; None if nothing."""
    query = (
        select(Card.serial, Card.apple_tag)
        .join(DeviceRegistration, DeviceRegistration.card_id == Card.id)
        .join(AppleDevice, AppleDevice.id == DeviceRegistration.device_id)
        .where(AppleDevice.library_id == library_id)
        .where(DeviceRegistration.pass_type_id == pass_type_id)
    )
    after = _tag(since)
    if after is not None:
        query = query.where(Card.apple_tag > after)
    rows = session.execute(query.order_by(Card.apple_tag)).all()
    if not rows:
        return None
    return ChangedPasses([serial for serial, _ in rows], str(max(tag for _, tag in rows)))


def record_log(session: Session, messages: list[str], now: dt.datetime) -> int:
    """Keep what a device reported, bounded in count and length; returns how many were kept."""
    kept = [text[:MAX_LOG_ENTRY_LENGTH] for text in messages[:MAX_LOG_ENTRIES]]
    session.add_all(DeviceLogEntry(message=text, created_at=now) for text in kept)
    return len(kept)


def forget_token(session: Session, push_token: str, registered_before: dt.datetime | None) -> int:
    """Drop the registrations behind a push token APNs refused; keep any made after the refusal."""
    devices = select(AppleDevice.id).where(AppleDevice.push_token == push_token)
    refused = delete(DeviceRegistration).where(DeviceRegistration.device_id.in_(devices))
    if registered_before is not None:
        refused = refused.where(DeviceRegistration.created_at < registered_before)
    result = session.execute(refused)
    return int(getattr(result, "rowcount", 0) or 0)


def _tag(since: str | None) -> int | None:
    # A tag we never issued (not a number) is treated as "never asked": list everything.
    return int(since) if since and since.isdecimal() else None


def _device(session: Session, library_id: str, push_token: str, now: dt.datetime) -> AppleDevice:
    device = _find_device(session, library_id)
    if device is None:
        device = AppleDevice(
            library_id=library_id, push_token=push_token, created_at=now, updated_at=now
        )
        session.add(device)
        session.flush()
    elif device.push_token != push_token:
        device.push_token = push_token  # tokens rotate; the newest one is the one that works
        device.updated_at = now
    return device


def _find_device(session: Session, library_id: str) -> AppleDevice | None:
    query = select(AppleDevice).where(AppleDevice.library_id == library_id)
    return session.scalars(query).one_or_none()


def _forget_if_unused(session: Session, device: AppleDevice) -> None:
    query = select(func.count()).where(DeviceRegistration.device_id == device.id)
    if not session.scalar(query):
        session.delete(device)
