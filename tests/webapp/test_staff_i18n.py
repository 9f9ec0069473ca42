"""The pages speak en, uk, ru and pl; every text is translated and the .mo files are current."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from issuer.db.models import Role
from tests.webapp.staff_pages import StaffPages, make_staff
from webapp.i18n import TRANSLATIONS

WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
LANGUAGES = ("uk", "ru", "pl")


def _texts_in_code() -> set[str]:
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(WEBAPP), METHOD_MAP):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(language: str, suffix: str) -> dict[str, object]:
    path = TRANSLATIONS / language / "LC_MESSAGES" / f"messages.{suffix}"
    with path.open("rb") as file:
        catalog = read_po(file) if suffix == "po" else read_mo(file)
    return {
        (m.id if isinstance(m.id, str) else m.id[0]): (
            m.string if isinstance(m.string, str) else tuple(m.string or ())
        )
        for m in catalog
        if m.id
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_of_the_pages_is_translated(language: str) -> None:
    catalog = _catalog(language, "po")
    missing = sorted(text for text in _texts_in_code() if not catalog.get(text))
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language: str) -> None:
    assert _catalog(language, "mo") == _catalog(language, "po")


@pytest.fixture
def pages(app: Flask, client: FlaskClient) -> StaffPages:
    with app.extensions["tessera.database"].write() as session:
        email = make_staff(session, role=Role.STAFF).email
        session.commit()
    pages = StaffPages(app, client)
    pages.login(email)
    return pages


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("uk-UA,uk;q=0.9", "Знайти картку"), ("ru", "Найти карту"), ("pl-PL", "Znajdź kartę"),
     ("de-DE", "Find a card")],
)  # fmt: skip
def test_pages_follow_the_browser_language(pages: StaffPages, accept: str, expected: str) -> None:
    page = pages.client.get("/staff/", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert expected in page


def test_a_chosen_language_wins_over_the_browser_and_survives_logout(pages: StaffPages) -> None:
    response = pages.post("/language", {"language": "pl", "next": "/staff/orders"})
    assert response.headers["Location"] == "/staff/orders"
    page = pages.client.get("/staff/", headers={"Accept-Language": "uk"}).get_data(as_text=True)
    assert '<html lang="pl">' in page
    assert "Znajdź kartę" in page
    pages.post("/staff/logout", {})
    assert "Zaloguj się" in pages.text("/staff/login")


def test_refusals_are_in_the_staff_language(pages: StaffPages) -> None:
    pages.post("/language", {"language": "uk"})
    answer = pages.script("/staff/api/lookup", {"code": "AAAA-BBBB-CCCC-DDDD"})
    expected = "Картки з таким кодом немає. Перевірте код і спробуйте ще раз."  # noqa: RUF001
    assert answer.get_json()["message"] == expected


def test_an_unknown_language_or_an_off_site_return_is_ignored(pages: StaffPages) -> None:
    response = pages.post("/language", {"language": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
