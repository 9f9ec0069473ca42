"""Program designs: the starter design of each kind and the checks every design must pass."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from issuer.rules import Kind

LOCALES = ("en", "uk", "ru", "pl")
STARTERS = Path(__file__).resolve().parent.parent / "templates"
TEXT_LIMITS = {
    "name": 60,
    "description": 300,
    "terms": 2000,
    "reward": 120,
    "logo_text": 30,
    "main_label": 30,  # the label over the card's main figure (balance, stamps, discount)
    "secondary_label": 30,  # the label over its second figure
}
MAX_LOCATIONS = 10
_HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_COLOURS = ("background", "foreground", "label")
_SUPPORT = {"email": 254, "phone": 32, "url": 300}


@dataclass(frozen=True, slots=True)
class Starter:
    """A starter design of one kind: what a new program begins with."""

    kind: Kind
    currency: str
    rules: Mapping[str, Any]
    design: Mapping[str, Any]


@cache
def starter(kind: Kind) -> Starter:
    """The starter design of ``kind`` from ``templates/<kind>/design.json``."""
    data = json.loads((STARTERS / kind.value / "design.json").read_text(encoding="utf-8"))
    return Starter(Kind(data["kind"]), data["currency"], data["rules"], data["design"])


def design_errors(design: object) -> dict[str, str]:
    """Every problem with a design document, keyed by its path; empty when it is valid."""
    if not isinstance(design, dict):
        return {"design": "Must be an object."}
    errors: dict[str, str] = {}
    errors.update(_unknown_keys(design, _SECTIONS, "design"))
    for key, check in _SECTIONS.items():
        if key in design:
            errors.update(check(design[key], f"design.{key}"))
    if design.get("default_locale") in LOCALES and isinstance(design.get("texts"), dict):
        errors.update(_default_texts(design["texts"], design["default_locale"]))
    for key in ("default_locale", "colors", "texts"):
        if key not in design:
            errors[f"design.{key}"] = "Required."
    return errors


def _locale(value: object, path: str) -> dict[str, str]:
    if value not in LOCALES:
        return {path: f"Must be one of {', '.join(LOCALES)}."}
    return {}


def _colours(value: object, path: str) -> dict[str, str]:
    if not isinstance(value, dict):
        return {path: "Must be an object with background, foreground and label colours."}
    errors = _unknown_keys(value, _COLOURS, path)
    for name in _COLOURS:
        colour = value.get(name)
        if not isinstance(colour, str) or not _HEX_COLOUR.match(colour):
            errors[f"{path}.{name}"] = "Must be a colour like #1F4E79."
    return errors


def _texts(value: object, path: str) -> dict[str, str]:
    if not isinstance(value, dict):
        return {path: "Must map a language (en, uk, ru, pl) to its texts."}
    errors = _unknown_keys(value, LOCALES, path)
    for locale, texts in value.items():
        if locale in LOCALES:
            errors.update(_locale_texts(texts, f"{path}.{locale}"))
    return errors


def _locale_texts(texts: object, path: str) -> dict[str, str]:
    if not isinstance(texts, dict):
        return {path: "Must be an object of texts."}
    errors = _unknown_keys(texts, TEXT_LIMITS, path)
    for name, limit in TEXT_LIMITS.items():
        text = texts.get(name)
        if text is not None and (not isinstance(text, str) or len(text) > limit):
            errors[f"{path}.{name}"] = f"Must be text of at most {limit} characters."
    return errors


def _default_texts(texts: dict[str, Any], locale: str) -> dict[str, str]:
    own = texts.get(locale)
    if not isinstance(own, dict) or not own.get("name"):
        return {f"design.texts.{locale}.name": "The default language needs a program name."}
    return {}


def _support(value: object, path: str) -> dict[str, str]:
    if not isinstance(value, dict):
        return {path: "Must be an object with email, phone and url."}
    errors = _unknown_keys(value, _SUPPORT, path)
    for name, limit in _SUPPORT.items():
        text = value.get(name, "")
        if not isinstance(text, str) or len(text) > limit:
            errors[f"{path}.{name}"] = f"Must be text of at most {limit} characters."
    return errors


def _locations(value: object, path: str) -> dict[str, str]:
    if not isinstance(value, list) or len(value) > MAX_LOCATIONS:
        return {path: f"Must be a list of at most {MAX_LOCATIONS} places."}
    errors: dict[str, str] = {}
    for index, place in enumerate(value):
        errors.update(_location(place, f"{path}[{index}]"))
    return errors


def _location(place: object, path: str) -> dict[str, str]:
    if not isinstance(place, dict):
        return {path: "Must be an object with latitude, longitude and relevant_text."}
    errors = _unknown_keys(place, ("latitude", "longitude", "relevant_text"), path)
    for name, bound in (("latitude", 90), ("longitude", 180)):
        number = place.get(name)
        if isinstance(number, bool) or not isinstance(number, int | float) or abs(number) > bound:
            errors[f"{path}.{name}"] = f"Must be a number between -{bound} and {bound}."
    text = place.get("relevant_text", "")
    if not isinstance(text, str) or len(text) > 120:
        errors[f"{path}.relevant_text"] = "Must be text of at most 120 characters."
    return errors


def _flag(value: object, path: str) -> dict[str, str]:
    return {} if isinstance(value, bool) else {path: "Must be true or false."}


def _images(value: object, path: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        return {path: "Must map an image role to a stored image reference."}
    return _unknown_keys(value, ("icon", "logo", "strip", "hero"), path)


def _unknown_keys(value: dict[str, Any], known: Any, path: str) -> dict[str, str]:
    return {f"{path}.{key}": "Unknown field." for key in value if key not in known}


_SECTIONS = {
    "default_locale": _locale,
    "colors": _colours,
    "texts": _texts,
    "support": _support,
    "locations": _locations,
    "sharing_prohibited": _flag,
    "images": _images,
}
