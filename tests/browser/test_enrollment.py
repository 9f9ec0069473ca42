"""Enrollment and the card page in chromium on a phone: errors, a pass, Google's link, languages.

Screenshots of what the phone shows land in test-artifacts/ for reviewers.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from google.auth import crypt
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, expect

from issuer.db.models import Card
from issuer.rules import Kind
from passes.apple import DevChainFiles
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, LiveApp, screenshot
from tests.factories import make_card, make_program
from tests.google_server import GoogleStandIn, ServiceAccountKey
from tests.pkpass_checks import openssl_verify, pass_json, unpack

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Chrome/124.0 Mobile Safari/537.36"
)
ISSUER_ID = "3388000000022334455"
SAVE_LINK = "https://pay.google.com/gp/v/save/"


@pytest.fixture(scope="module")
def google_key() -> ServiceAccountKey:
    """The test service account (an RSA key is slow to make: once per module)."""
    return ServiceAccountKey.generate()


@pytest.fixture
def google(google_key: ServiceAccountKey) -> Iterator[GoogleStandIn]:
    """Google's token endpoint and Wallet API on 127.0.0.1."""
    with GoogleStandIn([google_key]) as stand_in:
        yield stand_in


@pytest.fixture
def live_overrides(
    google: GoogleStandIn, google_key: ServiceAccountKey, tmp_path: Path
) -> dict[str, Any]:
    """The served app issues Google passes against the stand-in."""
    return {
        "google_issuer_id": ISSUER_ID,
        "google_service_account": google_key.write(tmp_path / "google.json", google.token_uri),
        "google_api_url": google.url,
    }


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's chromium, without the fake camera: these pages need none."""
    started = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield started
    started.close()


@pytest.fixture
def phones(browser: Browser, live_app: LiveApp) -> Iterator[dict[str, Page]]:
    """An iPhone and an Android phone, each with its own cookies."""
    contexts: list[BrowserContext] = []
    pages: dict[str, Page] = {}
    for name, agent in (("iphone", IPHONE), ("android", ANDROID)):
        context = browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
            base_url=live_app.url, user_agent=agent, accept_downloads=True,
        )  # fmt: skip
        context.set_default_timeout(10_000)
        contexts.append(context)
        pages[name] = context.new_page()
    yield pages
    for context in contexts:
        context.close()


@pytest.fixture
def program_slug(live_app: LiveApp) -> str:
    with live_app.database.write() as session:
        program = make_program(session, kind=Kind.STAMP, name="Service", slug="service")
        session.commit()
        return program.slug


@pytest.fixture
def card_token(live_app: LiveApp, program_slug: str) -> str:
    with live_app.database.write() as session:
        program = make_program(session, kind=Kind.CASHBACK, slug="horeca")
        card: Card = make_card(session, program=program, name="Olena Kovalenko", company="Kava")
        session.commit()
        return card.page_token


def _fill_good_details(page: Page) -> None:
    page.get_by_label("Full name").fill("Olena Kovalenko")
    page.get_by_label("Email").fill("olena@kava.example")
    page.get_by_label("Phone").fill("+380 44 123 4567")
    page.get_by_label("Company", exact=True).fill("Kava & Co")
    page.get_by_label("I agree to the processing of my details").check()


def _badges(page: Page) -> list[str]:
    """The wallet badges in the order the page offers them."""
    images = page.locator("a.wallet-badge img")
    return [str(image.get_attribute("alt")) for image in images.all()]


def test_bad_input_shows_every_error_at_once_and_keeps_the_values(
    phones: dict[str, Page], program_slug: str
) -> None:
    page = phones["iphone"]
    page.goto(f"/join/{program_slug}")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_label("Phone").fill("12")
    page.get_by_role("button", name="Get my card").click()
    errors = page.locator("#form-errors li")
    expect(errors).to_have_count(5)
    assert sorted(errors.all_text_contents()) == [
        "Enter a phone number with its country code, e.g. +380 44 123 4567.",
        "Enter an email address such as name@company.com.",
        "Enter your company's name.",
        "Enter your full name.",
        "Your consent is needed to issue the card.",
    ]
    expect(page.get_by_label("Email")).to_have_value("not-an-email")
    expect(page.get_by_label("Phone")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "enroll-1-errors")


def test_an_iphone_enrolls_and_adds_a_pass_that_verifies(
    phones: dict[str, Page], program_slug: str, certs_path: Path, tmp_path: Path
) -> None:
    page = phones["iphone"]
    page.goto(f"/join/{program_slug}")
    _fill_good_details(page)
    page.get_by_role("button", name="Get my card").click()
    expect(page).to_have_url(re.compile(r"/c/[^/]+$"))
    expect(page.get_by_role("heading", name="Olena Kovalenko")).to_be_visible()
    assert _badges(page) == ["Add to Apple Wallet", "Add to Google Wallet"]
    expect(page.get_by_role("link", name="Add to Google Wallet")).to_be_hidden()
    _show_wallets(page, "enroll-2-card-on-iphone")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to Apple Wallet").click()
    data = Path(download.value.path()).read_bytes()
    unpack(data, tmp_path)
    verified = openssl_verify(tmp_path, DevChainFiles.in_directory(certs_path / "dev").root)
    assert verified.returncode == 0, verified.stderr
    assert pass_json(data)["storeCard"]


def test_an_android_phone_follows_the_google_badge_to_a_signed_save_link(
    phones: dict[str, Page], card_token: str, google_key: ServiceAccountKey
) -> None:
    page = phones["android"]
    page.route(f"{SAVE_LINK}**", lambda route: _google_answers(route))
    page.goto(f"/c/{card_token}")
    assert _badges(page) == ["Add to Google Wallet", "Add to Apple Wallet"]
    _show_wallets(page, "enroll-3-card-on-android")
    page.get_by_role("link", name="Add to Google Wallet").click()
    expect(page).to_have_url(re.compile(re.escape(SAVE_LINK)))
    token = page.url.removeprefix(SAVE_LINK)
    signed, signature = token.rsplit(".", 1)
    verifier = crypt.RSAVerifier.from_string(google_key.certificate_pem)  # type: ignore[no-untyped-call]
    assert verifier.verify(
        signed.encode(), base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    )
    claims = _claims(signed)
    assert (claims["iss"], claims["aud"], claims["typ"]) == (
        google_key.client_email,
        "google",
        "savetowallet",
    )
    (saved,) = claims["payload"]["loyaltyObjects"]
    assert saved["id"].startswith(f"{ISSUER_ID}.")


def test_the_card_page_switches_language_and_the_badges_follow(
    phones: dict[str, Page], card_token: str
) -> None:
    page = phones["iphone"]
    page.goto(f"/c/{card_token}")
    page.get_by_role("button", name="Українська").click()
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("link", name="Додати в Apple Wallet")).to_be_visible()
    page.get_by_text("Інший пристрій").click()
    expect(page.get_by_role("link", name="Додати в Google Гаманець")).to_be_visible()
    _show_wallets(page, "enroll-4-card-in-ukrainian")


def _show_wallets(page: Page, name: str) -> None:
    """Keep a screenshot of the phone scrolled to the wallet badges."""
    page.locator("section.wallets").scroll_into_view_if_needed()
    screenshot(page, name)


def _google_answers(route: Route) -> None:
    """Google's save page, which this machine cannot reach: the URL is what counts."""
    route.fulfill(status=200, content_type="text/html", body="<title>Google Wallet</title>")


def _claims(signed: str) -> dict[str, Any]:
    payload = signed.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims
