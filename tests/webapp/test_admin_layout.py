"""The admin layout: admins see the areas this build has, the current one marked."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from issuer.db.models import Role
from tests.webapp.staff_pages import StaffPages, make_staff


@pytest.fixture
def admin_pages(app: Flask, client: FlaskClient) -> StaffPages:
    with app.extensions["tessera.database"].write() as session:
        email = make_staff(session, role=Role.ADMIN).email
        session.commit()
    pages = StaffPages(app, client)
    pages.login(email)
    return pages


def test_the_admin_start_page_lists_every_admin_area_and_marks_the_overview(
    admin_pages: StaffPages, app: Flask
) -> None:
    page = admin_pages.text("/admin/")
    assert 'aria-label="Admin areas"' in page
    assert '<a href="/admin/" aria-current="page">Overview</a>' in page
    areas = [r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("admin.")]
    assert "/admin/" in areas


def test_admin_pages_are_never_cached(admin_pages: StaffPages) -> None:
    assert admin_pages.client.get("/admin/").headers["Cache-Control"] == "no-store"


def test_the_admin_areas_are_translated(admin_pages: StaffPages) -> None:
    page = admin_pages.client.get("/admin/", headers={"Accept-Language": "uk"})
    assert "Огляд" in page.get_data(as_text=True)
