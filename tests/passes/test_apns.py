"""APNs client against a real local HTTP/2 + TLS stand-in (tests/apns_server)."""

from __future__ import annotations

import base64
import json
import logging
import secrets
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from passes.apple.apns import (
    ApnsClient,
    ApnsConfig,
    ProviderToken,
    PushAction,
    PushResult,
    RetryPolicy,
)
from tests.apns_server import (
    BAD_DEVICE_TOKEN,
    INTERNAL_ERROR,
    PASS_TYPE_ID,
    SILENCE,
    TOO_MANY_REQUESTS,
    ApnsServer,
    Pki,
    Reply,
    apns_pki_fixture,  # noqa: F401 - pytest finds fixtures by name in the module
    apns_server_fixture,  # noqa: F401
    make_pki,
    unregistered,
)

FAST = RetryPolicy(attempts=3, base_delay=0.001, max_delay=0.01)
KEY_PASSWORD = "pass-key-password"


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return make_pki(tmp_path, key_password=KEY_PASSWORD)


@pytest.fixture
def server(pki: Pki) -> Iterator[ApnsServer]:
    with ApnsServer(pki) as running:
        yield running


@pytest.fixture
def config(server: ApnsServer, pki: Pki) -> ApnsConfig:
    return ApnsConfig(
        topic=PASS_TYPE_ID,
        cert_file=pki.client_cert,
        key_file=pki.client_key,
        key_password=KEY_PASSWORD,
        base_url=server.url,
        ca_file=server.ca_file,
        retry=FAST,
    )


@pytest.fixture
def client(config: ApnsConfig) -> Iterator[ApnsClient]:
    with ApnsClient(config) as apns:
        yield apns


def token() -> str:
    return secrets.token_hex(32)


def push_with(config: ApnsConfig, tokens: list[str]) -> list[PushResult]:
    with ApnsClient(config) as apns:
        return apns.push_many(tokens)


def test_push_is_an_empty_json_post_to_the_device_path_with_the_topic(
    client: ApnsClient, server: ApnsServer
) -> None:
    device = token()
    result = client.push(device)
    assert result == PushResult(device, 200, None, None, PushAction.DELIVERED)
    [request] = server.requests
    assert (request.method, request.path, request.body) == ("POST", f"/3/device/{device}", b"{}")
    assert request.headers["apns-topic"] == PASS_TYPE_ID
    assert request.headers["content-type"] == "application/json"
    assert not {"authorization", "apns-push-type", "apns-priority"} & request.headers.keys()
    assert request.client_subject == f"Pass Type ID: {PASS_TYPE_ID}"


@pytest.mark.parametrize("certificate", ["rogue", "none"])
def test_a_client_without_the_pass_certificate_is_refused(
    config: ApnsConfig, server: ApnsServer, pki: Pki, certificate: str
) -> None:
    if certificate == "rogue":
        config = replace(
            config, cert_file=pki.rogue_cert, key_file=pki.rogue_key, key_password=None
        )
    else:
        signing_key = ec.generate_private_key(ec.SECP256R1())
        auth = ProviderToken(signing_key, "KEY1234567", "TEAM123456")
        config = replace(config, cert_file=None, key_file=None, provider_token=auth)
    [result] = push_with(config, [token()])
    assert (result.action, result.status) == (PushAction.RETRY_LATER, None)
    assert server.requests == []
    assert server.handshakes_refused >= 1


def test_ten_pushes_in_a_row_use_one_connection(client: ApnsClient, server: ApnsServer) -> None:
    results = [client.push(token()) for _ in range(10)]
    assert {r.action for r in results} == {PushAction.DELIVERED}
    assert {r.connection for r in server.requests} == {1}
    assert server.connections_accepted == 1


def test_a_batch_of_100_is_multiplexed_on_one_connection(
    client: ApnsClient, server: ApnsServer
) -> None:
    tokens = [token() for _ in range(100)]
    results = client.push_many(tokens)
    assert [r.token for r in results] == tokens
    assert {r.action for r in results} == {PushAction.DELIVERED}
    assert sorted(r.token for r in server.requests) == sorted(tokens)
    assert server.connections_accepted == 1
    assert server.peak_streams > 1


def test_the_servers_stream_limit_is_respected(pki: Pki, config: ApnsConfig) -> None:
    # APNs allows one stream until a provider token is validated (wallet-protocols.md §3.5).
    with ApnsServer(pki, max_streams=1) as strict:
        results = push_with(replace(config, base_url=strict.url), [token() for _ in range(20)])
        assert {r.action for r in results} == {PushAction.DELIVERED}
        assert (strict.peak_streams, strict.connections_accepted) == (1, 1)


