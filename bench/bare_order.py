"""The app of ``wsgi.py`` plus the bare minimum of an order, for ``bench.orders`` to compare.

DESIGN.md section 10 sets orders against a trivial endpoint. What the database must do for
an order whatever the code around it — lock the account row, insert the ledger entry
(with its indexes and foreign keys), store the account's state, raise its cards' versions,
commit durably — costs CPU on the same two cores, so this route does only that: psycopg
directly, prepared statements, one connection per thread, no SQLAlchemy, no validation,
no rules, no API key. Its rate is the ceiling any order path on this machine can reach;
the product's own figure is quoted next to it. PostgreSQL only.

    gunicorn bench.bare_order:app   (TESSERA_DATABASE_URL names a PostgreSQL database)
"""

from __future__ import annotations

import json
import threading
from typing import Any

import psycopg
from flask import Blueprint, Flask, Response, current_app, request

from webapp import create_app
from webapp.security import csrf

bp = Blueprint("bare_order", __name__)
_connections = threading.local()

LOCK = """
SELECT accounts.id, accounts.total_spent, accounts.orders_count, accounts.version
FROM cards JOIN accounts ON accounts.id = cards.account_id
WHERE cards.id = %(card)s FOR UPDATE OF accounts
"""
WRITE = """
WITH entry AS (
  INSERT INTO transactions (account_id, card_id, program_id, kind, currency, amount, discount,
    redeemed, earned, payable, stamps_earned, rewards_earned, rewards_redeemed,
    delta_total_spent, delta_orders_count, delta_cashback_balance, delta_stamps,
    delta_rewards_available, state_after, api_key_id, idempotency_scope, idempotency_key,
    request_hash, created_at)
  SELECT account_id, id, program_id, 'order', 'EUR', %(amount)s, 0, 0, 0, %(amount)s, 0, 0, 0,
    %(amount)s, 1, 0, 0, 0, %(state)s::json, NULL, 'bare', %(key)s, '', now()
  FROM cards WHERE id = %(card)s
  ON CONFLICT DO NOTHING RETURNING id),
store AS (
  UPDATE accounts SET total_spent = total_spent + %(amount)s, orders_count = orders_count + 1,
    version = version + 1, updated_at = now()
  WHERE id = %(account)s AND EXISTS (SELECT FROM entry)),
raise_cards AS (
  UPDATE cards SET version = version + 1, updated_at = now()
  WHERE account_id = %(account)s AND EXISTS (SELECT FROM entry))
SELECT id FROM entry
"""


@bp.post("/bench/bare-order/<int:card>")
def bare_order(card: int) -> Response:
    """Lock, write and commit one order; nothing else."""
    amount = json.loads(request.get_data())["amount"]
    connection = _connection()
    with connection.transaction():
        account = connection.execute(LOCK, {"card": card}, prepare=True).fetchone()
        if account is None:
            return Response(status=404)
        state = json.dumps({"total_spent": account[1] + amount, "version": account[3] + 1})
        params = {"card": card, "account": account[0], "amount": amount, "state": state}
        params["key"] = request.headers["Idempotency-Key"]
        entry = connection.execute(WRITE, params, prepare=True).fetchone()
    body = json.dumps({"id": entry[0] if entry else None, "amount": amount})
    return Response(body, status=201, mimetype="application/json")


def _connection() -> psycopg.Connection[tuple[Any, ...]]:
    found: psycopg.Connection[tuple[Any, ...]] | None = getattr(_connections, "found", None)
    if found is None:
        url = current_app.extensions["tessera.settings"].database_url.replace("+psycopg", "")
        found = _connections.found = psycopg.connect(url)
    return found


def _app() -> Flask:
    app = create_app()
    csrf.exempt(bp)
    app.register_blueprint(bp)
    return app


app = _app()
