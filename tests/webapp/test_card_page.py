"""The partner's card page: live state, QR with the grouped code, wallet buttons, orders."""

from __future__ import annotations

import io
import json
from pathlib import Path
from xml.etree import ElementTree

from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from issuer import cardcodes, checkout, clock
from issuer.checkout import Attribution, Idempotency
from issuer.rules import Kind, Order
from passes.qr import read_qr_code
from tests.factories import make_card, make_program
from webapp.enroll.cardpage import BADGE_LANGUAGES

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
    assert on_android.index("Add to Google Wallet") < on_android.index("Other device")
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


def test_the_badges_are_ours_and_speak_the_pages_language(app: Flask, client: FlaskClient) -> None:
    token, _ = _card(app)
    page = client.get(f"/c/{token}", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert '<img src="/static/wallet/apple-pl.svg" alt="Dodaj do Apple Wallet"' in page
    assert '<img src="/static/wallet/google-pl.svg" alt="Dodaj do Portfela Google"' in page
    with client.get("/static/wallet/google-pl.svg") as badge:
        assert badge.mimetype == "image/svg+xml"
        assert "Dodaj do Portfela Google" in badge.get_data(as_text=True)


def test_every_badge_is_a_48_pixel_high_svg_in_its_language() -> None:
    folder = Path(__file__).resolve().parents[2] / "webapp" / "static" / "wallet"
    for wallet in ("apple", "google"):
        for language in BADGE_LANGUAGES:
            path = folder / f"{wallet}-{language}.svg"
            svg = ElementTree.parse(path).getroot()  # noqa: S314 (our own committed files)
            assert (svg.get("height"), svg.get("lang")) == ("48", language)


def test_the_page_can_be_kept_on_the_home_screen(app: Flask, client: FlaskClient) -> None:
    token, _ = _card(app)
    page = _page(client, token)
    assert f'<link rel="manifest" href="/c/{token}/manifest.webmanifest">' in page
    assert f'<link rel="apple-touch-icon" href="/c/{token}/icon-180.png">' in page
    assert '<meta name="apple-mobile-web-app-capable" content="yes">' in page
    assert '<meta name="theme-color" content="#7c2d12">' in page  # the stamp design's colour
    response = client.get(f"/c/{token}/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert (manifest["start_url"], manifest["scope"]) == (f"/c/{token}", f"/c/{token}")
    assert (manifest["display"], manifest["theme_color"]) == ("standalone", "#7c2d12")
    assert manifest["name"] == "Service Stamps"


def test_the_home_screen_icons_are_pngs_of_their_size(app: Flask, client: FlaskClient) -> None:
    token, _ = _card(app)
    manifest = json.loads(client.get(f"/c/{token}/manifest.webmanifest").data)
    sources = {icon["src"]: icon["sizes"] for icon in manifest["icons"]}
    for source, sizes in [*sources.items(), (f"/c/{token}/icon-180.png", "180x180")]:
        response = client.get(source)
        assert response.mimetype == "image/png"
        assert "x".join(map(str, Image.open(io.BytesIO(response.data)).size)) == sizes
    assert client.get(f"/c/{token}/icon-64.png").status_code == 404
    assert client.get("/c/not-a-token/manifest.webmanifest").status_code == 404