def test_duplicates_in_a_batch_are_pushed_once(client: ApnsClient, server: ApnsServer) -> None:
    first, second = token(), token()
    results = client.push_many([first, second, first, first, second])
    assert [r.token for r in results] == [first, second]
    assert sorted(r.token for r in server.requests) == sorted([first, second])


def test_410_asks_to_unregister_with_apples_timestamp(
    client: ApnsClient, server: ApnsServer
) -> None:
    device = token()
    server.script(device, unregistered(1_700_000_000_123))
    result = client.push(device)
    assert result == PushResult(
        device, 410, "Unregistered", 1_700_000_000_123, PushAction.UNREGISTER
    )


def test_400_bad_device_token_drops_the_registration(
    client: ApnsClient, server: ApnsServer
) -> None:
    device = token()
    server.script(device, BAD_DEVICE_TOKEN)
    assert client.push(device) == PushResult(device, 400, "BadDeviceToken", None, PushAction.DROP)


def test_a_malformed_token_is_dropped_without_a_request(
    client: ApnsClient, server: ApnsServer
) -> None:
    assert client.push("abc/../../x").action is PushAction.DROP
    assert server.requests == []


@pytest.mark.parametrize("first", [TOO_MANY_REQUESTS, INTERNAL_ERROR])
def test_429_and_500_are_retried_until_delivered(
    client: ApnsClient, server: ApnsServer, first: Reply
) -> None:
    device = token()
    server.script(device, first)
    assert client.push(device).action is PushAction.DELIVERED
    assert [r.token for r in server.requests] == [device, device]


def test_500_for_ever_is_left_for_later_after_the_bounded_attempts(
    client: ApnsClient, server: ApnsServer
) -> None:
    device = token()
    server.script(device, then=INTERNAL_ERROR)
    result = client.push(device)
    assert (result.action, result.status, result.reason) == (
        PushAction.RETRY_LATER,
        500,
        "InternalServerError",
    )
    assert len(server.requests) == FAST.attempts


def recording_retry(delays: list[float], max_delay: float) -> RetryPolicy:
    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    return RetryPolicy(attempts=3, base_delay=0.001, max_delay=max_delay, sleep=sleep)


def test_retry_after_is_honoured(config: ApnsConfig, server: ApnsServer) -> None:
    device, delays = token(), list[float]()
    server.script(device, Reply(429, "TooManyRequests", retry_after=3))
    config = replace(config, retry=recording_retry(delays, max_delay=5.0))
    [result] = push_with(config, [device])
    assert result.action is PushAction.DELIVERED
    assert delays == [3.0]


def test_a_retry_after_beyond_the_bound_is_left_for_later(
    config: ApnsConfig, server: ApnsServer
) -> None:
    device, delays = token(), list[float]()
    server.script(device, Reply(503, "ServiceUnavailable", retry_after=60))
    config = replace(config, retry=recording_retry(delays, max_delay=5.0))
    [result] = push_with(config, [device])
    assert (result.action, result.status, delays) == (PushAction.RETRY_LATER, 503, [])


def test_backoff_grows_exponentially_with_jitter() -> None:
    policy = RetryPolicy(attempts=4, base_delay=1.0, max_delay=3.0)
    delays = [policy.delay(n, None) or 0.0 for n in (1, 2, 3)]
    assert 0.5 <= delays[0] <= 1.0 <= delays[1] <= 2.0
    assert 1.5 <= delays[2] <= 3.0  # capped at max_delay
    assert policy.delay(4, None) is None


def test_other_refusals_fail_and_log_apples_reason_not_the_token(
    client: ApnsClient, server: ApnsServer, caplog: pytest.LogCaptureFixture
) -> None:
    device = token()
    server.script(device, Reply(400, "DeviceTokenNotForTopic"))
    with caplog.at_level(logging.DEBUG, logger="passes.apple.apns"):
        result = client.push(device)
    assert (result.action, result.reason) == (PushAction.FAILED, "DeviceTokenNotForTopic")
    assert "DeviceTokenNotForTopic" in caplog.text
    assert device[:8] in caplog.text
    assert device not in caplog.text


