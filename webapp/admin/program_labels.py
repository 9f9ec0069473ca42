"""The designer's words: kinds, image roles and text fields, translated when a page is drawn."""

from __future__ import annotations

import re
from collections.abc import Iterable

from webapp.i18n import LANGUAGE_NAMES, gettext


def kind_names() -> dict[str, str]:
    """Each card kind's name."""
    return {
        "discount": gettext("Discount"),
        "accumulative": gettext("Tiered discount"),
        "cashback": gettext("Cashback"),
        "stamp": gettext("Stamps"),
    }


def kind_hints() -> dict[str, str]:
    """What each card kind does, in a line."""
    return {
        "discount": gettext("A fixed discount on every order."),
        "accumulative": gettext("The discount grows with the company's total spend."),
        "cashback": gettext("Orders earn a balance that pays for later orders."),
        "stamp": gettext("Orders earn stamps; a full card earns a reward."),
    }


def image_roles() -> list[tuple[str, str, str]]:
    """Each design image: its role, its name and where the wallets show it."""
    return [
        ("logo", gettext("Logo"), gettext("Top left of the Apple pass; in the circle on Google.")),
        ("icon", gettext("Icon"), gettext("Shown on the lock screen and in notifications.")),
        ("strip", gettext("Strip"), gettext("Behind the main figure of the Apple pass.")),
        ("hero", gettext("Hero"), gettext("The wide picture at the bottom of the Google pass.")),
    ]


def text_fields() -> list[tuple[str, str]]:
    """Each text of a design, in one language."""
    return [
        ("name", gettext("Program name on the pass")),
        ("logo_text", gettext("Text beside the logo")),
        ("description", gettext("Description")),
        ("terms", gettext("Terms")),
        ("reward", gettext("Reward")),
        ("main_label", gettext("Label of the main figure")),
        ("secondary_label", gettext("Label of the second figure")),
    ]


def field_labels(names: Iterable[str]) -> dict[str, str]:
    """The label of each named form field, as the error summary lists it."""
    fixed = _fixed_labels() | {f"image-{role}": name for role, name, _ in image_roles()}
    texts = dict(text_fields())
    labels: dict[str, str] = {}
    for name in names:
        row = _ROW.match(name)
        if name in fixed:
            labels[name] = fixed[name]
        elif row is not None and row[1] == "tier":
            part = fixed.get(f"tier-{row[3]}", row[3])
            labels[name] = gettext("Tier %(number)d", number=int(row[2]) + 1) + f": {part}"
        elif row is not None:
            part = fixed.get(f"location-{row[3]}", row[3])
            labels[name] = gettext("Location %(number)d", number=int(row[2]) + 1) + f": {part}"
        elif (text := _TEXT.match(name)) is not None:
            language = next((v for k, v in LANGUAGE_NAMES.items() if k == text[1]), text[1])
            labels[name] = f"{language}: {texts.get(text[2], text[2])}"
    return labels


_ROW = re.compile(r"^(tier|location)-(\d+)-(\w+)$")
_TEXT = re.compile(r"^text-(\w+)-(\w+)$")


def _fixed_labels() -> dict[str, str]:
    return {
        "kind": gettext("Kind"),
        "name": gettext("Program name"),
        "slug": gettext("Address (slug)"),
        "currency": gettext("Currency"),
        "pooling": gettext("Who shares one account"),
        "enrollment": gettext("Enrollment"),
        "expires_on": gettext("Expires on"),
        "percent": gettext("Percent"),
        "max_redeem_percent": gettext("Largest share of an order paid with cashback, percent"),
        "stamps_required": gettext("Stamps for one reward"),
        "reward": gettext("Reward"),
        "min_amount": gettext("Smallest order for a stamp"),
        "amount_per_stamp": gettext("Amount per stamp"),
        "default_locale": gettext("Default language of the passes"),
        "color-background": gettext("Background"),
        "color-foreground": gettext("Text"),
        "color-label": gettext("Labels"),
        "support-email": gettext("Support email"),
        "support-phone": gettext("Support phone"),
        "support-url": gettext("Support website"),
        "tier-threshold": gettext("From total spend"),
        "tier-percent": gettext("Discount, percent"),
        "tier-name": gettext("Tier name"),
        "location-latitude": gettext("Latitude"),
        "location-longitude": gettext("Longitude"),
        "location-relevant_text": gettext("Lock-screen text"),
    }
