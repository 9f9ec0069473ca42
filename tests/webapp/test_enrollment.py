"""Enrollment at /join/<slug>: every error at once, a card, pooling, the same email twice."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from issuer.db.models import Card, Member, OutboxMessage, Pooling
from issuer.rules import Kind
from tests.factories import make_program

_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')
_CSRF_VALUE = re.compile(
    r'(?<=name="csrf-token" content=")[^"]+|(?<=name="csrf_token" value=")[^"]+'
)
GOOD = {
    "name": "Olena Koval",
    "email": "olena@acme.example",
    "phone": "+380 44 123 4567",
    "company": "Acme Ltd",
    "tax_id": "12345678",
    "position": "Buyer",
    "language": "uk",
    "birthday": "1990-04-01",
    "consent": "yes",
}


def _program(app: Flask, **fields: Any) -> str:
    with app.extensions["tessera.database"].write() as session:
        program = make_program(session, kind=Kind.STAMP, **fields)
        session.commit()
        return program.slug


def _send(client: FlaskClient, slug: str, **changes: str) -> tuple[int, str, str]:
    page = client.get(f"/join/{slug}").get_data(as_text=True)
    token = _TOKEN.search(page)
    assert token is not None
    form = GOOD | changes | {"csrf_token": token.group(1)}
    response = client.post(f"/join/{slug}", data={k: v for k, v in form.items() if v != "-"})
    return (
        response.status_code,
        response.get_data(as_text=True),
        response.headers.get("Location", ""),
    )


def _count(app: Flask, model: type) -> int:
    with app.extensions["tessera.database"].read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_the_form_names_every_field_and_the_privacy_text(app: Flask, client: FlaskClient) -> None:
    page = client.get(f"/join/{_program(app)}").get_data(as_text=True)
    for name in ("name", "email", "phone", "company", "tax_id", "position", "language", "birthday"):
        assert f'name="{name}"' in page
    assert 'name="consent"' in page
    assert "We share them with no one." in page


def test_every_bad_field_is_reported_at_once_with_the_values_kept(
    app: Flask, client: FlaskClient
) -> None:
    bad = {"name": "", "email": "olena@", "phone": "12", "company": "", "birthday": "2999-01-01"}
    status, page, _ = _send(client, _program(app), consent="-", **bad)
    assert status == 422
    for name in ("name", "email", "phone", "company", "birthday", "consent"):
        assert f'id="{name}-error"' in page
    summary = re.findall(r'<li><a href="#(\w+)">', page)
    assert summary == ["name", "email", "phone", "company", "birthday", "consent"]  # form order
    assert 'value="olena@"' in page
    assert _count(app, Card) == 0


def test_a_good_application_gets_a_card_and_lands_on_its_page(
    app: Flask, client: FlaskClient
) -> None:
    status, _, location = _send(client, _program(app))
    assert status == 303
    with app.extensions["tessera.database"].read() as session:
        member = session.scalars(select(Member)).one()
        card = session.scalars(select(Card)).one()
    assert (member.phone, member.locale, str(member.birthday)) == (
        "+380441234567",
        "uk",
        "1990-04-01",
    )
    assert location == f"/c/{card.page_token}"


def test_colleagues_of_a_pooling_program_share_one_account(app: Flask, client: FlaskClient) -> None:
    slug = _program(app, pooling=Pooling.PARTNER)
    _send(client, slug)
    _send(client, slug, email="petro@acme.example", company="ACME")
    with app.extensions["tessera.database"].read() as session:
        accounts = {card.account_id for card in session.scalars(select(Card))}
    assert len(accounts) == 1


def test_the_same_email_twice_makes_no_second_card_and_offers_the_link(
    app: Flask, client: FlaskClient
) -> None:
    slug = _program(app)
    _send(client, slug)
    status, page, _ = _send(client, slug, email="OLENA@acme.example")
    assert status == 409
    assert f'action="/join/{slug}/resend"' in page
    assert _count(app, Card) == 1


def test_resend_answers_alike_for_known_and_unknown_emails(app: Flask, client: FlaskClient) -> None:
    slug = _program(app)
    _send(client, slug)
    token = _TOKEN.search(client.get(f"/join/{slug}").get_data(as_text=True))
    assert token is not None
    answers = [
        client.post(f"/join/{slug}/resend", data={"email": email, "csrf_token": token.group(1)})
        for email in ("olena@acme.example", "nobody@acme.example")
    ]
    # Each page carries a fresh CSRF token (it holds a timestamp); everything else must match.
    texts = [
        _CSRF_VALUE.sub("", a.get_data(as_text=True))
        .replace("olena@", "X@")
        .replace("nobody@", "X@")
        for a in answers
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert texts[0] == texts[1]
    assert _count(app, OutboxMessage) == 2  # the confirmation and the one resent link


def test_without_smtp_the_confirmation_goes_to_the_outbox(app: Flask, client: FlaskClient) -> None:
    _, _, location = _send(client, _program(app))
    with app.extensions["tessera.database"].read() as session:
        message = session.scalars(select(OutboxMessage)).one()
    assert message.recipient == "olena@acme.example"
    assert f"https://tessera.test{location}" in message.body


def test_a_form_without_its_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    response = client.post(f"/join/{_program(app)}", data=GOOD)
    assert response.status_code == 400
    assert _count(app, Card) == 0


@pytest.mark.parametrize(
    ("fields", "status"), [({"publish": False}, 404), ({"enrollment": "invite"}, 403)]
)
def test_draft_and_invite_only_programs_take_no_one(
    app: Flask, client: FlaskClient, fields: dict[str, Any], status: int
) -> None:
    assert client.get(f"/join/{_program(app, **fields)}").status_code == status


def test_enrollment_posts_are_rate_limited(app: Flask, client: FlaskClient) -> None:
    slug = _program(app)
    statuses = [_send(client, slug, email="")[0] for _ in range(11)]
    assert statuses == [422] * 10 + [429]
