"""The admin audit log: newest first, filtered by who, what, target and dates, paged."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from issuer import audit
from issuer.db.models import Role
from tests.webapp.staff_pages import StaffPages, make_staff

DAY = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def pages(app: Flask, client: FlaskClient) -> StaffPages:
    with app.extensions["tessera.database"].write() as session:
        email = make_staff(session, role=Role.ADMIN).email
        entries: list[tuple[str, str, str, dt.datetime, dict[str, object]]] = [
            ("anna@example.com", "program.publish", "program:1", DAY, {"name": "Coffee"}),
            ("anna@example.com", "staff.role", "staff:7", DAY + dt.timedelta(days=1),
             {"before": "staff", "after": "admin", "locations": ["North", "South"]}),
            ("boris@example.com", "apikey.revoke", "apikey:3", DAY + dt.timedelta(days=2),
             {"name": "Till 1"}),
        ]  # fmt: skip
        for actor, action, target, when, details in entries:
            audit.record(session, actor, action, target, when, **details)
        session.commit()
    pages = StaffPages(app, client)
    pages.login(email)
    return pages


def _targets(page: str) -> list[str]:
    return re.findall(r"<td>((?:program|staff|apikey):\d+)</td>", page)


def test_the_log_lists_newest_first_with_readable_details(pages: StaffPages) -> None:
    page = pages.text("/admin/audit/")
    assert _targets(page) == ["apikey:3", "staff:7", "program:1"]
    assert "<dt>locations</dt><dd>North, South</dd>" in page
    assert "2026-03-11 12:00:00" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("actor=anna%40example.com", ["staff:7", "program:1"]),
        ("action=apikey.revoke", ["apikey:3"]),
        ("target=STAFF", ["staff:7"]),
        ("since=2026-03-11", ["apikey:3", "staff:7"]),
        ("until=2026-03-11", ["staff:7", "program:1"]),
        ("since=2026-03-11&until=2026-03-11&actor=anna%40example.com", ["staff:7"]),
        ("target=100%25", []),
    ],
)
def test_filters_narrow_the_log(pages: StaffPages, query: str, expected: list[str]) -> None:
    assert _targets(pages.text(f"/admin/audit/?{query}")) == expected


def test_bad_dates_are_all_reported_and_the_values_kept(pages: StaffPages) -> None:
    answer = pages.client.get("/admin/audit/?since=yesterday&until=2026-02-30")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert page.count("Enter a date as YYYY-MM-DD.") == 2
    assert 'value="yesterday"' in page
    reversed_range = pages.client.get("/admin/audit/?since=2026-03-12&until=2026-03-10")
    assert "The end date is before the start date." in reversed_range.get_data(as_text=True)


def test_the_log_is_paged(app: Flask, pages: StaffPages) -> None:
    with app.extensions["tessera.database"].write() as session:
        for number in range(60):
            audit.record(session, "bulk@example.com", "staff.locations", f"staff:{100 + number}",
                         DAY + dt.timedelta(days=3, minutes=number))  # fmt: skip
        session.commit()
    first = pages.text("/admin/audit/?actor=bulk%40example.com")
    assert len(_targets(first)) == 50
    assert _targets(first)[0] == "staff:159"
    assert "page=2" in first
    second = pages.text("/admin/audit/?actor=bulk%40example.com&page=2")
    assert _targets(second) == [f"staff:{100 + n}" for n in range(9, -1, -1)]
    assert "Older" not in second
