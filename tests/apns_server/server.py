"""The stand-in itself: HTTP/2 over TLS on an asyncio loop in a background thread."""

from __future__ import annotations

import asyncio
import itertools
import json
import ssl
import threading
import uuid
from collections import deque
from collections.abc import Coroutine
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import h2.settings
import hpack

from tests.apns_server.pki import Pki

_T = TypeVar("_T")
# Header validation off: this is a measuring instrument, not a conformance checker.
_H2_CONFIG = h2.config.H2Configuration(
    client_side=False,
    validate_inbound_headers=False,
    validate_outbound_headers=False,
    normalize_inbound_headers=False,
    normalize_outbound_headers=False,
)
# Answers go out in small groups as they are ready, as a real server's would: holding a whole
# read's answers back until the end turns the exchange into lockstep and halves the rate.
_FLUSH_EVERY = 10
# APNs announces its stream limit in SETTINGS (§3.5); the stand-in offers plenty by default.
_MAX_STREAMS = 1000


class _PlainEncoder(hpack.Encoder):
    """HPACK without Huffman coding (optional, RFC 7541 §5.2): cheaper for a pure-Python peer."""

    def encode(self, headers: Any, huffman: bool = True) -> bytes:
        return super().encode(headers, huffman=False)


@dataclass(frozen=True)
class Reply:
    """One scripted APNs answer: status, Apple's reason and 410 timestamp, optional Retry-After.

    Status 0 means no answer at all, as from a hung host.
    """

    status: int = 200
    reason: str | None = None
    timestamp: int | None = None
    retry_after: int | None = None

    def encode(self) -> tuple[list[tuple[bytes, bytes]], bytes]:
        """Return the response headers and body as APNs sends them."""
        # apns-id is unique per answer: not worth a slot in the client's HPACK table.
        apns_id = hpack.NeverIndexedHeaderTuple(b"apns-id", _apns_id())
        headers = [(b":status", str(self.status).encode()), apns_id]
        if self.retry_after is not None:
            headers.append((b"retry-after", str(self.retry_after).encode()))
        if self.reason is None:
            return headers, b""
        error: dict[str, object] = {"reason": self.reason}
        if self.timestamp is not None:
            error["timestamp"] = self.timestamp
        headers.append((b"content-type", b"application/json"))
        return headers, json.dumps(error).encode()


OK = Reply()
BAD_DEVICE_TOKEN = Reply(400, "BadDeviceToken")
TOO_MANY_REQUESTS = Reply(429, "TooManyRequests")
INTERNAL_ERROR = Reply(500, "InternalServerError")
SILENCE = Reply(0)


def unregistered(timestamp_ms: int) -> Reply:
    """410 Unregistered with the time (ms since epoch) the token stopped being valid."""
    return Reply(410, "Unregistered", timestamp=timestamp_ms)


