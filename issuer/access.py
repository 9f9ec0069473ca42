"""Staff users with hashed passwords, and API keys that are shown once and stored hashed."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from issuer import audit
from issuer.db.base import Base
from issuer.db.models import ApiKey, Role, Scope, Staff
from issuer.errors import Conflict, Invalid

KEY_PREFIX = "tsk"
MIN_PASSWORD_LENGTH = 10
# A hash to compare against when the email is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")


@dataclass(frozen=True, slots=True)
class NewApiKey:
    """A freshly made key: ``secret`` is the only copy of the full key and is shown once."""

    key: ApiKey
    secret: str


@dataclass(frozen=True, slots=True)
class AuthorizedKey:
    """The live API key a request presented: what views and audit entries need of it."""

    id: int
    name: str
    scope: str
    last_used_at: dt.datetime | None


def create_api_key(
    session: Session, name: str, scope: str, actor: str, now: dt.datetime
) -> NewApiKey:
    """Make an API key; only the hash of its secret part is stored."""
    errors = {}
    if not name.strip() or len(name) > 120:
        errors["name"] = "Must be 1 to 120 characters."
    if scope not in set(Scope):
        errors["scope"] = "Must be pos or admin."
    if errors:
        raise Invalid(errors)
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    key = ApiKey(name=name, prefix=prefix, secret_hash=_digest(secret), scope=scope, created_at=now)
    session.add(key)
    session.flush()
    audit.record(session, actor, "apikey.create", f"apikey:{key.id}", now, name=name, scope=scope)
    return NewApiKey(key=key, secret=f"{KEY_PREFIX}_{prefix}_{secret}")


def authenticate_api_key(session: Session, presented: str) -> AuthorizedKey | None:
    """The live key that ``presented`` is, or None; compared in constant time.

    One plain query of the few columns needed, on the session's connection: this runs on
    every API request, and loading an ORM object cost a quarter of an order's time.
    """
    row = _key_row(session, presented)
    if row is None or row.revoked_at is not None or not _matches(row.secret_hash, presented):
        return None
    return AuthorizedKey(id=row.id, name=row.name, scope=row.scope, last_used_at=row.last_used_at)


def key_is_live(session: Session, key_id: int) -> bool:
    """Whether the key with this id exists and has not been revoked."""
    session.flush()  # a revocation pending in this session counts (free when nothing is)
    found = session.connection().execute(_LIVE_KEY, {"key_id": key_id}).scalar()
    return found is not None


class KeyRing:
    """What never changes about the API keys a process has seen: id, name, scope, hash.

    A key's only change after it is made is its revocation, which is deliberately not kept
    here: a key from :meth:`identify` may have been revoked since, so it may only act
    through a use case that confirms the key is live in the statements that do the work
    (``checkout.place_order`` does, in its locked read). That saves the order path its own
    round trip for the key. Unknown and revoked keys are never remembered.
    """

    def __init__(self, capacity: int = 1024) -> None:
        self._capacity = capacity
        self._known: dict[str, tuple[AuthorizedKey, str]] = {}  # prefix -> key, secret hash
        self._noted: dict[int, dt.datetime] = {}

    def identify(self, session: Session, presented: str) -> AuthorizedKey | None:
        """The key ``presented`` is, if it matches one known live when first seen."""
        prefix = _prefix(presented)
        if prefix is None:
            return None
        if prefix not in self._known:
            self._remember(prefix, _key_row(session, presented))
        key, secret_hash = self._known.get(prefix, (None, ""))
        if key is None or not _matches(secret_hash, presented):
            return None
        noted = self._noted.get(key.id)
        return key if noted is None else replace(key, last_used_at=noted)

    def noted(self, key_id: int, when: dt.datetime) -> None:
        """Keep the time this process recorded a use of the key (for ``use_worth_noting``)."""
        self._noted[key_id] = when

    def _remember(self, prefix: str, row: _KeyRow | None) -> None:
        if row is None or row.revoked_at is not None:
            return
        if len(self._known) >= self._capacity:
            self._known.clear()
        key = AuthorizedKey(row.id, row.name, row.scope, row.last_used_at)
        self._known[prefix] = (key, row.secret_hash)


def _prefix(presented: str) -> str | None:
    parts = presented.split("_", 2)
    return parts[1] if len(parts) == 3 and parts[0] == KEY_PREFIX else None


def _key_row(session: Session, presented: str) -> _KeyRow | None:
    prefix = _prefix(presented)
    if prefix is None:
        return None
    session.flush()  # a revocation pending in this session counts (free when nothing is)
    return session.connection().execute(_KEY_BY_PREFIX, {"prefix": prefix}).one_or_none()


def _matches(secret_hash: str, presented: str) -> bool:
    return hmac.compare_digest(secret_hash, _digest(presented.split("_", 2)[2]))


def create_staff(
    session: Session, email: str, name: str, password: str, role: str, now: dt.datetime
) -> Staff:
    """Add a staff user or admin with a scrypt-hashed password."""
    email = email.strip().lower()
    errors = _staff_errors(email, name, password, role)
    if errors:
        raise Invalid(errors)
    if session.scalars(select(Staff).where(Staff.email == email)).one_or_none() is not None:
        raise Conflict("A staff user with this email already exists.", code="staff_exists")
    staff = Staff(
        email=email,
        name=name,
        password_hash=generate_password_hash(password, method="scrypt"),
        role=role,
        active=True,
        created_at=now,
    )
    session.add(staff)
    session.flush()
    return staff


def authenticate_staff(session: Session, email: str, password: str) -> Staff | None:
    """The active staff user with these credentials, or None (same effort either way)."""
    query = select(Staff).where(Staff.email == email.strip().lower())
    staff = session.scalars(query).one_or_none()
    if staff is None or not staff.active:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return staff if check_password_hash(staff.password_hash, password) else None


def _staff_errors(email: str, name: str, password: str, role: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if "@" not in email or len(email) > 254:
        errors["email"] = "Must be an email address."
    if not name.strip() or len(name) > 120:
        errors["name"] = "Must be 1 to 120 characters."
    if len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = f"Must be at least {MIN_PASSWORD_LENGTH} characters."
    if role not in set(Role):
        errors["role"] = "Must be admin or staff."
    return errors


def _digest(secret: str) -> str:
    # The secret is 256 random bits, so a fast hash is enough; passwords use scrypt instead.
    return hashlib.sha256(secret.encode()).hexdigest()


_KeyRow = Row[*tuple[Any, ...]]
_keys = Base.metadata.tables[ApiKey.__tablename__]
_KEY_BY_PREFIX = select(
    _keys.c.id, _keys.c.name, _keys.c.scope, _keys.c.secret_hash, _keys.c.revoked_at,
    _keys.c.last_used_at,
).where(_keys.c.prefix == bindparam("prefix"))  # fmt: skip
_LIVE_KEY = (
    select(_keys.c.id).where(_keys.c.id == bindparam("key_id")).where(_keys.c.revoked_at.is_(None))
)
