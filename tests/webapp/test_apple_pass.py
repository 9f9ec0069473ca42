"""The signed Apple pass as served, exported and configured — checked with openssl."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from passes.apple import CertificateProblem, DevChainFiles, write_dev_chain
from tests.conftest import Api
from tests.factories import make_card, make_program
from tests.pkpass_checks import field_values, openssl_verify, pass_json, unpack
from webapp import create_app
from webapp.settings import Settings


def _card(api: Api, kind: str = "cashback") -> dict[str, Any]:
    _, program = api.call("POST", "/programs", body={"kind": kind, "name": kind, "slug": kind})
    api.call("POST", f"/programs/{program['id']}/publish")
    member = {"name": "Olena Kovalenko", "email": "olena@example.com", "company": "Acme"}
    _, card = api.call("POST", f"/programs/{program['id']}/cards", body={"member": member})
    return dict(card)


def _download(api: Api, card: dict[str, Any], **headers: str) -> Any:
    return api.client.get(
        card["apple_pass_url"].removeprefix("https://tessera.test"), headers=headers
    )


@pytest.mark.parametrize("kind", ["discount", "accumulative", "cashback", "stamp"])
def test_served_pass_verifies_with_openssl(
    api: Api, kind: str, certs_path: Path, tmp_path: Path
) -> None:
    response = _download(api, _card(api, kind))
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.apple.pkpass"
    assert response.last_modified is not None
    unpack(response.data, tmp_path)
    result = openssl_verify(tmp_path, DevChainFiles.in_directory(certs_path / "dev").root)
    assert result.returncode == 0, result.stderr


def test_pass_carries_the_card_and_the_web_service(api: Api) -> None:
    card = _card(api)
    document = pass_json(_download(api, card).data)
    assert document["serialNumber"] == card["serial"]
    assert document["barcodes"][0]["altText"] == card["code"]
    assert document["barcodes"][0]["message"] == card["code"].replace("-", "")
    assert document["webServiceURL"] == "https://tessera.test/apple"
    assert len(document["authenticationToken"]) >= 32
    assert field_values(document)["member"] == "Olena Kovalenko"


def test_an_order_changes_the_fields_it_should(api: Api) -> None:
    card = _card(api)
    before = field_values(pass_json(_download(api, card).data))
    api.call(
        "POST", f"/cards/{card['id']}/orders", key=api.pos_key, body={"amount": 10_000},
        **{"Idempotency-Key": "o1"},
    )  # fmt: skip
    after = field_values(pass_json(_download(api, card).data))
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {"balance", "last_order"}
    assert after["balance"] == "UAH\u00a05.00"


def test_unchanged_pass_answers_304(api: Api) -> None:
    card = _card(api)
    first = _download(api, card)
    again = _download(api, card, **{"If-Modified-Since": first.headers["Last-Modified"]})
    assert again.status_code == 304


def test_voided_card_pass_says_so(api: Api) -> None:
    card = _card(api)
    api.call("POST", f"/cards/{card['id']}/void")
    assert pass_json(_download(api, card).data)["voided"] is True


def test_unknown_card_token_is_404(api: Api) -> None:
    assert api.client.get("/c/not-a-token/pass.pkpass").status_code == 404


def test_without_apple_configuration_the_pass_is_unavailable_and_nothing_else_breaks(
    settings: Settings, tmp_path: Path
) -> None:
    app = create_app(dataclasses.replace(settings, certs_path=tmp_path / "empty"))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    with app.extensions["tessera.database"].write() as session:
        token = make_card(session, program=make_program(session)).page_token
        session.commit()
    response = client.get(f"/c/{token}/pass.pkpass")
    assert response.status_code == 503
    assert b"Apple Wallet is not set up" in response.data
    app.extensions["tessera.database"].dispose()


def _configured(settings: Settings, chain: DevChainFiles, **changes: Any) -> Settings:
    return dataclasses.replace(
        settings,
        apple_cert=chain.certificate,
        apple_key=chain.key,
        apple_wwdr=chain.intermediate,
        **changes,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"apple_pass_type_id": "pass.com.other.card"}, "pass.com.other.card"),
        ({"apple_team_id": "OTHERTEAM1"}, "OTHERTEAM1"),
    ],
)
def test_mismatched_certificate_stops_start_up(
    settings: Settings, certs_path: Path, changes: dict[str, str], message: str
) -> None:
    chain = DevChainFiles.in_directory(certs_path / "dev")
    with pytest.raises(CertificateProblem, match=message):
        create_app(_configured(settings, chain, **changes))


def test_expired_certificate_stops_start_up(settings: Settings, tmp_path: Path) -> None:
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    chain = write_dev_chain(
        tmp_path / "old",
        pass_type_id=settings.apple_pass_type_id,
        team_id=settings.apple_team_id,
        valid_from=long_ago,
        valid_days=30,
    )
    with pytest.raises(CertificateProblem, match="expired"):
        create_app(_configured(settings, chain))


def test_pem_certificate_without_key_and_wwdr_is_explained(
    settings: Settings, certs_path: Path
) -> None:
    chain = DevChainFiles.in_directory(certs_path / "dev")
    broken = dataclasses.replace(settings, apple_cert=chain.certificate)
    with pytest.raises(CertificateProblem, match="TESSERA_APPLE_KEY"):
        create_app(broken)


def test_configured_pem_files_sign_passes(settings: Settings, certs_path: Path) -> None:
    chain = DevChainFiles.in_directory(certs_path / "dev")
    app = create_app(_configured(settings, chain))
    assert app.extensions["tessera.apple"] is not None
    app.extensions["tessera.database"].dispose()


def test_pass_export_writes_a_verifiable_pass(
    app: Flask, api: Api, certs_path: Path, tmp_path: Path
) -> None:
    card = _card(api, "stamp")
    target = tmp_path / "card.pkpass"
    result = app.test_cli_runner().invoke(args=["pass", "export", card["serial"], str(target)])
    assert result.exit_code == 0, result.output
    unpack(target.read_bytes(), tmp_path / "x")
    assert (
        openssl_verify(
            tmp_path / "x", DevChainFiles.in_directory(certs_path / "dev").root
        ).returncode
        == 0
    )
    missing = app.test_cli_runner().invoke(args=["pass", "export", "nope", str(target)])
    assert missing.exit_code != 0
    assert "No card" in missing.output


def test_certs_check_reports_expiry(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["certs", "check"])
    assert result.exit_code == 0, result.output
    assert "pass type (UID): pass.dev.tessera.loyalty" in result.output
    assert "days left" in result.output


def test_certs_dev_refuses_to_overwrite_without_force(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["certs", "dev"]).exit_code != 0
    assert runner.invoke(args=["certs", "dev", "--if-missing"]).exit_code == 0


def test_certs_check_warns_thirty_days_ahead(settings: Settings, tmp_path: Path) -> None:
    chain = write_dev_chain(
        tmp_path / "soon",
        pass_type_id=settings.apple_pass_type_id,
        team_id=settings.apple_team_id,
        valid_days=12,
    )
    app = create_app(_configured(settings, chain))
    result = app.test_cli_runner().invoke(args=["certs", "check"])
    app.extensions["tessera.database"].dispose()
    assert (
        "WARNING: expires in 11 days" in result.output
        or "WARNING: expires in 12 days" in result.output
    )
