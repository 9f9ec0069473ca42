"""Staff login: good and bad passwords, rate limits, CSRF, sessions, roles and headers."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from issuer.db.models import Role, Staff
from tests.webapp.staff_pages import StaffPages, make_staff


@pytest.fixture
def pages(app: Flask, client: FlaskClient) -> StaffPages:
    return StaffPages(app, client)


def _staff(app: Flask, role: Role = Role.STAFF) -> str:
    with app.extensions["tessera.database"].write() as session:
        email = make_staff(session, role=role).email
        session.commit()
    return email


def test_login_page_is_a_form_with_a_csrf_token(pages: StaffPages) -> None:
    page = pages.text("/staff/login")
    assert 'name="csrf_token"' in page
    assert 'autocomplete="current-password"' in page


def test_good_login_lands_on_the_scanner_with_a_safe_cookie(pages: StaffPages, app: Flask) -> None:
    response = pages.login(_staff(app))
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie  # the test app's public address is https
    assert "Find a card" in pages.text("/staff/")
    assert pages.client.get("/staff/login").headers["Location"] == "/staff/"


def test_login_goes_back_where_the_user_was_headed_but_never_off_site(
    pages: StaffPages, app: Flask
) -> None:
    email = _staff(app)
    assert (
        pages.client.get("/staff/orders").headers["Location"] == "/staff/login?next=/staff/orders"
    )
    response = pages.post(
        "/staff/login?next=/staff/orders",
        {"email": email, "password": "correct horse battery"},
        page="/staff/login",
    )
    assert response.headers["Location"] == "/staff/orders"
    pages.client.post("/staff/logout", data={"csrf_token": pages.token("/staff/")})
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = pages.post(
            f"/staff/login?next={target}",
            {"email": email, "password": "correct horse battery"},
            page="/staff/login",
        )
        assert response.headers["Location"] == "/staff/"
        pages.post("/staff/logout", {})


@pytest.mark.parametrize("password", ["wrong password", ""])
def test_bad_login_says_so_and_sets_no_session(
    pages: StaffPages, app: Flask, password: str
) -> None:
    response = pages.login(_staff(app), password)
    assert response.status_code == 401
    assert "The email or password is not right." in response.get_data(as_text=True)
    assert pages.client.get("/staff/").status_code == 303


def test_unknown_email_gets_the_same_answer(pages: StaffPages) -> None:
    response = pages.login("nobody@example.com")
    assert response.status_code == 401
    assert "The email or password is not right." in response.get_data(as_text=True)


def test_deactivated_staff_cannot_log_in_and_lose_their_session(
    pages: StaffPages, app: Flask
) -> None:
    email = _staff(app)
    assert pages.login(email).status_code == 303
    with app.extensions["tessera.database"].write() as session:
        staff = session.query(Staff).filter_by(email=email).one()
        staff.active = False
        session.commit()
    assert pages.client.get("/staff/").status_code == 303
    assert pages.login(email).status_code == 401


def test_a_password_change_ends_existing_sessions(pages: StaffPages, app: Flask) -> None:
    email = _staff(app)
    pages.login(email)
    with app.extensions["tessera.database"].write() as session:
        staff = session.query(Staff).filter_by(email=email).one()
        staff.password_hash = "scrypt:changed"
        session.commit()
    assert pages.client.get("/staff/").headers["Location"].startswith("/staff/login")


def test_login_is_rate_limited(pages: StaffPages) -> None:
    statuses = [pages.login("someone@example.com", "guess").status_code for _ in range(11)]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    response = pages.login("someone@example.com", "guess")
    assert "Too many attempts" in response.get_data(as_text=True)


def test_forms_without_a_csrf_token_are_refused(pages: StaffPages, app: Flask) -> None:
    email = _staff(app)
    response = pages.client.post(
        "/staff/login", data={"email": email, "password": "correct horse battery"}
    )
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    pages.login(email)
    forged = pages.client.post("/staff/find", data={"code": "x", "csrf_token": "forged"})
    assert forged.status_code == 400
    scripted = pages.client.post(
        "/staff/api/lookup", data={"code": "x"}, headers={"Accept": "application/json"}
    )
    assert (scripted.status_code, scripted.get_json()["error"]) == (400, "csrf_failed")


def test_logout_ends_the_session(pages: StaffPages, app: Flask) -> None:
    pages.login(_staff(app))
    response = pages.post("/staff/logout", {})
    assert response.headers["Location"] == "/staff/login"
    assert pages.client.get("/staff/").status_code == 303


def test_scripts_get_401_json_when_logged_out(pages: StaffPages) -> None:
    response = pages.script("/staff/api/lookup", {"code": "ABCD"}, page="/staff/login")
    assert (response.status_code, response.get_json()["error"]) == (401, "login_required")


def test_every_response_carries_the_security_headers(
    pages: StaffPages, client: FlaskClient
) -> None:
    for path in ("/staff/login", "/", "/api/v1/openapi.json"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "http" not in policy  # no other host is allowed to serve anything
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_api_needs_no_csrf_token(app: Flask, client: FlaskClient) -> None:
    response = client.post("/api/v1/cards/1/quote", json={"amount": 1})
    assert response.status_code == 401  # refused for the missing key, not for CSRF
