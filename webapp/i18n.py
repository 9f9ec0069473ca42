"""The pages' languages (en, uk, ru, pl): the visitor's choice, else their browser's.

Message catalogues live in ``webapp/translations`` as .po files with their compiled .mo beside
them; ``tests/webapp/test_staff_i18n.py`` checks that every .mo matches its .po.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import format_percent
from flask import Blueprint, Flask, redirect, request, session
from flask.typing import ResponseReturnValue
from flask_babel import Babel, get_locale  # type: ignore[import-untyped]
from flask_babel import gettext as babel_gettext
from flask_babel import ngettext as babel_ngettext

from passes.localized import LANGUAGES, Language
from passes.money_display import Money, format_money
from webapp.pages import local_target
from webapp.settings import Settings

TRANSLATIONS = Path(__file__).parent / "translations"
LANGUAGE_NAMES: dict[Language, str] = {
    "en": "English",
    "uk": "Українська",
    "ru": "Русский",
    "pl": "Polski",
}
SESSION_KEY = "language"

babel = Babel()
bp = Blueprint("i18n", __name__)


def init_app(app: Flask, settings: Settings) -> None:
    """Choose each request's language, and give templates money and percent filters."""
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    app.config["BABEL_DEFAULT_TIMEZONE"] = _checked_zone(settings.timezone)
    babel.init_app(app, locale_selector=chosen_language)
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["percent"] = percent
    app.context_processor(lambda: {"languages": LANGUAGE_NAMES, "language": current_language()})
    app.register_blueprint(bp)


def _checked_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"TESSERA_TIMEZONE {name!r} is not a time zone name") from error
    return name


def gettext(text: str, **variables: object) -> str:
    """The text in the request's language."""
    return cast(str, babel_gettext(text, **variables))


def ngettext(singular: str, plural: str, count: int, **variables: object) -> str:
    """The singular or plural text for ``count`` in the request's language."""
    return cast(str, babel_ngettext(singular, plural, count, **variables))


def chosen_language() -> Language:
    """The language the visitor chose, else the best of their browser's, else English."""
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return cast(Language, chosen)
    return cast(Language, request.accept_languages.best_match(LANGUAGES) or "en")


def current_language() -> Language:
    """The language this request is answered in."""
    locale = get_locale()
    code = locale.language if locale is not None else "en"
    return cast(Language, code if code in LANGUAGES else "en")


def money(minor: int, currency: str) -> str:
    """An amount in minor units written the current language's way, e.g. "1 234,50 ₴"."""
    return format_money(Money(minor, currency), current_language())


def percent(value: Decimal) -> str:
    """A percentage such as Decimal("2.5") written the current language's way, e.g. "2,5 %"."""
    text = format_percent(value / 100, locale=current_language(), decimal_quantization=False)
    return str(text)


@bp.post("/language")
def choose_language() -> ResponseReturnValue:
    """Remember the visitor's language and go back to the page they were on."""
    chosen = request.form.get("language", "")
    if chosen in LANGUAGES:
        session[SESSION_KEY] = chosen
    return redirect(local_target(request.form.get("next")) or "/", code=303)
