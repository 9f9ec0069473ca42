"""API: cards — issue, look up by id or scanned code, void, read the ledger."""

from __future__ import annotations

from flask import request

from issuer import cards, clock, programs
from issuer.access import AuthorizedKey
from issuer.db.models import Card
from issuer.errors import NotFound
from webapp.api import schemas
from webapp.api.blueprint import api
from webapp.api.presenters import card_out, transaction_out
from webapp.api.problems import ApiProblem
from webapp.api.programs import actor
from webapp.database import session
from webapp.settings import current_settings
from webapp.wallets import google_wallet


@api.operation(
    "POST", "/programs/<int:program_id>/cards", scope="admin", summary="Issue a card to a member",
    body=schemas.CardIssue, response=schemas.CardOut, status=201,
)  # fmt: skip
def issue_card(key: AuthorizedKey, program_id: int, body: schemas.CardIssue) -> schemas.CardOut:
    """Issue a card of a published program to a member (sharing the company's account if pooled)."""
    program = programs.get_program(session(), program_id)
    holder = cards.Holder(**body.member.model_dump())
    card = cards.issue_card(session(), program, holder, clock.now())
    session().commit()
    return _out(card)


@api.operation(
    "GET", "/cards/<int:card_id>", scope="pos", summary="Get a card and its account state",
    response=schemas.CardOut,
)  # fmt: skip
def get_card(key: AuthorizedKey, card_id: int) -> schemas.CardOut:
    """One card with its state."""
    return _out(cards.get_card(session(), card_id))


@api.operation(
    "GET", "/cards", scope="pos", summary="Find a card by its scanned or typed code",
    response=schemas.CardOut, query=("code",),
)  # fmt: skip
def find_card(key: AuthorizedKey) -> schemas.CardOut:
    """The card a code belongs to; case, spaces and hyphens are ignored."""
    code = request.args.get("code", "").strip()
    if not code:
        raise ApiProblem(400, "code_required", "Give the card code as ?code=ABCD-EFGH-JKMN-PQRS.")
    card = cards.find_card_by_code(session(), code)
    if card is None:
        raise NotFound("No card has this code.", code="unknown_code")
    return _out(card)


@api.operation(
    "POST", "/cards/<int:card_id>/void", scope="admin", summary="Void a card",
    response=schemas.CardOut,
)  # fmt: skip
def void_card(key: AuthorizedKey, card_id: int) -> schemas.CardOut:
    """Void the card; it takes no more orders and its pass shows it."""
    card = cards.void_card(session(), cards.get_card(session(), card_id), actor(key), clock.now())
    session().commit()
    return _out(card)


@api.operation(
    "GET", "/cards/<int:card_id>/transactions", scope="pos",
    summary="The ledger of the card's account, newest first", response=schemas.TransactionList,
)  # fmt: skip
def card_transactions(key: AuthorizedKey, card_id: int) -> schemas.TransactionList:
    """The card's account's ledger entries."""
    card = cards.get_card(session(), card_id)
    entries = cards.account_ledger(session(), card.account_id)
    return schemas.TransactionList(transactions=[transaction_out(e, card.program) for e in entries])


def _out(card: Card) -> schemas.CardOut:
    return card_out(card, current_settings(), google_ready=google_wallet() is not None)
