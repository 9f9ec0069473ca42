"""The audit log: every admin change to programs, staff, keys or balances."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from issuer.db.models import AuditEntry


def record(
    session: Session, actor: str, action: str, target: str, now: dt.datetime, **details: Any
) -> None:
    """Add one entry to the audit log (the caller's commit makes it permanent with the change)."""
    session.add(
        AuditEntry(actor=actor, action=action, target=target, details=details, created_at=now)
    )


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What the audit log is narrowed to; empty fields do not narrow it."""

    actor: str = ""
    action: str = ""
    target: str = ""
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of the log, newest first, and whether older entries follow."""

    entries: Sequence[AuditEntry]
    page: int
    has_next: bool


def search(session: Session, wanted: AuditFilter, page: int = 1, per_page: int = 50) -> AuditPage:
    """The entries that match ``wanted``, newest first, one page at a time."""
    page = max(page, 1)
    query = _filtered(select(AuditEntry), wanted)
    query = query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    found = session.scalars(query.offset((page - 1) * per_page).limit(per_page + 1)).all()
    return AuditPage(entries=found[:per_page], page=page, has_next=len(found) > per_page)


def actors(session: Session) -> Sequence[str]:
    """Everyone who appears in the log, for the filter's choices."""
    return session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)).all()


def actions(session: Session) -> Sequence[str]:
    """Every kind of action in the log, for the filter's choices."""
    return session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()


def _filtered(query: Select[AuditEntry], wanted: AuditFilter) -> Select[AuditEntry]:
    if wanted.actor:
        query = query.where(AuditEntry.actor == wanted.actor)
    if wanted.action:
        query = query.where(AuditEntry.action == wanted.action)
    if wanted.target:
        query = query.where(AuditEntry.target.icontains(wanted.target, autoescape=True))
    if wanted.since is not None:
        query = query.where(AuditEntry.created_at >= _midnight(wanted.since))
    if wanted.until is not None:
        query = query.where(AuditEntry.created_at < _midnight(wanted.until + dt.timedelta(days=1)))
    return query


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
