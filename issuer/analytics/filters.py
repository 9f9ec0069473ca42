"""What a report is asked for: a period and, optionally, a program, read from text fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from issuer.analytics.period import DEFAULT_DAYS, Period
from issuer.db.models import Program
from issuer.errors import Invalid

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
MAX_DAYS = 731  # two years: the dashboard draws a bar per day


@dataclass(frozen=True, slots=True)
class Filters:
    """A report's period and program (None for every program)."""

    period: Period
    program_id: int | None


def read_filters(session: Session, values: Mapping[str, str], today: dt.date) -> Filters:
    """``since``, ``until`` (YYYY-MM-DD) and ``program_id``; every problem is reported at once.

    Without dates the period is the last 30 days up to today; with one date, 30 days from or
    up to it.
    """
    errors: dict[str, str] = {}
    since = _date(values, "since", errors)
    until = _date(values, "until", errors)
    program_id = _program(session, values.get("program_id", "").strip(), errors)
    if since is not None and until is not None:
        _check_span(since, until, errors)
    if errors:
        raise Invalid(errors)
    return Filters(_period(since, until, today), program_id)


def _check_span(since: dt.date, until: dt.date, errors: dict[str, str]) -> None:
    if since > until:
        errors["until"] = "The end of the period must not be before its start."
    elif (until - since).days >= MAX_DAYS:
        errors["until"] = "A period can be at most 731 days long."


def _period(since: dt.date | None, until: dt.date | None, today: dt.date) -> Period:
    span = dt.timedelta(days=DEFAULT_DAYS - 1)
    if since is None:
        end = until or today
        return Period(end - span, end)
    return Period(since, until or since + span)


def _date(values: Mapping[str, str], name: str, errors: dict[str, str]) -> dt.date | None:
    text = values.get(name, "").strip()
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        errors[name] = "Give a date as YYYY-MM-DD, for example 2026-11-30."
        return None
    if not EARLIEST <= day <= LATEST:
        errors[name] = "Give a date from 2000-01-01 to 2100-12-31."
        return None
    return day


def _program(session: Session, text: str, errors: dict[str, str]) -> int | None:
    if not text:
        return None
    if not text.isdigit() or session.get(Program, int(text)) is None:
        errors["program_id"] = "No program has this id."
        return None
    return int(text)
