"""Managing staff users: invitations, roles, locations, deactivation, and the store list.

An invited user gets a password hash no password matches (``INVITED``) until they accept the
invitation and choose one. Every change is written to the audit log; nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from werkzeug.security import generate_password_hash

from issuer import audit
from issuer.access import MIN_PASSWORD_LENGTH
from issuer.db.models import Location, Role, Staff
from issuer.errors import Conflict, Invalid, NotFound

# Werkzeug reads "method$salt$hash"; this has no "$", so no password ever matches it.
INVITED = "!invited:"
MAX_NAME = 120
MAX_EMAIL = 254


@dataclass(frozen=True, slots=True)
class Invitation:
    """What an admin fills in to invite someone."""

    email: str
    name: str
    role: str
    location_ids: tuple[int, ...] = ()


def is_invited(staff: Staff) -> bool:
    """Whether the user has not yet accepted their invitation (and so cannot log in)."""
    return staff.password_hash.startswith(INVITED)


def list_staff(session: Session) -> Sequence[Staff]:
    """Every staff user and admin, admins first, then by name."""
    query = select(Staff).options(selectinload(Staff.locations))
    return session.scalars(query.order_by(Staff.role, Staff.name, Staff.id)).all()


def get_staff(session: Session, staff_id: int) -> Staff:
    """The staff user with this id."""
    staff = session.get(Staff, staff_id, options=[selectinload(Staff.locations)])
    if staff is None:
        raise NotFound("No staff user has this id.", code="staff_not_found")
    return staff


def invite_staff(session: Session, invitation: Invitation, actor: str, now: dt.datetime) -> Staff:
    """Add a user who sets their own password through the invitation link."""
    email = invitation.email.strip().lower()
    errors = _invitation_errors(session, invitation, email)
    if errors:
        raise Invalid(errors)
    staff = Staff(
        email=email,
        name=invitation.name.strip(),
        password_hash=_unusable_hash(),
        role=invitation.role,
        active=True,
        created_at=now,
        locations=_locations(session, invitation.location_ids),
    )
    session.add(staff)
    session.flush()
    audit.record(session, actor, "staff.invite", _target(staff), now, email=email,
                 role=staff.role, locations=_names(staff))  # fmt: skip
    return staff


def renew_invitation(session: Session, staff: Staff, actor: str, now: dt.datetime) -> Staff:
    """A fresh invitation for a user who has not accepted one; earlier links stop working."""
    if not is_invited(staff):
        raise Conflict("This user has already set a password.", code="not_invited")
    staff.password_hash = _unusable_hash()
    audit.record(session, actor, "staff.reinvite", _target(staff), now, email=staff.email)
    return staff


def change_role(session: Session, staff: Staff, role: str, actor: Staff, now: dt.datetime) -> None:
    """Make the user an admin or sales staff; the last active admin stays an admin."""
    if role not in set(Role):
        raise Invalid({"role": "Must be admin or staff."})
    if role == staff.role:
        return
    if staff.id == actor.id:
        raise Conflict("You cannot change your own role.", code="own_role")
    _keep_an_admin(session, staff)
    audit.record(session, actor.email, "staff.role", _target(staff), now,
                 email=staff.email, before=staff.role, after=role)  # fmt: skip
    staff.role = role


def assign_locations(
    session: Session, staff: Staff, location_ids: Sequence[int], actor: str, now: dt.datetime
) -> None:
    """Set where the user works (no locations: anywhere)."""
    chosen = _locations(session, location_ids)
    if len(chosen) != len(set(location_ids)):
        raise Invalid({"locations": "Choose among the listed locations."})
    before = _names(staff)
    staff.locations = chosen
    if _names(staff) == before:
        return
    audit.record(session, actor, "staff.locations", _target(staff), now,
                 email=staff.email, before=before, after=_names(staff))  # fmt: skip


def set_active(
    session: Session, staff: Staff, active: bool, actor: Staff, now: dt.datetime
) -> None:
    """Deactivate (every session ends, login refused) or reactivate a user."""
    if active == staff.active:
        return
    if not active and staff.id == actor.id:
        raise Conflict("You cannot deactivate yourself.", code="own_account")
    if not active:
        _keep_an_admin(session, staff)
        staff.session_epoch += 1  # its sessions stay ended after a reactivation too
    staff.active = active
    action = "staff.reactivate" if active else "staff.deactivate"
    audit.record(session, actor.email, action, _target(staff), now, email=staff.email)


def set_password(session: Session, staff: Staff, password: str, now: dt.datetime) -> None:
    """Set the user's own password (accepting an invitation); old sessions and links end."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid({"password": f"Must be at least {MIN_PASSWORD_LENGTH} characters."})
    accepted = is_invited(staff)
    staff.password_hash = generate_password_hash(password, method="scrypt")
    action = "staff.accept_invitation" if accepted else "staff.password"
    audit.record(session, staff.email, action, _target(staff), now, email=staff.email)


