"""The admin layout: admins see the areas this build has, the current one marked."""

from __future__ import annotations

from flask import Flask

from tests.webapp.staff_pages import StaffPages


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
