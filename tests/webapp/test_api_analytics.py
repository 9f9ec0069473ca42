"""GET /api/v1/analytics/summary: the figures of the fixed data set, the filters, bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from issuer import clock
from tests import analytics_data
from tests.analytics_data import Fixture
from tests.conftest import Api

NOVEMBER = "since=2026-11-01&until=2026-11-30"


@pytest.fixture
def data(app: Flask) -> Fixture:
    with app.extensions["tessera.database"].write() as session:
        made = analytics_data.build(session)
        session.commit()
    return made


def test_summary_of_a_period(api: Api, data: Fixture) -> None:
    status, body = api.call("GET", f"/analytics/summary?{NOVEMBER}")
    assert status == 200
    assert body["period"] == {"since": "2026-11-01", "until": "2026-11-30"}
    assert body["cards"] == {
        "issued": 7, "apple_registrations": 3, "google_saves": 2, "wallet_installs": 5,
        "active": 9,
    }  # fmt: skip
    assert (body["orders"], body["stamps_given"], body["rewards_redeemed"]) == (15, 4, 1)
    assert body["repeat_customer_rate"] == "0.5556"
    assert body["totals"][0] == {
        "currency": "EUR", "orders": 8, "revenue": 46750, "average_order_value": 5844,
        "discount": 3750, "cashback_earned": 1300, "cashback_redeemed": 1000,
        "stamps_given": 0, "rewards_redeemed": 0,
    }  # fmt: skip
    assert body["accounts"][0] == {
        "currency": "EUR", "accounts": 6, "repeat_accounts": 3, "lifetime_revenue": 49450,
        "lifetime_value": 8242, "cashback_outstanding": 300,
    }  # fmt: skip
    assert body["days"][3] == {
        "day": "2026-11-13",
        "currency": "EUR",
        "orders": -1,
        "revenue": -2700,
    }
    assert [(p["partner_name"], p["segment"]) for p in body["partners"]] == [
        ("Acme", "A"), ("Birch", "A"), ("Elm", "B"), ("Fir", "C"), ("Cedar", "A"), ("Delta", "C"),
    ]  # fmt: skip
    assert [t["tier_name"] for t in body["tiers"]] == ["Bronze", "Silver"]
    assert body["staff"][0] == {"id": data.staff["Sam"], "name": "Sam", "currency": "EUR",
                                "orders": 5, "revenue": 27400}  # fmt: skip
    assert body["locations"][2] == {"id": None, "name": None, "currency": "EUR", "orders": 1,
                                    "revenue": 900}  # fmt: skip


def test_summary_of_one_program(api: Api, data: Fixture) -> None:
    program = data.programs["Tiers"]
    status, body = api.call("GET", f"/analytics/summary?{NOVEMBER}&program_id={program}")
    assert status == 200
    assert body["program_id"] == program
    assert [t["currency"] for t in body["totals"]] == ["UAH"]
    assert body["totals"][0]["revenue"] == 21140 + 970


def test_bad_filters_are_all_reported(api: Api, data: Fixture) -> None:
    status, body = api.call(
        "GET", "/analytics/summary?since=yesterday&until=2026-13-01&program_id=x"
    )
    assert status == 422
    assert set(body["fields"]) == {"since", "until", "program_id"}
    assert "YYYY-MM-DD" in body["fields"]["since"]
    assert body["fields"]["program_id"] == "No program has this id."


def test_a_period_must_not_end_before_it_starts(api: Api, data: Fixture) -> None:
    status, body = api.call("GET", "/analytics/summary?since=2026-11-30&until=2026-11-01")
    assert status == 422
    assert body["fields"] == {"until": "The end of the period must not be before its start."}


def test_the_default_period_is_the_last_30_days(api: Api, data: Fixture) -> None:
    status, body = api.call("GET", "/analytics/summary")
    assert status == 200
    since, until = (dt.date.fromisoformat(body["period"][end]) for end in ("since", "until"))
    assert until == clock.now().date()
    assert (until - since).days == 29


def test_the_summary_needs_an_admin_key(api: Api) -> None:
    status, body = api.call("GET", "/analytics/summary", key=api.pos_key)
    assert (status, body["error"]) == (403, "forbidden")


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("since=0001-01-01", "since", "Give a date from 2000-01-01 to 2100-12-31."),
        ("until=9999-12-31", "until", "Give a date from 2000-01-01 to 2100-12-31."),
        ("since=2020-01-01&until=2026-01-01", "until", "A period can be at most 731 days long."),
    ],
)
def test_periods_are_kept_within_bounds(api: Api, query: str, field: str, message: str) -> None:
    status, body = api.call("GET", f"/analytics/summary?{query}")
    assert status == 422
    assert body["fields"] == {field: message}
