"""Google's Wallet REST API for loyalty classes and objects, kept in memory.

Paths and bodies follow the walletobjects v1 discovery document (G-DISC; reference/
wallet-protocols.md 4.4): insert (POST), get, update (PUT), patch (PATCH) and addMessage.
Errors use Google's JSON shape and the codes of
https://developers.google.com/wallet/retail/loyalty-cards/resources/error-codes (400, 404,
409); the notification budget answers 403 ``quotaExceeded`` the way edutap-eu/
edutap.wallet_google issue #3 recorded it. Every body is checked against the discovery
document; a body that breaks it gets a 400 naming each problem.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tests.google_server.schema import WalletSchemas

CLASSES, OBJECTS = "loyaltyClass", "loyaltyObject"
_NOUN = {CLASSES: "Wallet Object Class", OBJECTS: "Wallet Object"}
_SCHEMA = {CLASSES: "LoyaltyClass", OBJECTS: "LoyaltyObject"}
_ID = re.compile(r"[0-9]+\.[A-Za-z0-9._-]+")
_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
NOTIFICATIONS_PER_DAY = 3


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, JSON body, extra headers."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def google_error(status: int, message: str, reason: str) -> Answer:
    """Return Google's ``{"error": {code, message, errors: [...], status}}`` answer."""
    detail = {"message": message, "domain": "global", "reason": reason}
    error = {"code": status, "message": message, "errors": [detail]}
    return Answer(status, {"error": error | {"status": _STATUS.get(status, "UNKNOWN")}})


class WalletApi:
    """Loyalty classes and objects of any issuer, with the notifications sent for each."""

    def __init__(self, schemas: WalletSchemas, clock: Callable[[], datetime]) -> None:
        self.schemas, self.clock = schemas, clock
        self.stored: dict[str, dict[str, dict[str, Any]]] = {CLASSES: {}, OBJECTS: {}}
        self.notifications: dict[str, list[datetime]] = {}

    @property
    def classes(self) -> dict[str, dict[str, Any]]:
        """The stored classes by id."""
        return self.stored[CLASSES]

    @property
    def objects(self) -> dict[str, dict[str, Any]]:
        """The stored objects by id."""
        return self.stored[OBJECTS]

    def answer(
        self, method: str, collection: str, resource_id: str | None, action: str | None, body: Any
    ) -> Answer:
        """Answer one API call on a collection, a resource, or a resource's action."""
        if resource_id is None:
            return self.insert(collection, body) if method == "POST" else _not_allowed(method)
        if resource_id not in self.stored[collection]:
            return google_error(
                404, f"{_NOUN[collection]} {{{resource_id}}} not found.", "notFound"
            )
        handler = {
            ("GET", None): self.get,
            ("PUT", None): self.update,
            ("PATCH", None): self.patch,
            ("POST", "addMessage"): self.add_message,
        }.get((method, action))
        return handler(collection, resource_id, body) if handler else _not_allowed(method)

    def insert(self, collection: str, body: Any) -> Answer:
        """Store a new class or object; 409 when the id is taken."""
        refused = self._refusal(collection, body, partial=False)
        if refused is not None:
            return refused
        resource_id = body["id"]
        if resource_id in self.stored[collection]:
            noun = _NOUN[collection]
            return google_error(409, f"{noun} {{{resource_id}}} already exists.", "duplicate")
        self._store(collection, resource_id, body)
        return Answer(200, self.view(collection, resource_id))

    def get(self, collection: str, resource_id: str, body: Any) -> Answer:
        """Return a stored class or object."""
        return Answer(200, self.view(collection, resource_id))

    def update(self, collection: str, resource_id: str, body: Any) -> Answer:
        """Replace a class or object whole."""
        refused = self._refusal(collection, body, partial=False, path_id=resource_id)
        if refused is not None:
            return refused
        self._store(collection, resource_id, body)
        return Answer(200, self.view(collection, resource_id))

    def patch(self, collection: str, resource_id: str, body: Any) -> Answer:
        """Merge the given fields into a class or object; arrays are replaced."""
        refused = self._refusal(collection, body, partial=True, path_id=resource_id)
        if refused is not None:
            return refused
        merged = _merge(self.stored[collection][resource_id], body)
        self._store(collection, resource_id, merged)
        return Answer(200, self.view(collection, resource_id))

    def add_message(self, collection: str, resource_id: str, body: Any) -> Answer:
        """Append a message; TEXT_AND_NOTIFY spends one of the pass's three daily notices."""
        problems = self.schemas.problems(body, "AddMessageRequest", strict=False)
        if problems or "message" not in body:
            return _invalid(problems or ["message: required"])
        message = body["message"]
        if message.get("messageType") == "TEXT_AND_NOTIFY" and not self._notify(resource_id):
            text = f"Quota exceeded when adding TEXT_AND_NOTIFY message to {resource_id}."
            return google_error(403, text, "quotaExceeded")
        stored = self.stored[collection][resource_id]
        stored["messages"] = [*stored.get("messages", []), copy.deepcopy(message)]
        return Answer(200, {"resource": self.view(collection, resource_id)})

    def view(self, collection: str, resource_id: str) -> dict[str, Any]:
        """Return a resource as Google answers it: objects embed their class."""
        resource = copy.deepcopy(self.stored[collection][resource_id])
        if collection == OBJECTS and resource.get("classId") in self.classes:
            resource["classReference"] = copy.deepcopy(self.classes[resource["classId"]])
        return resource

    def _refusal(
        self, collection: str, body: Any, *, partial: bool, path_id: str | None = None
    ) -> Answer | None:
        problems = self.schemas.problems(body, _SCHEMA[collection], partial=partial, strict=False)
        if problems:
            return _invalid(problems)
        resource_id = body.get("id", path_id)
        if not isinstance(resource_id, str) or not _ID.fullmatch(resource_id):
            text = f"Request contains an invalid argument. Invalid resource ID: {resource_id}"
            return google_error(400, text, "invalid")
        if path_id is not None and resource_id != path_id:
            return google_error(400, f"Resource ID {resource_id} is not {path_id}.", "invalid")
        class_id = body.get("classId")
        if collection == OBJECTS and class_id is not None and class_id not in self.classes:
            return google_error(404, f"{_NOUN[CLASSES]} {{{class_id}}} not found.", "notFound")
        return None

    def _store(self, collection: str, resource_id: str, body: dict[str, Any]) -> None:
        resource = copy.deepcopy(body)
        # notifyPreference is "ephemeral and needs to be set with each PATCH or UPDATE".
        if resource.pop("notifyPreference", None) == "NOTIFY_ON_UPDATE":
            self._notify(resource_id)
        if collection == CLASSES and resource.get("reviewStatus") == "UNDER_REVIEW":
            # "The platform will automatically set this field to approved" (G-DISC).
            resource["reviewStatus"] = "APPROVED"
        resource["kind"] = f"walletobjects#{collection}"
        self.stored[collection][resource_id] = resource

    def _notify(self, resource_id: str) -> bool:
        now = self.clock()
        sent = [t for t in self.notifications.get(resource_id, []) if now - t < timedelta(days=1)]
        if len(sent) >= NOTIFICATIONS_PER_DAY:
            return False
        self.notifications[resource_id] = [*sent, now]
        return True


def _merge(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(current)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _invalid(problems: list[str]) -> Answer:
    return google_error(400, "Invalid JSON payload received. " + "; ".join(problems), "invalid")


def _not_allowed(method: str) -> Answer:
    return google_error(405, f"Method {method} is not allowed here.", "notAllowed")
