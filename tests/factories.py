"""Test data, made through the same use cases the product uses. Keyword-only, with overrides."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from issuer import access, cards, clock, programs
from issuer.db.models import Card, Program
from issuer.rules import Kind

_serial = itertools.count(1)


def make_program(
    session: Session, *, kind: Kind = Kind.DISCOUNT, publish: bool = True, **overrides: Any
) -> Program:
    """A program of ``kind`` from its starter design, published unless asked otherwise."""
    number = next(_serial)
    fields = programs.ProgramFields(
        kind=kind,
        name=overrides.pop("name", f"Program {number}"),
        slug=overrides.pop("slug", f"program-{number}"),
        **overrides,
    )
    program = programs.create_program(session, fields, "test", clock.now())
    if publish:
        programs.publish_program(session, program, "test", clock.now())
    return program


def make_card(session: Session, *, program: Program, **holder: Any) -> Card:
    """A card of ``program`` for a new member."""
    number = next(_serial)
    details = {"name": f"Member {number}", "email": f"member{number}@example.com"} | holder
    return cards.issue_card(session, program, cards.Holder(**details), clock.now())


def make_api_key(session: Session, *, scope: str = "pos") -> str:
    """An API key's secret, as a client would send it."""
    return access.create_api_key(session, f"key {next(_serial)}", scope, "test", clock.now()).secret
