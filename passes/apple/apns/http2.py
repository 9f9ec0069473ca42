"""One long-lived HTTP/2 client connection over TLS, multiplexing many small requests.

The protocol itself (framing, HPACK, stream states, flow-control windows) is the `h2` library,
the same engine httpx uses for HTTP/2. This module only does the I/O around it, because httpx's
HTTP/2 path costs 1.5-2 ms of CPU per request here (a lock dance with an event-loop turn per
acquire and three socket writes per request), which caps one connection at about 500 pushes/s;
APNs fan-out needs more (DESIGN.md §10). Frames produced in one loop turn go out in one write.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import hpack

logger = logging.getLogger(__name__)
# hpack logs whole header blocks at DEBUG: the provider token (a bearer credential) and full
# push tokens would end up in the logs of whoever turns debug logging on. Keep it quiet.
logging.getLogger("hpack").setLevel(logging.INFO)

_CONFIG = h2.config.H2Configuration(
    client_side=True,
    header_encoding=None,
    # We build the request headers ourselves and read only :status and JSON bodies.
    validate_outbound_headers=False,
    normalize_outbound_headers=False,
    validate_inbound_headers=False,
)
_CLOSE_TIMEOUT = 2.0


class _PlainEncoder(hpack.Encoder):
    """HPACK without Huffman coding (optional in RFC 7541 §5.2).

    Huffman-coding a 64-hex-digit token costs more CPU than the 20 bytes it saves on the wire.
    """

    def encode(self, headers: Any, huffman: bool = True) -> bytes:
        return super().encode(headers, huffman=False)


class ConnectionClosed(ConnectionError):
    """The connection ended (GOAWAY, reset, timeout or TCP loss) before the response came."""


@dataclass(frozen=True)
class Response:
    """A complete HTTP/2 response."""

    status: int
    headers: Mapping[bytes, bytes]
    body: bytes


@dataclass
class _Stream:
    future: asyncio.Future[Response]
    deadline: float
    status: int = 0
    headers: dict[bytes, bytes] = field(default_factory=dict)
    body: bytearray = field(default_factory=bytearray)


class Http2Connection(asyncio.Protocol):
    """An HTTP/2 connection: open with `connect`, send with `request`, end with `aclose`."""

    def __init__(self, authority: bytes) -> None:
        self._authority = authority
        self._h2 = h2.connection.H2Connection(_CONFIG)
        self._h2.encoder = _PlainEncoder()
        self._transport: asyncio.Transport | None = None
        self._streams: dict[int, _Stream] = {}
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._flush_scheduled = False
        self._watchdog: asyncio.TimerHandle | None = None
        self._going_away = False
        self._error: ConnectionClosed | None = None
        self._lost = asyncio.get_running_loop().create_future()
        self._settled: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    @classmethod
    async def connect(
        cls, host: str, port: int, context: ssl.SSLContext, timeout: float
    ) -> Http2Connection:
        """Open TCP + TLS to `host:port` and start HTTP/2 (ALPN h2 is required)."""
        authority = host if port == 443 else f"{host}:{port}"
        loop = asyncio.get_running_loop()
        opening = loop.create_connection(
            lambda: cls(authority.encode()), host, port, ssl=context, server_hostname=host
        )
        _, connection = await asyncio.wait_for(opening, timeout)
        connection._require_h2()
        try:
            # The server's SETTINGS (its stream limit among them) come first: wait for them.
            await asyncio.wait_for(asyncio.shield(connection._settled), timeout)
        except TimeoutError:
            connection._fail(ConnectionClosed("no HTTP/2 SETTINGS from the server"))
        if connection._error is not None:
            raise connection._error
        return connection

    @property
    def usable(self) -> bool:
        """True while new streams may be opened on this connection."""
        return self._error is None and not self._going_away

    @property
    def lost(self) -> bool:
        """True once the TCP connection is gone."""
        return self._lost.done()

    async def request(
        self, path: bytes, headers: list[tuple[bytes, bytes]], body: bytes, timeout: float
    ) -> Response:
        """POST `body` to `path`; the connection fails if no response comes within `timeout`."""
        await self._wait_for_free_stream()
        stream_id, stream = self._open_stream(path, headers, timeout)
        while not stream.future.done() and self._window(stream_id) < len(body):
            await self._next_wake()
        if not stream.future.done():
            self._h2.send_data(stream_id, body, end_stream=True)
            self._schedule_flush()
        return await stream.future

    async def aclose(self) -> None:
        """Say GOAWAY, close TLS and wait (briefly) until the socket is really closed."""
        if self._transport is not None and not self.lost:
            if self._error is None:
                self._h2.close_connection()
                self._flush()
            self._transport.close()
            try:
                await asyncio.wait_for(asyncio.shield(self._lost), _CLOSE_TIMEOUT)
            except TimeoutError:
                self._transport.abort()
                await self._lost

    # asyncio.Protocol callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)
        self._h2.initiate_connection()
        self._flush()

    def data_received(self, data: bytes) -> None:
        try:
            events = self._h2.receive_data(data)
        except h2.exceptions.ProtocolError as exc:
            self._fail(ConnectionClosed(f"HTTP/2 protocol error: {exc}"))
            return
        for event in events:
            self._handle(event)
        self._schedule_flush()

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(ConnectionClosed(f"connection lost: {exc or 'closed by peer'}"))
        if not self._lost.done():
            self._lost.set_result(None)

    # internals

    def _require_h2(self) -> None:
        ssl_object = self._transport.get_extra_info("ssl_object") if self._transport else None
        if ssl_object is None or ssl_object.selected_alpn_protocol() != "h2":
            error = ConnectionClosed("the server did not negotiate HTTP/2 (ALPN h2)")
            self._fail(error)
            raise error

    def _window(self, stream_id: int) -> int:
        return self._h2.local_flow_control_window(stream_id)

    async def _wait_for_free_stream(self) -> None:
        # APNs may allow a single stream until it has validated the first token (§3.5).
        while True:
            if self._error is not None:
                raise self._error
            if self._going_away:
                raise ConnectionClosed("the server sent GOAWAY")
            if len(self._streams) < self._h2.remote_settings.max_concurrent_streams:
                return
            await self._next_wake()

    async def _next_wake(self) -> None:
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        await waiter

    def _wake(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)

    def _open_stream(
        self, path: bytes, headers: list[tuple[bytes, bytes]], timeout: float
    ) -> tuple[int, _Stream]:
        try:
            stream_id = self._h2.get_next_available_stream_id()
        except h2.exceptions.NoAvailableStreamIDError:
            self._going_away = True  # all 2**30 client stream ids used: a new connection it is
            raise ConnectionClosed("stream ids exhausted") from None
        pseudo = [(b":method", b"POST"), (b":scheme", b"https"), (b":authority", self._authority)]
        # Each path is used once: keep it out of both sides' HPACK tables.
        target = hpack.NeverIndexedHeaderTuple(b":path", path)
        self._h2.send_headers(stream_id, [*pseudo, target, *headers])
        loop = asyncio.get_running_loop()
        stream = _Stream(loop.create_future(), loop.time() + timeout)
        self._streams[stream_id] = stream
        self._schedule_flush()
        if self._watchdog is None:
            self._watchdog = loop.call_at(stream.deadline, self._check_deadlines)
        return stream_id, stream

    def _check_deadlines(self) -> None:
        # One timer per connection, not one per request: streams are in opening order, so
        # only the oldest can be overdue first.
        self._watchdog = None
        oldest = next(iter(self._streams.values()), None)
        if oldest is None:
            return
        loop = asyncio.get_running_loop()
        if loop.time() < oldest.deadline:
            self._watchdog = loop.call_at(oldest.deadline, self._check_deadlines)
            return
        # A silent peer (dropped NAT entry, hung host): start afresh rather than wait on it.
        self._fail(ConnectionClosed("no response in time"))

    def _handle(self, event: h2.events.Event) -> None:
        if isinstance(event, h2.events.ResponseReceived):
            self._on_headers(event)
        elif isinstance(event, h2.events.DataReceived):
            self._on_data(event)
        elif isinstance(event, h2.events.StreamEnded):
            self._end_stream(event.stream_id, None)
        elif isinstance(event, h2.events.StreamReset):
            self._end_stream(
                event.stream_id, ConnectionClosed(f"stream reset ({event.error_code})")
            )
        elif isinstance(event, h2.events.ConnectionTerminated):
            self._on_goaway(event)
        elif isinstance(event, h2.events.RemoteSettingsChanged | h2.events.WindowUpdated):
            if not self._settled.done():
                self._settled.set_result(None)
            self._wake()

    def _on_headers(self, event: h2.events.ResponseReceived) -> None:
        stream = self._streams.get(event.stream_id or 0)
        if stream is None:
            return
        for name, value in event.headers or ():
            stream.headers[bytes(name)] = bytes(value)
        stream.status = int(stream.headers.pop(b":status", b"0"))

    def _on_data(self, event: h2.events.DataReceived) -> None:
        stream_id = event.stream_id or 0
        self._h2.acknowledge_received_data(event.flow_controlled_length or 0, stream_id)
        stream = self._streams.get(stream_id)
        if stream is not None:
            stream.body.extend(event.data or b"")

    def _end_stream(self, stream_id: int | None, error: ConnectionClosed | None) -> None:
        stream = self._streams.pop(stream_id or 0, None)
        if stream is not None and not stream.future.done():
            if error is None:
                response = Response(stream.status, stream.headers, bytes(stream.body))
                stream.future.set_result(response)
            else:
                stream.future.set_exception(error)
        self._wake()
        self._close_if_drained()

    def _close_if_drained(self) -> None:
        if self._going_away and not self._streams and self._transport is not None:
            self._transport.close()

    def _on_goaway(self, event: h2.events.ConnectionTerminated) -> None:
        self._going_away = True
        logger.warning("APNs sent GOAWAY (%s) %s", event.error_code, _goaway_reason(event))
        last = event.last_stream_id or 0
        # Streams above the last one the server processed were not acted on: safe to resend.
        for stream_id in [s for s in self._streams if s > last]:
            self._end_stream(stream_id, ConnectionClosed("not processed before GOAWAY"))
        self._wake()
        self._close_if_drained()

    def _fail(self, error: ConnectionClosed) -> None:
        if self._error is None:
            self._error = error
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        for stream in self._streams.values():
            if not stream.future.done():
                stream.future.set_exception(error)
                stream.future.exception()  # marked retrieved: its request may have been cancelled
        self._streams.clear()
        if not self._settled.done():
            self._settled.set_result(None)
        self._wake()
        if self._transport is not None:
            self._transport.abort()

    def _schedule_flush(self) -> None:
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        data = self._h2.data_to_send()
        if data and self._transport is not None and not self._transport.is_closing():
            self._transport.write(data)


def _goaway_reason(event: h2.events.ConnectionTerminated) -> str:
    """APNs puts `{"reason": ...}` in the GOAWAY debug data (AD-APNS-RESP)."""
    try:
        return str(json.loads(event.additional_data or b"{}").get("reason", ""))
    except (ValueError, AttributeError):
        return ""
