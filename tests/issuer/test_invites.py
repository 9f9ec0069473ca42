"""Invitations on a real database: terms checked at once, signed links, company pooling."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from issuer import clock, enrollment, invites
from issuer.db.models import AuditEntry, Invite, Partner, Program
from issuer.db.session import Database
from issuer.enrollment import Application
from issuer.errors import Conflict, Invalid, NotAuthorized
from issuer.rules import Kind
from tests.factories import make_program

SECRET = "test-secret"
WEEK = dt.timedelta(days=7)


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.write() as opened:
        yield opened


def _program(session: Session, **fields: Any) -> Program:
    return make_program(session, kind=Kind.CASHBACK, enrollment="invite", **fields)


def _invite(session: Session, program: Program, **terms: str) -> Invite:
    wanted = invites.InviteTerms(expires_at=clock.now() + WEEK, **terms)
    return invites.create_invite(session, program, wanted, "admin:1", clock.now())


def _application(email: str, company: str = "Typed Company") -> Application:
    return Application(
        name="Olena Koval", email=email, phone="+380 44 123 4567", company=company, consent=True
    )


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_every_wrong_term_is_named_at_once_and_nothing_is_made(session: Session) -> None:
    program = _program(session)
    past = invites.InviteTerms(expires_at=clock.now() - WEEK, company="", tax_id="12 x!")
    with pytest.raises(Invalid) as refused:
        invites.create_invite(session, program, past, "admin:1", clock.now())
    assert set(refused.value.errors) == {"expires_at", "company", "tax_id"}
    too_far = invites.InviteTerms(expires_at=clock.now() + dt.timedelta(days=400))
    with pytest.raises(Invalid):
        invites.create_invite(session, program, too_far, "admin:1", clock.now())
    assert (_count(session, Invite), _count(session, Partner)) == (0, 0)


def test_an_invite_is_audited_and_finds_the_company_by_its_tax_id(session: Session) -> None:
    program = _program(session)
    first = _invite(session, program, company="Acme Ltd", tax_id="ua 1234 5678")
    second = _invite(session, program, company="ACME (renamed)", tax_id="UA12345678")
    assert first.partner is not None
    assert first.partner.tax_id == "UA12345678"
    assert second.partner_id == first.partner_id
    actions = session.scalars(select(AuditEntry.action)).all()
    assert actions.count("invite.create") == 2


def test_the_signed_link_admits_only_to_its_own_program_while_it_is_valid(
    session: Session,
) -> None:
    program, other = _program(session), _program(session)
    invite = _invite(session, program)
    token = invites.invite_token(invite, SECRET)
    now = clock.now()
    assert invites.admitting_invite(session, program, token, SECRET, now) is invite
    refusals = {
        "tampered": (program, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), now),
        "other program": (other, token, now),
        "other secret": (program, invites.invite_token(invite, "another"), now),
        "expired": (program, token, invite.expires_at),
    }
    codes = {}
    for name, (target, link, at) in refusals.items():
        with pytest.raises(NotAuthorized) as refused:
            invites.admitting_invite(session, target, link, SECRET, at)
        codes[name] = refused.value.code
    assert codes == {
        "tampered": "invite_invalid",
        "other program": "invite_invalid",
        "other secret": "invite_invalid",
        "expired": "invite_expired",
    }


def test_a_revoked_invite_admits_no_one_and_is_revoked_once(session: Session) -> None:
    program = _program(session)
    invite = _invite(session, program)
    invites.revoke_invite(session, invite, "admin:1", clock.now())
    token = invites.invite_token(invite, SECRET)
    with pytest.raises(NotAuthorized) as refused:
        invites.admitting_invite(session, program, token, SECRET, clock.now())
    assert refused.value.code == "invite_revoked"
    with pytest.raises(Conflict):
        invites.revoke_invite(session, invite, "admin:1", clock.now())
    assert "invite.revoke" in session.scalars(select(AuditEntry.action)).all()


def test_people_invited_for_a_company_share_its_account_whatever_they_type(
    session: Session,
) -> None:
    program = _program(session, pooling="partner")
    invite = _invite(session, program, company="Acme Ltd")
    people = [("olena@acme.example", "Something Else"), ("petro@acme.example", "Acme")]
    cards = [
        enrollment.enroll(
            session,
            program,
            invites.for_company(_application(*person), invite),
            clock.now(),
            invite,
        )
        for person in people
    ]
    assert cards[0].account_id == cards[1].account_id
    assert {card.member.partner_id for card in cards} == {invite.partner_id}
    session.flush()
    assert invite.uses == 2


def test_an_invite_only_program_refuses_people_without_an_invite(session: Session) -> None:
    program = _program(session)
    with pytest.raises(NotAuthorized) as refused:
        enrollment.enroll(session, program, _application("olena@acme.example"), clock.now())
    assert refused.value.code == "invite_only"
