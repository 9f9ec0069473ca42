"""Mail written down instead of sent when no SMTP server is configured."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from issuer.db.base import Base, id_pk, timestamp


class OutboxMessage(Base):
    """One email as it would have been sent: admins read these when no SMTP is set up."""

    __tablename__ = "outbox_messages"

    id: Mapped[id_pk]
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[timestamp]
