"""Programs and their immutable design versions."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from issuer.db.base import Base, id_pk, short_text, timestamp


class ProgramStatus(enum.StrEnum):
    """Where a program is in its life."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Pooling(enum.StrEnum):
    """Who shares one account: each member, or every member of a partner company."""

    MEMBER = "member"
    PARTNER = "partner"


class Enrollment(enum.StrEnum):
    """Who may enroll through the public form."""

    OPEN = "open"
    INVITE = "invite"


class Program(Base):
    """What an admin designs: kind, rules, look and texts. Its working copy is the draft."""

    __tablename__ = "programs"

    id: Mapped[id_pk]
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[short_text]
    kind: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    design: Mapped[dict[str, Any]] = mapped_column(JSON)
    pooling: Mapped[str] = mapped_column(String(16), default=Pooling.MEMBER)
    enrollment: Mapped[str] = mapped_column(String(16), default=Enrollment.OPEN)
    status: Mapped[str] = mapped_column(String(16), default=ProgramStatus.DRAFT)
    expires_at: Mapped[dt.datetime | None]
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("design_versions.id", use_alter=True)
    )
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]

    current_version: Mapped[DesignVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class DesignVersion(Base):
    """An immutable snapshot of a program as published; passes are built from one."""

    __tablename__ = "design_versions"
    __table_args__ = (UniqueConstraint("program_id", "number"),)

    id: Mapped[id_pk]
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    number: Mapped[int]
    name: Mapped[short_text]
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    design: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[timestamp]


class DesignImage(Base):
    """An uploaded design image, checked and re-encoded to PNG, named by its SHA-256."""

    __tablename__ = "design_images"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    png: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[timestamp]
