"""Staff use cases on a real database: finding cards, locations, undo rules and day totals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from issuer import cards, clock, staff_checkout, staff_orders
from issuer.db.models import Card, Role, Staff
from issuer.db.session import Database
from issuer.errors import Conflict, Invalid, NotAuthorized, NotFound
from issuer.rules import Kind, Order
from tests.factories import make_card, make_program
from tests.webapp.staff_pages import make_location, make_staff

WINDOW = dt.timedelta(minutes=15)
KYIV = ZoneInfo("Europe/Kyiv")


def _order(session: Session, card: Card, staff: Staff, amount: int, at: dt.datetime) -> int:
    receipt = staff_checkout.place_staff_order(
        session, card, Order(amount=amount), staff, None, f"key-{amount}-{at}", at
    )
    return receipt.transaction.id


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.write() as opened:
        yield opened


def test_codes_that_are_not_ours_unknown_or_voided_are_told_apart(session: Session) -> None:
    card = make_card(session, program=make_program(session, kind=Kind.DISCOUNT))
    assert staff_checkout.find_card_for_checkout(session, card.code.lower()).id == card.id
    refusals = []
    for typed in ("not a code", "AAAA-BBBB-CCCC-DDDD"):
        with pytest.raises(NotFound) as refused:
            staff_checkout.find_card_for_checkout(session, typed)
        refusals.append(refused.value.code)
    cards.void_card(session, card, "test", clock.now())
    with pytest.raises(Conflict) as voided:
        staff_checkout.find_card_for_checkout(session, card.code)
    assert [*refusals, voided.value.code] == ["not_a_card_code", "unknown_code", "card_voided"]


def test_locations_one_is_used_several_need_a_choice(session: Session) -> None:
    north, south = make_location(session, "North"), make_location(session, "South")
    single = make_staff(session, locations=(north,))
    double = make_staff(session, locations=(north, south))
    assert staff_checkout.location_for_order(session, single, None) is north
    assert staff_checkout.location_for_order(session, double, south.id) is south
    with pytest.raises(Invalid) as missing:
        staff_checkout.location_for_order(session, double, None)
    assert set(missing.value.errors) == {"location"}


def test_orders_are_attributed_and_keys_are_scoped_per_staff(session: Session) -> None:
    card = make_card(session, program=make_program(session, kind=Kind.CASHBACK))
    first, second = make_staff(session), make_staff(session)
    place = make_location(session, "Desk")
    now = clock.now()
    one = staff_checkout.place_staff_order(session, card, Order(amount=100), first, place, "k", now)
    again = staff_checkout.place_staff_order(
        session, card, Order(amount=100), first, place, "k", now
    )
    other = staff_checkout.place_staff_order(
        session, card, Order(amount=100), second, None, "k", now
    )
    assert again.replayed
    assert again.transaction.id == one.transaction.id
    assert not other.replayed
    assert (one.transaction.staff_id, one.transaction.location_id) == (first.id, place.id)
    with pytest.raises(Invalid):
        staff_checkout.place_staff_order(session, card, Order(amount=100), first, None, " ", now)


def test_undo_rules_are_enforced_by_the_use_case(session: Session) -> None:
    card = make_card(session, program=make_program(session, kind=Kind.CASHBACK))
    mine, colleague = make_staff(session), make_staff(session)
    admin = make_staff(session, role=Role.ADMIN)
    now = clock.now()
    fresh = _order(session, card, mine, 10_000, now - dt.timedelta(minutes=14))
    stale = _order(session, card, mine, 20_000, now - dt.timedelta(minutes=16))

    def undo(staff: Staff, entry: int, reason: str = "mistake", key: str = "u") -> object:
        return staff_orders.undo_order(session, staff, entry, reason, key, now, WINDOW)

    with pytest.raises(Invalid):
        undo(mine, fresh, reason="")
    with pytest.raises(NotAuthorized):
        undo(colleague, fresh)
    with pytest.raises(Conflict) as late:
        undo(mine, stale)
    assert late.value.code == "undo_window_passed"
    assert "15 minutes" in late.value.message
    assert undo(mine, fresh, key="u1").transaction.reverses_id == fresh  # type: ignore[attr-defined]
    assert undo(admin, stale, key="u2").transaction.reason == "mistake"  # type: ignore[attr-defined]


def test_the_day_is_counted_in_the_business_time_zone(session: Session) -> None:
    card = make_card(session, program=make_program(session, kind=Kind.DISCOUNT))
    staff = make_staff(session)
    # 23:30 in Kyiv on 1 March is 21:30 UTC; 00:30 on 2 March is 22:30 UTC on 1 March.
    late_evening = dt.datetime(2025, 3, 1, 21, 30, tzinfo=dt.UTC)
    after_midnight = dt.datetime(2025, 3, 1, 22, 30, tzinfo=dt.UTC)
    _order(session, card, staff, 10_000, late_evening)
    undone = _order(session, card, staff, 30_000, late_evening)
    _order(session, card, staff, 50_000, after_midnight)
    staff_orders.undo_order(session, staff, undone, "wrong", "u", late_evening, WINDOW)
    first = staff_orders.staff_day(session, staff.id, dt.date(2025, 3, 1), KYIV)
    second = staff_orders.staff_day(session, staff.id, dt.date(2025, 3, 2), KYIV)
    assert [order.entry.amount for order in first.orders] == [30_000, 10_000]
    assert (first.undone_count, [t.orders for t in first.totals]) == (1, [1])
    totals = first.totals[0]
    assert (totals.currency, totals.amount, totals.discount, totals.payable) == (
        "UAH", 10_000, 1_000, 9_000,
    )  # fmt: skip
    assert [order.entry.amount for order in second.orders] == [50_000]
