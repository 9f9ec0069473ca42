"""Google Wallet REST client for loyalty classes and objects, with bounded retries.

Google reference: the walletobjects v1 discovery document (resources ``loyaltyclass`` and
``loyaltyobject``), https://developers.google.com/wallet/reference/rest and the error codes
at https://developers.google.com/wallet/retail/loyalty-cards/resources/error-codes;
reference/wallet-protocols.md 4.4 (endpoints), 4.5 (service-account OAuth2), 4.8
(notifications), 4.9 (limits, backoff on 429/503). google-auth signs the assertion and
fetches the access token from the key's ``token_uri``; the client talks to nothing but that
and the base URL. One client per thread: a requests session is not meant to be shared.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import quote

import requests
from google.auth import exceptions as auth_exceptions
from google.auth.transport import requests as google_requests
from google.oauth2 import service_account

from passes.google.strings import paired
from passes.localized import Language, LocalizedText

WALLET_SCOPE = "https://www.googleapis.com/auth/wallet_object.issuer"
DEFAULT_BASE_URL = "https://walletobjects.googleapis.com"
_API_PATH = "/walletobjects/v1"
# "ephemeral and needs to be set with each PATCH or UPDATE request" (G-DISC notifyPreference).
_NOTIFY = {"notifyPreference": "NOTIFY_ON_UPDATE"}
# Google's reason when the 3-per-24h notification budget is spent: a 403, not a 429
# (edutap-eu/edutap.wallet_google issue #3 shows the answer), so it is never retried.
QUOTA_EXCEEDED = "quotaExceeded"
_CLASSES, _OBJECTS = "loyaltyClass", "loyaltyObject"
# "Max 10 messages" per object (G-DISC; reference/wallet-protocols.md 4.9).
MAX_MESSAGES = 10
_jitter_source = random.SystemRandom()

logger = logging.getLogger(__name__)


class WalletApiError(Exception):
    """Google Wallet refused a call or could not be reached; carries Google's message."""

    def __init__(self, status: int | None, reason: str, message: str) -> None:
        super().__init__(f"Google Wallet {status or 'unreachable'} {reason}: {message}")
        self.status = status
        self.reason = reason
        self.message = message

    @classmethod
    def from_response(cls, response: requests.Response) -> WalletApiError:
        """Read Google's ``{"error": {code, message, errors: [{reason}], status}}`` body."""
        try:
            error = response.json().get("error", {})
        except (ValueError, AttributeError):
            return cls(response.status_code, response.reason or "", response.text[:300])
        details = error.get("errors") or [{}]
        reason = details[0].get("reason") or error.get("status") or response.reason or ""
        return cls(response.status_code, str(reason), str(error.get("message", "")))


@dataclass(frozen=True, slots=True)
class Backoff:
    """Bounded exponential backoff with full jitter, for 429, 5xx and dropped connections."""

    attempts: int = 5
    base: float = 0.5
    cap: float = 20.0

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.base < 0 or self.cap < 0:
            raise ValueError(f"a backoff needs at least one attempt and no negative wait: {self}")

    def delay(self, retry: int, draw: float) -> float:
        """Return the wait before retry number ``retry`` (from 0), ``draw`` in [0, 1)."""
        return min(self.cap, self.base * 2.0**retry) * draw


@dataclass(frozen=True, slots=True)
class MessageResult:
    """The object after addMessage, and whether the message went out as a notification."""

    resource: dict[str, Any]
    notified: bool


