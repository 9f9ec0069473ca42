"""Messages to card holders, and what became of each one on every card it went to."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import text

from issuer.db.base import Base, count, id_pk, timestamp
from issuer.db.models.programs import Program


class Message(Base):
    """One message an admin sent to the holders of a program, or to a segment of them."""

    __tablename__ = "messages"

    id: Mapped[id_pk]
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    title: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text)
    segment: Mapped[str] = mapped_column(String(32))
    segment_value: Mapped[int | None] = mapped_column(Integer)
    recipients: Mapped[count]
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[timestamp] = mapped_column(index=True)

    program: Mapped[Program] = relationship()


class GoogleStatus(enum.StrEnum):
    """Where a message stands with a card's Google Wallet object."""

    NOT_ON_GOOGLE = "not_on_google"  # the card was never handed to Google Wallet
    PENDING = "pending"
    DELIVERED = "delivered"
    NOT_SAVED = "not_saved"  # a save link went out but the holder never saved the pass
    FAILED = "failed"


class MessageDelivery(Base):
    """A message on one card: the card version that shows it, and when each wallet got it.

    Apple: the message rides in the pass; ``apple_pushed_at`` is when the delivery worker
    pushed the card version carrying it to the card's devices. Google: the worker calls
    addMessage for every pending row; ``google_notified`` tells whether it went out as a
    notification (Google allows three per pass per day).
    """

    __tablename__ = "message_deliveries"
    __table_args__ = (
        UniqueConstraint("message_id", "card_id"),
        Index(
            "ix_message_deliveries_google_pending",
            "id",
            postgresql_where=text("google_status = 'pending'"),
            sqlite_where=text("google_status = 'pending'"),
        ),
    )

    id: Mapped[id_pk]
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), index=True)
    card_version: Mapped[int] = mapped_column(Integer)
    apple_pushed_at: Mapped[dt.datetime | None]
    google_status: Mapped[str] = mapped_column(String(16))
    google_notified: Mapped[bool] = mapped_column(Boolean, default=False)
    google_delivered_at: Mapped[dt.datetime | None]
    google_claimed_until: Mapped[dt.datetime | None]
    google_attempts: Mapped[count]

    message: Mapped[Message] = relationship()
