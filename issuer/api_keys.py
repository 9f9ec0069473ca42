"""Managing API keys: the list an admin sees, revoking, and noting when a key was last used.

Keys are made by :func:`issuer.access.create_api_key` (the secret is shown once). Nothing here
commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from issuer import audit
from issuer.access import AuthorizedKey
from issuer.db.models import ApiKey
from issuer.errors import Conflict, NotFound

# Last use is kept to the minute: a busy key writes once a minute, not on every request.
USE_GRANULARITY = dt.timedelta(minutes=1)


def list_api_keys(session: Session) -> Sequence[ApiKey]:
    """Every key, live ones first, newest first."""
    query = select(ApiKey).order_by(ApiKey.revoked_at.is_not(None), ApiKey.id.desc())
    return session.scalars(query).all()


def revoke_api_key(session: Session, key_id: int, actor: str, now: dt.datetime) -> ApiKey:
    """Refuse the key from now on; it cannot be brought back."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound("No API key has this id.", code="api_key_not_found")
    if key.revoked_at is not None:
        raise Conflict("This API key has already been revoked.", code="already_revoked")
    key.revoked_at = now
    audit.record(session, actor, "apikey.revoke", f"apikey:{key.id}", now,
                 name=key.name, scope=key.scope)  # fmt: skip
    return key


def use_worth_noting(key: ApiKey | AuthorizedKey, now: dt.datetime) -> bool:
    """Whether this use of ``key`` moves its last-used time by a minute or more."""
    return key.last_used_at is None or now - key.last_used_at >= USE_GRANULARITY


def note_use(session: Session, key_id: int, now: dt.datetime) -> None:
    """Record that the key was used at ``now`` (never moves the time backwards)."""
    session.execute(
        update(ApiKey)
        .where(ApiKey.id == key_id)
        .where(or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < now - USE_GRANULARITY))
        .values(last_used_at=now)
    )
