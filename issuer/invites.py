"""Invitations: links that let people join an invite-only program, perhaps for one company.

An invitation is a row (program, company, expiry, revocation, uses) so admins can list and
revoke them. The link carries the row's id and program id signed with the app's secret:
a changed link fails the signature before any lookup, and the link can be shown again at
any time without keeping a secret in the database. The row alone says whether it still works.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, replace
from typing import Literal

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from issuer import audit
from issuer.db.models import Invite, Partner, Program
from issuer.enrollment import TAX_ID, Application
from issuer.errors import Conflict, Invalid, NotAuthorized, NotFound

SALT = "tessera.invite"
LONGEST = dt.timedelta(days=366)
MAX_COMPANY = 120


@dataclass(frozen=True, slots=True)
class InviteTerms:
    """What an admin asks for: until when, and optionally for which company."""

    expires_at: dt.datetime | None
    company: str = ""
    tax_id: str = ""


def create_invite(
    session: Session, program: Program, terms: InviteTerms, actor: str, now: dt.datetime
) -> Invite:
    """A new invitation to ``program``; the caller commits.

    :raises Invalid: naming every wrong term at once (``expires_at``, ``company``, ``tax_id``).
    """
    expires_at, company, tax_id = _checked(terms, now)
    partner = _company(session, company, tax_id, now) if company or tax_id else None
    invite = Invite(program=program, partner=partner, created_by=actor[:120], created_at=now)
    invite.expires_at, invite.uses = expires_at, 0
    session.add(invite)
    session.flush()
    details = {"expires_at": expires_at.isoformat(), "partner_id": partner and partner.id}
    audit.record(session, actor, "invite.create", f"invite:{invite.id}", now, **details)
    return invite


def revoke_invite(session: Session, invite: Invite, actor: str, now: dt.datetime) -> Invite:
    """Withdraw the invitation: its link stops working; the caller commits.

    :raises Conflict: ``invite_revoked`` when it was withdrawn already.
    """
    if invite.is_revoked():
        raise Conflict("This invitation is already revoked.", code="invite_revoked")
    invite.revoked_at = now
    audit.record(session, actor, "invite.revoke", f"invite:{invite.id}", now)
    return invite


def list_invites(session: Session, program: Program) -> list[Invite]:
    """The program's invitations, newest first."""
    query = select(Invite).where(Invite.program_id == program.id).order_by(Invite.id.desc())
    return list(session.scalars(query))


def get_invite(session: Session, program: Program, invite_id: int) -> Invite:
    """One invitation of ``program``.

    :raises NotFound: when the program has no invitation with this id.
    """
    invite = session.get(Invite, invite_id)
    if invite is None or invite.program_id != program.id:
        raise NotFound("No such invitation.")
    return invite


def invite_status(invite: Invite, now: dt.datetime) -> Literal["active", "expired", "revoked"]:
    """Whether the invitation's link works now, and if not, why."""
    if invite.is_revoked():
        return "revoked"
    return "expired" if invite.has_expired(now) else "active"


def invite_token(invite: Invite, secret: str) -> str:
    """The signed part of the invitation's link."""
    return _signer(secret).dumps([invite.id, invite.program_id])


def admitting_invite(
    session: Session, program: Program, token: str, secret: str, now: dt.datetime
) -> Invite:
    """The invitation behind ``token`` when it lets people join ``program`` now.

    :raises NotAuthorized: ``invite_invalid`` (changed, unknown or another program's link),
        ``invite_revoked`` or ``invite_expired``.
    """
    invite = _signed_invite(session, token, secret)
    if invite is None or invite.program_id != program.id:
        raise NotAuthorized("This invitation link is not valid.", code="invite_invalid")
    if invite.is_revoked():
        raise NotAuthorized("This invitation was withdrawn.", code="invite_revoked")
    if invite.has_expired(now):
        raise NotAuthorized("This invitation has expired.", code="invite_expired")
    return invite


def for_company(application: Application, invite: Invite) -> Application:
    """The application with the invitation's company, whatever the form said."""
    partner = invite.partner
    if partner is None:
        return application
    return replace(application, company=partner.name, tax_id=partner.tax_id or "")


def _signer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT, signer_kwargs={"digest_method": hashlib.sha256})


def _signed_invite(session: Session, token: str, secret: str) -> Invite | None:
    try:
        payload = _signer(secret).loads(token)
    except BadSignature:
        return None
    if not (isinstance(payload, list) and len(payload) == 2):
        return None
    invite_id, program_id = payload
    if not (isinstance(invite_id, int) and isinstance(program_id, int)):
        return None
    invite = session.get(Invite, invite_id)
    return invite if invite is not None and invite.program_id == program_id else None


def _checked(terms: InviteTerms, now: dt.datetime) -> tuple[dt.datetime, str, str | None]:
    errors: dict[str, str] = {}
    if terms.expires_at is None or not now < terms.expires_at <= now + LONGEST:
        errors["expires_at"] = "Choose an end after now and at most a year ahead."
    company = terms.company.strip()
    tax_id = re.sub(r"\s+", "", terms.tax_id).upper() or None
    if len(company) > MAX_COMPANY:
        errors["company"] = f"At most {MAX_COMPANY} characters."
    elif tax_id and not company:
        errors["company"] = "Give the company's name with its tax id."
    if tax_id and not TAX_ID.match(tax_id):
        errors["tax_id"] = "5 to 20 letters and digits."
    if errors or terms.expires_at is None:
        raise Invalid(errors)
    return terms.expires_at, company, tax_id


def _company(session: Session, name: str, tax_id: str | None, now: dt.datetime) -> Partner:
    """The partner with this tax id (or, without one, this name), made when there is none."""
    if tax_id:
        match = select(Partner).where(Partner.tax_id == tax_id)
    else:
        match = select(Partner).where(func.lower(Partner.name) == name.lower())
    partner = session.scalars(match.limit(1)).first()
    if partner is None:
        partner = Partner(name=name, tax_id=tax_id, created_at=now)
        session.add(partner)
    return partner
