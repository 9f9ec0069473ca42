"""The landing page and the health check."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_healthz_checks_the_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok", "database": "ok"})


def test_livez_answers_without_the_database(client: FlaskClient) -> None:
    assert client.get("/livez").get_json() == {"status": "ok"}


def test_landing_page_links_the_api_document(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"/api/v1/openapi.json" in response.data
