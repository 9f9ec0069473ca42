"""The admin analytics dashboard: figures, server-drawn SVG charts, filters and CSV exports."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import analytics_data
from tests.analytics_data import Fixture
from tests.webapp.staff_pages import StaffPages, make_staff

NOVEMBER = "since=2026-11-01&until=2026-11-30"


@pytest.fixture
def data(app: Flask) -> Fixture:
    with app.extensions["tessera.database"].write() as session:
        made = analytics_data.build(session)
        session.commit()
    return made


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_dashboard_shows_the_figures_and_charts(admin_pages: StaffPages, data: Fixture) -> None:
    page = admin_pages.text(f"/admin/analytics/?{NOVEMBER}")
    assert '<a href="/admin/analytics/" aria-current="page">Analytics</a>' in page
    assert "<dt>Cards issued</dt><dd>7</dd>" in page
    assert "<dt>Active cards (an order in the last 90 days)</dt><dd>9</dd>" in page
    assert "<dt>Repeat customer rate</dt><dd>55.56%</dd>" in page
    assert "€467.50" in page  # EUR revenue
    assert page.count('<svg class="chart"') == 5  # revenue x2, tiers, ABC x2
    assert '<title id="chart-' in page
    assert 'role="img"' in page
    assert "2026-11-13: -€27.00" in page  # the reversal's day, below the axis
    assert "Silver" in page
    assert "Class B" in page
    assert 'value="2026-11-01"' in page
    assert 'value="2026-11-30"' in page


def test_the_program_filter(admin_pages: StaffPages, data: Fixture) -> None:
    tiers = data.programs["Tiers"]
    page = admin_pages.text(f"/admin/analytics/?{NOVEMBER}&program_id={tiers}")
    assert f'<option value="{tiers}" selected>' in page
    assert "<dt>Cards issued</dt><dd>2</dd>" in page
    assert "€" not in page.split("<h2>Orders and money</h2>")[1].split("</section>")[0]


def test_bad_filters_are_reported_and_kept(admin_pages: StaffPages, data: Fixture) -> None:
    response = admin_pages.client.get("/admin/analytics/?since=2026-11-30&until=2026-11-01")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The end of the period must not be before its start." in page
    assert 'value="2026-11-30"' in page
    assert 'aria-invalid="true"' in page
    assert '<svg class="chart"' not in page


def test_the_summary_csv(admin_pages: StaffPages, data: Fixture) -> None:
    response = admin_pages.client.get(f"/admin/analytics/summary.csv?{NOVEMBER}")
    assert response.mimetype == "text/csv"
    assert "tessera-summary-2026-11-01-2026-11-30.csv" in response.headers["Content-Disposition"]
    rows = _rows(response.get_data(as_text=True))
    assert rows[0] == ["section", "currency", "subject", "figure", "value"]
    assert ["cards", "", "", "issued", "7"] in rows
    assert ["accounts", "", "", "repeat_customer_rate", "0.5556"] in rows
    assert ["orders", "EUR", "", "revenue", "467.50"] in rows
    assert ["orders", "EUR", "", "average_order_value", "58.44"] in rows
    assert ["accounts", "EUR", "", "cashback_outstanding", "3.00"] in rows
    assert ["orders", "UAH", "", "stamps_given", "4"] in rows
    assert ["tier", "", "Tiers: Silver", "accounts", "1"] in rows
    assert ["partner", "EUR", "Elm", "segment", "B"] in rows
    assert ["staff", "EUR", "Sam", "revenue", "274.00"] in rows
    assert ["location", "UAH", "Lviv", "orders", "5"] in rows


def test_the_days_csv_lists_every_day_and_currency(admin_pages: StaffPages, data: Fixture) -> None:
    response = admin_pages.client.get(f"/admin/analytics/days.csv?{NOVEMBER}")
    rows = _rows(response.get_data(as_text=True))
    assert rows[0] == ["day", "currency", "orders", "revenue"]
    assert len(rows) == 1 + 30 * 2
    assert ["2026-11-01", "EUR", "0", "0.00"] in rows
    assert ["2026-11-13", "EUR", "-1", "-27.00"] in rows
    assert ["2026-11-17", "UAH", "2", "104.70"] in rows


def test_a_bad_export_request_says_why(admin_pages: StaffPages) -> None:
    response = admin_pages.client.get("/admin/analytics/days.csv?since=soon")
    assert response.status_code == 422
    assert "since: Give a date as YYYY-MM-DD" in response.get_data(as_text=True)


def test_names_cannot_smuggle_formulas_into_the_csv() -> None:
    from webapp.admin.analytics_export import as_text

    assert as_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert as_text("Acme") == "Acme"


def test_staff_without_admin_role_cannot_see_analytics(app: Flask, client: FlaskClient) -> None:
    with app.extensions["tessera.database"].write() as session:
        email = make_staff(session).email
        session.commit()
    pages = StaffPages(app, client)
    pages.login(email)
    assert client.get("/admin/analytics/").status_code in (302, 403)


def test_the_dashboard_is_translated(admin_pages: StaffPages, data: Fixture) -> None:
    response = admin_pages.client.get(
        "/admin/analytics/?since=2026-11-30&until=2026-11-01", headers={"Accept-Language": "uk"}
    )
    page = response.get_data(as_text=True)
    assert "Кінець періоду не може бути раніше його початку." in page
    assert "<span>Програма</span>" in page
