"""Staff management, invitations and API keys as use cases: rules, refusals and the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer import access, api_keys, clock, staff_admin
from issuer.db.models import ApiKey, AuditEntry, Role, Staff
from issuer.db.session import Database
from issuer.errors import Conflict, Invalid, NotAuthorized
from issuer.invitations import InvitationLinks
from tests.webapp.staff_pages import make_location, make_staff

NOW = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.write() as session:
        yield session


def _actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_the_last_active_admin_is_never_demoted_or_deactivated(session: Session) -> None:
    only = make_staff(session, role=Role.ADMIN)
    other_actor = make_staff(session, role=Role.STAFF)  # as if acting from a stale page
    with pytest.raises(Conflict) as demoted:
        staff_admin.change_role(session, only, Role.STAFF, other_actor, NOW)
    assert demoted.value.code == "last_admin"
    with pytest.raises(Conflict) as deactivated:
        staff_admin.set_active(session, only, False, other_actor, NOW)
    assert deactivated.value.code == "last_admin"
    assert only.role == Role.ADMIN
    assert only.active
    assert _actions(session) == []


def test_deactivation_raises_the_session_epoch(session: Session) -> None:
    admin, rep = make_staff(session, role=Role.ADMIN), make_staff(session)
    staff_admin.set_active(session, rep, False, admin, NOW)
    staff_admin.set_active(session, rep, True, admin, NOW)
    assert rep.session_epoch == 1
    assert _actions(session) == ["staff.deactivate", "staff.reactivate"]


def test_an_invitation_works_once(session: Session) -> None:
    links = InvitationLinks("secret")
    north = make_location(session, "North")
    invitation = staff_admin.Invitation("Rep@Example.com ", "Rep", Role.STAFF, (north.id,))
    invited = staff_admin.invite_staff(session, invitation, "admin@example.com", NOW)
    assert invited.email == "rep@example.com"
    assert staff_admin.is_invited(invited)
    assert access.authenticate_staff(session, "rep@example.com", "") is None
    token = links.token(invited)
    assert links.invited(session, token) is invited
    staff_admin.set_password(session, invited, "a long new password", NOW)
    assert access.authenticate_staff(session, "rep@example.com", "a long new password") is invited
    with pytest.raises(Conflict):
        links.invited(session, token)
    assert _actions(session) == ["staff.invite", "staff.accept_invitation"]


def test_an_invitation_signed_with_another_secret_is_refused(session: Session) -> None:
    invited = make_staff(session)
    with pytest.raises(NotAuthorized):
        InvitationLinks("secret").invited(session, InvitationLinks("other").token(invited))


def test_an_invalid_invitation_reports_every_field(session: Session) -> None:
    with pytest.raises(Invalid) as refused:
        staff_admin.invite_staff(
            session, staff_admin.Invitation("nobody", "", "owner", (404,)), "admin", NOW
        )
    assert set(refused.value.errors) == {"email", "name", "role", "locations"}
    assert session.scalars(select(Staff)).all() == []


def test_revoking_a_key_refuses_it_and_cannot_be_repeated(session: Session) -> None:
    made = access.create_api_key(session, "Till", "pos", "admin", NOW)
    api_keys.revoke_api_key(session, made.key.id, "admin", NOW)
    assert access.authenticate_api_key(session, made.secret) is None
    with pytest.raises(Conflict):
        api_keys.revoke_api_key(session, made.key.id, "admin", NOW)
    assert _actions(session) == ["apikey.create", "apikey.revoke"]


def test_last_use_is_kept_to_the_minute(session: Session) -> None:
    key = access.create_api_key(session, "Till", "pos", "admin", clock.now()).key
    assert api_keys.use_worth_noting(key, NOW)
    api_keys.note_use(session, key.id, NOW)
    session.refresh(key)
    assert key.last_used_at == NOW
    assert not api_keys.use_worth_noting(key, NOW + dt.timedelta(seconds=30))
    api_keys.note_use(session, key.id, NOW + dt.timedelta(seconds=30))
    api_keys.note_use(session, key.id, NOW - dt.timedelta(hours=1))
    session.refresh(key)
    assert key.last_used_at == NOW
    assert session.get(ApiKey, key.id) is key
