"""APNs client for Wallet pass updates: batches of empty pushes over one HTTP/2 connection.

Request, responses and connection rules follow wallet-protocols.md §3 (AD-APNS-CONN,
AD-APNS-SEND, AD-APNS-RESP); what the caller does with each answer follows §3.4.
"""

from __future__ import annotations

import asyncio
import enum
import json
import logging
import random
import re
import ssl
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

from passes.apple.apns.auth import ProviderToken, tls_context
from passes.apple.apns.http2 import Http2Connection, Response

logger = logging.getLogger(__name__)

PRODUCTION_URL = "https://api.push.apple.com"  # pass pushes always use production (§3.1)
# Push tokens are hex strings (§2.1); anything else must not reach the request path.
_TOKEN = re.compile(r"[0-9A-Fa-f]{1,200}")
# Apple: "an empty JSON dictionary for the payload" (§3.2, §2.6).
_BODY = b"{}"


class PushAction(enum.Enum):
    """What the caller should do with the registration behind a push token (§3.4)."""

    DELIVERED = "delivered"
    UNREGISTER = "unregister"  # 410: delete unless the device registered again after `timestamp`
    DROP = "drop"  # 400 BadDeviceToken: delete the registration
    RETRY_LATER = "retry_later"  # 429 / 5xx / connection trouble outlasted the retries
    FAILED = "failed"  # any other refusal: a configuration problem, logged with Apple's reason


@dataclass(frozen=True)
class PushResult:
    """Outcome for one token.

    `status` is None when no HTTP answer came (connection trouble, malformed token);
    `timestamp` is Apple's 410 time in ms since the epoch.
    """

    token: str
    status: int | None
    reason: str | None
    timestamp: int | None
    action: PushAction


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff with jitter for 429, 5xx and connection errors."""

    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 10.0
    sleep: Callable[[float], Awaitable[None]] = _sleep

    def delay(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait after failed try number `attempt`, or None to give up."""
        if attempt >= self.attempts or (retry_after or 0.0) > self.max_delay:
            return None  # a Retry-After beyond our bound: leave it to the next batch
        backoff = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        jittered = random.uniform(backoff / 2, backoff)  # noqa: S311 - spreading, not secrecy
        return max(jittered, retry_after or 0.0)


@dataclass(frozen=True)
class ApnsConfig:
    """Where and how to push.

    `topic` is the pass type identifier. Authenticate with the pass certificate (PEM files, or
    a ready `ssl_context`, whose ALPN is then set to h2) and/or a provider token; `ca_file`
    adds a trusted CA (tests point the client at a local stand-in this way). `concurrency` is
    the number of streams kept in flight (APNs' own SETTINGS limit applies too); `timeout`
    bounds connecting and each response, in seconds.
    """

    topic: str
    cert_file: Path | str | None = None
    key_file: Path | str | None = None
    key_password: str | None = None
    ssl_context: ssl.SSLContext | None = None
    provider_token: ProviderToken | None = None
    base_url: str = PRODUCTION_URL
    ca_file: Path | str | None = None
    concurrency: int = 100
    timeout: float = 10.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    def __post_init__(self) -> None:
        if self.ssl_context is not None and (self.cert_file or self.ca_file):
            raise ValueError("give either an ssl_context or certificate/CA files, not both")
        if not (self.cert_file or self.ssl_context or self.provider_token):
            raise ValueError("APNs needs the pass certificate or a provider token")
        if urlsplit(self.base_url).scheme != "https" or self.concurrency < 1:
            raise ValueError("APNs is reached over https with at least one stream")


