"""Orders per second through ``POST /api/v1/cards/{id}/orders`` under gunicorn.

Measured next to ``GET /livez`` (a trivial endpoint of the same app) on the same server in
the same run, as DESIGN.md section 10 asks; the target is a ratio of at least 0.25. On
PostgreSQL the rounds also place the bare minimum of an order (``bench.bare_order``: the
same locked read, writes and durable commit through psycopg alone, outside Flask), the
ceiling of any order path on this machine. A last phase sends 50 concurrent clients at one
pooled account and checks that no update was lost.

    .venv/bin/python -m bench.orders [--database postgresql|sqlite] [--seconds 8] [--rounds 3]
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.server import (
    SERVER,
    arguments,
    compare_with_trivial,
    gunicorn,
    scratch_database_url,
    wrk,
)
from issuer import access, cards, clock, programs
from issuer.db.migrate import upgrade
from issuer.db.models import Account, Card, Program, Transaction
from issuer.db.session import open_database
from issuer.ledger import verify_ledger
from issuer.rules import Kind

SPREAD_CARDS = 200
POOLED_CARDS = 50

ORDER_SCRIPT = """
local counter = 0
local cards = {%(cards)s}
local n = 0
function setup(thread) n = n + 1; thread:set("tid", n) end
function request()
  counter = counter + 1
  local headers = {["Authorization"] = "Bearer %(key)s",
                   ["Content-Type"] = "application/json",
                   ["Idempotency-Key"] = "%(phase)s-" .. tid .. "-" .. counter}
  local card = cards[(counter %% #cards) + 1]
  return wrk.format("POST", "%(path)s", headers, '{"amount": 12345}')
end
"""


def seed(url: str) -> tuple[str, list[int], list[int], int]:
    """A cashback program with spread cards and one pooled account; returns a pos key and ids."""
    database = open_database(url)
    upgrade(database.engine)
    with database.write() as session:
        now = clock.now()
        fields = programs.ProgramFields(
            kind=Kind.CASHBACK, name="Bench", slug="bench", pooling="partner"
        )
        program = programs.create_program(session, fields, "bench", now)
        programs.publish_program(session, program, "bench", now)
        spread = [
            _card(session, program, f"s{i}", f"Company {i}", now) for i in range(SPREAD_CARDS)
        ]
        pooled = [_card(session, program, f"p{i}", "Pooled Ltd", now) for i in range(POOLED_CARDS)]
        key = access.create_api_key(session, "bench", "pos", "bench", now).secret
        session.commit()
        account_id = pooled[0].account_id
        ids = [c.id for c in spread], [c.id for c in pooled]
    database.dispose()
    return key, ids[0], ids[1], account_id


def _card(session: Session, program: Program, name: str, company: str, now: dt.datetime) -> Card:
    holder = cards.Holder(name=name, email=f"{name}@bench.example", company=company, tax_id=company)
    return cards.issue_card(session, program, holder, now)


API_PATH = '/api/v1/cards/" .. card .. "/orders'
BARE_PATH = '/bench/bare-order/" .. card .. "'


def script(key: str, card_ids: list[int], phase: str, path: str = API_PATH) -> str:
    """The wrk Lua script placing orders with a fresh idempotency key each."""
    cards = ",".join(map(str, card_ids))
    return ORDER_SCRIPT % {"cards": cards, "key": key, "phase": phase, "path": path}


def check_pooled_account(url: str, account_id: int) -> str:
    """Whether the pooled account counted every committed order and equals its ledger.

    wrk's own count leaves out requests still in flight when it stops, which the server
    completes; the ledger is the record of what was committed.
    """
    database = open_database(url)
    with database.read() as session:
        account = session.get_one(Account, account_id)
        entries = session.scalar(
            select(func.count())
            .select_from(Transaction)
            .where(Transaction.account_id == account_id)
        )
        differences = verify_ledger(session)
    database.dispose()
    lost = (entries or 0) - account.orders_count
    return (
        f"pooled account: {entries} orders in its ledger, orders_count {account.orders_count}, "
        f"lost updates {lost}; accounts differing from their ledger: {len(differences)}"
    )


def main() -> None:
    """Run the benchmark and print its figures."""
    args = arguments(__doc__)
    with tempfile.TemporaryDirectory() as folder:
        url = scratch_database_url(args.database, Path(folder))
        key, spread, pooled, account_id = seed(url)
        env = {
            "TESSERA_DATABASE_URL": url,
            "TESSERA_INSTANCE_PATH": folder,
            "TESSERA_SECRET_KEY": "bench",
            "TESSERA_EMBEDDED_WORKER": "0",
        }
        bare = args.database == "postgresql"
        with gunicorn(env, app="bench.bare_order:app" if bare else "wsgi:app") as base:
            comparison = compare_with_trivial(
                base, args, lambda n: script(key, spread, n),
                reference=(lambda n: script(key, spread, f"bare-{n}", BARE_PATH)) if bare else None,
            )  # fmt: skip
            pool = script(key, pooled, "pool")
            contention = wrk(base, connections=50, seconds=args.seconds, script=pool)
        print(f"database: {args.database}; {SERVER}; wrk -t2 -c{args.connections}")
        print("\n".join(comparison.lines("POST .../orders, 200 cards", 0.25)))
        if bare:
            print("\n".join(comparison.reference_lines("bare minimum of an order (psycopg)")))
        print(
            f"POST .../orders, 50 clients on one pooled account: "
            f"{contention.requests_per_second:.0f} req/s, p50 {contention.latency_p50_ms:.1f} ms, "
            f"non-2xx {contention.non_2xx}"
        )
        print(check_pooled_account(url, account_id))


if __name__ == "__main__":
    main()
