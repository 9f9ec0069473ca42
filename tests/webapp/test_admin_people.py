"""Admin people pages: lists with search and filters, detail pages, card actions, CSV in and out."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from issuer import checkout, clock
from issuer.checkout import Attribution, Idempotency
from issuer.db.models import (
    Account,
    AuditEntry,
    Card,
    Member,
    OutboxMessage,
    Partner,
    Role,
    Transaction,
)
from issuer.ledger import verify_ledger
from issuer.rules import Kind, Order
from tests.factories import make_card, make_program
from tests.webapp.staff_pages import StaffPages, make_staff


@dataclass(frozen=True)
class People:
    """Two programs, three members of two companies, one order and one voided card."""

    cashback: int
    stamp: int
    olena: int  # Acme, cashback card with an order
    olena_card: int
    olena_code: str
    petro: int  # Acme, stamp card, voided
    petro_card: int
    anna: int  # Bud, cashback card, no orders
    anna_card: int
    acme: int
    bud: int


@pytest.fixture
def admin_pages(app: Flask, client: FlaskClient) -> StaffPages:
    with _write(app) as session:
        email = make_staff(session, role=Role.ADMIN).email
        session.commit()
    pages = StaffPages(app, client)
    pages.login(email)
    return pages


@pytest.fixture
def people(app: Flask) -> People:
    with _write(app) as session:
        cashback = make_program(session, kind=Kind.CASHBACK, name="Cashback Club")
        stamp = make_program(session, kind=Kind.STAMP, name="Stamp Club")
        acme = {"company": "Acme Trading", "tax_id": "UA12345"}
        olena = make_card(
            session, program=cashback, name="Olena Koval", email="olena@acme.ua", **acme
        )
        petro = make_card(
            session, program=stamp, name="Petro Bondar", email="petro@acme.ua", **acme
        )
        anna = make_card(
            session, program=cashback, name="Anna Nowak", email="anna@bud.pl", company="Bud"
        )
        petro.status = "voided"
        session.commit()
        found = People(
            cashback.id, stamp.id, olena.member_id, olena.id, olena.code, petro.member_id,
            petro.id, anna.member_id, anna.id, olena.member.partner_id or 0,
            anna.member.partner_id or 0,
        )  # fmt: skip
    with _write(app) as session:
        promise = Idempotency("test", "order-1", "x")
        checkout.place_order(
            session, found.olena_card, Order(amount=100_000), promise, Attribution(), clock.now()
        )
        session.commit()
    return found


def _write(app: Flask) -> Session:
    session: Session = app.extensions["tessera.database"].write()
    return session


def _names(page: str) -> set[str]:
    return set(re.findall(r"(Olena Koval|Petro Bondar|Anna Nowak)</a>", page))


def _companies(page: str) -> set[str]:
    return set(re.findall(r">(Acme Trading|Bud)</a></td>", page))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Olena Koval", "Petro Bondar", "Anna Nowak"}),
        ("q=olena", {"Olena Koval"}),
        ("q=BUD.PL", {"Anna Nowak"}),
        ("q=acme", {"Olena Koval", "Petro Bondar"}),
        ("q=ua123", {"Olena Koval", "Petro Bondar"}),
        ("orders=yes", {"Olena Koval"}),
        ("orders=no", {"Petro Bondar", "Anna Nowak"}),
        ("voided=yes", {"Petro Bondar"}),
        ("voided=no", {"Olena Koval", "Anna Nowak"}),
        ("program=STAMP", {"Petro Bondar"}),
        ("program=CASHBACK&orders=no", {"Anna Nowak"}),
        ("q=nobody", set()),
    ],
)
def test_members_are_found_by_search_and_filters(
    admin_pages: StaffPages, people: People, query: str, expected: set[str]
) -> None:
    query = query.replace("STAMP", str(people.stamp)).replace("CASHBACK", str(people.cashback))
    assert _names(admin_pages.text(f"/admin/members/?{query}")) == expected


def test_members_are_found_by_card_code_typed_any_way(
    admin_pages: StaffPages, people: People
) -> None:
    code = people.olena_code
    typed = f"{code[:4].lower()} {code[4:8]}-{code[8:]}"
    assert _names(admin_pages.text(f"/admin/members/?q={typed}")) == {"Olena Koval"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Acme Trading", "Bud"}),
        ("q=anna", {"Bud"}),
        ("q=UA12345", {"Acme Trading"}),
        ("orders=yes", {"Acme Trading"}),
        ("voided=yes", {"Acme Trading"}),
        ("voided=no", {"Bud"}),
        ("program=STAMP", {"Acme Trading"}),
    ],
)
def test_partners_are_found_by_search_and_filters(
    admin_pages: StaffPages, people: People, query: str, expected: set[str]
) -> None:
    query = query.replace("STAMP", str(people.stamp))
    assert _companies(admin_pages.text(f"/admin/partners/?{query}")) == expected


def test_the_people_lists_are_in_the_admin_areas(admin_pages: StaffPages, people: People) -> None:
    page = admin_pages.text("/admin/members/")
    assert '<a href="/admin/members/" aria-current="page">Members</a>' in page
    assert '<a href="/admin/partners/">Partners</a>' in page


def test_a_partner_page_shows_members_accounts_and_ledger(
    admin_pages: StaffPages, people: People
) -> None:
    page = admin_pages.text(f"/admin/partners/{people.acme}")
    assert "Olena Koval" in page
    assert "Petro Bondar" in page
    assert "Cashback Club" in page
    assert "Stamp Club" in page
    assert "Order</td>" in page  # Olena's order in the ledger
    assert "1,000.00" in page


def test_a_member_page_shows_cards_account_and_ledger(
    admin_pages: StaffPages, people: People
) -> None:
    page = admin_pages.text(f"/admin/members/{people.olena}")
    assert "Cashback Club" in page
    assert "Order</td>" in page
    assert "Cashback balance: +" in page
    assert admin_pages.client.get("/admin/members/999999").status_code == 404


def _adjust(pages: StaffPages, people: People, **form: str) -> tuple[int, str]:
    path = f"/admin/members/{people.olena}/cards/{people.olena_card}/adjust"
    response = pages.post(path, form, page=f"/admin/members/{people.olena}")
    return response.status_code, response.get_data(as_text=True)


def _state(app: Flask, card_id: int) -> tuple[int, int, int, int]:
    """The account's balance and version, the card's version, and the ledger's length."""
    with app.extensions["tessera.database"].read() as session:
        card = session.get_one(Card, card_id)
        entries = session.scalar(select(func.count()).select_from(Transaction)) or 0
        return card.account.cashback_balance, card.account.version, card.version, entries


