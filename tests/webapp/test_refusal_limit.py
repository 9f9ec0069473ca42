"""The limit on refused attempts per address (Apple's authentication tokens use it)."""

from __future__ import annotations

from webapp.security import RefusalLimit, client_address


def test_refusals_are_counted_per_address() -> None:
    limit = RefusalLimit("3 per minute", "memory://", scope="test")
    for _ in range(3):
        assert not limit.exceeded("192.0.2.1")
        limit.refused("192.0.2.1")
    assert limit.exceeded("192.0.2.1")
    assert not limit.exceeded("192.0.2.2")


def test_the_client_address_is_the_remote_one_or_loopback() -> None:
    assert client_address({"REMOTE_ADDR": "192.0.2.1"}) == "192.0.2.1"
    assert client_address({}) == "127.0.0.1"
