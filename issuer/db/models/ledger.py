"""The ledger: append-only transactions whose deltas add up to every account's state."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from issuer.db.base import Base, count, id_pk, money, timestamp
from issuer.db.models.accounts import Account, Card


class TransactionKind(enum.StrEnum):
    """What wrote a ledger entry."""

    ORDER = "order"
    REVERSAL = "reversal"
    ADJUSTMENT = "adjustment"


class Transaction(Base):
    """One ledger entry. Never updated, never deleted; a reversal is a new entry."""

    __tablename__ = "transactions"
    __table_args__ = (UniqueConstraint("idempotency_scope", "idempotency_key"),)

    id: Mapped[id_pk]
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[money]
    discount: Mapped[money]
    redeemed: Mapped[money]
    earned: Mapped[money]
    payable: Mapped[money]
    stamps_earned: Mapped[count]
    rewards_earned: Mapped[count]
    rewards_redeemed: Mapped[count]
    tier_before: Mapped[int | None] = mapped_column(Integer)
    tier_after: Mapped[int | None] = mapped_column(Integer)
    delta_total_spent: Mapped[money]
    delta_orders_count: Mapped[count]
    delta_cashback_balance: Mapped[money]
    delta_stamps: Mapped[count]
    delta_rewards_available: Mapped[count]
    # Unique: an order can be reversed once, and the database enforces it even under races.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("transactions.id"), unique=True)
    reason: Mapped[str | None] = mapped_column(Text)
    state_after: Mapped[dict[str, Any]] = mapped_column(JSON)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"))
    idempotency_scope: Mapped[str | None] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[timestamp] = mapped_column(index=True)

    account: Mapped[Account] = relationship()
    card: Mapped[Card | None] = relationship()
    reverses: Mapped[Transaction | None] = relationship(remote_side="Transaction.id")
