"""The designer form: a program as flat form fields, and form fields back into its changes.

Field names are flat (``tier-1-percent``, ``text-uk-name``, ``color-background``) so the
page needs no script to send them; the paths of the program's own checks
(``rules.tiers[1].percent``) are mapped to these names so each error sits by its field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import FileStorage, MultiDict

from issuer.currencies import is_currency
from issuer.db.models import Program
from issuer.designs import LOCALES, TEXT_LIMITS
from issuer.media import ROLES
from issuer.rules import Kind
from passes.images import CheckedImage, ImageRejected, check_image
from passes.money_display import currency_exponent
from webapp.amounts import AmountError, minor_units
from webapp.i18n import gettext

COLOURS = ("background", "foreground", "label")
SUPPORT = ("email", "phone", "url")
PLACE = ("latitude", "longitude", "relevant_text")
TIER = ("threshold", "percent", "name")
TEXTS = tuple(TEXT_LIMITS)
BLANK_ROWS = 1  # empty rows offered for one more tier or location
_ROW = re.compile(r"^(tier|location)-(\d+)-")
_ISSUER_PATH = re.compile(r"^(?:rules|design)\.(tiers|locations)\[(\d+)\]\.(\w+)$")


@dataclass
class ParsedForm:
    """What the form asks to change, what it uploads and every problem found in its fields."""

    changes: dict[str, Any]
    uploads: dict[str, CheckedImage] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    tier_rows: list[int] = field(default_factory=list)
    location_rows: list[int] = field(default_factory=list)


def form_values(program: Program) -> dict[str, str]:
    """The program's working copy as the form's fields (strings, as a browser sends them)."""
    design, rules = program.design, program.rules
    values = {
        "name": program.name,
        "slug": program.slug,
        "currency": program.currency,
        "pooling": program.pooling,
        "enrollment": program.enrollment,
        "expires_on": _expiry_text(program.expires_at),
        "default_locale": design.get("default_locale", "en"),
        "sharing_prohibited": "on" if design.get("sharing_prohibited") else "",
    }
    values |= {f"color-{name}": design["colors"].get(name, "") for name in COLOURS}
    values |= {f"support-{name}": design.get("support", {}).get(name, "") for name in SUPPORT}
    for lang in LOCALES:
        texts = design["texts"].get(lang, {})
        values |= {f"text-{lang}-{name}": texts.get(name, "") for name in TEXTS}
    for index, place in enumerate(design.get("locations", [])):
        values |= {f"location-{index}-{name}": str(place.get(name, "")) for name in PLACE}
    return values | _rule_values(program.kind, rules, program.currency)


def row_count(values: Mapping[str, str], kind: str) -> int:
    """How many rows of tiers or locations the form shows: those filled, plus a blank one."""
    rows = [int(m[2]) for key in values if (m := _ROW.match(key)) and m[1] == kind]
    return (max(rows) + 1 if rows else 0) + BLANK_ROWS


def parse_form(
    form: MultiDict[str, str], files: MultiDict[str, FileStorage], program: Program
) -> ParsedForm:
    """Read the designer form into program changes; every field's problem is kept."""
    currency = form.get("currency", "").strip().upper() or program.currency
    parsed = ParsedForm(changes={})
    parsed.changes = {
        "name": form.get("name", "").strip(),
        "slug": form.get("slug", "").strip(),
        "currency": currency,
        "pooling": form.get("pooling", ""),
        "enrollment": form.get("enrollment", ""),
        "expires_at": _expiry(form.get("expires_on", ""), parsed),
        "rules": _rules(program.kind, form, _money_currency(currency, program.currency), parsed),
        "design": _design(form, program.design, parsed),
    }
    parsed.uploads = _uploads(files, parsed)
    return parsed


def form_errors(errors: Mapping[str, str], parsed: ParsedForm) -> dict[str, str]:
    """The program's error paths as the form's field names (rows numbered as on the page)."""
    named: dict[str, str] = {}
    for path, message in errors.items():
        named[_field_name(path, parsed)] = message[:1].upper() + message[1:]
    return named


def _field_name(path: str, parsed: ParsedForm) -> str:
    found = _ISSUER_PATH.match(path)
    if found is not None:
        rows = parsed.tier_rows if found[1] == "tiers" else parsed.location_rows
        index = int(found[2])
        row = rows[index] if index < len(rows) else index
        return f"{'tier' if found[1] == 'tiers' else 'location'}-{row}-{found[3]}"
    parts = path.split(".")
    if parts[0] == "rules" and len(parts) == 2:
        return parts[1]
    if parts[:2] == ["design", "colors"] and len(parts) == 3:
        return f"color-{parts[2]}"
    if parts[:2] == ["design", "support"] and len(parts) == 3:
        return f"support-{parts[2]}"
    if parts[:2] == ["design", "texts"] and len(parts) == 4:
        return f"text-{parts[2]}-{parts[3]}"
    if parts[0] == "design" and len(parts) == 2:
        return parts[1]
    return path


def _rule_values(kind: str, rules: Mapping[str, Any], currency: str) -> dict[str, str]:
    values = {name: str(rules.get(name, "")) for name in ("percent", "max_redeem_percent")}
    values |= {"stamps_required": str(rules.get("stamps_required", "")), "reward": ""}
    if kind == Kind.STAMP:
        values["reward"] = str(rules.get("reward", ""))
        per_amount = rules.get("amount_per_stamp")
        values["stamp_rule"] = "per_amount" if per_amount else "per_order"
        values["min_amount"] = _money_text(rules.get("min_amount") or 0, currency)
        values["amount_per_stamp"] = _money_text(per_amount, currency) if per_amount else ""
    for index, tier in enumerate(rules.get("tiers", [])):
        values[f"tier-{index}-threshold"] = _money_text(tier["threshold"], currency)
        values[f"tier-{index}-percent"] = str(tier["percent"])
        values[f"tier-{index}-name"] = str(tier["name"])
    return values


