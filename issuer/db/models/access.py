"""Who may act: staff users, their locations, API keys, and the audit log of what they did."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from issuer.db.base import Base, id_pk, short_text, timestamp


class Role(enum.StrEnum):
    """What a staff user may do."""

    ADMIN = "admin"
    STAFF = "staff"


class Scope(enum.StrEnum):
    """What an API key may do: ``pos`` for checkout, ``admin`` for everything."""

    POS = "pos"
    ADMIN = "admin"


staff_locations = Table(
    "staff_locations",
    Base.metadata,
    Column("staff_id", ForeignKey("staff.id"), primary_key=True),
    Column("location_id", ForeignKey("locations.id"), primary_key=True),
)


class Location(Base):
    """A store or branch where orders are taken."""

    __tablename__ = "locations"

    id: Mapped[id_pk]
    name: Mapped[short_text]
    address: Mapped[str | None] = mapped_column(String(255))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    created_at: Mapped[timestamp]


class Staff(Base):
    """A person who logs in to the staff or admin pages."""

    __tablename__ = "staff"

    id: Mapped[id_pk]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[short_text]
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.STAFF)
    active: Mapped[bool] = mapped_column(default=True)
    # Raised to end every session the user has (deactivation); sessions are sealed with it.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[timestamp]
    last_login_at: Mapped[dt.datetime | None]

    locations: Mapped[list[Location]] = relationship(secondary=staff_locations)


class ApiKey(Base):
    """A key for POS/CRM systems. Only a hash of the secret part is stored."""

    __tablename__ = "api_keys"

    id: Mapped[id_pk]
    name: Mapped[short_text]
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[timestamp]
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]


class AuditEntry(Base):
    """One admin action that changed programs, staff, keys or balances."""

    __tablename__ = "audit_log"

    id: Mapped[id_pk]
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(120))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[timestamp] = mapped_column(index=True)
