"""Browser tests: the app in a real server thread, driven by Debian's chromium through Playwright.

Never a downloaded browser: chromium comes from the distribution (`.ci/run` installs it). Its
fake camera plays a Y4M video made in the test, showing a pass's QR code.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    ViewportSize,
    sync_playwright,
)
from werkzeug.serving import BaseWSGIServer, make_server

from issuer.db.session import Database
from webapp import create_app
from webapp.settings import Secret, Settings

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE: ViewportSize = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _needs_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (.ci/run installs it)")


@dataclass
class LiveApp:
    """The app served on a loopback port, and its database."""

    url: str
    app: Flask

    @property
    def database(self) -> Database:
        """The database the served app uses."""
        found: Database = self.app.extensions["tessera.database"]
        return found


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    """Browser tests run once, on SQLite: the database paths are covered by the other tests."""
    target = tmp_path / "tessera.db"
    shutil.copyfile(sqlite_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def live_overrides() -> dict[str, Any]:
    """Settings a test module wants besides the defaults (override this fixture there)."""
    return {}


@pytest.fixture
def live_app(
    database_url: str, tmp_path: Path, certs_path: Path, live_overrides: dict[str, Any]
) -> Iterator[LiveApp]:
    """The app in a werkzeug server thread on 127.0.0.1 (a secure context for the camera)."""
    served: dict[str, Any] = {}
    server: BaseWSGIServer = make_server(
        "127.0.0.1", 0, lambda environ, reply: served["app"](environ, reply), threaded=True
    )
    url = f"http://127.0.0.1:{server.server_port}"
    settings = Settings(
        database_url=database_url,
        secret_key=Secret("browser-test-secret"),
        public_url=url,
        instance_path=tmp_path / "instance",
        certs_path=certs_path,
        embedded_worker=False,
        **live_overrides,
    )
    served["app"] = create_app(settings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveApp(url=url, app=served["app"])
    server.shutdown()
    thread.join()
    server.server_close()
    served["app"].extensions["tessera.database"].dispose()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver, once per run."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def launch(playwright: Playwright) -> Iterator[Callable[[Path], Browser]]:
    """Start chromium whose fake camera plays ``video``; every browser is closed at the end."""
    started: list[Browser] = []

    def start(video: Path) -> Browser:
        arguments = [*CHROMIUM_ARGS, f"--use-file-for-fake-video-capture={video}"]
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=arguments)
        started.append(browser)
        return browser

    yield start
    for browser in started:
        browser.close()


PhoneOpener = Callable[[Browser, str], Page]


@pytest.fixture
def open_phone() -> Iterator[PhoneOpener]:
    """Open phone-sized pages, each with its own cookies; all are closed after the test."""
    opened: list[BrowserContext] = []

    def open_page(browser: Browser, base_url: str) -> Page:
        context = browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, base_url=base_url
        )
        context.set_default_timeout(10_000)
        opened.append(context)
        return context.new_page()

    yield open_page
    for context in opened:
        context.close()


def screenshot(page: Page, name: str) -> None:
    """Keep what the phone shows of the page, for reviewers, in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), scale="css")