def _rules(
    kind: str, form: MultiDict[str, str], currency: str, parsed: ParsedForm
) -> dict[str, Any]:
    if kind == Kind.DISCOUNT:
        return {"percent": form.get("percent", "").strip()}
    if kind == Kind.CASHBACK:
        return {
            "percent": form.get("percent", "").strip(),
            "max_redeem_percent": form.get("max_redeem_percent", "").strip() or "100",
        }
    if kind == Kind.STAMP:
        return _stamp_rules(form, currency, parsed)
    return {"tiers": _tiers(form, currency, parsed)}


def _stamp_rules(form: MultiDict[str, str], currency: str, parsed: ParsedForm) -> dict[str, Any]:
    rules: dict[str, Any] = {
        "stamps_required": _whole_number(form, "stamps_required", parsed),
        "reward": form.get("reward", "").strip(),
    }
    if form.get("stamp_rule") == "per_amount":
        rules["amount_per_stamp"] = _money(form, "amount_per_stamp", currency, parsed)
    else:
        rules["min_amount"] = _money(form, "min_amount", currency, parsed) or 0
    return rules


def _tiers(form: MultiDict[str, str], currency: str, parsed: ParsedForm) -> list[dict[str, Any]]:
    tiers = []
    for row in range(row_count(form, "tier")):
        keys = [f"tier-{row}-{name}" for name in TIER]
        if not any(form.get(key, "").strip() for key in keys):
            continue
        parsed.tier_rows.append(row)
        tiers.append(
            {
                "threshold": _money(form, keys[0], currency, parsed),
                "percent": form.get(keys[1], "").strip(),
                "name": form.get(keys[2], "").strip(),
            }
        )
    return tiers


def _design(
    form: MultiDict[str, str], saved: Mapping[str, Any], parsed: ParsedForm
) -> dict[str, Any]:
    texts = {
        lang: {
            name: text for name in TEXTS if (text := form.get(f"text-{lang}-{name}", "").strip())
        }
        for lang in LOCALES
    }
    design = {
        "default_locale": form.get("default_locale", ""),
        "colors": {name: form.get(f"color-{name}", "").strip() for name in COLOURS},
        "texts": {lang: values for lang, values in texts.items() if values},
        "support": {name: form.get(f"support-{name}", "").strip() for name in SUPPORT},
        "locations": _locations(form, parsed),
        "sharing_prohibited": form.get("sharing_prohibited") == "on",
    }
    images = {k: v for k, v in saved.get("images", {}).items() if not form.get(f"remove-{k}")}
    return design | ({"images": images} if images else {})


def _locations(form: MultiDict[str, str], parsed: ParsedForm) -> list[dict[str, Any]]:
    places = []
    for row in range(row_count(form, "location")):
        keys = {name: f"location-{row}-{name}" for name in PLACE}
        if not any(form.get(key, "").strip() for key in keys.values()):
            continue
        parsed.location_rows.append(row)
        place: dict[str, Any] = {"relevant_text": form.get(keys["relevant_text"], "").strip()}
        for name in ("latitude", "longitude"):
            place[name] = _decimal_number(form, keys[name], parsed)
        places.append(place)
    return places


def _uploads(files: MultiDict[str, FileStorage], parsed: ParsedForm) -> dict[str, CheckedImage]:
    checked = {}
    for role in ROLES:
        upload = files.get(f"image-{role}")
        if upload is None or not upload.filename:
            continue
        try:
            checked[role] = check_image(upload.read(), role=_role_name(role))
        except ImageRejected as refusal:
            parsed.errors[f"image-{role}"] = str(refusal)
    return checked


def _role_name(role: str) -> str:
    # The image checks speak English sentences; the role is named in the same words.
    return {"strip": "strip image", "hero": "hero image"}.get(role, role)


def _whole_number(form: MultiDict[str, str], key: str, parsed: ParsedForm) -> int | None:
    text = form.get(key, "").strip()
    if text.isascii() and text.isdigit() and len(text) < 7:
        return int(text)
    parsed.errors[key] = gettext("Enter a whole number such as 10.")
    return None


def _decimal_number(form: MultiDict[str, str], key: str, parsed: ParsedForm) -> float | None:
    text = form.get(key, "").strip().replace(",", ".")
    try:
        return float(text)
    except ValueError:
        parsed.errors[key] = gettext("Enter a number such as 50.4501.")
        return None


def _money(form: MultiDict[str, str], key: str, currency: str, parsed: ParsedForm) -> int | None:
    try:
        return minor_units(form.get(key, ""), currency)
    except AmountError as problem:
        parsed.errors[key] = str(problem)
        return None


def _money_currency(currency: str, fallback: str) -> str:
    return currency if is_currency(currency) else fallback


def _money_text(minor: int, currency: str) -> str:
    exponent = currency_exponent(currency)
    if exponent == 0:
        return str(minor)
    whole, fraction = divmod(minor, 10**exponent)
    return f"{whole}.{fraction:0{exponent}d}"


def _expiry(text: str, parsed: ParsedForm) -> dt.datetime | None:
    # A program that "expires on" a day is valid through that day (UTC).
    if not text.strip():
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        parsed.errors["expires_on"] = gettext("Enter a date such as 2027-12-31.")
        return None
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


def _expiry_text(expires_at: dt.datetime | None) -> str:
    return (expires_at - dt.timedelta(days=1)).date().isoformat() if expires_at else ""
