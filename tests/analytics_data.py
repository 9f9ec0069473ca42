"""A fixed, hand-built data set whose every analytics figure is worked out by hand.

November 2026 is the period the tests look at. Two currencies, four kinds of program:

| program | kind, currency | rules |
|---|---|---|
| Discount | discount, EUR | 10 % |
| Cashback | cashback, EUR, pooled per partner | 10 %, at most 50 % of an order redeemed |
| Tiers | accumulative, UAH | Bronze 3 % from 0, Silver 5 % from 10000, Gold 7 % from 50000 |
| Stamps | stamp, UAH | 3 stamps for a gift, one per order |

Cards (company in brackets, issue date): c1 Ann (Acme, Oct 20), c2 Bob (Birch, Nov 2),
c3 Cid (no company, Nov 3), c9 Ivy (Elm, Oct 1), c10 Jo (Fir, Oct 1) in Discount; c4 Dan and
c5 Eve (both Acme, Nov 4 and 5, one shared account) in Cashback; c6 Fay (Cedar, Nov 6) and
c7 Gus (Delta, Nov 7) in Tiers; c8 Hal (Cedar, Nov 8) in Stamps.

Orders (amount -> discount, payable; staff, location), at 10:00 UTC on the day:

| | card | day | amount | discount | redeemed | earned | payable | staff | location |
|---|---|---|---|---|---|---|---|---|---|
| o1 | c1 | Oct 25 | 5000 | 500 | | | 4500 | Sam | Kyiv |
| o2 | c1 | Nov 10 | 10000 | 1000 | | | 9000 | Sam | Kyiv |
| o3 | c2 | Nov 10 | 20000 | 2000 | | | 18000 | Tia | Kyiv |
| o4 | c2 | Nov 11 | 1000 | 100 | | | 900 | (API) | (none) |
| o5 | c3 | Nov 12 | 3000 | 300 | | | 2700 | Tia | Lviv — reversed Nov 13 (Tia, Lviv) |
| o6 | c4 | Nov 14 | 10000 | | | 1000 | 10000 | Sam | Kyiv |
| o7 | c5 | Nov 15 | 4000 | | 1000 (max) | 300 | 3000 | Sam | Lviv |
| o8 | c1 | Nov 29 | 2000 | 200 | | | 1800 | Sam | Kyiv — reversed Dec 2 |
| o9 | c6 | Nov 16 | 12000 | 360 (Bronze) | | | 11640 | Tia | Kyiv |
| o10 | c6 | Nov 17 | 10000 | 500 (Silver) | | | 9500 | Tia | Kyiv |
| o11 | c7 | Nov 17 | 1000 | 30 | | | 970 | Sam | Lviv |
| o12-o15 | c8 | Nov 18-21 | 500, 700, 800, 900 | | | | same | Tia | Lviv — o15 takes the gift |
| o16 | c9 | Nov 22 | 4000 | 400 | | | 3600 | Sam | Kyiv |
| o17 | c10 | Nov 23 | 500 | 50 | | | 450 | Tia | Lviv |

Apple registrations: c1 on Oct 21, c2 on Nov 5, c4 on Nov 6, c6 on Nov 20. Google save links
were handed out for c1, c3 and c7.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from issuer import cards, checkout, programs, registrations
from issuer.analytics.closing import MARGIN, close_days
from issuer.checkout import Attribution, Idempotency
from issuer.db.models import Location, Program, Staff
from issuer.rules import Order

NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
_keys = itertools.count(1)


def day(month: int, number: int) -> dt.datetime:
    """10:00 UTC on a day of 2026."""
    return dt.datetime(2026, month, number, 10, 0, tzinfo=dt.UTC)


@dataclass
class Fixture:
    """The ids of what the data set made, by the names used above."""

    programs: dict[str, int] = field(default_factory=dict)
    cards: dict[str, int] = field(default_factory=dict)
    partners: dict[str, int] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)
    locations: dict[str, int] = field(default_factory=dict)


PROGRAMS: dict[str, dict[str, Any]] = {
    "Discount": {"kind": "discount", "currency": "EUR", "rules": {"percent": "10"}},
    "Cashback": {
        "kind": "cashback",
        "currency": "EUR",
        "pooling": "partner",
        "rules": {"percent": "10", "max_redeem_percent": "50"},
    },
    "Tiers": {
        "kind": "accumulative",
        "currency": "UAH",
        "rules": {
            "tiers": [
                {"threshold": 0, "percent": "3", "name": "Bronze"},
                {"threshold": 10000, "percent": "5", "name": "Silver"},
                {"threshold": 50000, "percent": "7", "name": "Gold"},
            ]
        },
    },
    "Stamps": {
        "kind": "stamp",
        "currency": "UAH",
        "rules": {"stamps_required": 3, "reward": "Gift", "min_amount": 0},
    },
}

CARDS = {
    "c1": ("Discount", "Ann", "Acme", day(10, 20)),
    "c2": ("Discount", "Bob", "Birch", day(11, 2)),
    "c3": ("Discount", "Cid", None, day(11, 3)),
    "c9": ("Discount", "Ivy", "Elm", day(10, 1)),
    "c10": ("Discount", "Jo", "Fir", day(10, 1)),
    "c4": ("Cashback", "Dan", "Acme", day(11, 4)),
    "c5": ("Cashback", "Eve", "Acme", day(11, 5)),
    "c6": ("Tiers", "Fay", "Cedar", day(11, 6)),
    "c7": ("Tiers", "Gus", "Delta", day(11, 7)),
    "c8": ("Stamps", "Hal", "Cedar", day(11, 8)),
}

# card, when, amount, staff, location, extras (redeem / redeem_reward), reversed on
ORDERS: list[tuple[str, dt.datetime, int, str | None, str | None, dict[str, Any]]] = [
    ("c1", day(10, 25), 5000, "Sam", "Kyiv", {}),
    ("c1", day(11, 10), 10000, "Sam", "Kyiv", {}),
    ("c2", day(11, 10), 20000, "Tia", "Kyiv", {}),
    ("c2", day(11, 11), 1000, None, None, {}),
    ("c3", day(11, 12), 3000, "Tia", "Lviv", {"reversed": day(11, 13)}),
    ("c4", day(11, 14), 10000, "Sam", "Kyiv", {}),
    ("c5", day(11, 15), 4000, "Sam", "Lviv", {"redeem": "max"}),
    ("c1", day(11, 29), 2000, "Sam", "Kyiv", {"reversed": day(12, 2)}),
    ("c6", day(11, 16), 12000, "Tia", "Kyiv", {}),
    ("c6", day(11, 17), 10000, "Tia", "Kyiv", {}),
    ("c7", day(11, 17), 1000, "Sam", "Lviv", {}),
    ("c8", day(11, 18), 500, "Tia", "Lviv", {}),
    ("c8", day(11, 19), 700, "Tia", "Lviv", {}),
    ("c8", day(11, 20), 800, "Tia", "Lviv", {}),
    ("c8", day(11, 21), 900, "Tia", "Lviv", {"redeem_reward": True}),
    ("c9", day(11, 22), 4000, "Sam", "Kyiv", {}),
    ("c10", day(11, 23), 500, "Tia", "Lviv", {}),
]

REGISTRATIONS = [("c1", day(10, 21)), ("c2", day(11, 5)), ("c4", day(11, 6)), ("c6", day(11, 20))]
GOOGLE_SAVED = ("c1", "c3", "c7")


def build(session: Session) -> Fixture:
    """Write the data set through the product's use cases; the caller commits."""
    made = Fixture()
    made.programs = {name: _program(session, name, spec).id for name, spec in PROGRAMS.items()}
    _people(session, made)
    _cards(session, made)
    _devices(session, made)
    for card, when, amount, staff, location, extras in ORDERS:
        by = Attribution(made.staff.get(staff or ""), made.locations.get(location or ""))
        _order(session, made.cards[card], when, amount, by, extras)
    return made