class WalletClient:
    """Google Wallet REST API: classes and objects of loyalty passes."""

    def __init__(
        self,
        service_account_info: Mapping[str, Any],
        *,
        base_url: str = DEFAULT_BASE_URL,
        backoff: Backoff = Backoff(),
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = _jitter_source.random,
    ) -> None:
        # google-auth ships py.typed but leaves these constructors unannotated.
        self._credentials = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            dict(service_account_info), scopes=[WALLET_SCOPE]
        )
        self._session = requests.Session()
        # One token transport for the client's life: a Request closes its session when freed.
        self._token_transport = google_requests.Request(self._session)
        self._api = base_url.rstrip("/") + _API_PATH
        self._backoff, self._timeout = backoff, timeout
        self._sleep, self._jitter = sleep, jitter

    def close(self) -> None:
        """Close the connections to Google and to the token endpoint."""
        self._session.close()

    def __enter__(self) -> WalletClient:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def get_class(self, class_id: str) -> dict[str, Any] | None:
        """Return a LoyaltyClass, or None when Google has none with this id."""
        return self._get(_CLASSES, class_id)

    def get_object(self, object_id: str) -> dict[str, Any] | None:
        """Return a LoyaltyObject, or None when Google has none with this id."""
        return self._get(_OBJECTS, object_id)

    def upsert_class(self, loyalty_class: Mapping[str, Any]) -> dict[str, Any]:
        """Insert a class or replace it; every write asks for review (UNDER_REVIEW)."""
        return self._upsert(_CLASSES, {**loyalty_class, "reviewStatus": "UNDER_REVIEW"}, {})

    def upsert_object(
        self, loyalty_object: Mapping[str, Any], *, notify: bool = False
    ) -> dict[str, Any]:
        """Insert an object or replace it, optionally notifying on allow-listed changes."""
        return self._upsert(_OBJECTS, dict(loyalty_object), _NOTIFY if notify else {})

    def patch_object(
        self, object_id: str, changes: Mapping[str, Any], *, notify: bool
    ) -> dict[str, Any]:
        """Change some fields of an object (arrays are replaced whole, not merged)."""
        body = {**changes, **(_NOTIFY if notify else {})}
        return self._json("PATCH", f"/{_OBJECTS}/{quote(object_id, safe='')}", body)

    def add_message(
        self,
        object_id: str,
        header: LocalizedText | str,
        body: LocalizedText | str,
        *,
        notify: bool,
        language: Language = "en",
        message_id: str | None = None,
    ) -> MessageResult:
        """Add a message to an object; past the notification budget it is added silently."""
        message = wallet_message(header, body, language=language, message_id=message_id)
        path = f"/{_OBJECTS}/{quote(object_id, safe='')}/addMessage"
        try:
            return MessageResult(self._add_message(path, message, notify), notified=notify)
        except WalletApiError as error:
            if not notify or error.reason != QUOTA_EXCEEDED:
                raise
            logger.warning("Google Wallet: %s; sending it without a notification", error.message)
        return MessageResult(self._add_message(path, message, False), notified=False)

    def make_room_for_message(self, object_id: str) -> bool:
        """Drop the oldest messages so that one more fits; False when there is no such object."""
        current = self.get_object(object_id)
        if current is None:
            return False
        kept = current.get("messages", [])
        if len(kept) >= MAX_MESSAGES:
            newest = kept[len(kept) - MAX_MESSAGES + 1 :]
            self.patch_object(object_id, {"messages": newest}, notify=False)
        return True

    def _add_message(self, path: str, message: dict[str, Any], notify: bool) -> dict[str, Any]:
        kind = "TEXT_AND_NOTIFY" if notify else "TEXT"
        answer = self._json("POST", path, {"message": message | {"messageType": kind}})
        resource: dict[str, Any] = answer["resource"]
        return resource

    def _get(self, collection: str, resource_id: str) -> dict[str, Any] | None:
        response = self._call("GET", f"/{collection}/{quote(resource_id, safe='')}", None)
        if response.status_code == 404:
            return None
        return _checked(response)

    def _upsert(
        self, collection: str, resource: dict[str, Any], extra: Mapping[str, Any]
    ) -> dict[str, Any]:
        resource_id = str(resource["id"])
        current = self._get(collection, resource_id)
        if current is not None and _unchanged(current, resource):
            return current
        if current is None:
            try:
                return self._json("POST", f"/{collection}", resource)
            except WalletApiError as error:
                # Another worker, or our own retried insert, got there first: replace it.
                if error.status != 409:
                    raise
        body = {**resource, **_kept(current, resource), **extra}
        return self._json("PUT", f"/{collection}/{quote(resource_id, safe='')}", body)

    def _json(self, method: str, path: str, body: Mapping[str, Any] | None) -> dict[str, Any]:
        return _checked(self._call(method, path, body))

    def _call(self, method: str, path: str, body: Mapping[str, Any] | None) -> requests.Response:
        attempts = self._backoff.attempts
        for retry in range(attempts):
            outcome = self._attempt(method, path, body)
            if isinstance(outcome, requests.Response) and not _retryable(outcome.status_code):
                return outcome
            error = _as_error(outcome)
            if retry + 1 < attempts:
                wait = self._wait(retry, outcome)
                logger.warning("Google Wallet %s %s: %s; retry in %.1fs", method, path, error, wait)
                self._sleep(wait)
        logger.error(
            "Google Wallet %s %s gave up after %d tries: %s", method, path, attempts, error
        )
        raise error

    def _attempt(
        self, method: str, path: str, body: Mapping[str, Any] | None
    ) -> requests.Response | WalletApiError:
        try:
            response = self._authorized(method, path, body, renew=False)
            if response.status_code == 401:
                # The token was revoked or expired early: renew it once, then believe Google.
                response = self._authorized(method, path, body, renew=True)
        except (
            requests.ConnectionError,
            requests.Timeout,
            auth_exceptions.TransportError,
        ) as error:
            return WalletApiError(None, type(error).__name__, str(error))
        except auth_exceptions.RefreshError as error:
            # The token endpoint refused the key: retrying cannot help.
            raise WalletApiError(401, "authError", str(error)) from error
        return response

    def _authorized(
        self, method: str, path: str, body: Mapping[str, Any] | None, *, renew: bool
    ) -> requests.Response:
        # Token handling through the credentials' own refresh() and apply(), not
        # AuthorizedSession: google-auth's before_request() (2.62 here) also starts a background
        # "Regional Access Boundary" lookup at iamcredentials.googleapis.com, a host that is
        # neither the base URL nor the key's token_uri.
        if renew or not self._credentials.valid:
            self._credentials.refresh(self._token_transport)
        headers: dict[str, str] = {}
        self._credentials.apply(headers)
        url = self._api + path
        return self._session.request(method, url, json=body, headers=headers, timeout=self._timeout)

    def _wait(self, retry: int, failure: requests.Response | WalletApiError) -> float:
        wait = self._backoff.delay(retry, self._jitter())
        if isinstance(failure, requests.Response):
            hinted = failure.headers.get("Retry-After", "")
            if hinted.isdigit():
                wait = max(wait, min(float(hinted), self._backoff.cap))
        return wait


