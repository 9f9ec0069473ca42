"""Admin settings: signing material with its expiry status, Google, and a real test push."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from issuer import clock, registrations
from issuer.db.models import AuditEntry, Role
from passes.apple import DevChainFiles, write_dev_chain
from tests.apns_server import BAD_DEVICE_TOKEN, ApnsServer, make_pki
from tests.factories import make_card, make_program
from tests.webapp.staff_pages import StaffPages, make_staff
from webapp.settings import Settings

PASS_TYPE = Settings.apple_pass_type_id


@pytest.fixture(scope="module")
def apns(tmp_path_factory: pytest.TempPathFactory, certs_path: Path) -> Iterator[ApnsServer]:
    """The APNs stand-in, trusting the development chain our pass certificate comes from."""
    folder = tmp_path_factory.mktemp("apns")
    chain = DevChainFiles.in_directory(certs_path / "dev")
    trusted = folder / "wallet-chain.pem"
    trusted.write_bytes(chain.root.read_bytes() + chain.intermediate.read_bytes())
    pki = dataclasses.replace(make_pki(folder), client_ca=trusted)
    with ApnsServer(pki) as server:
        yield server


@pytest.fixture
def settings(settings: Settings, apns: ApnsServer) -> Settings:
    """The test settings, pushing to the stand-in."""
    return dataclasses.replace(settings, apns_url=apns.url, apns_ca=apns.ca_file)


@pytest.fixture
def pages(app: Flask, client: FlaskClient) -> StaffPages:
    with app.extensions["tessera.database"].write() as session:
        email = make_staff(session, role=Role.ADMIN).email
        session.commit()
    pages = StaffPages(app, client)
    pages.login(email)
    return pages


def _card_with_devices(app: Flask, tokens: list[str]) -> tuple[str, str]:
    with app.extensions["tessera.database"].write() as session:
        card = make_card(session, program=make_program(session))
        for number, token in enumerate(tokens):
            registrations.register(
                session, f"library-{token[:6]}-{number}", PASS_TYPE, card.id, token, clock.now()
            )
        session.commit()
        return card.code, card.serial


def test_the_settings_page_shows_the_development_chain_as_valid(pages: StaffPages) -> None:
    page = pages.text("/admin/settings/")
    assert "Development chain" in page
    assert PASS_TYPE in page
    assert "TESSERADEV" in page
    assert '<span class="status ok">Valid</span>' in page
    assert "WWDR intermediate" in page
    assert "https://tessera.test/apple" in page
    assert "Not sent: kept in the outbox" in page
    assert "Not set up: set TESSERA_GOOGLE_SERVICE_ACCOUNT." in page


def test_a_certificate_close_to_expiry_is_flagged(tmp_path: Path, settings: Settings) -> None:
    certs = tmp_path / "soon"
    write_dev_chain(
        certs / "dev", pass_type_id=PASS_TYPE, team_id=settings.apple_team_id, valid_days=12
    )
    app = _app(dataclasses.replace(settings, certs_path=certs))
    page = _admin_pages(app).text("/admin/settings/")
    # Made an hour ago, valid for 12 days: 11 whole days are left.
    assert '<span class="status warn">Expires in 11 days</span>' in page
    app.extensions["tessera.database"].dispose()


def test_a_google_service_account_is_described(tmp_path: Path, settings: Settings) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    account = tmp_path / "service-account.json"
    account.write_text(
        json.dumps(
            {
                "type": "service_account",
                "client_email": "wallet@tessera-test.iam.gserviceaccount.com",
                "private_key": pem,
                "private_key_id": "k3y1d",
                "token_uri": "https://oauth2.googleapis.com/token",
            }
        )
    )
    app = _app(
        dataclasses.replace(settings, google_service_account=account, google_issuer_id="3388")
    )
    page = _admin_pages(app).text("/admin/settings/")
    assert "wallet@tessera-test.iam.gserviceaccount.com" in page
    assert "k3y1d" in page
    assert "3388" in page
    app.extensions["tessera.database"].dispose()


def test_a_test_push_reaches_each_registered_device_and_shows_apns_answers(
    pages: StaffPages, app: Flask, apns: ApnsServer
) -> None:
    good, bad = _token(), _token()
    apns.script(bad, BAD_DEVICE_TOKEN)
    code, serial = _card_with_devices(app, [good, bad])
    answer = pages.post("/admin/settings/test-push", {"card": code.lower()}, "/admin/settings/")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert sorted(r.token for r in apns.requests if r.token in (good, bad)) == sorted([good, bad])
    assert '<span class="status ok">Delivered</span>' in page
    assert "BadDeviceToken" in page
    with app.extensions["tessera.database"].read() as session:
        entry = session.scalars(select(AuditEntry).filter_by(action="apple.test_push")).one()
    assert entry.details == {"serial": serial, "devices": 2}


def test_a_test_push_to_a_card_without_devices_says_so(pages: StaffPages, app: Flask) -> None:
    _, serial = _card_with_devices(app, [])
    answer = pages.post("/admin/settings/test-push", {"card": serial}, "/admin/settings/")
    assert answer.status_code == 200
    assert "No device has registered this card" in answer.get_data(as_text=True)


def test_a_test_push_to_an_unknown_card_is_refused_and_logs_nothing(
    pages: StaffPages, app: Flask, apns: ApnsServer
) -> None:
    before = len(apns.requests)
    for typed, message in (
        ("", "Enter a card code or serial number."),
        ("ZZZZ-ZZZZ", "No card has this code or serial number."),
    ):
        answer = pages.post("/admin/settings/test-push", {"card": typed}, "/admin/settings/")
        assert answer.status_code == 422
        assert message in answer.get_data(as_text=True)
    assert len(apns.requests) == before
    with app.extensions["tessera.database"].read() as session:
        assert session.scalars(select(AuditEntry)).all() == []


def _token() -> str:
    return f"{time.monotonic_ns():064x}"[-64:]


def _app(settings: Settings) -> Flask:
    from webapp import create_app

    app = create_app(settings)
    app.config["TESTING"] = True
    return app


def _admin_pages(app: Flask) -> StaffPages:
    with app.extensions["tessera.database"].write() as session:
        email = make_staff(session, role=Role.ADMIN).email
        session.commit()
    pages = StaffPages(app, app.test_client())
    pages.login(email)
    return pages
