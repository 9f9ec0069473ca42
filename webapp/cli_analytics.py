"""``tessera analytics``: roll up the ledger's closed days for the analytics summary."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from issuer import clock
from issuer.analytics.closed import closed_until
from issuer.analytics.closing import close_days, reopen_from
from webapp import database


@click.group(cls=AppGroup)
def analytics() -> None:
    """Analytics."""


@analytics.command("rollup")
@click.option("--rebuild", is_flag=True, help="Forget every rollup first and roll up again.")
def analytics_rollup(rebuild: bool) -> None:
    """Roll up every closed UTC day not rolled up yet (the worker does it too; safe to repeat)."""
    if rebuild:
        with database.database().write() as session:
            reopen_from(session, None)
            session.commit()
    steps = 0
    while _close_next():
        steps += 1
    with database.database().read() as session:
        closed = closed_until(session)
    through = "nothing yet" if closed is None else f"every day before {closed.isoformat()}"
    click.echo(f"Rolled up {steps} stretch(es) of days; the rollups hold {through}.")


def _close_next() -> bool:
    # One commit per month of days: short transactions, and a crash keeps what was done.
    with database.database().write() as session:
        moved = close_days(session, clock.now())
        session.commit()
    return moved is not None
