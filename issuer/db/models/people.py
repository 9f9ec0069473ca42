"""Partner companies and the members who carry cards."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from issuer.db.base import Base, id_pk, short_text, timestamp


class Partner(Base):
    """A client company."""

    __tablename__ = "partners"

    id: Mapped[id_pk]
    name: Mapped[short_text]
    tax_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_at: Mapped[timestamp]


class Member(Base):
    """A person of a partner company."""

    __tablename__ = "members"

    id: Mapped[id_pk]
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    name: Mapped[short_text]
    email: Mapped[str] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    position: Mapped[str | None] = mapped_column(String(120))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    birthday: Mapped[dt.date | None]
    created_at: Mapped[timestamp]

    partner: Mapped[Partner | None] = relationship()
