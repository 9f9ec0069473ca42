"""Every /admin route refuses staff users and anonymous visitors, whatever routes exist."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from issuer.db.models import Role
from tests.webapp.staff_pages import StaffPages, make_staff


@pytest.fixture
def pages(app: Flask, client: FlaskClient) -> StaffPages:
    # The role check, not a missing CSRF token, must be what refuses each POST here.
    app.config["WTF_CSRF_ENABLED"] = False
    return StaffPages(app, client)


def _admin_requests(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every method of every rule under /admin."""
    urls = app.url_map.bind("tessera.test")
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule == "/admin" or rule.rule.startswith("/admin/"):
            # 1 fits every converter an id or a slug uses (int, string, path).
            url = urls.build(rule.endpoint, dict.fromkeys(rule.arguments, 1))
            methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
            found += [(rule.endpoint, method, url) for method in methods]
    return found


def _login(app: Flask, pages: StaffPages, role: Role) -> None:
    with app.extensions["tessera.database"].write() as session:
        email = make_staff(session, role=role).email
        session.commit()
    assert pages.login(email).status_code == 303


def test_the_admin_routes_under_test_include_the_landing_page(app: Flask) -> None:
    endpoints = {endpoint for endpoint, _, _ in _admin_requests(app)}
    assert "admin.home" in endpoints


def test_staff_users_are_refused_at_every_admin_route(pages: StaffPages, app: Flask) -> None:
    _login(app, pages, Role.STAFF)
    checked = _admin_requests(app)
    assert len(checked) >= 1
    for endpoint, method, url in checked:
        response = pages.client.open(url, method=method)
        assert response.status_code == 403, (endpoint, method, url)
        assert "Your account cannot open this page." in response.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_login_at_every_admin_route(
    pages: StaffPages, app: Flask
) -> None:
    for endpoint, method, url in _admin_requests(app):
        response = pages.client.open(url, method=method)
        assert response.status_code in (303, 401), (endpoint, method, url)
        if response.status_code == 303:
            assert response.headers["Location"].startswith("/staff/login")


def test_admins_get_in(pages: StaffPages, app: Flask) -> None:
    _login(app, pages, Role.ADMIN)
    page = pages.text("/admin/")
    assert "Logged in as" in page
