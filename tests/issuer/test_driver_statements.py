"""Selects on the driver's cursor return what Core returns, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import bindparam, select

from issuer import registrations
from issuer.db.driver_statements import DriverStatement
from issuer.db.models import Card
from issuer.db.session import Database
from issuer.errors import NotAuthorized
from tests.factories import make_card, make_program

CARD_ROW = select(Card.id, Card.serial, Card.version, Card.created_at, Card.apple_modified_at)
CARD_ROW = CARD_ROW.where(Card.serial == bindparam("serial"), Card.version >= bindparam("least"))


def _issued(db: Database) -> Card:
    with db.write() as session:
        card = make_card(session, program=make_program(session))
        session.commit()
        return card


def test_rows_are_typed_as_core_types_them(db: Database) -> None:
    card = _issued(db)
    params = {"serial": card.serial, "least": 0}
    with db.engine.connect() as connection:
        core = tuple(connection.execute(CARD_ROW, params).one())
        driver = DriverStatement.compile(CARD_ROW, connection.dialect).first_row(connection, params)
    assert driver == core
    assert driver is not None
    assert driver[3].tzinfo == dt.UTC


def test_no_row_is_none(db: Database) -> None:
    card = _issued(db)
    statement = DriverStatement.compile(CARD_ROW, db.engine.dialect)
    with db.engine.connect() as connection:
        assert statement.first_row(connection, {"serial": card.serial, "least": 99}) is None


def test_the_pass_token_check_reads_through_the_driver(db: Database) -> None:
    card = _issued(db)
    with db.engine.connect() as connection:
        found = registrations.authorized_pass(connection, card.serial, card.auth_token)
        with pytest.raises(NotAuthorized):
            registrations.authorized_pass(connection, card.serial, card.auth_token[:-1] + "?")
    assert (found.card_id, found.version) == (card.id, card.version)
    assert found.modified_at == card.created_at