def test_an_adjustment_writes_the_ledger_and_the_audit_log_and_updates_the_passes(
    admin_pages: StaffPages, people: People, app: Flask
) -> None:
    before = _state(app, people.olena_card)
    status, _ = _adjust(
        admin_pages, people, field="cashback_balance", direction="add", amount="12.50",
        reason="Goodwill for a late delivery",
    )  # fmt: skip
    assert status == 303
    assert _state(app, people.olena_card) == (
        before[0] + 1_250, before[1] + 1, before[2] + 1, before[3] + 1
    )  # fmt: skip
    with app.extensions["tessera.database"].read() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "account.adjust"))
        assert audit.one().details["reason"] == "Goodwill for a late delivery"
        assert verify_ledger(session) == []
    page = admin_pages.text(f"/admin/members/{people.olena}")
    assert "Adjustment</td>" in page
    assert "Goodwill for a late delivery" in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"direction": "remove", "amount": "1000", "reason": "Too much"}, "below zero"),
        ({"direction": "add", "amount": "5", "reason": "  "}, "Say why the balance is adjusted."),
        ({"direction": "add", "amount": "abc", "reason": "Typo"}, "Enter an amount such as"),
        ({"direction": "add", "amount": "1.234", "reason": "Typo"}, "at most 2 decimals"),
    ],
)
def test_a_refused_adjustment_says_why_keeps_the_values_and_changes_nothing(
    admin_pages: StaffPages, people: People, app: Flask, form: dict[str, str], message: str
) -> None:
    before = _state(app, people.olena_card)
    status, page = _adjust(admin_pages, people, field="cashback_balance", **form)
    assert status == 422
    assert message in page
    assert f'value="{form["amount"]}"' in page
    assert _state(app, people.olena_card) == before
    with app.extensions["tessera.database"].read() as session:
        adjusted = select(func.count()).where(AuditEntry.action == "account.adjust")
        assert session.scalar(adjusted) == 0