def list_locations(session: Session) -> Sequence[Location]:
    """Every store or branch, by name."""
    return session.scalars(select(Location).order_by(Location.name, Location.id)).all()


def add_location(session: Session, name: str, actor: str, now: dt.datetime) -> Location:
    """Add a store or branch."""
    name = _location_name(session, name, None)
    location = Location(name=name, created_at=now)
    session.add(location)
    session.flush()
    audit.record(session, actor, "location.create", f"location:{location.id}", now, name=name)
    return location


def rename_location(
    session: Session, location_id: int, name: str, actor: str, now: dt.datetime
) -> Location:
    """Give a store or branch a new name."""
    location = session.get(Location, location_id)
    if location is None:
        raise NotFound("No location has this id.", code="location_not_found")
    name = _location_name(session, name, location.id)
    audit.record(session, actor, "location.rename", f"location:{location.id}", now,
                 before=location.name, after=name)  # fmt: skip
    location.name = name
    return location


def _invitation_errors(session: Session, invitation: Invitation, email: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "@" not in email.strip("@") or len(email) > MAX_EMAIL or " " in email:
        errors["email"] = "Must be an email address."
    elif session.scalars(select(Staff.id).where(Staff.email == email)).first() is not None:
        errors["email"] = "A staff user with this email already exists."
    if not invitation.name.strip() or len(invitation.name) > MAX_NAME:
        errors["name"] = "Must be 1 to 120 characters."
    if invitation.role not in set(Role):
        errors["role"] = "Must be admin or staff."
    ids = set(invitation.location_ids)
    if len(_locations(session, tuple(ids))) != len(ids):
        errors["locations"] = "Choose among the listed locations."
    return errors


def _location_name(session: Session, name: str, own_id: int | None) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise Invalid({"name": "Must be 1 to 120 characters."})
    same = select(Location.id).where(func.lower(Location.name) == name.lower())
    if any(found != own_id for found in session.scalars(same)):
        raise Invalid({"name": "A location with this name already exists."})
    return name


def _keep_an_admin(session: Session, staff: Staff) -> None:
    if staff.role != Role.ADMIN or not staff.active:
        return
    others = select(func.count(Staff.id)).where(
        Staff.role == Role.ADMIN, Staff.active.is_(True), Staff.id != staff.id
    )
    if session.scalar(others) == 0:
        raise Conflict("At least one active admin must remain.", code="last_admin")


def _locations(session: Session, ids: Sequence[int]) -> list[Location]:
    if not ids:
        return []
    return list(session.scalars(select(Location).where(Location.id.in_(set(ids)))))


def _names(staff: Staff) -> list[str]:
    return sorted(location.name for location in staff.locations)


def _target(staff: Staff) -> str:
    return f"staff:{staff.id}"


def _unusable_hash() -> str:
    return INVITED + secrets.token_urlsafe(24)
