"""The period figures are taken over, and how entries are bucketed into days.

A period is a range of whole UTC days, both ends included: ``since`` 2026-11-01 and ``until``
2026-11-30 cover every entry written from 2026-11-01 00:00 UTC up to, not including,
2026-12-01 00:00 UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

DEFAULT_DAYS = 30
ACTIVE_DAYS = 90


@dataclass(frozen=True, slots=True)
class Period:
    """Whole UTC days from ``since`` to ``until``, both included."""

    since: dt.date
    until: dt.date

    def __post_init__(self) -> None:
        if self.since > self.until:
            raise ValueError("since must not be after until")

    @property
    def start(self) -> dt.datetime:
        """The first instant of the period."""
        return dt.datetime.combine(self.since, dt.time(), dt.UTC)

    @property
    def end(self) -> dt.datetime:
        """The first instant after the period."""
        return dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time(), dt.UTC)

    @property
    def days(self) -> list[dt.date]:
        """Every day of the period, in order."""
        count = (self.until - self.since).days + 1
        return [self.since + dt.timedelta(days=n) for n in range(count)]

    @classmethod
    def last_days(cls, today: dt.date, days: int = DEFAULT_DAYS) -> Period:
        """The ``days`` days up to and including ``today``."""
        return cls(today - dt.timedelta(days=days - 1), today)

    def within(
        self, column: ColumnElement[dt.datetime] | InstrumentedAttribute[dt.datetime]
    ) -> ColumnElement[bool]:
        """Whether a timestamp column falls inside the period."""
        return (column >= self.start) & (column < self.end)


class utc_day(FunctionElement[dt.date]):
    """The UTC calendar day of a timestamp column, on SQLite and PostgreSQL alike."""

    type = Date()
    inherit_cache = True
    name = "utc_day"


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(timezone('UTC', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite keeps our timestamps as UTC text ("YYYY-MM-DD HH:MM:SS.ffffff").
    return f"date({compiler.process(element.clauses, **kw)})"
