"""Shared fixtures: a real database per test (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from issuer.db.migrate import upgrade
from issuer.db.models import Base
from issuer.db.session import Database, open_database
from passes.apple import write_dev_chain
from tests.factories import make_api_key
from webapp import create_app
from webapp.settings import Secret, Settings

POSTGRES_URL = os.environ.get("TESSERA_TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
PUBLIC_URL = "https://tessera.test"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "tessera.db"
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    """The test PostgreSQL database, emptied and migrated once per run."""
    assert POSTGRES_URL is not None
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    engine.dispose()
    return POSTGRES_URL


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database for one test."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "tessera.db"
        shutil.copyfile(template, target)
        return f"sqlite:///{target}"
    url: str = request.getfixturevalue("postgres_migrated")
    _empty_postgres(url)
    return url


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    # The update counter's one row is schema data written by a migration: reset, not removed.
    tables = [table.name for table in Base.metadata.sorted_tables if table.name != "update_counter"]
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        connection.execute(text("UPDATE update_counter SET value = 0"))
    engine.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """The test database, for use cases called directly."""
    database = open_database(database_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def certs_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A certs folder holding a development chain, as `tessera certs dev` writes it."""
    folder = tmp_path_factory.mktemp("certs")
    write_dev_chain(
        folder / "dev", pass_type_id=Settings.apple_pass_type_id, team_id=Settings.apple_team_id
    )
    return folder


@pytest.fixture
def settings(database_url: str, tmp_path: Path, certs_path: Path) -> Settings:
    """Settings of a test app (Apple signing with the development chain)."""
    return Settings(
        database_url=database_url,
        secret_key=Secret("test-secret-key"),
        public_url=PUBLIC_URL,
        instance_path=tmp_path / "instance",
        certs_path=certs_path,
        embedded_worker=False,
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    """The app under test."""
    app = create_app(settings)
    app.config["TESTING"] = True
    yield app
    app.extensions["tessera.database"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


class Api:
    """A test client that speaks the JSON API with a key of each scope."""

    def __init__(self, client: FlaskClient, admin_key: str, pos_key: str) -> None:
        self.client = client
        self.admin_key = admin_key
        self.pos_key = pos_key

    def call(
        self, method: str, path: str, *, key: str | None = None, body: object = None, **headers: str
    ) -> tuple[int, Any]:
        """Send one request; return the status and the decoded JSON."""
        sent = {"Authorization": f"Bearer {key or self.admin_key}"} | headers
        response = self.client.open(f"/api/v1{path}", method=method, json=body, headers=sent)
        return response.status_code, response.get_json()


@pytest.fixture
def api(app: Flask, client: FlaskClient) -> Api:
    """The API with fresh admin and pos keys."""
    with app.extensions["tessera.database"].write() as session:
        admin_key = make_api_key(session, scope="admin")
        pos_key = make_api_key(session, scope="pos")
        session.commit()
    return Api(client, admin_key, pos_key)
