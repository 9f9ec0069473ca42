"""The mail outbox: emails kept for admins to read when no SMTP server is configured."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer.db.models import OutboxMessage


def record(
    session: Session, recipient: str, subject: str, body: str, now: dt.datetime
) -> OutboxMessage:
    """Keep one email in the outbox; the caller commits."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, created_at=now)
    session.add(message)
    return message


def recent(session: Session, limit: int = 100) -> list[OutboxMessage]:
    """The newest emails in the outbox first."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    return list(session.scalars(query))