def _program(session: Session, name: str, spec: dict[str, Any]) -> Program:
    fields = programs.ProgramFields(name=name, slug=name.lower(), **spec)
    program = programs.create_program(session, fields, "test", day(9, 1))
    programs.publish_program(session, program, "test", day(9, 1))
    return program


def _people(session: Session, made: Fixture) -> None:
    for name in ("Sam", "Tia"):
        staff = Staff(email=f"{name.lower()}@example.com", name=name, password_hash="-")
        staff.created_at = day(9, 1)
        session.add(staff)
        session.flush()
        made.staff[name] = staff.id
    for name in ("Kyiv", "Lviv"):
        location = Location(name=name, created_at=day(9, 1))
        session.add(location)
        session.flush()
        made.locations[name] = location.id


def _cards(session: Session, made: Fixture) -> None:
    for key, (program, name, company, when) in CARDS.items():
        holder = cards.Holder(name=name, email=f"{name.lower()}@example.com", company=company)
        card = cards.issue_card(
            session, session.get_one(Program, made.programs[program]), holder, when
        )
        made.cards[key] = card.id
        if card.member.partner is not None:
            made.partners[company or ""] = card.member.partner.id
        if key in GOOGLE_SAVED:
            card.google_delivered_version = card.version


def _devices(session: Session, made: Fixture) -> None:
    for number, (key, when) in enumerate(REGISTRATIONS):
        library = f"device-{number}"
        registrations.register(session, library, "pass.test", made.cards[key], "token", when)


def _order(
    session: Session,
    card_id: int,
    when: dt.datetime,
    amount: int,
    by: Attribution,
    extras: dict[str, Any],
) -> None:
    order = Order(amount, extras.get("redeem"), extras.get("redeem_reward", False))
    receipt = checkout.place_order(session, card_id, order, _promise(), by, when)
    if "reversed" in extras:
        checkout.reverse_order(
            session, receipt.transaction.id, None, _promise(), by, extras["reversed"]
        )


def _promise() -> Idempotency:
    return Idempotency(scope="analytics-test", key=f"k{next(_keys)}", request_hash="-")


def close_all_days(session: Session, now: dt.datetime, margin: dt.timedelta = MARGIN) -> int:
    """Roll up every closed day in one transaction, as the worker does a month per commit;
    how many calls of ``close_days`` it took."""
    steps = 0
    while close_days(session, now, margin) is not None:
        steps += 1
    return steps
