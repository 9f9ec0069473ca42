"""Member import from CSV: every bad row named, and all rows imported or none."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from issuer import clock, member_import
from issuer.db.models import Account, Card, Member, Partner, Program
from issuer.db.session import Database
from issuer.errors import Invalid
from issuer.rules import Kind
from tests.factories import make_card, make_program

HEADER = "name,email,phone,company,tax_id,position,language,birthday\n"
GOOD = (
    HEADER
    + "Olena Koval,olena@acme.ua,+380441234567,Acme,UA12345,Buyer,uk,1990-04-01\n"
    + "Petro Bondar,petro@acme.ua,+380 44 765 4321,Acme,UA12345,,uk,\n"
    + "Anna Nowak,anna@bud.pl,+48 22 123 45 67,Bud,,,pl,\n"
)


def _program(db: Database, pooling: str = "member") -> int:
    with db.write() as session:
        program = make_program(session, kind=Kind.CASHBACK, pooling=pooling)
        session.commit()
        return program.id


def _import(db: Database, program_id: int, text: str | bytes) -> list[int]:
    data = text.encode() if isinstance(text, str) else text
    with db.write() as session:
        program = session.get_one(Program, program_id)
        cards = member_import.import_members(session, program, data, "test", clock.now())
        session.commit()
        return [card.id for card in cards]


def _count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_good_file_issues_a_card_per_row_and_pools_per_company(db: Database) -> None:
    program_id = _program(db, pooling="partner")
    card_ids = _import(db, program_id, GOOD)
    with db.read() as session:
        cards = [session.get_one(Card, card_id) for card_id in card_ids]
        assert [card.member.email for card in cards] == [
            "olena@acme.ua",
            "petro@acme.ua",
            "anna@bud.pl",
        ]
        assert cards[0].account_id == cards[1].account_id != cards[2].account_id
        assert cards[1].member.phone == "+380447654321"
        assert str(cards[0].member.birthday) == "1990-04-01"
        assert cards[2].member.locale == "pl"
    assert (_count(db, Partner), _count(db, Account)) == (2, 2)


def test_member_pooling_gives_each_imported_member_an_account(db: Database) -> None:
    _import(db, _program(db, pooling="member"), GOOD)
    assert _count(db, Account) == 3


def test_a_file_with_bad_rows_imports_nothing_and_names_every_bad_row(db: Database) -> None:
    program_id = _program(db)
    text = (
        HEADER
        + "Good Person,good@acme.ua,+380441234567,Acme,,,en,\n"
        + ",not-an-email,12,Acme,,,en,\n"
        + "Third,third@acme.ua,+380441234567,,,,xx,2999-01-01\n"
        + "Fourth,good@acme.ua,+380441234567,Acme,,,en,\n"
    )
    with pytest.raises(Invalid) as refused:
        _import(db, program_id, text)
    assert refused.value.errors == {
        "row 2: email": member_import.DUPLICATE,
        "row 3: name": "Required.",
        "row 3: email": "Not an email address.",
        "row 3: phone": "Not a phone number; include the country code, e.g. +380 44 123 4567.",
        "row 4: company": "Required.",
        "row 4: language": "Choose one of en, uk, ru, pl.",
        "row 4: birthday": "Not a possible birthday.",
        "row 5: email": member_import.DUPLICATE,
    }
    assert (_count(db, Member), _count(db, Card), _count(db, Partner)) == (0, 0, 0)


def test_an_email_that_already_has_a_card_in_the_program_is_a_bad_row(db: Database) -> None:
    with db.write() as session:
        program = make_program(session)
        make_card(session, program=program, email="petro@acme.ua")
        session.commit()
        program_id = program.id
    with db.read() as session:
        preview = member_import.preview_import(
            session, session.get_one(Program, program_id), GOOD.encode(), clock.now().date()
        )
    assert [(row.number, row.errors) for row in preview.bad_rows] == [
        (3, {"email": member_import.ENROLLED})
    ]
    assert not preview.importable


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name;email\nA;a@b.cd\n", "Missing columns: phone, company."),
        (HEADER.replace("birthday", "shoe_size"), "Unknown columns: shoe_size."),
        ("", "Missing columns: name, email, phone, company."),
    ],
)
def test_a_file_with_wrong_columns_is_refused_as_a_whole(
    db: Database, text: str, problem: str
) -> None:
    with pytest.raises(Invalid) as refused:
        _import(db, _program(db), text)
    assert problem in refused.value.errors.values()
    assert _count(db, Member) == 0


def test_semicolons_and_a_byte_order_mark_are_read_and_blank_lines_keep_row_numbers(
    db: Database,
) -> None:
    text = "\ufeffname;email;phone;company\n\nBad;bad;+380441234567;Acme\n"
    with db.read() as session:
        program = make_program(session)
        preview = member_import.preview_import(session, program, text.encode(), clock.now().date())
    assert [(row.number, row.errors) for row in preview.rows] == [
        (3, {"email": "Not an email address."})
    ]


def test_a_file_that_is_not_utf8_is_refused(db: Database) -> None:
    with pytest.raises(Invalid) as refused:
        _import(db, _program(db), "name\n".encode("utf-16"))
    assert list(refused.value.errors.values()) == [
        "The file is not UTF-8 text; save it as CSV UTF-8."
    ]