def test_every_error_of_an_adjustment_is_shown_at_once(
    admin_pages: StaffPages, people: People
) -> None:
    status, page = _adjust(admin_pages, people, field="stamps", amount="", reason="")
    assert status == 422
    assert "Choose what to adjust." in page
    assert "Enter an amount such as" not in page  # stamps are counted, not money
    assert "Enter a whole number greater than zero." in page
    assert "Say why the balance is adjusted." in page


def test_voiding_a_card_needs_a_confirmation_and_is_audited(
    admin_pages: StaffPages, people: People, app: Flask
) -> None:
    path = f"/admin/members/{people.anna}/cards/{people.anna_card}/void"
    page = f"/admin/members/{people.anna}"
    admin_pages.post(path, {}, page=page)
    with app.extensions["tessera.database"].read() as session:
        assert not session.get_one(Card, people.anna_card).is_voided
    version = _state(app, people.anna_card)[2]
    assert admin_pages.post(path, {"confirm": "yes"}, page=page).status_code == 303
    with app.extensions["tessera.database"].read() as session:
        card = session.get_one(Card, people.anna_card)
        assert (card.is_voided, card.version) == (True, version + 1)
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "card.void")).one()
        assert audit.target == f"card:{people.anna_card}"
    assert "Voided" in admin_pages.text(page)


def test_resending_the_card_link_writes_it_to_the_outbox(
    admin_pages: StaffPages, people: People, app: Flask
) -> None:
    path = f"/admin/members/{people.anna}/cards/{people.anna_card}/resend"
    response = admin_pages.post(path, {}, page=f"/admin/members/{people.anna}")
    assert response.status_code == 303
    with app.extensions["tessera.database"].read() as session:
        mail = session.scalars(select(OutboxMessage)).one()
        page_token = session.get_one(Card, people.anna_card).page_token
        resent = select(AuditEntry).where(AuditEntry.action == "card.resend_link")
        assert session.scalars(resent).one().target == f"card:{people.anna_card}"
    assert mail.recipient == "anna@bud.pl"
    assert f"/c/{page_token}" in mail.body
    assert "anna@bud.pl" in admin_pages.text(f"/admin/members/{people.anna}")


def test_card_actions_only_reach_the_members_own_cards(
    admin_pages: StaffPages, people: People
) -> None:
    path = f"/admin/members/{people.anna}/cards/{people.olena_card}/resend"
    assert admin_pages.post(path, {}, page="/admin/members/").status_code == 404


HEADER = "name,email,phone,company,tax_id,position,language,birthday\n"


def _upload(pages: StaffPages, program_id: int, text: str) -> tuple[int, str]:
    data = {"program": str(program_id), "file": (io.BytesIO(text.encode()), "members.csv")}
    response = pages.post("/admin/members/import", data, page="/admin/members/import")
    return response.status_code, response.get_data(as_text=True)


def _count(app: Flask, model: type) -> int:
    with app.extensions["tessera.database"].read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_good_csv_is_previewed_then_imported_whole(
    admin_pages: StaffPages, people: People, app: Flask
) -> None:
    text = HEADER + (
        "Iryna Melnyk,iryna@acme.ua,+380441234567,Acme Trading,UA12345,,uk,\n"
        "Jan Kowalski,jan@nowy.pl,+48221234567,Nowy,,,pl,\n"
    )
    status, page = _upload(admin_pages, people.cashback, text)
    assert status == 200
    assert "All 2 rows are good." in page
    assert _count(app, Member) == 3  # the preview changes nothing
    upload = re.search(r'name="upload" value="([^"]+)"', page)
    assert upload is not None
    confirm = admin_pages.post(
        "/admin/members/import/confirm", {"upload": upload.group(1)}, page="/admin/members/"
    )
    assert confirm.status_code == 303
    assert (_count(app, Member), _count(app, Card), _count(app, Partner)) == (5, 5, 3)
    with app.extensions["tessera.database"].read() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "members.import"))
        assert audit.one().details == {"members": 2}


def test_a_csv_with_bad_rows_imports_nothing_and_names_every_bad_row(
    admin_pages: StaffPages, people: People, app: Flask
) -> None:
    text = HEADER + (
        "Good Person,good@acme.ua,+380441234567,Acme Trading,,,en,\n"
        ",bad-email,+380441234567,Acme Trading,,,en,\n"
        "Olena Again,olena@acme.ua,+380441234567,Acme Trading,,,en,\n"
        "No Phone,nophone@acme.ua,12,Acme Trading,,,xx,\n"
    )
    status, page = _upload(admin_pages, people.cashback, text)
    assert status == 422
    assert 'name="upload"' not in page
    errors = page.split('id="import-errors"')[1].split("</div>")[0]
    assert "Row 3: Name: required, at most 120 characters. Email: not an email address." in errors
    assert "Row 4: Email: already has a card in this program." in errors
    assert "Row 5: Phone: not a phone number" in errors
    assert "Language: use en, uk, ru or pl." in errors
    assert "Row 2" not in errors
    assert (_count(app, Member), _count(app, Card)) == (3, 3)


def test_a_tampered_or_foreign_upload_is_refused(
    admin_pages: StaffPages, people: People, app: Flask
) -> None:
    response = admin_pages.post(
        "/admin/members/import/confirm", {"upload": "forged.token"}, page="/admin/members/"
    )
    assert response.status_code == 303
    assert "expired" in admin_pages.text("/admin/members/import")
    assert _count(app, Member) == 3


def test_the_members_export_has_the_filtered_members_in_import_columns(
    admin_pages: StaffPages, people: People, app: Flask
) -> None:
    with _write(app) as session:
        member = session.get_one(Member, people.anna)
        member.position = '=HYPERLINK("http://evil")'
        session.commit()
    response = admin_pages.client.get("/admin/members/export.csv?q=bud")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:8] == [
        "name",
        "email",
        "phone",
        "company",
        "tax_id",
        "position",
        "language",
        "birthday",
    ]
    assert [row[:6] for row in rows[1:]] == [
        ["Anna Nowak", "anna@bud.pl", "", "Bud", "", '\'=HYPERLINK("http://evil")']
    ]


def test_the_partners_export_lists_companies_with_member_counts(
    admin_pages: StaffPages, people: People
) -> None:
    response = admin_pages.client.get("/admin/partners/export.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["name", "tax_id", "members", "created_at"]
    assert sorted(row[:3] for row in rows[1:]) == [
        ["Acme Trading", "UA12345", "2"],
        ["Bud", "", "1"],
    ]


def test_accounts_are_untouched_by_reading_pages(
    admin_pages: StaffPages, people: People, app: Flask
) -> None:
    before = _count(app, Account)
    admin_pages.text(f"/admin/partners/{people.bud}")
    assert _count(app, Account) == before


def test_staff_who_are_not_admins_cannot_open_the_people_pages(
    app: Flask, client: FlaskClient, people: People
) -> None:
    with _write(app) as session:
        email = make_staff(session, role=Role.STAFF).email
        session.commit()
    pages = StaffPages(app, client)
    pages.login(email)
    for path in ("/admin/members/", "/admin/partners/", f"/admin/members/{people.olena}"):
        assert client.get(path).status_code == 403