def wallet_message(
    header: LocalizedText | str,
    body: LocalizedText | str,
    *,
    language: Language = "en",
    message_id: str | None = None,
) -> dict[str, Any]:
    """Return a Message (without its type): header and body, translated where given."""
    message = paired("header", header, language) | paired("body", body, language)
    if message_id is not None:
        message["id"] = message_id
    return message


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def _checked(response: requests.Response) -> dict[str, Any]:
    if not response.ok:
        error = WalletApiError.from_response(response)
        logger.warning("Google Wallet %s %s: %s", response.request.method, response.url, error)
        raise error
    answer: dict[str, Any] = response.json()
    return answer


def _as_error(outcome: requests.Response | WalletApiError) -> WalletApiError:
    return outcome if isinstance(outcome, WalletApiError) else WalletApiError.from_response(outcome)


def _kept(current: Mapping[str, Any] | None, resource: Mapping[str, Any]) -> dict[str, Any]:
    # PUT replaces the whole resource; messages come from addMessage, not from the
    # builders, so an update must carry them over or the holder loses them.
    if current is None or "messages" in resource or "messages" not in current:
        return {}
    return {"messages": current["messages"]}


def _unchanged(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    # Google adds "kind" and output fields and approves classes on its own, so the stored
    # resource counts as unchanged when it holds everything we would send.
    comparable = {key: value for key, value in wanted.items() if key != "reviewStatus"}
    return _contains(current, comparable)


def _contains(current: Any, wanted: Any) -> bool:
    if isinstance(wanted, Mapping):
        return isinstance(current, Mapping) and all(
            key in current and _contains(current[key], value) for key, value in wanted.items()
        )
    if isinstance(wanted, list):
        return (
            isinstance(current, list)
            and len(current) == len(wanted)
            and all(_contains(have, want) for have, want in zip(current, wanted, strict=True))
        )
    return bool(current == wanted)
