"""Invitation links: signed, expiring, and good for one use.

The token names the user and carries a seal of their password hash at the time of the
invitation. Accepting sets a password, which changes the hash, so the link cannot be used
again; a renewed invitation changes it too, so older links stop working.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from issuer.db.models import Staff
from issuer.errors import Conflict, NotAuthorized

SALT = "tessera.staff-invitation"
VALID_FOR_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True, slots=True)
class InvitationLinks:
    """Makes and reads invitation tokens with the app's secret key."""

    secret_key: str
    max_age: int = VALID_FOR_SECONDS

    def token(self, staff: Staff) -> str:
        """The token of the link sent to ``staff``."""
        return str(self._serializer().dumps({"staff": staff.id, "seal": _seal(staff)}))

    def invited(self, session: Session, token: str) -> Staff:
        """The user this still-open invitation is for.

        :raises NotAuthorized: the link is damaged or has expired.
        :raises Conflict: the link was used already, replaced, or the user is deactivated.
        """
        try:
            data = self._serializer().loads(token, max_age=self.max_age)
        except SignatureExpired:
            raise NotAuthorized("The invitation has expired.", code="expired") from None
        except BadSignature:
            raise NotAuthorized("The invitation link is not valid.", code="bad_link") from None
        staff = session.get(Staff, data.get("staff")) if isinstance(data, dict) else None
        if staff is None or data.get("seal") != _seal(staff):
            raise Conflict("The invitation has been used or replaced.", code="used")
        if not staff.active:
            raise Conflict("The account has been deactivated.", code="deactivated")
        return staff

    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret_key, salt=SALT)


def _seal(staff: Staff) -> str:
    return hashlib.sha256(staff.password_hash.encode()).hexdigest()[:32]
