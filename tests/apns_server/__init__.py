"""A real local HTTP/2 + TLS stand-in for APNs, for tests and benchmarks.

It answers `POST /3/device/<token>` the way Apple documents (wallet-protocols.md §3.2, §3.4:
AD-APNS-SEND, AD-APNS-RESP), requires a TLS client certificate signed by a given CA (the pass
certificate, §3.3), records every request with the TCP connection it came on, and can be
scripted per token. It runs on its own event loop in a background thread.

    with ApnsServer(make_pki(tmp_path)) as server:
        server.script(token, unregistered(1_700_000_000_000))
        ...  # push to server.url, trusting server.ca_file, presenting server.pki.client_cert

Tests elsewhere get the `apns_pki` and `apns_server` fixtures by importing them by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.apns_server.pki import PASS_TYPE_ID, Pki, make_pki
from tests.apns_server.server import (
    BAD_DEVICE_TOKEN,
    INTERNAL_ERROR,
    OK,
    SILENCE,
    TOO_MANY_REQUESTS,
    ApnsServer,
    RecordedRequest,
    Reply,
    unregistered,
)

__all__ = [
    "BAD_DEVICE_TOKEN",
    "INTERNAL_ERROR",
    "OK",
    "PASS_TYPE_ID",
    "SILENCE",
    "TOO_MANY_REQUESTS",
    "ApnsServer",
    "Pki",
    "RecordedRequest",
    "Reply",
    "apns_pki_fixture",
    "apns_server_fixture",
    "make_pki",
    "unregistered",
]


@pytest.fixture(name="apns_pki")
def apns_pki_fixture(tmp_path: Path) -> Pki:
    """Throw-away certificates for the stand-in and the pass certificate."""
    return make_pki(tmp_path)


@pytest.fixture(name="apns_server")
def apns_server_fixture(apns_pki: Pki) -> Iterator[ApnsServer]:
    """A running APNs stand-in, stopped after the test."""
    with ApnsServer(apns_pki) as server:
        yield server
