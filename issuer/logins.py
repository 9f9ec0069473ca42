"""Staff logins: checking credentials, recording the login, and finding who is logged in."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, selectinload

from issuer import access
from issuer.db.models import Staff


def log_in(session: Session, email: str, password: str, now: dt.datetime) -> Staff | None:
    """The active staff user with these credentials, with the login recorded; else None."""
    staff = access.authenticate_staff(session, email, password)
    if staff is not None:
        staff.last_login_at = now
    return staff


def find_active_staff(session: Session, staff_id: int) -> Staff | None:
    """The staff user with this id while their account is active."""
    staff = session.get(Staff, staff_id, options=[selectinload(Staff.locations)])
    return staff if staff is not None and staff.active else None
