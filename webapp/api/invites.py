"""API: a program's invitation links (admin scope) — make, list, revoke."""

from __future__ import annotations

import datetime as dt

from issuer import clock, invites, programs
from issuer.access import AuthorizedKey
from issuer.db.models import Invite
from webapp.api import schemas
from webapp.api.blueprint import api
from webapp.api.programs import actor
from webapp.database import session
from webapp.links import invite_url
from webapp.settings import current_settings


@api.operation(
    "POST", "/programs/<int:program_id>/invites", scope="admin",
    summary="Make an invitation link, optionally for a partner company",
    body=schemas.InviteCreate, response=schemas.InviteOut, status=201,
)  # fmt: skip
def create_invite(
    key: AuthorizedKey, program_id: int, body: schemas.InviteCreate
) -> schemas.InviteOut:
    """A new invitation; people who open its link may join even an invite-only program."""
    program = programs.get_program(session(), program_id)
    terms = invites.InviteTerms(body.expires_at, body.company or "", body.tax_id or "")
    invite = invites.create_invite(session(), program, terms, actor(key), clock.now())
    session().commit()
    return invite_out(invite, clock.now())


@api.operation(
    "GET", "/programs/<int:program_id>/invites", scope="admin",
    summary="The program's invitations, newest first", response=schemas.InviteList,
)  # fmt: skip
def list_invites(key: AuthorizedKey, program_id: int) -> schemas.InviteList:
    """Every invitation of the program with its link and status."""
    program = programs.get_program(session(), program_id)
    now = clock.now()
    found = invites.list_invites(session(), program)
    return schemas.InviteList(invites=[invite_out(invite, now) for invite in found])


@api.operation(
    "POST", "/programs/<int:program_id>/invites/<int:invite_id>/revoke", scope="admin",
    summary="Revoke an invitation: its link stops working", response=schemas.InviteOut,
)  # fmt: skip
def revoke_invite(key: AuthorizedKey, program_id: int, invite_id: int) -> schemas.InviteOut:
    """Withdraw the invitation (409 when it is already revoked)."""
    invite = invites.get_invite(session(), programs.get_program(session(), program_id), invite_id)
    invites.revoke_invite(session(), invite, actor(key), clock.now())
    session().commit()
    return invite_out(invite, clock.now())


def invite_out(invite: Invite, now: dt.datetime) -> schemas.InviteOut:
    """An invitation as the API shows it."""
    settings = current_settings()
    partner = invite.partner
    return schemas.InviteOut(
        id=invite.id,
        program_id=invite.program_id,
        url=invite_url(invite.program, invites.invite_token(invite, settings.secret_key), settings),
        company=partner.name if partner else None,
        tax_id=partner.tax_id if partner else None,
        status=invites.invite_status(invite, now),
        uses=invite.uses,
        expires_at=invite.expires_at,
        revoked_at=invite.revoked_at,
        created_at=invite.created_at,
    )
