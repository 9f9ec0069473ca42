"""The mail outbox: emails kept for admins to read when no SMTP server is configured."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from issuer.db.models import OutboxMessage
from issuer.errors import NotFound


def record(
    session: Session, recipient: str, subject: str, body: str, now: dt.datetime
) -> OutboxMessage:
    """Keep one email in the outbox; the caller commits."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, created_at=now)
    session.add(message)
    return message


def recent(
    session: Session, limit: int = 100, recipient: str = "", before: int | None = None
) -> list[OutboxMessage]:
    """The newest emails in the outbox first, perhaps to recipients containing ``recipient``.

    ``before`` is the id of the last email of the previous page.
    """
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if recipient.strip():
        wanted = recipient.strip().lower()
        query = query.where(func.lower(OutboxMessage.recipient).contains(wanted, autoescape=True))
    if before is not None:
        query = query.where(OutboxMessage.id < before)
    return list(session.scalars(query))


def get_message(session: Session, message_id: int) -> OutboxMessage:
    """One email of the outbox.

    :raises NotFound: when there is none with this id.
    """
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("No such message in the outbox.")
    return message