class AsyncApnsClient:
    """Pushes from one event loop over one long-lived HTTP/2 connection per client."""

    def __init__(self, config: ApnsConfig) -> None:
        self._config = config
        url = urlsplit(config.base_url)
        self._host, self._port = url.hostname or "", url.port or 443
        self._context = config.ssl_context or tls_context(
            config.cert_file, config.key_file, config.key_password, config.ca_file
        )
        self._context.set_alpn_protocols(["h2"])  # APNs speaks HTTP/2 only (§3.1)
        self._static_headers = [
            (b"apns-topic", config.topic.encode()),
            (b"content-type", b"application/json"),
        ]
        self._timeout = config.timeout
        self._connection: Http2Connection | None = None
        self._retired: list[Http2Connection] = []
        self._connecting: asyncio.Task[Http2Connection] | None = None
        self._down_until = 0.0
        self._down_reason = ""

    async def push_many(self, tokens: Iterable[str]) -> list[PushResult]:
        """Push once to each distinct token; results in first-seen order."""
        unique = list(dict.fromkeys(tokens))
        results: dict[str, PushResult] = {}
        queue = iter(unique)

        async def worker() -> None:
            for token in queue:
                results[token] = await self._push(token)

        await asyncio.gather(*(worker() for _ in range(min(self._config.concurrency, len(unique)))))
        _log_summary(results.values())
        return [results[token] for token in unique]

    async def push(self, token: str) -> PushResult:
        """Push to one token."""
        return (await self.push_many([token]))[0]

    async def aclose(self) -> None:
        """Close every connection this client opened."""
        connections = [*self._retired, *([self._connection] if self._connection else [])]
        self._connection, self._retired = None, []
        for connection in connections:
            await connection.aclose()

    async def _push(self, token: str) -> PushResult:
        if not _TOKEN.fullmatch(token):
            return _report(PushResult(token, None, "BadDeviceToken", None, PushAction.DROP))
        attempt = 0
        while True:
            attempt += 1
            result, retry_after = await self._attempt(token)
            delay = None
            if result.action is PushAction.RETRY_LATER:
                delay = self._config.retry.delay(attempt, retry_after)
            if delay is None:
                return _report(result)
            await self._config.retry.sleep(delay)

    async def _attempt(self, token: str) -> tuple[PushResult, float | None]:
        path = b"/3/device/" + token.encode("ascii")
        jwt = self._config.provider_token.current() if self._config.provider_token else None
        try:
            connection = await self._usable_connection()
            response = await connection.request(path, self._headers(jwt), _BODY, self._timeout)
        except OSError as exc:  # connection refused, TLS refusal, GOAWAY, timeout, reset
            logger.debug("APNs push to %s failed: %s", _short(token), exc)
            return PushResult(token, None, _describe(exc), None, PushAction.RETRY_LATER), None
        result = _result(token, response)
        if result.reason == "ExpiredProviderToken" and self._config.provider_token and jwt:
            self._config.provider_token.invalidate(jwt)
        return result, _retry_after(response)

    def _headers(self, jwt: str | None) -> list[tuple[bytes, bytes]]:
        # apns-push-type and apns-priority are not documented for Wallet passes (§3.2 [U]);
        # Apple's defaults apply, as in its pass-update instructions.
        if jwt is None:
            return self._static_headers
        return [*self._static_headers, (b"authorization", b"bearer " + jwt.encode("ascii"))]

    async def _usable_connection(self) -> Http2Connection:
        connection = self._connection
        if connection is not None and connection.usable:
            return connection
        # One connection per host: every push that needs one awaits the same attempt, and
        # all of them resume together when it is up.
        if self._connecting is None or self._connecting.done():
            self._connecting = asyncio.get_running_loop().create_task(self._connect())
        return await asyncio.shield(self._connecting)

    async def _connect(self) -> Http2Connection:
        loop = asyncio.get_running_loop()
        if loop.time() < self._down_until:
            # Apple treats rapid reconnects as abuse (§3.5): fail fast until the pause is over.
            raise ConnectionRefusedError(self._down_reason)
        if self._connection is not None:
            self._retired = [c for c in self._retired if not c.lost] + [self._connection]
            self._connection = None
        try:
            connection = await Http2Connection.connect(
                self._host, self._port, self._context, self._config.timeout
            )
        except OSError as exc:
            self._down_until = loop.time() + self._config.retry.base_delay
            self._down_reason = f"cannot connect to {self._host}:{self._port}: {_describe(exc)}"
            raise ConnectionRefusedError(self._down_reason) from exc
        logger.info("APNs: connected to %s:%d", self._host, self._port)
        self._connection = connection
        return connection


class ApnsClient:
    """Blocking APNs client for plain threads: runs the async client on a private loop."""

    def __init__(self, config: ApnsConfig) -> None:
        self._client = AsyncApnsClient(config)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="apns", daemon=True)
        self._thread.start()
        self._closed = False

    def push_many(self, tokens: Iterable[str]) -> list[PushResult]:
        """Push once to each distinct token and wait for every result."""
        if self._closed:
            raise RuntimeError("the APNs client is closed")
        batch = self._client.push_many(list(tokens))
        return asyncio.run_coroutine_threadsafe(batch, self._loop).result()

    def push(self, token: str) -> PushResult:
        """Push to one token and wait for the result."""
        return self.push_many([token])[0]

    def close(self) -> None:
        """Close the connection and stop the loop thread."""
        if self._closed:
            return
        self._closed = True
        asyncio.run_coroutine_threadsafe(self._client.aclose(), self._loop).result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    def __enter__(self) -> ApnsClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _result(token: str, response: Response) -> PushResult:
    reason, timestamp = _error_body(response.body)
    return PushResult(token, response.status, reason, timestamp, _action(response.status, reason))


def _action(status: int, reason: str | None) -> PushAction:
    """Map APNs' answer to what a pass server does about it (§3.4)."""
    if status == 200:
        return PushAction.DELIVERED
    if status == 410:
        return PushAction.UNREGISTER
    if status == 400 and reason == "BadDeviceToken":
        return PushAction.DROP
    if status == 429 or status >= 500 or reason == "ExpiredProviderToken":
        return PushAction.RETRY_LATER
    return PushAction.FAILED


def _error_body(body: bytes) -> tuple[str | None, int | None]:
    try:
        data = json.loads(body) if body else {}
    except ValueError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    reason, timestamp = data.get("reason"), data.get("timestamp")
    return (
        reason if isinstance(reason, str) else None,
        int(timestamp) if isinstance(timestamp, int | float) else None,
    )


def _retry_after(response: Response) -> float | None:
    value = response.headers.get(b"retry-after", b"").decode("latin-1").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _report(result: PushResult) -> PushResult:
    token = _short(result.token)
    if result.action is PushAction.FAILED:
        logger.error("APNs refused push to %s: %s %s", token, result.status, result.reason)
    elif result.action is not PushAction.DELIVERED:
        logger.info("APNs push to %s: %s (%s)", token, result.action.value, result.reason)
    return result


def _log_summary(results: Iterable[PushResult]) -> None:
    later = [r for r in results if r.action is PushAction.RETRY_LATER]
    if later:
        logger.warning("APNs: %d pushes left for later (last: %s)", len(later), later[-1].reason)


def _short(token: str) -> str:
    """Enough of a push token to correlate logs, not enough to push to it."""
    return token[:8] + "..."


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
