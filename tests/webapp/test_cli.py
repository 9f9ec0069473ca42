"""The tessera command: migrate, seed the demo, make keys and users, verify the ledger, roll up."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select, update

from issuer import clock
from issuer.analytics.closing import MARGIN
from issuer.db.models import Account, ClosedDayFigures
from issuer.db.session import Database
from tests import analytics_data


def _database(app: Flask) -> Database:
    found: Database = app.extensions["tessera.database"]
    return found


def test_db_upgrade_is_repeatable(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "newest schema" in result.output


def test_demo_seeds_once_and_prints_logins(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "admin@tessera.local" in first.output
    assert "API key" in first.output
    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0
    assert "admin@tessera.local" in again.output
    refused = runner.invoke(args=["demo"])
    assert refused.exit_code != 0


def test_demo_api_key_works(app: Flask) -> None:
    output = app.test_cli_runner().invoke(args=["demo"]).output
    key = output.split("API key (admin scope): ")[1].split()[0]
    response = app.test_client().get("/api/v1/programs", headers={"Authorization": f"Bearer {key}"})
    programs = response.get_json()["programs"]
    assert {p["kind"] for p in programs} == {"discount", "accumulative", "cashback", "stamp"}
    assert {p["status"] for p in programs} == {"published"}


def test_apikey_create_prints_a_working_key_once(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["apikey", "create", "Till 1", "--scope", "pos"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    response = app.test_client().get("/api/v1/cards/1", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 404  # authenticated; there is simply no card 1


def test_admin_and_staff_create(app: Flask) -> None:
    runner = app.test_cli_runner()
    for group in ("admin", "staff"):
        args = [
            group,
            "create",
            "--email",
            f"{group}@x.com",
            "--name",
            "A",
            "--password",
            "long enough pw",
        ]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    weak = runner.invoke(
        args=["staff", "create", "--email", "bad", "--name", "", "--password", "x"]
    )
    assert weak.exit_code != 0
    assert "password" in weak.output
    assert "email" in weak.output


def test_ledger_verify_passes_then_reports_a_tampered_account(app: Flask) -> None:
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    assert runner.invoke(args=["ledger", "verify"]).exit_code == 0
    with _database(app).write() as session:
        session.execute(update(Account).where(Account.id == 1).values(total_spent=1))
        session.commit()
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 1
    assert "account 1: total_spent stored 1" in result.output


def test_analytics_rollup_rolls_up_closed_days_once(app: Flask) -> None:
    with _database(app).write() as session:
        analytics_data.build(session)
        session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["analytics", "rollup"])
    assert first.exit_code == 0, first.output
    today = (clock.now() - MARGIN).date()
    assert f"the rollups hold every day before {today.isoformat()}" in first.output
    with _database(app).read() as session:
        rows = session.scalar(select(func.count()).select_from(ClosedDayFigures))
    assert rows
    again = runner.invoke(args=["analytics", "rollup"])
    assert "Rolled up 0 stretch(es)" in again.output
    rebuilt = runner.invoke(args=["analytics", "rollup", "--rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    with _database(app).read() as session:
        assert session.scalar(select(func.count()).select_from(ClosedDayFigures)) == rows
