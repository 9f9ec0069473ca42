"""The partner's card page: live state, QR with the grouped code, wallet buttons, orders."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from issuer import cardcodes, checkout, clock
from issuer.checkout import Attribution, Idempotency
from issuer.rules import Kind, Order
from passes.qr import read_qr_code
from tests.factories import make_card, make_program

ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120 Mobile"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile"


def _card(app: Flask, kind: Kind = Kind.STAMP, orders: int = 0) -> tuple[str, str]:
    with app.extensions["tessera.database"].write() as session:
        card = make_card(session, program=make_program(session, kind=kind), company="Acme Ltd")
        session.commit()
        for number in range(orders):
            promise = Idempotency(scope="test", key=f"order-{number}", request_hash="same")
            checkout.place_order(
                session, card.id, Order(amount=125000), promise, Attribution(), clock.now()
            )
            session.commit()
        return card.page_token, card.code


def _page(client: FlaskClient, token: str, agent: str = IPHONE) -> str:
    response = client.get(f"/c/{token}", headers={"User-Agent": agent})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_shows_the_stamps_drawn_and_the_grouped_code(
    app: Flask, client: FlaskClient
) -> None:
    token, code = _card(app, orders=2)
    page = _page(client, token)
    assert page.count('<li class="filled">') == 2
    assert cardcodes.grouped(code) in page
    assert "<svg" in page


def test_the_page_lists_the_accounts_recent_orders(app: Flask, client: FlaskClient) -> None:
    token, _ = _card(app, kind=Kind.CASHBACK, orders=2)
    page = _page(client, token)
    assert page.count('class="entry"') == 2
    assert "Cashback balance" in page


def test_the_wallet_that_fits_the_device_comes_first(app: Flask, client: FlaskClient) -> None:
    token, _ = _card(app)
    on_iphone = _page(client, token, IPHONE)
    on_android = _page(client, token, ANDROID)
    assert on_iphone.index("Add to Apple Wallet") < on_iphone.index("Other device")
    assert on_android.index("Save to Google Wallet") < on_android.index("Other device")
    assert f'href="https://tessera.test/c/{token}/pass.pkpass"' in on_android


def test_the_preview_is_a_png_whose_qr_reads_as_the_card_code(
    app: Flask, client: FlaskClient
) -> None:
    token, code = _card(app, kind=Kind.ACCUMULATIVE)
    response = client.get(f"/c/{token}/preview.png")
    assert response.mimetype == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == (640, 820)
    assert read_qr_code(response.data) == code


def test_an_unknown_token_finds_no_page(app: Flask, client: FlaskClient) -> None:
    _card(app)
    assert client.get("/c/not-a-token").status_code == 404
    assert client.get("/c/not-a-token/preview.png").status_code == 404


def test_the_page_is_never_cached_and_sends_security_headers(
    app: Flask, client: FlaskClient
) -> None:
    token, _ = _card(app)
    response = client.get(f"/c/{token}")
    assert response.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_page_follows_the_chosen_language(app: Flask, client: FlaskClient) -> None:
    token, _ = _card(app)
    page = client.get(f"/c/{token}", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert '<html lang="pl">' in page
