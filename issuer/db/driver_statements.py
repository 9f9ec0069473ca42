"""Selects run on the driver's cursor, for the hottest single-row reads.

SQLAlchemy's execution path (cache key, execution context, cursor result, row) costs about
as much CPU as the driver's own round trip for a one-row indexed read. A statement here is
compiled once per dialect and its columns' result processors are taken from their types,
so rows come back typed exactly as Core returns them (timezone-aware UTC timestamps on
SQLite too), for about half the CPU. SQLAlchemy's cursor events do not see these reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect, Select

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class DriverStatement:
    """A select compiled for one dialect, with its parameter order and column processors."""

    sql: str
    positional_names: tuple[str, ...] | None
    processors: tuple[Processor, ...]

    @classmethod
    def compile(cls, statement: Select[*tuple[Any, ...]], dialect: Dialect) -> DriverStatement:
        """Compile ``statement`` for ``dialect`` once; run it any number of times."""
        compiled = statement.compile(dialect=dialect)
        names = tuple(compiled.positiontup or ()) if compiled.positional else None
        processors = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.selected_columns
        )
        return cls(compiled.string, names, processors)

    def first_row(
        self, connection: Connection, params: Mapping[str, Any]
    ) -> tuple[Any, ...] | None:
        """The first row of the result, typed like Core's, or None when there is none."""
        cursor = connection.connection.cursor()
        try:
            names = self.positional_names
            cursor.execute(self.sql, params if names is None else [params[n] for n in names])
            row = cursor.fetchone()
        finally:
            cursor.close()
        if row is None:
            return None
        return tuple(v if p is None else p(v) for v, p in zip(row, self.processors, strict=True))
