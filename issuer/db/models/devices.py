"""Apple Wallet devices and their registrations for pass updates."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from issuer.db.base import Base, id_pk, timestamp
from issuer.db.models.accounts import Card


class AppleDevice(Base):
    """A device known to Apple Wallet by its library identifier, with its current push token."""

    __tablename__ = "apple_devices"

    id: Mapped[id_pk]
    library_id: Mapped[str] = mapped_column(String(128), unique=True)
    push_token: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]


class DeviceRegistration(Base):
    """A device asking to be told when one card's pass changes."""

    __tablename__ = "device_registrations"
    __table_args__ = (UniqueConstraint("device_id", "card_id"),)

    id: Mapped[id_pk]
    device_id: Mapped[int] = mapped_column(ForeignKey("apple_devices.id"), index=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id"), index=True)
    pass_type_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[timestamp]

    device: Mapped[AppleDevice] = relationship()
    card: Mapped[Card] = relationship()
