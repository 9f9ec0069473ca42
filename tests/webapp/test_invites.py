"""Invitation links: admins make and revoke them, people join invite-only programs with them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from werkzeug.test import TestResponse

from issuer import clock
from issuer.db.models import (
    Account,
    AuditEntry,
    Card,
    Invite,
    Member,
    OutboxMessage,
    Partner,
    Program,
)
from issuer.rules import Kind
from tests.conftest import PUBLIC_URL, Api
from tests.factories import make_program
from tests.webapp.staff_pages import StaffPages

_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')
_LINK = re.compile(r'value="(https://tessera\.test/join/[^"]+)"')
PERSON = {
    "name": "Olena Koval",
    "phone": "+380 44 123 4567",
    "company": "Typed Company",
    "language": "en",
    "consent": "yes",
}


def _program(app: Flask, **fields: Any) -> int:
    with app.extensions["tessera.database"].write() as session:
        program = make_program(session, kind=Kind.STAMP, enrollment="invite", **fields)
        session.commit()
        return program.id


def _slug(app: Flask, program_id: int) -> str:
    with app.extensions["tessera.database"].read() as session:
        return str(session.scalar(select(Program.slug).where(Program.id == program_id)))


def _in_a_week() -> str:
    return (clock.now() + dt.timedelta(days=7)).date().isoformat()


def _make_link(pages: StaffPages, program_id: int, **fields: str) -> str:
    page = f"/admin/programs/{program_id}/invites"
    response = pages.post(page, {"expires_on": _in_a_week()} | fields, page=page)
    assert response.status_code == 303
    links = _LINK.findall(pages.text(response.headers["Location"]))
    return str(links[0]).replace("&amp;", "&")


def _join(client: FlaskClient, link: str, email: str) -> TestResponse:
    address = urlsplit(link)
    path = f"{address.path}?{address.query}" if address.query else address.path
    form = client.get(path)
    token = _TOKEN.search(form.get_data(as_text=True))
    if token is None:
        return form
    return client.post(path, data=PERSON | {"email": email, "csrf_token": token.group(1)})


def _count(app: Flask, model: type) -> int:
    with app.extensions["tessera.database"].read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_an_admins_link_enrolls_into_an_invite_only_program(
    app: Flask, admin_pages: StaffPages, client: FlaskClient
) -> None:
    program_id = _program(app)
    link = _make_link(admin_pages, program_id)
    assert link.startswith(f"{PUBLIC_URL}/join/")
    refused = client.get(urlsplit(link).path)
    assert refused.status_code == 403
    assert "by invitation only" in refused.get_data(as_text=True)
    joined = _join(client, link, "olena@acme.example")
    assert joined.status_code == 303
    assert joined.headers["Location"].startswith("/c/")
    assert _count(app, Card) == 1
    listed = admin_pages.text(f"/admin/programs/{program_id}/invites")
    assert '<td class="number">1</td>' in listed
    works_through = dt.date.fromisoformat(_in_a_week())
    assert f"<td>{format_date(works_through, 'medium', locale='en')}</td>" in listed


def test_people_invited_for_a_company_share_one_account(
    app: Flask, admin_pages: StaffPages, client: FlaskClient
) -> None:
    program_id = _program(app, pooling="partner")
    link = _make_link(admin_pages, program_id, company="Acme Ltd", tax_id="UA12345678")
    form = client.get(link.removeprefix(PUBLIC_URL)).get_data(as_text=True)
    assert 'value="Acme Ltd"' in form
    assert "readonly" in form
    for email in ("olena@acme.example", "petro@acme.example"):
        assert _join(client, link, email).status_code == 303
    with app.extensions["tessera.database"].read() as session:
        accounts = set(session.scalars(select(Card.account_id)))
        companies = set(session.scalars(select(Partner.name).join(Member)))
    assert len(accounts) == 1
    assert companies == {"Acme Ltd"}
    assert _count(app, Account) == 1


def test_expired_revoked_changed_and_other_programs_links_make_nothing(
    app: Flask, admin_pages: StaffPages, client: FlaskClient
) -> None:
    program_id, other_id = _program(app), _program(app)
    expired, revoked, good = (_make_link(admin_pages, program_id) for _ in range(3))
    with app.extensions["tessera.database"].write() as session:
        first = session.scalars(select(Invite.id).order_by(Invite.id)).first()
        session.execute(update(Invite).where(Invite.id == first).values(expires_at=clock.now()))
        session.commit()
    page = f"/admin/programs/{program_id}/invites"
    admin_pages.post(f"{page}/2/revoke", {}, page=page)
    other_slug = f"/join/{_slug(app, other_id)}"
    refusals = {
        expired: "This invitation has expired.",
        revoked: "This invitation was withdrawn.",
        good[:-3] + ("xyz" if not good.endswith("xyz") else "abc"): "link is not valid",
        other_slug + "?" + urlsplit(good).query: "link is not valid",
    }
    for link, message in refusals.items():
        answer = _join(client, link, "olena@acme.example")
        assert answer.status_code == 403, link
        assert message in answer.get_data(as_text=True)
    assert (_count(app, Card), _count(app, Member), _count(app, Partner)) == (0, 0, 0)


def test_a_refused_link_also_refuses_a_posted_form(
    app: Flask, admin_pages: StaffPages, client: FlaskClient
) -> None:
    program_id = _program(app)
    link = _make_link(admin_pages, program_id)
    token = _TOKEN.search(client.get(link.removeprefix(PUBLIC_URL)).get_data(as_text=True))
    assert token is not None
    page = f"/admin/programs/{program_id}/invites"
    admin_pages.post(f"{page}/1/revoke", {}, page=page)
    form = PERSON | {"email": "olena@acme.example", "csrf_token": token.group(1)}
    assert client.post(link.removeprefix(PUBLIC_URL), data=form).status_code == 403
    assert _count(app, Card) == 0


def test_bad_invitation_terms_are_reported_at_once_with_the_values_kept(
    app: Flask, admin_pages: StaffPages
) -> None:
    program_id = _program(app)
    page = f"/admin/programs/{program_id}/invites"
    sent = {"expires_on": "2001-01-01", "company": "", "tax_id": "no way!"}
    response = admin_pages.post(page, sent, page=page)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    for name in ("expires_on", "company", "tax_id"):
        assert f'id="{name}-error"' in text
    assert 'value="no way!"' in text
    assert _count(app, Invite) == 0


def test_making_and_revoking_invitations_is_audited(app: Flask, admin_pages: StaffPages) -> None:
    program_id = _program(app)
    _make_link(admin_pages, program_id)
    page = f"/admin/programs/{program_id}/invites"
    assert admin_pages.post(f"{page}/1/revoke", {}, page=page).status_code == 303
    assert "Revoked" in admin_pages.text(page)
    with app.extensions["tessera.database"].read() as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-2:] == ["invite.create", "invite.revoke"]


def test_unknown_programs_and_invitations_are_not_found(
    admin_pages: StaffPages, app: Flask
) -> None:
    program_id = _program(app)
    assert admin_pages.client.get("/admin/programs/999/invites").status_code == 404
    page = f"/admin/programs/{program_id}/invites"
    assert admin_pages.post(f"{page}/999/revoke", {}, page=page).status_code == 404


def test_the_api_makes_lists_and_revokes_invitations(
    app: Flask, api: Api, client: FlaskClient
) -> None:
    program_id = _program(app, pooling="partner")
    ends = (clock.now() + dt.timedelta(days=3)).isoformat()
    body = {"expires_at": ends, "company": "Acme Ltd", "tax_id": "UA12345678"}
    status, made = api.call("POST", f"/programs/{program_id}/invites", body=body)
    assert status == 201
    assert (made["company"], made["status"], made["uses"]) == ("Acme Ltd", "active", 0)
    assert _join(client, made["url"], "olena@acme.example").status_code == 303
    _, listed = api.call("GET", f"/programs/{program_id}/invites")
    assert [(i["id"], i["uses"]) for i in listed["invites"]] == [(made["id"], 1)]
    status, revoked = api.call("POST", f"/programs/{program_id}/invites/{made['id']}/revoke")
    assert (status, revoked["status"]) == (200, "revoked")
    again = api.call("POST", f"/programs/{program_id}/invites/{made['id']}/revoke")
    assert again[0] == 409


def test_the_api_reports_every_bad_term_and_needs_the_admin_scope(app: Flask, api: Api) -> None:
    program_id = _program(app)
    past = (clock.now() - dt.timedelta(days=1)).isoformat()
    body = {"expires_at": past, "tax_id": "x"}
    status, refused = api.call("POST", f"/programs/{program_id}/invites", body=body)
    assert status == 422
    assert set(refused["fields"]) == {"expires_at", "company", "tax_id"}
    status, _ = api.call(
        "POST", f"/programs/{program_id}/invites", key=api.pos_key, body={"expires_at": past}
    )
    assert status == 403
    assert _count(app, Invite) == 0


def test_a_refused_invitation_is_explained_in_the_visitors_language(
    app: Flask, admin_pages: StaffPages, client: FlaskClient
) -> None:
    program_id = _program(app)
    link = _make_link(admin_pages, program_id).removeprefix(PUBLIC_URL)
    changed = client.get(link + "x", headers={"Accept-Language": "pl"})
    assert changed.status_code == 403
    assert "Ten link z zaproszeniem jest nieprawidłowy." in changed.get_data(as_text=True)


def test_an_invited_member_can_have_the_card_link_sent_again(
    app: Flask, admin_pages: StaffPages, client: FlaskClient
) -> None:
    program_id = _program(app)
    link = _make_link(admin_pages, program_id)
    assert _join(client, link, "olena@acme.example").status_code == 303
    again = _join(client, link, "olena@acme.example")
    assert again.status_code == 409
    resend = re.search(r'action="([^"]+/resend)"', again.get_data(as_text=True))
    assert resend is not None
    token = _TOKEN.search(again.get_data(as_text=True))
    assert token is not None
    form = {"email": "olena@acme.example", "csrf_token": token.group(1)}
    assert client.post(resend.group(1), data=form).status_code == 200
    assert (_count(app, Card), _count(app, OutboxMessage)) == (1, 2)
