"""Undoing orders from the staff pages, and a staff member's orders of the day with totals."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from issuer import cards, clock, staff_checkout
from issuer.db.models import Account, Role, Staff, Transaction, TransactionKind
from issuer.rules import Kind, Order
from tests.factories import make_card, make_program
from tests.webapp.staff_pages import StaffPages, make_staff


@pytest.fixture
def pages(app: Flask, client: FlaskClient) -> StaffPages:
    return StaffPages(app, client)


def _setup(app: Flask) -> tuple[int, str, str, str]:
    """A cashback card, a staff member, a colleague and an admin."""
    with app.extensions["tessera.database"].write() as session:
        card = make_card(session, program=make_program(session, kind=Kind.CASHBACK))
        people = [make_staff(session), make_staff(session), make_staff(session, role=Role.ADMIN)]
        session.commit()
        return card.id, *(person.email for person in people)  # type: ignore[return-value]


def _order_by(
    app: Flask, email: str, card_id: int, amount: int, ago: dt.timedelta, **order: object
) -> int:
    with app.extensions["tessera.database"].write() as session:
        staff = session.scalars(select(Staff).where(Staff.email == email)).one()
        card = cards.get_card(session, card_id)
        receipt = staff_checkout.place_staff_order(
            session, card, Order(amount=amount, **order), staff, None, f"k{amount}{ago}",  # type: ignore[arg-type]
            clock.now() - ago,
        )  # fmt: skip
        session.commit()
        return receipt.transaction.id


def _balance(app: Flask, card_id: int) -> int:
    with app.extensions["tessera.database"].read() as session:
        return cards.get_card(session, card_id).account.cashback_balance


def _undo(pages: StaffPages, entry_id: int, reason: str = "Wrong amount") -> tuple[int, str]:
    page = pages.text(f"/staff/orders/{entry_id}")
    key = page.split('name="key" value="')[1].split('"')[0] if 'name="key"' in page else "k"
    response = pages.post(f"/staff/orders/{entry_id}/undo", {"reason": reason, "key": key})
    if response.status_code == 303:
        return 303, pages.text(response.headers["Location"])
    return response.status_code, response.get_data(as_text=True)


def test_staff_undo_their_own_order_within_the_window(pages: StaffPages, app: Flask) -> None:
    card_id, mine, _, _ = _setup(app)
    entry = _order_by(app, mine, card_id, 100_000, dt.timedelta(minutes=3))
    pages.login(mine)
    assert "Undo this order" in pages.text(f"/staff/orders/{entry}")
    status, page = _undo(pages, entry)
    assert status == 303
    assert "Order undone" in page
    assert "Reason: Wrong amount" in page
    assert _balance(app, card_id) == 0
    with app.extensions["tessera.database"].read() as session:
        reversal = session.scalars(
            select(Transaction).where(Transaction.reverses_id == entry)
        ).one()
        assert (reversal.reason, reversal.staff_id is not None) == ("Wrong amount", True)


def test_an_undo_needs_a_reason(pages: StaffPages, app: Flask) -> None:
    card_id, mine, _, _ = _setup(app)
    entry = _order_by(app, mine, card_id, 100_000, dt.timedelta(0))
    pages.login(mine)
    status, page = _undo(pages, entry, reason="   ")
    assert status == 422
    assert "Say why the order is undone." in page
    assert _balance(app, card_id) == 5_000


def test_after_the_window_staff_are_told_to_ask_an_admin(pages: StaffPages, app: Flask) -> None:
    card_id, mine, _, _ = _setup(app)
    entry = _order_by(app, mine, card_id, 100_000, dt.timedelta(minutes=16))
    pages.login(mine)
    assert "Undo this order" not in pages.text(f"/staff/orders/{entry}")
    status, page = _undo(pages, entry)
    assert status == 409
    assert "The time to undo this order has passed. Ask an admin to undo it." in page
    assert _balance(app, card_id) == 5_000


def test_staff_cannot_undo_a_colleagues_order(pages: StaffPages, app: Flask) -> None:
    card_id, mine, colleague, _ = _setup(app)
    entry = _order_by(app, colleague, card_id, 100_000, dt.timedelta(0))
    pages.login(mine)
    status, page = _undo(pages, entry)
    assert status == 403
    assert "Only the person who placed this order, or an admin, can undo it." in page


def test_admins_undo_any_order_at_any_time(pages: StaffPages, app: Flask) -> None:
    card_id, _, colleague, admin = _setup(app)
    entry = _order_by(app, colleague, card_id, 100_000, dt.timedelta(days=3))
    pages.login(admin)
    status, page = _undo(pages, entry, reason="Customer returned the goods")
    assert (status, "Order undone" in page) == (303, True)
    assert _balance(app, card_id) == 0


def test_a_refused_reversal_says_the_cashback_was_spent(pages: StaffPages, app: Flask) -> None:
    card_id, mine, _, _ = _setup(app)
    earned = _order_by(app, mine, card_id, 100_000, dt.timedelta(0))
    _order_by(app, mine, card_id, 20_000, dt.timedelta(0), redeem="max")
    pages.login(mine)
    status, page = _undo(pages, earned)
    assert status == 409
    assert "It cannot be undone: the cashback from this order has been spent." in page
    with app.extensions["tessera.database"].read() as session:
        kinds = session.scalars(select(Transaction.kind)).all()
        assert TransactionKind.REVERSAL not in kinds


def test_an_order_is_undone_once(pages: StaffPages, app: Flask) -> None:
    card_id, mine, _, _ = _setup(app)
    entry = _order_by(app, mine, card_id, 100_000, dt.timedelta(0))
    pages.login(mine)
    page = pages.text(f"/staff/orders/{entry}")
    key = page.split('name="key" value="')[1].split('"')[0]
    form = {"reason": "Wrong card", "key": key}
    first = pages.post(f"/staff/orders/{entry}/undo", form)
    again = pages.post(f"/staff/orders/{entry}/undo", form)
    assert first.headers["Location"] == again.headers["Location"]
    other_key = pages.post(f"/staff/orders/{entry}/undo", form | {"key": "another"})
    assert other_key.status_code == 409
    assert "This order has already been undone." in other_key.get_data(as_text=True)
    assert "This order has been undone." in pages.text(f"/staff/orders/{entry}")
    with app.extensions["tessera.database"].read() as session:
        assert session.get_one(Account, 1).cashback_balance == 0


def test_day_orders_list_mine_of_today_with_totals(pages: StaffPages, app: Flask) -> None:
    card_id, mine, colleague, _ = _setup(app)
    _order_by(app, mine, card_id, 100_000, dt.timedelta(0))
    _order_by(app, mine, card_id, 50_000, dt.timedelta(0), redeem="max")
    undone = _order_by(app, mine, card_id, 30_000, dt.timedelta(0))
    _order_by(app, colleague, card_id, 70_000, dt.timedelta(0))
    _order_by(app, mine, card_id, 90_000, dt.timedelta(days=2))
    pages.login(mine)
    _undo(pages, undone)
    page = pages.text("/staff/orders")
    assert "3 orders" not in page
    assert "2 orders · UAH" in page
    assert "UAH\xa01,500.00" in page  # orders total: 1,000 + 500, the undone one left out
    assert "Paid with cashback" in page
    assert "1 undone order is left out of the totals." in page
    assert page.count('<li class="entry') == 3


def test_day_orders_of_someone_without_orders(pages: StaffPages, app: Flask) -> None:
    _, mine, _, _ = _setup(app)
    pages.login(mine)
    assert "No orders yet today." in pages.text("/staff/orders")
