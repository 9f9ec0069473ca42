"""The app of ``wsgi.py`` plus the bare minimum of an order, for ``bench.orders`` to compare.

DESIGN.md section 10 sets orders against a trivial endpoint. What the database must do for
an order whatever the code around it — lock the account row, insert the ledger entry
(with its indexes and foreign keys), store the account's state, raise its cards' versions,
commit durably — costs CPU on the same two cores, so this does only that: psycopg
directly, prepared statements, one connection per thread, no SQLAlchemy, no validation,
no rules, no API key. The product's own figure is quoted next to it. PostgreSQL only.

It is a plain WSGI function in front of the app (``POST /bench/bare-order/<card>``), so
it carries the server's handling of a request but not Flask's: its rate is the ceiling of
any order path on this machine. (Until 2026-12-07 it was a Flask route, which put Flask's
own cost per request into the ceiling: 0.22x of ``/livez`` instead of 0.32x-0.42x.)

    gunicorn bench.bare_order:app   (TESSERA_DATABASE_URL names a PostgreSQL database)
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import psycopg
from flask import Flask

from webapp import create_app

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

PATH = re.compile(r"/bench/bare-order/(\d+)")
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


def place(url: str, card: int, amount: int, key: str) -> bytes | None:
    """Lock the card's account, write the entry and the state, commit; None for no card."""
    connection = _connection(url)
    with connection.transaction():
        account = connection.execute(LOCK, {"card": card}, prepare=True).fetchone()
        if account is None:
            return None
        state = json.dumps({"total_spent": account[1] + amount, "version": account[3] + 1})
        params = {"card": card, "account": account[0], "amount": amount, "state": state}
        params["key"] = key
        entry = connection.execute(WRITE, params, prepare=True).fetchone()
    return json.dumps({"id": entry[0] if entry else None, "amount": amount}).encode()


class BareOrders:
    """The bare order as a WSGI function in front of the app: no Flask around it."""

    def __init__(self, app: WSGIApplication, url: str) -> None:
        self.app, self.url = app, url

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        found = PATH.fullmatch(environ.get("PATH_INFO", ""))
        if environ["REQUEST_METHOD"] != "POST" or found is None:
            return self.app(environ, start_response)
        sent = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        key = environ["HTTP_IDEMPOTENCY_KEY"]
        body = place(self.url, int(found.group(1)), json.loads(sent)["amount"], key)
        if body is None:
            start_response("404 NOT FOUND", [("Content-Length", "0")])
            return []
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        start_response("201 CREATED", headers)
        return [body]


def _connection(url: str) -> psycopg.Connection[tuple[Any, ...]]:
    found: psycopg.Connection[tuple[Any, ...]] | None = getattr(_connections, "found", None)
    if found is None:
        found = _connections.found = psycopg.connect(url.replace("+psycopg", ""))
    return found


def _app() -> Flask:
    app = create_app()
    url = app.extensions["tessera.settings"].database_url
    app.wsgi_app = BareOrders(app.wsgi_app, url)  # type: ignore[method-assign]
    return app


app = _app()
