"""Accounts hold the loyalty state; cards are the passes that show it."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import text

from issuer.db.base import Base, count, id_pk, money, timestamp
from issuer.db.models.people import Member, Partner
from issuer.db.models.programs import Program


class Account(Base):
    """The state of one member, or of one partner company when the program pools per company.

    The state columns are a cache of the ledger's fold; ``tessera ledger verify`` checks them.
    """

    __tablename__ = "accounts"
    __table_args__ = (
        UniqueConstraint("program_id", "member_id"),
        UniqueConstraint("program_id", "partner_id"),
    )

    id: Mapped[id_pk]
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    total_spent: Mapped[money]
    orders_count: Mapped[count]
    cashback_balance: Mapped[money]
    stamps: Mapped[count]
    rewards_available: Mapped[count]
    tier: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[count]
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]

    program: Mapped[Program] = relationship()
    member: Mapped[Member | None] = relationship()
    partner: Mapped[Partner | None] = relationship()


class CardStatus(enum.StrEnum):
    """Whether a card can still be used."""

    ACTIVE = "active"
    VOIDED = "voided"


class Card(Base):
    """One pass. ``version`` rises whenever what the pass shows changes."""

    __tablename__ = "cards"
    __table_args__ = (
        # The delivery worker's queue: only cards whose pass is behind are in this index.
        Index(
            "ix_cards_apple_pending",
            "id",
            postgresql_where=text("apple_delivered_version < version"),
            sqlite_where=text("apple_delivered_version < version"),
        ),
        Index(
            "ix_cards_google_pending",
            "id",
            postgresql_where=text("google_delivered_version BETWEEN 1 AND version - 1"),
            sqlite_where=text("google_delivered_version BETWEEN 1 AND version - 1"),
        ),
    )

    id: Mapped[id_pk]
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    serial: Mapped[str] = mapped_column(String(36), unique=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    page_token: Mapped[str] = mapped_column(String(64), unique=True)
    auth_token: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=CardStatus.ACTIVE)
    voided_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)
    apple_delivered_version: Mapped[count]
    google_delivered_version: Mapped[count]
    # Apple's update tag: drawn by the delivery worker in commit order (see issuer.delivery).
    apple_tag: Mapped[int] = mapped_column(BigInteger, default=0)
    apple_modified_at: Mapped[dt.datetime | None]
    apple_claimed_until: Mapped[dt.datetime | None]
    # Google: 0 until the object exists at Google (a save link was handed out).
    google_claimed_until: Mapped[dt.datetime | None]
    design_version_id: Mapped[int | None] = mapped_column(ForeignKey("design_versions.id"))
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]

    program: Mapped[Program] = relationship()
    account: Mapped[Account] = relationship()
    member: Mapped[Member] = relationship()

    @property
    def is_voided(self) -> bool:
        """Whether the card has been voided."""
        return self.status == CardStatus.VOIDED
