"""The request's database session: read-only for GET and HEAD, a write transaction otherwise."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from issuer.db.session import READ_ONLY, Database, open_database
from webapp.settings import Settings

EXTENSION = "tessera.database"
READER = "tessera.database.reader"
READ_ENGINE = "tessera.database.read_engine"


def init_app(app: Flask, settings: Settings) -> Database:
    """Open the database for the app and close the request's session after each request."""
    if settings.database_url.startswith("sqlite:///"):
        settings.instance_path.mkdir(parents=True, exist_ok=True)
    # No pre-ping and no reset on return: each costs every request a round trip. A session
    # always ends its own transaction when it closes, so the pool's extra ROLLBACK is
    # redundant; a connection found dead is dropped by SQLAlchemy's disconnect handling,
    # and pools recycle connections every half hour. The pool keeps as many idle connections
    # as the process has threads: SQLAlchemy's default of 5 closes the connections of the
    # sixth and later threads when they are handed back, so under load with 8 threads about
    # one request in twenty opened a new PostgreSQL connection (a server process each).
    database = open_database(
        settings.database_url,
        pool_recycle=1800,
        pool_reset_on_return=None,
        pool_size=settings.database_pool_size,
    )
    app.extensions[EXTENSION] = database
    app.extensions[READER] = _reader(database)
    app.extensions[READ_ENGINE] = _read_engine(database)
    app.teardown_appcontext(_close_session)
    return database


def _reader(database: Database) -> Callable[[], Session]:
    """Sessions for GET and HEAD: on PostgreSQL without BEGIN and ROLLBACK round trips.

    At READ COMMITTED every statement takes its own snapshot inside a transaction too, so a
    read-only request sees the same data in autocommit mode, for one round trip per query
    instead of three for the common single-query request (a wallet fetching its pass).
    """
    if database.is_sqlite:
        return database.read
    autocommit = database.engine.execution_options(isolation_level="AUTOCOMMIT")
    return sessionmaker(autocommit, expire_on_commit=False)


def _read_engine(database: Database) -> Engine:
    if database.is_sqlite:
        return database.engine.execution_options(**{READ_ONLY: True})
    return database.engine.execution_options(isolation_level="AUTOCOMMIT")


def read_connection() -> Connection:
    """A plain read-only connection for this request, without a Session around it.

    For the hottest read (a wallet fetching its pass: one query) the Session's own opening,
    bookkeeping and closing cost more than the query; on PostgreSQL it is autocommit like
    the reader sessions. Closed with the request.
    """
    if "db_connection" not in g:
        g.db_connection = current_app.extensions[READ_ENGINE].connect()
    found: Connection = g.db_connection
    return found


def database() -> Database:
    """The app's database."""
    found: Database = current_app.extensions[EXTENSION]
    return found


def session(*, write: bool = False) -> Session:
    """The session of this request (or CLI command), opened on first use.

    GET and HEAD get a read-only session unless the view asks to ``write`` before its first
    query (a GET that records something, like handing out a Google save link).
    """
    if "db_session" not in g:
        reads_only = not write and has_request_context() and request.method in ("GET", "HEAD")
        g.db_session = current_app.extensions[READER]() if reads_only else database().write()
    found: Session = g.db_session
    return found


def close_request_session() -> None:
    """End the request's session now (its uncommitted work is rolled back)."""
    _close_session(None)


def _close_session(error: BaseException | None) -> None:
    opened: Session | None = g.pop("db_session", None)
    if opened is not None:
        opened.close()
    connection: Connection | None = g.pop("db_connection", None)
    if connection is not None:
        connection.close()
