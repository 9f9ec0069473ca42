"""The audit log: every admin change to programs, staff, keys or balances."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from issuer.db.models import AuditEntry


def record(
    session: Session, actor: str, action: str, target: str, now: dt.datetime, **details: Any
) -> None:
    """Add one entry to the audit log (the caller's commit makes it permanent with the change)."""
    session.add(
        AuditEntry(actor=actor, action=action, target=target, details=details, created_at=now)
    )
