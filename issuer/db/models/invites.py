"""Invitations to join a program, optionally on behalf of a partner company."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from issuer.db.base import Base, count, id_pk, timestamp
from issuer.db.models.people import Partner
from issuer.db.models.programs import Program


class Invite(Base):
    """An invitation link's terms: which program, for which company, until when.

    The link itself carries only this row's id, signed with the app's secret; the row decides
    whether the link still works, so admins can list, count and revoke invitations.
    """

    __tablename__ = "invites"

    id: Mapped[id_pk]
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[timestamp]
    expires_at: Mapped[timestamp]
    revoked_at: Mapped[dt.datetime | None]
    uses: Mapped[count]

    program: Mapped[Program] = relationship()
    partner: Mapped[Partner | None] = relationship()

    def is_revoked(self) -> bool:
        """Whether an admin withdrew the invitation."""
        return self.revoked_at is not None

    def has_expired(self, now: dt.datetime) -> bool:
        """Whether the invitation's time is up."""
        return now >= self.expires_at
