"""Staff checkout pages: finding cards, the live quote, placing orders once, locations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from issuer import cardcodes, cards, clock
from issuer.db.models import Location, Program, ProgramStatus, Transaction
from issuer.rules import Kind
from tests.factories import make_card, make_program
from tests.webapp.staff_pages import StaffPages, make_location, make_staff


@dataclass
class Desk:
    card_id: int
    code: str
    email: str
    locations: list[int]


@pytest.fixture
def pages(app: Flask, client: FlaskClient) -> StaffPages:
    return StaffPages(app, client)


def _desk(app: Flask, kind: Kind = Kind.CASHBACK, locations: int = 0, **program: Any) -> Desk:
    with app.extensions["tessera.database"].write() as session:
        card = make_card(
            session, program=make_program(session, kind=kind, **program), company="Acme Ltd"
        )
        places = tuple(make_location(session, f"Store {n}") for n in range(locations))
        staff = make_staff(session, locations=places)
        session.commit()
        return Desk(card.id, card.code, staff.email, [place.id for place in places])


def _orders(app: Flask) -> int:
    with app.extensions["tessera.database"].read() as session:
        return session.scalar(select(func.count()).select_from(Transaction)) or 0


def _logged_in(pages: StaffPages, app: Flask, **setup: object) -> Desk:
    desk = _desk(app, **setup)  # type: ignore[arg-type]
    assert pages.login(desk.email).status_code == 303
    return desk


def _order_form(pages: StaffPages, desk: Desk, **fields: str) -> dict[str, str]:
    page = pages.text(f"/staff/cards/{desk.card_id}")
    key = page.split('name="key" value="')[1].split('"')[0]
    return {"key": key, "amount": "100.00"} | fields


@pytest.mark.parametrize(
    "typed",
    ["{grouped}", "{lower}", "{spaced}", "{bare}"],
    ids=["grouped", "lower", "spaces", "bare"],
)
def test_a_scanned_or_typed_code_opens_its_card(pages: StaffPages, app: Flask, typed: str) -> None:
    desk = _logged_in(pages, app)
    grouped = cardcodes.grouped(desk.code)
    code = typed.format(
        grouped=grouped, lower=grouped.lower(), spaced=grouped.replace("-", " "), bare=desk.code
    )
    response = pages.post("/staff/find", {"code": code})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/staff/cards/{desk.card_id}"
    answer = pages.script("/staff/api/lookup", {"code": code})
    assert answer.get_json() == {"url": f"/staff/cards/{desk.card_id}"}


@pytest.mark.parametrize(
    ("code", "status", "message"),
    [
        ("AAAA-BBBB-CCCC-DDDD", 404, "No card has this code. Check it and try again."),
        ("https://other-loyalty.example/card/77", 404, "It may be a card of another program."),
        ("4006381333931", 404, "This is not one of our card codes."),
    ],
)
def test_unknown_and_foreign_codes_say_so(
    pages: StaffPages, app: Flask, code: str, status: int, message: str
) -> None:
    _logged_in(pages, app)
    response = pages.post("/staff/find", {"code": code})
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert 'value="' + code.replace("&", "&amp;") + '"' in response.get_data(as_text=True)
    answer = pages.script("/staff/api/lookup", {"code": code})
    assert answer.status_code == status
    assert message in answer.get_json()["message"]


def test_a_voided_card_says_so(pages: StaffPages, app: Flask) -> None:
    desk = _logged_in(pages, app)
    with app.extensions["tessera.database"].write() as session:
        cards.void_card(session, cards.get_card(session, desk.card_id), "test", clock.now())
        session.commit()
    answer = pages.script("/staff/api/lookup", {"code": desk.code})
    assert (answer.status_code, answer.get_json()["error"]) == (409, "card_voided")
    page = pages.post("/staff/find", {"code": desk.code}).get_data(as_text=True)
    assert "This card has been voided and cannot take orders." in page


def test_a_card_of_an_archived_program_says_so(pages: StaffPages, app: Flask) -> None:
    desk = _logged_in(pages, app)
    with app.extensions["tessera.database"].write() as session:
        for program in session.scalars(select(Program)):
            program.status = ProgramStatus.ARCHIVED
        session.commit()
    answer = pages.script("/staff/api/lookup", {"code": desk.code})
    assert answer.status_code == 409
    assert answer.get_json()["message"] == (
        "This card's program is not running, so it takes no orders."
    )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (Kind.DISCOUNT, ["Discount", "Spent so far"]),
        (Kind.ACCUMULATIVE, ["Tier", "Bronze", "Next tier", "Silver after"]),
        (Kind.CASHBACK, ["Cashback balance", "Earns", "Balance pays up to"]),
        (Kind.STAMP, ["Stamps", "0 of 10", "Rewards ready", "Give a reward with this order"]),
    ],
)
def test_card_view_shows_holder_program_and_state(
    pages: StaffPages, app: Flask, kind: Kind, expected: list[str]
) -> None:
    desk = _logged_in(pages, app, kind=kind)
    page = pages.text(f"/staff/cards/{desk.card_id}")
    for text in ["Acme Ltd", cardcodes.grouped(desk.code), "Last orders", *expected]:
        assert text in page


def test_quote_shows_what_the_order_would_do_and_changes_nothing(
    pages: StaffPages, app: Flask
) -> None:
    desk = _logged_in(pages, app)
    answer = pages.script(f"/staff/api/cards/{desk.card_id}/quote", {"amount": "1 250,50"})
    assert answer.status_code == 200
    quote = answer.get_json()
    assert {"label": "To pay", "value": "UAH\xa01,250.50", "emphasis": True} in quote["figures"]
    assert {"label": "Cashback earned", "value": "+UAH\xa062.53", "emphasis": False} in quote[
        "figures"
    ]
    assert quote["confirm"] == "Confirm · pay UAH\xa01,250.50"
    assert _orders(app) == 0


def test_quote_reports_every_bad_field_at_once(pages: StaffPages, app: Flask) -> None:
    desk = _logged_in(pages, app)
    answer = pages.script(
        f"/staff/api/cards/{desk.card_id}/quote",
        {"amount": "12.345", "redeem": "amount", "redeem_amount": "abc"},
    )
    assert answer.status_code == 422
    assert answer.get_json()["fields"] == {
        "amount": "UAH amounts have at most 2 decimals.",
        "redeem_amount": "Enter an amount such as 1250.50, digits only.",
    }


def test_quote_refusals_from_the_card_rules_are_explained(pages: StaffPages, app: Flask) -> None:
    desk = _logged_in(pages, app)
    answer = pages.script(
        f"/staff/api/cards/{desk.card_id}/quote",
        {"amount": "100", "redeem": "amount", "redeem_amount": "5"},
    )
    assert (answer.status_code, answer.get_json()["message"]) == (
        422,
        "That is more cashback than the card holds.",
    )


def test_an_order_is_placed_and_its_result_shows_what_changed(
    pages: StaffPages, app: Flask
) -> None:
    desk = _logged_in(pages, app)
    response = pages.post(
        f"/staff/cards/{desk.card_id}/orders", _order_form(pages, desk, amount="1000")
    )
    assert response.status_code == 303
    result = pages.text(response.headers["Location"])
    for text in ["Order placed", "UAH\xa01,000.00", "Cashback earned", "+UAH\xa050.00"]:
        assert text in result
    assert "phone is being updated." in result
    assert "Undo this order" in result
    with app.extensions["tessera.database"].read() as session:
        entry = session.scalars(select(Transaction)).one()
        assert (entry.amount, entry.staff_id is not None, entry.location_id) == (
            100_000,
            True,
            None,
        )


def test_sending_the_same_order_form_twice_places_one_order(pages: StaffPages, app: Flask) -> None:
    desk = _logged_in(pages, app)
    form = _order_form(pages, desk, amount="250")
    first = pages.post(f"/staff/cards/{desk.card_id}/orders", form)
    second = pages.post(f"/staff/cards/{desk.card_id}/orders", form)
    assert first.headers["Location"] == second.headers["Location"]
    assert _orders(app) == 1


def test_the_same_form_key_with_other_values_is_refused(pages: StaffPages, app: Flask) -> None:
    desk = _logged_in(pages, app)
    form = _order_form(pages, desk, amount="250")
    pages.post(f"/staff/cards/{desk.card_id}/orders", form)
    again = pages.post(f"/staff/cards/{desk.card_id}/orders", form | {"amount": "260"})
    assert again.status_code == 422
    assert "the first order stands" in again.get_data(as_text=True)
    assert _orders(app) == 1


def test_form_keys_belong_to_one_staff_member(pages: StaffPages, app: Flask) -> None:
    desk = _logged_in(pages, app)
    form = _order_form(pages, desk, amount="250")
    pages.post(f"/staff/cards/{desk.card_id}/orders", form)
    other = _desk(app)
    pages.post("/staff/logout", {})
    pages.login(other.email)
    pages.post(f"/staff/cards/{desk.card_id}/orders", form)
    assert _orders(app) == 2


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"amount": ""}, "Enter an amount such as 1250.50, digits only."),
        ({"amount": "0"}, "Enter an amount greater than zero."),
        ({"amount": "-5"}, "Enter an amount such as 1250.50, digits only."),
        ({"amount": "1.999"}, "UAH amounts have at most 2 decimals."),
        ({"amount": "9" * 40}, "The amount is too large"),
        ({"amount": "100", "redeem": "max", "redeem_reward": "yes"}, "Only stamp cards have"),
    ],
)
def test_bad_orders_are_refused_with_the_form_kept(
    pages: StaffPages, app: Flask, fields: dict[str, str], error: str
) -> None:
    desk = _logged_in(pages, app)
    response = pages.post(f"/staff/cards/{desk.card_id}/orders", _order_form(pages, desk, **fields))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error in page
    assert f'value="{fields["amount"]}"' in page
    assert _orders(app) == 0


def test_cashback_can_pay_the_most_possible(pages: StaffPages, app: Flask) -> None:
    desk = _logged_in(pages, app, kind=Kind.CASHBACK)
    pages.post(f"/staff/cards/{desk.card_id}/orders", _order_form(pages, desk, amount="1000"))
    form = _order_form(pages, desk, amount="20", redeem="max")
    quote = pages.script(f"/staff/api/cards/{desk.card_id}/quote", form).get_json()
    assert {
        "label": "Paid with cashback",
        "value": "\u2212UAH\xa010.00",
        "emphasis": False,
    } in quote["figures"]
    assert "Pay with cashback" in pages.text(f"/staff/cards/{desk.card_id}")
    result = pages.post(f"/staff/cards/{desk.card_id}/orders", form)
    assert "Paid with cashback" in pages.text(result.headers["Location"])


def test_a_stamp_reward_is_given_with_an_order(pages: StaffPages, app: Flask) -> None:
    desk = _logged_in(pages, app, kind=Kind.STAMP, rules={"stamps_required": 1, "reward": "Tea"})
    pages.post(f"/staff/cards/{desk.card_id}/orders", _order_form(pages, desk, amount="1000"))
    form = _order_form(pages, desk, amount="10", redeem_reward="yes")
    result = pages.post(f"/staff/cards/{desk.card_id}/orders", form)
    assert "Reward redeemed" in pages.text(result.headers["Location"])


def test_one_location_is_used_without_asking(pages: StaffPages, app: Flask) -> None:
    desk = _logged_in(pages, app, locations=1)
    assert "Store 0" in pages.text("/staff/")
    pages.post(f"/staff/cards/{desk.card_id}/orders", _order_form(pages, desk))
    with app.extensions["tessera.database"].read() as session:
        assert session.scalars(select(Transaction.location_id)).one() == desk.locations[0]


def test_with_several_locations_the_choice_is_asked_and_remembered(
    pages: StaffPages, app: Flask
) -> None:
    desk = _logged_in(pages, app, locations=2)
    refused = pages.post(f"/staff/cards/{desk.card_id}/orders", _order_form(pages, desk))
    assert refused.status_code == 422
    assert "Choose the location you are working at." in refused.get_data(as_text=True)
    chosen = desk.locations[1]
    pages.post("/staff/location", {"location": str(chosen), "next": "/staff/"})
    assert f'<option value="{chosen}" selected>' in pages.text(f"/staff/cards/{desk.card_id}")
    pages.post(f"/staff/cards/{desk.card_id}/orders", _order_form(pages, desk))
    with app.extensions["tessera.database"].read() as session:
        assert session.scalars(select(Transaction.location_id)).one() == chosen


def test_a_location_of_someone_else_cannot_be_chosen(pages: StaffPages, app: Flask) -> None:
    desk = _logged_in(pages, app, locations=2)
    with app.extensions["tessera.database"].write() as session:
        foreign = make_location(session, "Elsewhere").id
        session.commit()
    form = _order_form(pages, desk, location=str(foreign))
    assert pages.post(f"/staff/cards/{desk.card_id}/orders", form).status_code == 422
    response = pages.post("/staff/location", {"location": str(foreign)})
    assert "Choose the location you are working at." in pages.text(response.headers["Location"])


def test_staff_without_locations_choose_among_all(pages: StaffPages, app: Flask) -> None:
    desk = _logged_in(pages, app)
    with app.extensions["tessera.database"].write() as session:
        first, second = make_location(session, "North"), make_location(session, "South")
        session.commit()
        ids = (first.id, second.id)
    page = pages.text("/staff/")
    assert "North" in page
    assert "South" in page
    pages.post(
        f"/staff/cards/{desk.card_id}/orders", _order_form(pages, desk, location=str(ids[1]))
    )
    with app.extensions["tessera.database"].read() as session:
        assert session.scalars(select(Location.name).join(Transaction)).one() == "South"


def test_staff_pages_are_not_cached(pages: StaffPages, app: Flask) -> None:
    desk = _logged_in(pages, app)
    assert pages.client.get(f"/staff/cards/{desk.card_id}").headers["Cache-Control"] == "no-store"
