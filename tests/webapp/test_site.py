"""The landing page and the health check."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from webapp.settings import Settings


def test_healthz_checks_the_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.get_json()) == (200, {"status": "ok", "database": "ok"})


def test_livez_answers_without_the_database(client: FlaskClient) -> None:
    assert client.get("/livez").get_json() == {"status": "ok"}


def test_landing_page_links_the_api_document(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"/api/v1/openapi.json" in response.data


def test_connections_of_every_thread_stay_open_between_requests(app: Flask) -> None:
    # gunicorn serves 8 threads a process in the benchmarks: all 8 connections must be kept
    # for the next requests, not closed and reopened (a new PostgreSQL server process each).
    engine = app.extensions["tessera.database"].engine
    held = [engine.connect() for _ in range(8)]
    for connection in held:
        connection.close()
    assert engine.pool.checkedin() == 8


def test_the_pool_size_is_configurable() -> None:
    env = {"TESSERA_DATABASE_URL": "sqlite://", "TESSERA_DATABASE_POOL_SIZE": "16"}
    assert Settings.from_env(env).database_pool_size == 16
