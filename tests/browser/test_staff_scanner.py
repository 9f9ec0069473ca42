"""The staff checkout in chromium on a phone-sized screen: camera, scanner, quote, undo."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from issuer import cardcodes
from issuer.db.models import Transaction, TransactionKind
from issuer.rules import Kind
from tests.browser.camera_video import qr_video
from tests.browser.conftest import LiveApp, PhoneOpener, screenshot
from tests.factories import make_card, make_program
from tests.webapp.staff_pages import PASSWORD, make_location, make_staff

UNKNOWN_CODE = "AAAA-BBBB-CCCC-DDDD"


@dataclass
class Counter:
    """A card at a desk with two locations, and the staff member working there."""

    card_id: int
    code: str
    email: str


@pytest.fixture
def counter(live_app: LiveApp) -> Counter:
    with live_app.database.write() as session:
        program = make_program(session, kind=Kind.CASHBACK, name="Horeca Cashback")
        card = make_card(session, program=program, name="Olena Kovalenko", company="Kava & Co")
        places = (make_location(session, "Kyiv, Podil"), make_location(session, "Lviv, Rynok"))
        staff = make_staff(session, locations=places)
        session.commit()
        return Counter(card.id, cardcodes.grouped(card.code), staff.email)


@pytest.fixture(scope="session")
def unknown_code_camera(
    launch: Callable[[Path], Browser], tmp_path_factory: pytest.TempPathFactory
) -> Browser:
    """A browser whose camera shows a QR code that is no card of ours."""
    return launch(qr_video(tmp_path_factory.mktemp("video") / "unknown.y4m", UNKNOWN_CODE))


@pytest.fixture
def staff_page(
    live_app: LiveApp, counter: Counter, unknown_code_camera: Browser, open_phone: PhoneOpener
) -> Page:
    """A phone logged in as the counter's staff member."""
    page = open_phone(unknown_code_camera, live_app.url)
    _log_in(page, counter.email)
    return page


def _log_in(page: Page, email: str) -> None:
    page.goto("/staff/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))


def _orders(live_app: LiveApp, kind: str = TransactionKind.ORDER) -> int:
    with live_app.database.read() as session:
        query = select(func.count()).select_from(Transaction).where(Transaction.kind == kind)
        return session.scalar(query) or 0


def _choose_location(page: Page) -> None:
    page.get_by_label("Location").select_option(label="Lviv, Rynok")
    page.get_by_role("button", name="Save").click()


def _at_the_card(page: Page, counter: Counter, amount: str) -> None:
    _choose_location(page)
    page.goto(f"/staff/cards/{counter.card_id}")
    page.get_by_label("Order amount").fill(amount)


def test_the_camera_reads_a_pass_and_opens_the_card(
    live_app: LiveApp,
    counter: Counter,
    launch: Callable[[Path], Browser],
    open_phone: PhoneOpener,
    tmp_path: Path,
) -> None:
    browser = launch(qr_video(tmp_path / "pass.y4m", counter.code.replace("-", "")))
    page = open_phone(browser, live_app.url)
    _log_in(page, counter.email)
    page.get_by_role("button", name="Scan with the camera").click()
    expect(page).to_have_url(re.compile(rf"/staff/cards/{counter.card_id}$"))
    expect(page.get_by_role("heading", name="Olena Kovalenko")).to_be_visible()
    expect(page.get_by_text("Kava & Co")).to_be_visible()
    screenshot(page, "staff-2-card")


def test_a_camera_showing_a_foreign_code_says_so_and_keeps_looking(staff_page: Page) -> None:
    page = staff_page
    _choose_location(page)
    page.get_by_role("button", name="Scan with the camera").click()
    expect(page.locator("#find-error")).to_have_text(
        "No card has this code. Check it and try again."
    )
    expect(page.locator("#camera")).to_be_visible()
    page.wait_for_function("document.querySelector('#camera-video').videoWidth > 0")
    screenshot(page, "staff-1-scanner-unknown-code")


def test_a_keyboard_wedge_scanner_opens_the_card(staff_page: Page, counter: Counter) -> None:
    page = staff_page
    page.locator("h1").click()  # focus elsewhere: the scanner's keystrokes must still land
    page.keyboard.type(counter.code, delay=8)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/staff/cards/{counter.card_id}$"))


def test_a_typed_unknown_code_is_explained(staff_page: Page) -> None:
    page = staff_page
    page.get_by_label("Card code").fill("ABCD-1234")
    page.get_by_role("button", name="Open card").click()
    expect(page.get_by_role("alert")).to_contain_text("This is not one of our card codes.")
    expect(page).to_have_url(re.compile(r"/staff/$"))


def test_quote_then_confirm_then_undo(
    live_app: LiveApp, counter: Counter, staff_page: Page
) -> None:
    page = staff_page
    _at_the_card(page, counter, "1250.50")
    quote = page.locator("#quote")
    expect(quote).to_contain_text("Cashback earned")
    expect(page.locator("#confirm")).to_have_text(re.compile(r"Confirm · pay .*1,250\.50"))
    page.get_by_label("Order amount").scroll_into_view_if_needed()
    page.mouse.wheel(0, 220)
    screenshot(page, "staff-3-quote")
    page.locator("#confirm").click()
    expect(page.get_by_role("heading", name="Order placed")).to_be_visible()
    expect(page.get_by_text("phone is being updated")).to_be_visible()
    screenshot(page, "staff-4-order-placed")
    page.get_by_text("Undo this order").click()
    page.get_by_label("Why is it undone?").fill("Wrong amount")
    page.get_by_role("button", name="Undo order").click()
    expect(page.get_by_role("heading", name="Order undone")).to_be_visible()
    screenshot(page, "staff-5-order-undone")
    assert (_orders(live_app), _orders(live_app, TransactionKind.REVERSAL)) == (1, 1)
    page.goto("/staff/orders")
    expect(page.get_by_text("1 undone order is left out of the totals.")).to_be_visible()
    screenshot(page, "staff-6-orders-today")
    page.get_by_role("button", name="Українська").click()
    expect(page.get_by_role("heading", name="Мої замовлення сьогодні")).to_be_visible()
    screenshot(page, "staff-7-orders-today-uk")


def test_a_double_submit_makes_one_order(
    live_app: LiveApp, counter: Counter, staff_page: Page
) -> None:
    page = staff_page
    _at_the_card(page, counter, "300")
    page.locator("#confirm").dblclick()
    expect(page.get_by_role("heading", name="Order placed")).to_be_visible()
    assert _orders(live_app) == 1
    page.goto(f"/staff/cards/{counter.card_id}")
    page.get_by_label("Order amount").fill("400")
    # A retry that slips past the page (a flaky network resending): the form key holds.
    statuses = page.evaluate(
        """async () => {
            const form = document.getElementById("order-form");
            const send = () => fetch(form.action, {method: "POST", body: new FormData(form)});
            const answers = await Promise.all([send(), send(), send()]);
            return answers.map((answer) => answer.status);
        }"""
    )
    assert statuses == [200, 200, 200]
    assert _orders(live_app) == 2


def test_the_login_page_on_a_phone(
    live_app: LiveApp, unknown_code_camera: Browser, open_phone: PhoneOpener
) -> None:
    page = open_phone(unknown_code_camera, live_app.url)
    page.goto("/staff/login")
    page.get_by_label("Email").fill("someone@example.com")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("The email or password is not right.")
    screenshot(page, "staff-0-login")
