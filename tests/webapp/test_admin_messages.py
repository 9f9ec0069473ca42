"""Admin messages: compose with a count of who it reaches, send, history and detail, bad input."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import func, select

from issuer import checkout, clock
from issuer.checkout import Attribution, Idempotency
from issuer.db.models import AuditEntry, Card, Member, Message, Partner, Program
from issuer.rules import Kind, Order
from tests.factories import make_card, make_program
from tests.webapp.staff_pages import StaffPages

PAGE = "/admin/messages/"


@dataclass(frozen=True)
class Programs:
    """Two published programs: an accumulative one with three holders, a discount one with one."""

    club: int
    discount: int
    draft: int


@pytest.fixture
def setup(app: Flask) -> Programs:
    with app.extensions["tessera.database"].write() as session:
        club = make_program(session, kind=Kind.ACCUMULATIVE, name="Club")
        discount = make_program(session, kind=Kind.DISCOUNT, name="Discount")
        draft = make_program(session, kind=Kind.STAMP, name="Stamps", publish=False)
        for _ in range(3):
            make_card(session, program=club)
        make_card(session, program=discount)
        session.commit()
        return Programs(club.id, discount.id, draft.id)


def _stored(app: Flask) -> tuple[int, int, int]:
    with app.extensions["tessera.database"].read() as session:
        sent = session.scalar(select(func.count()).select_from(Message))
        versions = session.scalar(select(func.sum(Card.version)))
        audits = session.scalar(select(func.count()).select_from(AuditEntry))
    return int(sent or 0), int(versions or 0), int(audits or 0)


def test_the_page_is_the_messages_area_and_offers_published_programs_and_their_tiers(
    admin_pages: StaffPages, setup: Programs
) -> None:
    page = admin_pages.text(PAGE)
    assert f'<a href="{PAGE}" aria-current="page">Messages</a>' in page
    assert f'<option value="{setup.club}">Club</option>' in page
    assert f'value="{setup.draft}"' not in page
    assert f'<option value="{setup.club}:2">Gold</option>' in page
    assert "No message has been sent yet." in page


def test_counting_recipients_sends_nothing(
    admin_pages: StaffPages, app: Flask, setup: Programs
) -> None:
    before = _stored(app)
    form = {"program": setup.club, "segment": "tier", "tier": f"{setup.club}:0", "title": "Hi"}
    page = admin_pages.post(f"{PAGE}preview", form, page=PAGE).get_data(as_text=True)
    assert "Cards this message will reach: 3" in page
    assert 'value="Hi"' in page
    assert _stored(app) == before


def test_sending_redirects_to_the_detail_and_the_history_lists_it(
    admin_pages: StaffPages, app: Flask, setup: Programs
) -> None:
    form = {"program": setup.club, "segment": "inactive", "days": "30", "title": "We miss you",
            "body": "Come back for 5% off."}  # fmt: skip
    response = admin_pages.post(PAGE, form, page=PAGE)
    assert response.status_code == 303
    detail = admin_pages.text(response.headers["Location"])
    assert "The message is on its way. Cards: 3" in detail
    assert "Come back for 5% off." in detail
    assert "Days without an order: 30" in detail
    history = admin_pages.text(PAGE)
    assert "We miss you" in history
    with app.extensions["tessera.database"].read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "message.send")).one()
        assert entry.actor.startswith("staff:")
        assert entry.details["recipients"] == 3


@pytest.mark.parametrize(
    ("form", "shown"),
    [
        (
            {"segment": "all", "title": "", "body": ""},
            ["Choose a published program.", "Give a title of 1 to 60 characters.",
             "Give a text of 1 to 500 characters."],
        ),
        (
            {"segment": "tier", "tier": "other", "title": "Kept title", "body": "Kept text"},
            ["Choose one of the chosen program&#39;s tiers."],
        ),
        (
            {"segment": "inactive", "days": "0", "title": "Kept title", "body": "Kept text"},
            ["Give a number of days from 1 to 3650."],
        ),
    ],
)  # fmt: skip
def test_a_bad_form_shows_every_error_keeps_the_text_and_changes_nothing(
    admin_pages: StaffPages, app: Flask, setup: Programs, form: dict[str, str], shown: list[str]
) -> None:
    before = _stored(app)
    if form.get("tier") == "other":
        form = form | {"tier": f"{setup.discount}:0"}
    program = {} if form["segment"] == "all" else {"program": str(setup.club)}
    response = admin_pages.post(PAGE, form | program, page=PAGE)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for text in shown:
        assert text in page
    if form["title"]:
        assert 'value="Kept title"' in page
        assert ">Kept text</textarea>" in page
    assert _stored(app) == before


def test_a_tier_of_a_discount_program_is_refused(admin_pages: StaffPages, setup: Programs) -> None:
    form = {"program": setup.discount, "segment": "tier", "tier": f"{setup.club}:0",
            "title": "A", "body": "B"}  # fmt: skip
    response = admin_pages.post(PAGE, form, page=PAGE)
    assert response.status_code == 422
    assert "Only accumulative programs have tiers." in response.get_data(as_text=True)


def test_an_unknown_message_is_404(admin_pages: StaffPages) -> None:
    assert admin_pages.client.get(f"{PAGE}999").status_code == 404


def test_the_page_speaks_ukrainian(admin_pages: StaffPages, setup: Programs) -> None:
    page = admin_pages.client.get(PAGE, headers={"Accept-Language": "uk"})
    assert "Нове повідомлення" in page.get_data(as_text=True)


def test_the_form_reaches_an_abc_class_of_partner_companies(
    admin_pages: StaffPages, app: Flask, setup: Programs
) -> None:
    with app.extensions["tessera.database"].write() as session:
        program = session.get_one(Program, setup.discount)
        for company in ("Acme", "Acme", "Bolt"):
            make_card(session, program=program, company=company)
        session.commit()
    _place_orders(app, setup.discount, {"Acme": 90_000, "Bolt": 10_000})
    form = {"program": setup.discount, "segment": "abc", "abc": "0", "title": "Top partners"}
    page = admin_pages.post(f"{PAGE}preview", form, page=PAGE).get_data(as_text=True)
    assert "Cards this message will reach: 2" in page  # both Acme cards: class A
    form["abc"] = "2"
    page = admin_pages.post(f"{PAGE}preview", form, page=PAGE).get_data(as_text=True)
    assert "Cards this message will reach: 0" in page  # Bolt crosses 95 %: B; nobody is C


def _place_orders(app: Flask, program_id: int, amounts: dict[str, int]) -> None:
    with app.extensions["tessera.database"].write() as session:
        for company, amount in amounts.items():
            card = session.scalars(
                select(Card)
                .join(Member)
                .join(Partner)
                .where(Card.program_id == program_id, Partner.name == company)
                .limit(1)
            ).one()
            promise = Idempotency("test", company, company)
            checkout.place_order(
                session, card.id, Order(amount=amount), promise, Attribution(), clock.now()
            )
        session.commit()
