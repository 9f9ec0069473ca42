"""What a use case can refuse, in business words. The web layer maps these to HTTP."""

from __future__ import annotations


class IssuerError(Exception):
    """Base of refusals raised by use cases; ``code`` is stable, ``message`` is for people."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class NotFound(IssuerError):
    """The thing asked for does not exist (or is not visible to the caller)."""

    code = "not_found"


class Invalid(IssuerError):
    """Input failed validation; ``errors`` maps each field to what is wrong with it."""

    code = "invalid_request"

    def __init__(self, errors: dict[str, str], message: str | None = None) -> None:
        super().__init__(message or "Some fields are not valid: " + ", ".join(sorted(errors)))
        self.errors = errors


class NotAuthorized(IssuerError):
    """The caller did not prove it may act on this thing."""

    code = "not_authorized"


class KeyRevoked(NotAuthorized):
    """The API key acting has been revoked (or no longer exists)."""

    code = "invalid_api_key"


class Conflict(IssuerError):
    """The request is well formed but the current state does not allow it."""

    code = "conflict"


class IdempotencyMismatch(IssuerError):
    """An idempotency key was reused with a different request."""

    code = "idempotency_key_reused"
