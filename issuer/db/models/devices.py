"""Apple Wallet devices and their registrations for pass updates."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
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


class UpdateCounter(Base):
    """The source of Apple update tags: one row, locked while a tag is drawn until commit."""

    __tablename__ = "update_counter"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class DeviceLogEntry(Base):
    """A message a device sent to the log endpoint: why it refused an update, for instance."""

    __tablename__ = "device_log"

    id: Mapped[id_pk]
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[timestamp] = mapped_column(index=True)
