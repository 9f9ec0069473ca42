"""The demo: one published program of each kind, three partner companies, staff and a key."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer import access, cards, checkout, programs
from issuer.db.models import Card, Program, Role
from issuer.designs import starter
from issuer.rules import Kind, Order

ACTOR = "demo"
PROGRAMS = (
    (Kind.DISCOUNT, "partner-discount", "member"),
    (Kind.ACCUMULATIVE, "growth", "partner"),
    (Kind.CASHBACK, "cashback-club", "member"),
    (Kind.STAMP, "service-stamps", "partner"),
)
COMPANIES = (
    ("Kyiv Coffee Roasters LLC", "40123456", ("Olena Kovalenko", "Taras Melnyk")),
    ("Lviv Office Supply", "38765432", ("Andriy Shevchuk", "Iryna Bondar")),
    ("Warsaw Catering Sp. z o.o.", "5261234567", ("Katarzyna Nowak", "Piotr Wiśniewski")),
)
LOCALES = {"Kyiv Coffee Roasters LLC": "uk", "Lviv Office Supply": "uk"}


@dataclass(frozen=True, slots=True)
class DemoLogins:
    """What the demo prints once: who can log in, and the API key."""

    admin_email: str
    admin_password: str
    staff_email: str
    staff_password: str
    api_key: str


def is_seeded(session: Session) -> bool:
    """Whether the demo (or any program) is already in the database."""
    return session.scalars(select(Program.id).limit(1)).first() is not None


def seed(session: Session, now: dt.datetime) -> DemoLogins:
    """Create the demo data; the caller commits."""
    logins = _people(session, now)
    for kind, slug, pooling in PROGRAMS:
        program = _program(session, kind, slug, pooling, now)
        _members_with_orders(session, program, now)
    return logins


def _people(session: Session, now: dt.datetime) -> DemoLogins:
    admin_password, staff_password = secrets.token_urlsafe(9), secrets.token_urlsafe(9)
    access.create_staff(
        session, "admin@tessera.local", "Demo Admin", admin_password, Role.ADMIN, now
    )
    access.create_staff(
        session, "staff@tessera.local", "Demo Staff", staff_password, Role.STAFF, now
    )
    key = access.create_api_key(session, "Demo POS", "admin", ACTOR, now)
    return DemoLogins(
        admin_email="admin@tessera.local",
        admin_password=admin_password,
        staff_email="staff@tessera.local",
        staff_password=staff_password,
        api_key=key.secret,
    )


def _program(session: Session, kind: Kind, slug: str, pooling: str, now: dt.datetime) -> Program:
    name = str(starter(kind).design["texts"]["en"]["name"])
    fields = programs.ProgramFields(kind=kind, name=name, slug=slug, pooling=pooling)
    program = programs.create_program(session, fields, ACTOR, now)
    programs.publish_program(session, program, ACTOR, now)
    return program


def _members_with_orders(session: Session, program: Program, now: dt.datetime) -> None:
    for company, tax_id, people in COMPANIES:
        for person in people:
            holder = cards.Holder(
                name=person,
                email=_email(person, company),
                company=company,
                tax_id=tax_id,
                locale=LOCALES.get(company, "pl"),
            )
            card = cards.issue_card(session, program, holder, now)
            _orders(session, card, now)


def _orders(session: Session, card: Card, now: dt.datetime) -> None:
    for index, amount in enumerate((125_000, 348_000, 99_000)):
        promise = checkout.Idempotency("demo", f"{card.serial}:{index}", "demo")
        checkout.place_order(
            session, card.id, Order(amount=amount), promise, checkout.Attribution(), now
        )


def _email(person: str, company: str) -> str:
    local = person.split()[0].lower().encode("ascii", "ignore").decode()
    domain = company.split()[0].lower().encode("ascii", "ignore").decode()
    return f"{local}@{domain}.example"
