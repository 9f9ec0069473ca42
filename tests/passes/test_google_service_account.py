"""The service-account key file check behind `tessera certs check`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from passes.google import (
    ServiceAccountError,
    ServiceAccountSummary,
    read_service_account,
    service_account_summary,
)
from tests.google_server import ServiceAccountKey

TOKEN_URI = "https://oauth2.googleapis.com/token"


@pytest.fixture(scope="module")
def key() -> ServiceAccountKey:
    return ServiceAccountKey.generate()


def _ec_key() -> str:
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode()


def test_a_good_key_file_names_its_account_key_and_project(
    tmp_path: Path, key: ServiceAccountKey
) -> None:
    path = key.write(tmp_path / "wallet.json", TOKEN_URI)
    summary = service_account_summary(path)
    assert summary == ServiceAccountSummary(key.client_email, key.key_id, "tessera-test")
    client_email, key_id, project_id = summary
    assert (client_email, key_id, project_id) == (key.client_email, key.key_id, "tessera-test")
    assert read_service_account(str(path))["token_uri"] == TOKEN_URI


def test_a_key_file_without_project_still_reads(tmp_path: Path, key: ServiceAccountKey) -> None:
    info = key.info(TOKEN_URI)
    del info["project_id"]
    path = tmp_path / "wallet.json"
    path.write_text(json.dumps(info))
    assert service_account_summary(path).project_id is None


Breakage = Callable[[dict[str, Any]], object]


@pytest.mark.parametrize(
    ("breakage", "complaint"),
    [
        (lambda info: info.update(type="authorized_user"), "not a service-account key"),
        (lambda info: info.pop("private_key_id"), "lacks private_key_id"),
        (lambda info: info.update(client_email="", token_uri=3), "lacks client_email, token_uri"),
        (
            lambda info: info.update(private_key="-----BEGIN PRIVATE KEY-----\nAAAA\n"),
            "does not load",
        ),
        (lambda info: info.update(private_key=_ec_key()), "is not an RSA key"),
    ],
    ids=["wrong-type", "no-key-id", "empty-fields", "garbled-key", "ec-key"],
)
def test_a_broken_key_file_says_what_is_wrong(
    tmp_path: Path, key: ServiceAccountKey, breakage: Breakage, complaint: str
) -> None:
    info = key.info(TOKEN_URI)
    breakage(info)
    path = tmp_path / "wallet.json"
    path.write_text(json.dumps(info))
    with pytest.raises(ServiceAccountError, match=complaint):
        service_account_summary(path)


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        (None, "cannot read the service-account key"),
        (b"{not json", "is not JSON"),
        (b"[1, 2]", "does not hold a JSON object"),
        (b"\xff\xfe", "cannot read the service-account key"),
    ],
    ids=["missing", "not-json", "not-object", "not-utf8"],
)
def test_an_unreadable_file_says_why(tmp_path: Path, content: bytes | None, complaint: str) -> None:
    path = tmp_path / "wallet.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ServiceAccountError, match=complaint):
        service_account_summary(path)


def test_a_folder_is_not_a_key_file(tmp_path: Path) -> None:
    with pytest.raises(ServiceAccountError, match="cannot read"):
        service_account_summary(tmp_path)


def test_the_error_is_a_value_error_for_callers_that_catch_broadly(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        service_account_summary(tmp_path / "absent.json")
