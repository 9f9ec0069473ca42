"""API: quote, place and reverse orders (pos scope)."""

from __future__ import annotations

import hashlib
import json

from flask import request
from pydantic import BaseModel

from issuer import cards, checkout, clock
from issuer.access import AuthorizedKey
from issuer.checkout import Attribution, Idempotency
from issuer.rules import Order
from webapp.api import schemas
from webapp.api.blueprint import api
from webapp.api.presenters import ledger_entry_out, quote_out
from webapp.database import session


@api.operation(
    "POST", "/cards/<int:card_id>/quote", scope="pos",
    summary="What an order would do; changes nothing", body=schemas.OrderIn,
    response=schemas.QuoteOut,
)  # fmt: skip
def quote(key: AuthorizedKey, card_id: int, body: schemas.OrderIn) -> schemas.QuoteOut:
    """The discount, cashback or stamps an order would give, and the state after it."""
    card = cards.get_card(session(), card_id)
    outcome = checkout.quote_order(session(), card, _order(body), body.currency)
    return quote_out(outcome, card.account, card.program)


@api.operation(
    "POST", "/cards/<int:card_id>/orders", scope="pos", summary="Apply an order",
    body=schemas.OrderIn, response=schemas.TransactionOut, status=201, idempotent=True,
    key_confirmed_by_use_case=True,
)  # fmt: skip
def place_order(
    key: AuthorizedKey, card_id: int, body: schemas.OrderIn, idempotency_key: str
) -> tuple[schemas.TransactionOut, int]:
    """Apply an order once per Idempotency-Key; a replay returns the first result."""
    promise = _idempotency(key, idempotency_key, body)
    by = Attribution(api_key_id=key.id)
    receipt = checkout.place_order(
        session(), card_id, _order(body), promise, by, clock.now(), body.currency
    )
    session().commit()
    return ledger_entry_out(receipt.transaction, receipt.rules), 200 if receipt.replayed else 201


@api.operation(
    "POST", "/transactions/<int:transaction_id>/reverse", scope="pos", summary="Reverse an order",
    body=schemas.ReverseIn, response=schemas.TransactionOut, status=201, idempotent=True,
)  # fmt: skip
def reverse(
    key: AuthorizedKey, transaction_id: int, body: schemas.ReverseIn, idempotency_key: str
) -> tuple[schemas.TransactionOut, int]:
    """Write the opposite of an order, unless already reversed or a balance would go negative."""
    promise = _idempotency(key, idempotency_key, body)
    receipt = checkout.reverse_order(
        session(), transaction_id, body.reason, promise, Attribution(api_key_id=key.id), clock.now()
    )
    session().commit()
    status = 200 if receipt.replayed else 201
    return ledger_entry_out(receipt.transaction, receipt.rules), status


def _order(body: schemas.OrderIn) -> Order:
    return Order(amount=body.amount, redeem=body.redeem, redeem_reward=body.redeem_reward)


def _idempotency(key: AuthorizedKey, idempotency_key: str, body: BaseModel) -> Idempotency:
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(f"{request.method} {request.path}\n{canonical}".encode()).hexdigest()
    return Idempotency(scope=f"apikey:{key.id}", key=idempotency_key, request_hash=digest)
