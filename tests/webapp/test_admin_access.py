"""Admin staff and API keys: invitations, roles, locations, deactivation, keys shown once."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import TypeVar

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from issuer.db.models import ApiKey, AuditEntry, Location, OutboxMessage, Role, Staff
from issuer.invitations import SALT, VALID_FOR_SECONDS
from tests.conftest import Api
from tests.webapp.staff_pages import StaffPages, make_location, make_staff

NEW_PASSWORD = "a brand new passphrase"
T = TypeVar("T")
_LINK = re.compile(r"https://tessera\.test(/staff/invitation/\S+)")


@pytest.fixture
def admin(app: Flask) -> Staff:
    with app.extensions["tessera.database"].write() as session:
        staff = make_staff(session, role=Role.ADMIN)
        session.commit()
    return staff


@pytest.fixture
def pages(app: Flask, client: FlaskClient, admin: Staff) -> StaffPages:
    pages = StaffPages(app, client)
    pages.login(admin.email)
    return pages


class _EightDaysAgo(TimestampSigner):
    """Signs as if the invitation had been sent eight days ago."""

    def get_timestamp(self) -> int:
        return int(time.time()) - VALID_FOR_SECONDS - 24 * 3600


def _read(app: Flask, model: type[T], **where: object) -> list[T]:
    with app.extensions["tessera.database"].read() as session:
        return list(session.scalars(select(model).filter_by(**where)))


def _count(app: Flask, model: type[object]) -> int:
    with app.extensions["tessera.database"].read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _invite(pages: StaffPages, email: str = "new.rep@example.com", **extra: str) -> str:
    form = {"email": email, "name": "New Rep", "role": "staff"} | extra
    response = pages.post("/admin/staff/invite", form, page="/admin/staff/")
    assert response.status_code == 303
    mail = _read(pages.app, OutboxMessage, recipient=email)[-1]
    found = _LINK.search(mail.body)
    assert found is not None
    return found.group(1)


def _accept(client: FlaskClient, link: str, password: str = NEW_PASSWORD) -> int:
    pages = StaffPages(client.application, client)
    form = {"password": password, "confirm": password}
    return pages.post(link, form, page=link).status_code


def test_an_invited_user_sets_a_password_by_email_link_and_logs_in(
    pages: StaffPages, app: Flask
) -> None:
    link = _invite(pages)
    invited = _read(app, Staff, email="new.rep@example.com")[0]
    assert "Invited" in pages.text("/admin/staff/")
    fresh = app.test_client()
    assert StaffPages(app, fresh).login("new.rep@example.com", "").status_code == 401
    assert "new.rep@example.com" in fresh.get(link).get_data(as_text=True)
    assert _accept(fresh, link) == 303
    assert StaffPages(app, fresh).login("new.rep@example.com", NEW_PASSWORD).status_code == 303
    actions = [e.action for e in _read(app, AuditEntry, target=f"staff:{invited.id}")]
    assert actions == ["staff.invite", "staff.accept_invitation"]


def test_a_used_invitation_is_refused_clearly(pages: StaffPages, app: Flask) -> None:
    link = _invite(pages)
    fresh = app.test_client()
    assert _accept(fresh, link) == 303
    again = fresh.get(link)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)
    assert _accept(app.test_client(), link, "another long password") == 410


def test_an_expired_invitation_is_refused_clearly(pages: StaffPages, app: Flask) -> None:
    link = _invite(pages)
    serializer = URLSafeTimedSerializer("test-secret-key", salt=SALT)
    content = serializer.loads(link.rsplit("/", 1)[1])
    old = URLSafeTimedSerializer("test-secret-key", salt=SALT, signer=_EightDaysAgo)
    answer = app.test_client().get(f"/staff/invitation/{old.dumps(content)}")
    assert answer.status_code == 410
    assert "expired" in answer.get_data(as_text=True)


def test_a_tampered_invitation_link_is_refused(app: Flask) -> None:
    assert app.test_client().get("/staff/invitation/not-a-token").status_code == 404


def test_a_renewed_invitation_replaces_the_old_link(pages: StaffPages, app: Flask) -> None:
    old = _invite(pages)
    invited = _read(app, Staff, email="new.rep@example.com")[0]
    page = f"/admin/staff/{invited.id}"
    assert pages.post(f"{page}/reinvite", {}, page=page).status_code == 303
    new = _LINK.search(_read(app, OutboxMessage, recipient=invited.email)[-1].body)
    assert new is not None
    assert new.group(1) != old
    assert app.test_client().get(old).status_code == 410
    assert _accept(app.test_client(), new.group(1)) == 303


def test_a_short_or_mismatched_password_shows_both_errors_and_sets_nothing(
    pages: StaffPages, app: Flask
) -> None:
    link = _invite(pages)
    before = _read(app, Staff, email="new.rep@example.com")[0].password_hash
    fresh = StaffPages(app, app.test_client())
    answer = fresh.post(link, {"password": "short", "confirm": "other"}, page=link)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Use at least 10 characters." in text
    assert "The two passwords differ." in text
    assert _read(app, Staff, email="new.rep@example.com")[0].password_hash == before


def test_bad_invitations_show_every_error_and_add_nobody(pages: StaffPages, app: Flask) -> None:
    before = _count(app, Staff)
    form = {"email": "not-an-email", "name": " ", "role": "owner", "locations": "999"}
    answer = pages.post("/admin/staff/invite", form, page="/admin/staff/")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    for message in (
        "Enter an email address such as name@company.com.",
        "Enter 1 to 120 characters.",
        "Choose admin or sales staff.",
        "Choose among the listed locations.",
    ):
        assert message in text
    assert 'value="not-an-email"' in text
    assert _count(app, Staff) == before
    assert _count(app, OutboxMessage) == 0


def test_inviting_an_existing_email_is_refused(pages: StaffPages, admin: Staff) -> None:
    form = {"email": admin.email, "name": "Twin", "role": "staff"}
    answer = pages.post("/admin/staff/invite", form, page="/admin/staff/")
    assert answer.status_code == 422
    assert "already has an account" in answer.get_data(as_text=True)


def test_role_change_and_locations_are_saved_and_audited(pages: StaffPages, app: Flask) -> None:
    with app.extensions["tessera.database"].write() as session:
        north, south = make_location(session, "North"), make_location(session, "South")
        rep = make_staff(session)
        ids = (north.id, south.id, rep.id)
        session.commit()
    page = f"/admin/staff/{ids[2]}"
    assert pages.post(f"{page}/role", {"role": "admin"}, page=page).status_code == 303
    locations = {"locations": [str(ids[0]), str(ids[1])]}
    assert pages.post(f"{page}/locations", locations, page=page).status_code == 303
    with app.extensions["tessera.database"].read() as session:
        saved = session.get(Staff, ids[2])
        assert saved is not None
        assert saved.role == Role.ADMIN
        assert sorted(location.name for location in saved.locations) == ["North", "South"]
    entry = _read(app, AuditEntry, action="staff.locations")[0]
    assert entry.details["after"] == ["North", "South"]
    assert "North" in pages.text("/admin/staff/")


def test_a_deactivated_user_is_logged_out_at_once(pages: StaffPages, app: Flask) -> None:
    with app.extensions["tessera.database"].write() as session:
        rep = make_staff(session)
        session.commit()
    rep_pages = StaffPages(app, app.test_client())
    rep_pages.login(rep.email)
    assert rep_pages.client.get("/staff/").status_code == 200
    page = f"/admin/staff/{rep.id}"
    assert pages.post(f"{page}/active", {"active": "no"}, page=page).status_code == 303
    assert rep_pages.client.get("/staff/").status_code == 303
    assert rep_pages.login(rep.email).status_code == 401
    assert pages.post(f"{page}/active", {"active": "yes"}, page=page).status_code == 303
    assert rep_pages.client.get("/staff/").status_code == 303  # the old session stays ended
    assert rep_pages.login(rep.email).status_code == 303
    actions = [e.action for e in _read(app, AuditEntry, target=f"staff:{rep.id}")]
    assert actions == ["staff.deactivate", "staff.reactivate"]


def test_an_admin_cannot_deactivate_or_demote_themself(
    pages: StaffPages, app: Flask, admin: Staff
) -> None:
    page = f"/admin/staff/{admin.id}"
    own = pages.post(f"{page}/active", {"active": "no"}, page=page)
    assert own.status_code == 409
    assert "You cannot deactivate your own account." in own.get_data(as_text=True)
    demoted = pages.post(f"{page}/role", {"role": "staff"}, page=page)
    assert demoted.status_code == 409
    assert "You cannot change your own role" in demoted.get_data(as_text=True)
    saved = _read(app, Staff, id=admin.id)[0]
    assert saved.active
    assert saved.role == Role.ADMIN
    assert _count(app, AuditEntry) == 0


def test_another_admin_can_be_demoted_while_one_remains(pages: StaffPages, app: Flask) -> None:
    with app.extensions["tessera.database"].write() as session:
        other = make_staff(session, role=Role.ADMIN)
        session.commit()
    page = f"/admin/staff/{other.id}"
    assert pages.post(f"{page}/role", {"role": "staff"}, page=page).status_code == 303
    assert _read(app, Staff, id=other.id)[0].role == Role.STAFF
    bad = pages.post(f"{page}/role", {"role": "owner"}, page=page)
    assert bad.status_code == 422
    assert "Choose admin or sales staff." in bad.get_data(as_text=True)


def test_locations_are_added_and_renamed_and_duplicates_refused(
    pages: StaffPages, app: Flask
) -> None:
    added = pages.post("/admin/staff/locations", {"name": "Kyiv"}, "/admin/staff/")
    assert added.status_code == 303
    twin = pages.post("/admin/staff/locations", {"name": "kyiv"}, "/admin/staff/")
    assert twin.status_code == 422
    assert "A location with this name already exists." in twin.get_data(as_text=True)
    location = _read(app, Location)[0]
    url = f"/admin/staff/locations/{location.id}"
    assert pages.post(url, {"name": "Kyiv Centre"}, "/admin/staff/").status_code == 303
    assert [loc.name for loc in _read(app, Location)] == ["Kyiv Centre"]
    actions = [e.action for e in _read(app, AuditEntry) if e.target.startswith("location:")]
    assert actions == ["location.create", "location.rename"]


def test_an_api_key_is_shown_once_works_and_its_last_use_is_shown(
    pages: StaffPages, app: Flask, client: FlaskClient
) -> None:
    answer = pages.post("/admin/api-keys/", {"name": "Till 1", "scope": "pos"}, "/admin/api-keys/")
    secret = re.search(r'value="(tsk_[^"]+)"', answer.get_data(as_text=True))
    assert answer.status_code == 200
    assert secret is not None
    assert answer.headers["Cache-Control"] == "no-store"
    listing = pages.text("/admin/api-keys/")
    assert secret.group(1) not in listing
    assert "Never" in listing
    api = Api(client, admin_key="", pos_key=secret.group(1))
    status, _ = api.call("GET", "/cards?code=AAAA-BBBB-CCCC-DDDD", key=api.pos_key)
    assert status == 404
    key = _read(app, ApiKey, name="Till 1")[0]
    assert key.last_used_at is not None
    assert dt.datetime.now(dt.UTC) - key.last_used_at < dt.timedelta(minutes=5)
    assert "Never" not in pages.text("/admin/api-keys/")


def test_a_revoked_key_is_refused_with_401(pages: StaffPages, app: Flask, api: Api) -> None:
    key = _read(app, ApiKey, scope="pos")[0]
    assert "Revoke" in pages.text(f"/admin/api-keys/{key.id}/revoke")
    url = f"/admin/api-keys/{key.id}/revoke"
    assert pages.post(url, {}, page=url).status_code == 303
    status, body = api.call("GET", "/cards?code=AAAA-BBBB-CCCC-DDDD", key=api.pos_key)
    assert status == 401
    assert body["error"] == "invalid_api_key"
    assert "Revoked" in pages.text("/admin/api-keys/")
    assert [e.action for e in _read(app, AuditEntry, target=f"apikey:{key.id}")][-1] == (
        "apikey.revoke"
    )


def test_a_bad_api_key_form_shows_every_error_and_makes_no_key(
    pages: StaffPages, app: Flask
) -> None:
    answer = pages.post("/admin/api-keys/", {"name": " ", "scope": "root"}, "/admin/api-keys/")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Enter a name of 1 to 120 characters" in text
    assert "Choose POS or admin." in text
    assert _count(app, ApiKey) == 0


def test_sales_staff_cannot_open_the_access_pages(app: Flask, client: FlaskClient) -> None:
    with app.extensions["tessera.database"].write() as session:
        rep = make_staff(session)
        session.commit()
    StaffPages(app, client).login(rep.email)
    for path in ("/admin/staff/", "/admin/api-keys/", "/admin/audit/", "/admin/settings/"):
        assert client.get(path).status_code == 403
