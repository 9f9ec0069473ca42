"""The designer's words: kinds, image roles and text fields, translated when a page is drawn."""

from __future__ import annotations

from webapp.i18n import gettext


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