def _apns_id() -> bytes:
    return str(uuid.uuid4()).upper().encode()


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the stand-in saw it; headers are decoded only when a test asks."""

    connection: int
    client_subject: str
    raw_headers: tuple[tuple[bytes, bytes], ...]
    body: bytes

    @cached_property
    def _decoded(self) -> dict[str, str]:
        return {_text(name): _text(value) for name, value in self.raw_headers}

    @property
    def method(self) -> str:
        """`:method`, e.g. POST."""
        return self._decoded.get(":method", "")

    @property
    def path(self) -> str:
        """`:path`, e.g. `/3/device/<token>`."""
        return self._decoded.get(":path", "")

    @property
    def headers(self) -> dict[str, str]:
        """Regular (non-pseudo) headers by lower-case name."""
        return {k: v for k, v in self._decoded.items() if not k.startswith(":")}

    @property
    def token(self) -> str:
        """The device token from `/3/device/<token>`."""
        return self.path.removeprefix("/3/device/")


class _Connection(asyncio.Protocol):
    """One TLS connection speaking HTTP/2 server-side."""

    def __init__(self, server: ApnsServer) -> None:
        self._server = server
        self._h2 = h2.connection.H2Connection(_H2_CONFIG)
        self._h2.encoder = _PlainEncoder()
        self._transport: asyncio.Transport | None = None
        self._streams: dict[int, tuple[list[tuple[bytes, bytes]], bytearray]] = {}
        self._unflushed = 0
        self.id = 0
        self.subject = ""
        self.closed = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self.id, self.subject = self._server._on_accept(self, transport)
        # The stream limit goes in the connection preface's SETTINGS, as APNs sends it (§3.5).
        limit = {h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: self._server.max_streams}
        self._h2.local_settings = h2.settings.Settings(client=False, initial_values=limit)
        self._h2.initiate_connection()
        self._flush()

    def data_received(self, data: bytes) -> None:
        try:
            events = self._h2.receive_data(data)
        except h2.exceptions.ProtocolError:
            self.close(goaway=True)
            return
        # Before any answer: every stream of this read is open at once (multiplexing).
        open_streams = self._h2.open_inbound_streams
        self._server.peak_streams = max(self._server.peak_streams, open_streams)
        for event in events:
            self._handle(event)
        self._flush()

    def connection_lost(self, exc: Exception | None) -> None:
        self._server._on_lost(self)
        if not self.closed.done():
            self.closed.set_result(None)

    def close(self, *, goaway: bool) -> None:
        """Send GOAWAY first if asked (APNs does, §3.5), then close the TCP connection."""
        if self._transport is None or self._transport.is_closing():
            return
        if goaway:
            self._h2.close_connection()
            self._flush()
            self._transport.close()
        else:
            self._transport.abort()

    def _handle(self, event: h2.events.Event) -> None:
        if isinstance(event, h2.events.RequestReceived):
            self._streams[event.stream_id] = (list(event.headers or ()), bytearray())
        elif isinstance(event, h2.events.DataReceived) and event.stream_id in self._streams:
            self._streams[event.stream_id][1].extend(event.data or b"")
            length = event.flow_controlled_length or 0
            self._h2.acknowledge_received_data(length, event.stream_id)
        elif isinstance(event, h2.events.StreamEnded) and event.stream_id in self._streams:
            self._respond(event.stream_id)
        elif isinstance(event, h2.events.StreamReset):
            self._streams.pop(event.stream_id, None)
        elif isinstance(event, h2.events.ConnectionTerminated):
            self.close(goaway=False)

    def _respond(self, stream_id: int) -> None:
        raw_headers, body = self._streams.pop(stream_id)
        request = RecordedRequest(self.id, self.subject, tuple(raw_headers), bytes(body))
        reply = self._server._reply_for(request)
        if reply.status == 0:
            return
        reply_headers, reply_body = reply.encode()
        self._h2.send_headers(stream_id, reply_headers, end_stream=not reply_body)
        if reply_body:
            self._h2.send_data(stream_id, reply_body, end_stream=True)
        self._unflushed += 1
        if self._unflushed >= _FLUSH_EVERY:
            self._flush()

    def _flush(self) -> None:
        self._unflushed = 0
        data = self._h2.data_to_send()
        if data and self._transport is not None and not self._transport.is_closing():
            self._transport.write(data)


def _text(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


class ApnsServer:
    """Local APNs stand-in on its own event-loop thread; use as a context manager."""

    def __init__(
        self, pki: Pki, *, host: str = "127.0.0.1", port: int = 0, max_streams: int = _MAX_STREAMS
    ) -> None:
        self.pki, self.max_streams = pki, max_streams
        self._host, self._port = host, port
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._scripts: dict[str, tuple[deque[Reply], Reply]] = {}
        self._live: set[_Connection] = set()
        self._ids = itertools.count(1)
        self._attempts = 0
        self._accepted = 0
        self.peak_streams = 0  # most streams open at once on one connection
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        """Base URL to give the client, e.g. `https://127.0.0.1:52811`."""
        return f"https://{self._host}:{self._port}"

    @property
    def ca_file(self) -> Path:
        """CA that signed the server certificate: the client's extra trusted CA."""
        return self.pki.server_ca

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    @property
    def connections_accepted(self) -> int:
        """TCP connections that completed the TLS handshake with a valid client certificate."""
        return self._accepted

    @property
    def handshakes_refused(self) -> int:
        """Connections whose TLS handshake failed (no or untrusted client certificate)."""
        return self._attempts - self._accepted

    def script(self, token: str, *replies: Reply, then: Reply = OK) -> None:
        """Answer `token` with `replies` in order, then with `then` for ever."""
        with self._lock:
            self._scripts[token] = (deque(replies), then)

    def start(self) -> ApnsServer:
        """Start listening on a background event-loop thread."""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="apns-stand-in")
        self._thread.start()
        try:
            self._call(self._listen())
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Drop every connection, stop listening and end the thread."""
        if self._loop is None or self._thread is None:
            return
        self._call(self._shutdown(goaway=False))
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()
        self._loop = self._thread = None

    def restart(self) -> None:
        """Go away abruptly (as a crashed host would) and listen again on the same port."""
        self._call(self._shutdown(goaway=False))
        self._call(self._listen())

    def goaway(self) -> None:
        """Send GOAWAY on every open connection and close them; keep listening."""
        self._call(self._close_all(goaway=True))

    def __enter__(self) -> ApnsServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _call(self, coro: Coroutine[Any, Any, _T]) -> _T:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    async def _listen(self) -> None:
        self._server = await asyncio.get_running_loop().create_server(
            self._new_connection,
            self._host,
            self._port,
            ssl=self._ssl_context(),
            reuse_address=True,
            backlog=1024,
            ssl_shutdown_timeout=1.0,
        )
        self._port = self._server.sockets[0].getsockname()[1]

    async def _shutdown(self, *, goaway: bool) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        await self._close_all(goaway=goaway)

    async def _close_all(self, *, goaway: bool) -> None:
        live = list(self._live)
        for connection in live:
            connection.close(goaway=goaway)
        if live:
            # A TLS close waits for the peer's close_notify; bounded so tests stay fast.
            await asyncio.wait([c.closed for c in live], timeout=2.0)
        for connection in live:
            connection.close(goaway=False)

    def _ssl_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2  # APNs: TLS 1.2 or later (§3.1)
        context.load_cert_chain(self.pki.server_cert, self.pki.server_key)
        context.load_verify_locations(self.pki.client_ca)
        context.verify_mode = ssl.CERT_REQUIRED
        context.set_alpn_protocols(["h2"])
        return context

    def _new_connection(self) -> _Connection:
        self._attempts += 1
        return _Connection(self)

    def _on_accept(self, connection: _Connection, transport: asyncio.Transport) -> tuple[int, str]:
        self._accepted += 1
        self._live.add(connection)
        peer = transport.get_extra_info("peercert") or {}
        subject = dict(item[0] for item in peer.get("subject", ()))
        return next(self._ids), str(subject.get("commonName", ""))

    def _on_lost(self, connection: _Connection) -> None:
        self._live.discard(connection)

    def _reply_for(self, request: RecordedRequest) -> Reply:
        raw = dict(request.raw_headers)  # bytes, not decoded: this runs for every push
        path = raw.get(b":path", b"")
        with self._lock:
            self._requests.append(request)
            if raw.get(b":method") != b"POST":
                return Reply(405, "MethodNotAllowed")
            if not path.startswith(b"/3/device/"):
                return Reply(404, "BadPath")
            if b"apns-topic" not in raw:
                return Reply(400, "MissingTopic")
            replies, then = self._scripts.get(_text(path[10:]), (deque(), OK))
            return replies.popleft() if replies else then
