"""Engines and sessions, with the transaction discipline the checkout relies on.

PostgreSQL serialises concurrent orders on one account with a row lock (``SELECT ... FOR
UPDATE``). SQLite has no row locks, so every write transaction starts with ``BEGIN IMMEDIATE``:
it takes the database's write lock up front instead of upgrading a read lock halfway, which
would fail under contention. Read-only work (GET requests) uses a plain deferred ``BEGIN`` so
readers never wait for one another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

READ_ONLY = "tessera_read_only"
SQLITE_BUSY_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class Database:
    """An engine and the two session factories built on it."""

    engine: Engine
    write: Callable[[], Session]
    read: Callable[[], Session]

    @property
    def is_sqlite(self) -> bool:
        """Whether this database is the embedded SQLite one."""
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def open_database(url: str, **engine_options: Any) -> Database:
    """Create the engine for ``url`` with the per-dialect transaction rules applied."""
    engine = create_engine(url, **engine_options)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    reader = engine.execution_options(**{READ_ONLY: True})
    return Database(
        engine=engine,
        write=sessionmaker(engine, expire_on_commit=False),
        read=sessionmaker(reader, expire_on_commit=False),
    )


def _configure_sqlite(engine: Engine) -> None:
    """Use WAL, foreign keys and explicit BEGIN / BEGIN IMMEDIATE on every SQLite connection."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        # Take transaction control away from the driver so that "begin" below decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