def jwt_parts(authorization: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    scheme, jwt = authorization.split(" ")
    assert scheme == "bearer"
    header, claims, signature = jwt.split(".")
    signed = f"{header}.{claims}".encode()
    return json.loads(b64(header)), json.loads(b64(claims)), signed, b64(signature)


def b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_token_auth_sends_a_verifiable_es256_jwt(
    config: ApnsConfig, server: ApnsServer, caplog: pytest.LogCaptureFixture
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    auth = ProviderToken(key, "ABC123DEFG", "DEF123GHIJ", clock=lambda: 1_700_000_000.0)
    with caplog.at_level(logging.DEBUG):
        [result] = push_with(replace(config, provider_token=auth), [token()])
    assert result.action is PushAction.DELIVERED
    [request] = server.requests
    header, claims, signed, signature = jwt_parts(request.headers["authorization"])
    assert header == {"alg": "ES256", "kid": "ABC123DEFG"}
    assert claims == {"iss": "DEF123GHIJ", "iat": 1_700_000_000}
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    key.public_key().verify(encode_dss_signature(r, s), signed, ec.ECDSA(hashes.SHA256()))
    assert request.headers["authorization"].split(" ")[1] not in caplog.text


def test_the_provider_token_is_reused_for_50_minutes_then_renewed() -> None:
    now = [1_700_000_000.0]
    key = ec.generate_private_key(ec.SECP256R1())
    auth = ProviderToken(key, "ABC123DEFG", "DEF123GHIJ", clock=lambda: now[0])
    first = auth.current()
    now[0] += 50 * 60 - 1
    assert auth.current() == first
    now[0] += 1
    assert auth.current() != first


@pytest.mark.parametrize("minutes", [19, 60])
def test_the_provider_token_refresh_must_lie_between_20_and_60_minutes(minutes: int) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(ValueError, match="between 20 and 60"):
        ProviderToken(key, "ABC123DEFG", "DEF123GHIJ", refresh_after=minutes * 60)


def test_an_expired_provider_token_is_renewed_and_retried(
    config: ApnsConfig, server: ApnsServer
) -> None:
    device, now = token(), [1_700_000_000.0]
    key = ec.generate_private_key(ec.SECP256R1())
    auth = ProviderToken(key, "ABC123DEFG", "DEF123GHIJ", clock=lambda: now[0])
    server.script(device, Reply(403, "ExpiredProviderToken"))

    async def later(seconds: float) -> None:
        now[0] += 1  # a JWT is signed per second: the renewed one must differ

    retry = RetryPolicy(attempts=2, base_delay=0.001, sleep=later)
    [result] = push_with(replace(config, provider_token=auth, retry=retry), [device])
    assert result.action is PushAction.DELIVERED
    first, second = (r.headers["authorization"] for r in server.requests)
    assert first != second


@pytest.mark.parametrize("outage", ["restart", "goaway"])
def test_the_client_reconnects_after_the_server_goes_away(
    client: ApnsClient, server: ApnsServer, outage: str
) -> None:
    assert client.push(token()).action is PushAction.DELIVERED
    server.restart() if outage == "restart" else server.goaway()
    assert client.push_many([token(), token()])[0].action is PushAction.DELIVERED
    assert server.connections_accepted == 2
    assert [r.connection for r in server.requests] == [1, 2, 2]


def test_a_silent_connection_is_dropped_and_the_push_resent_on_a_new_one(
    config: ApnsConfig, server: ApnsServer
) -> None:
    device = token()
    server.script(device, SILENCE)
    [result] = push_with(replace(config, timeout=0.5), [device])
    assert result.action is PushAction.DELIVERED
    assert [r.connection for r in server.requests] == [1, 2]


def test_an_unreachable_host_is_left_for_later(config: ApnsConfig, server: ApnsServer) -> None:
    url = server.url
    server.stop()
    [result] = push_with(replace(config, base_url=url), [token()])
    assert (result.action, result.status) == (PushAction.RETRY_LATER, None)
    assert "cannot connect" in (result.reason or "")


def test_the_shared_fixtures_serve_a_push(apns_server: ApnsServer) -> None:
    pki = apns_server.pki
    config = ApnsConfig(
        topic=PASS_TYPE_ID,
        cert_file=pki.client_cert,
        key_file=pki.client_key,
        base_url=apns_server.url,
        ca_file=apns_server.ca_file,
    )
    assert push_with(config, [token()])[0].action is PushAction.DELIVERED


def test_a_config_needs_a_certificate_or_a_token() -> None:
    with pytest.raises(ValueError, match="certificate or a provider token"):
        ApnsConfig(topic=PASS_TYPE_ID)
