"""The designer in chromium: a stamp program from its starter, a logo, the preview, publish;
then a partner enrolls, staff place orders, and the dashboard's figures follow."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, Playwright, expect

from issuer.db.models import Program, Role
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LiveApp, screenshot
from tests.webapp.staff_pages import PASSWORD, make_staff


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    started = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield started
    started.close()


@pytest.fixture
def admin_page(live_app: LiveApp, browser: Browser) -> Iterator[Page]:
    with live_app.database.write() as session:
        email = make_staff(session, role=Role.ADMIN).email
        session.commit()
    context = browser.new_context(base_url=live_app.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/staff/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    yield page
    context.close()


def _logo(path: Path) -> Path:
    Image.new("RGB", (300, 100), (0, 200, 0)).save(path, format="PNG")
    return path


def _preview_pixels(page: Page) -> bytes:
    """The Apple preview as the browser shows it, read back from the <img> element."""
    return page.locator("#preview-apple").screenshot()


def test_an_admin_designs_a_stamp_program_and_publishes_it(
    live_app: LiveApp, admin_page: Page, tmp_path: Path
) -> None:
    page = admin_page
    page.goto("/admin/programs/")
    page.get_by_role("link", name="New program").click()
    page.locator("label.starter", has_text="Stamps").click()
    page.get_by_label("Program name").fill("Coffee Stamps")
    page.get_by_label("Address (slug)").fill("coffee-stamps")
    screenshot(page, "admin-designer-new")
    page.get_by_role("button", name="Create draft").click()
    expect(page).to_have_url(re.compile(r"/admin/programs/\d+/$"))
    expect(page.locator("#preview-apple")).to_have_js_property("complete", True)

    before = _preview_pixels(page)
    page.set_input_files("#image-logo", str(_logo(tmp_path / "logo.png")))
    expect(page.locator("#preview-apple")).to_have_attribute("src", re.compile(r"^blob:"))
    expect(page.locator("#designer-form")).not_to_have_attribute("aria-busy", "true")
    after = _preview_pixels(page)
    assert after != before
    shown = Image.open(io.BytesIO(after)).convert("RGB")
    assert (0, 200, 0) in {shown.getpixel((x, 20)) for x in range(10, 60)}
    screenshot(page, "admin-designer")

    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("link", name="Publish…").click()
    expect(page.locator("#publish-count")).to_contain_text("0 issued cards will be updated")
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".flash")).to_contain_text("Version 1 published")
    with live_app.database.read() as session:
        program = session.query(Program).filter_by(slug="coffee-stamps").one()
        assert program.status == "published"
        assert program.current_version is not None
        assert "logo" in program.current_version.design["images"]

    dashboard = f"/admin/analytics/?program_id={program.id}"
    page.goto(dashboard)
    assert _figures(page, "Cards issued", "Orders", "Stamps given") == ["0", "0", "0"]
    code = _enroll(page, "coffee-stamps")
    for amount in ("1250", "1500"):  # the starter gives a stamp for orders from 1,000
        _place_order(page, code, amount)
    page.goto(dashboard)
    assert _figures(page, "Cards issued", "Orders", "Stamps given") == ["1", "2", "2"]
    screenshot(page, "admin-dashboard")


def _figures(page: Page, *names: str) -> list[str]:
    """The dashboard's figures under these names, as shown."""
    figures = page.locator("dl.figures > div")
    return [
        figures.filter(has=page.locator("dt", has_text=re.compile(f"^{name}$")))
        .locator("dd")
        .inner_text()
        for name in names
    ]


def _enroll(page: Page, slug: str) -> str:
    """Enroll a partner through the public form; the card code the card page shows."""
    page.goto(f"/join/{slug}")
    page.get_by_label("Full name").fill("Olena Kovalenko")
    page.get_by_label("Email").fill("olena@kava.example")
    page.get_by_label("Phone").fill("+380 44 123 4567")
    page.get_by_label("Company", exact=True).fill("Kava & Co")
    page.get_by_label("I agree to the processing of my details").check()
    page.get_by_role("button", name="Get my card").click()
    expect(page.get_by_role("heading", name="Olena Kovalenko")).to_be_visible()
    return page.locator(".grouped-code").inner_text()


def _place_order(page: Page, code: str, amount: str) -> None:
    """Staff checkout: type the card's code, enter the amount, confirm."""
    page.goto("/staff/")
    page.get_by_label("Card code").fill(code)
    page.get_by_role("button", name="Open card").click()
    page.get_by_label("Order amount").fill(amount)
    expect(page.locator("#quote")).to_contain_text("Stamp")
    page.locator("#confirm").click()
    expect(page.get_by_role("heading", name="Order placed")).to_be_visible()
