"""Deterministic pass content for each card kind, shared by the pass tests."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from passes.apple import AppleIdentity, DesignAssets, prepare_design_assets
from passes.content import (
    CardFace,
    CardKind,
    Colours,
    Holder,
    Location,
    PassContent,
    Program,
    Rgb,
)
from passes.faces import (
    LastOrder,
    accumulative_face,
    back_fields,
    cashback_face,
    discount_face,
    stamp_face,
)
from passes.images import StampStripStyle, apple_image_set, check_image
from passes.localized import Language, LocalizedText
from passes.money_display import Money

PASS_TYPE_ID = "pass.com.example.tessera"
TEAM_ID = "ABCDE12345"
TOKEN = "vY3kQ9sX2mB7tR4wZ8nC5hL1"
IDENTITY = AppleIdentity(PASS_TYPE_ID, TEAM_ID, "https://tessera.example/apple")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
KINDS = tuple(CardKind)
COLOURS = {
    CardKind.DISCOUNT: Colours(Rgb(15, 118, 110), Rgb(255, 255, 255), Rgb(153, 246, 228)),
    CardKind.ACCUMULATIVE: Colours(Rgb(55, 48, 163), Rgb(255, 255, 255), Rgb(199, 210, 254)),
    CardKind.CASHBACK: Colours(Rgb(22, 101, 52), Rgb(255, 255, 255), Rgb(187, 247, 208)),
    CardKind.STAMP: Colours(Rgb(124, 45, 18), Rgb(255, 255, 255), Rgb(254, 215, 170)),
}


def face(kind: CardKind, language: Language = "en", **overrides: Any) -> CardFace:
    """Return a typical face of each kind; keyword overrides change its figures."""
    if kind is CardKind.DISCOUNT:
        return discount_face(percent=overrides.get("percent", Decimal("10")), language=language)
    if kind is CardKind.ACCUMULATIVE:
        tier = LocalizedText.from_mapping({"en": "Silver", "uk": "Срібний", "pl": "Srebrny"}, "en")
        return accumulative_face(
            tier=tier,
            percent=Decimal("7.5"),
            total_spent=Money(overrides.get("total_spent", 1_234_550), "UAH"),
            to_next_tier=Money(765_450, "UAH"),
            language=language,
        )
    if kind is CardKind.CASHBACK:
        balance = Money(overrides.get("balance", 12_550), "USD")
        return cashback_face(balance=balance, percent=Decimal("5"), language=language)
    reward = LocalizedText.from_mapping(
        {"en": "A free coffee", "uk": "Безкоштовна кава", "ru": "Бесплатный кофе"}, "en"
    )
    return stamp_face(
        collected=overrides.get("collected", 3),
        required=10,
        rewards_ready=overrides.get("rewards_ready", 1),
        reward=reward,
        language=language,
    )


def content(kind: CardKind, **changes: Any) -> PassContent:
    """Return a full, deterministic PassContent of a kind; keyword changes replace fields."""
    card_url = f"https://tessera.example/c/{kind.value}-page-token"
    program = Program(
        name=LocalizedText.from_mapping({"en": "Acme Club", "uk": "Клуб Акме"}, "en"),
        organization=LocalizedText("Acme Supplies"),
        description=LocalizedText.from_mapping(
            {"en": f"Acme Club {kind.value} card", "pl": f"Karta Acme Club ({kind.value})"}, "en"
        ),
        logo_text=LocalizedText("Acme Club"),
    )
    back = back_fields(
        card_url=card_url,
        last_order=LastOrder(Money(120_000, "UAH"), datetime(2026, 5, 1, 14, 30, tzinfo=UTC)),
        language="en",
        terms=LocalizedText.from_mapping(
            {"en": 'Members only. "Fair use" applies.\nOne card per person.',
             "uk": "Лише для учасників."},
            "en",
        ),
        about=LocalizedText("Acme Club rewards regular partners."),
        support="help@acme.example",
    )  # fmt: skip
    base = PassContent(
        serial_number=f"T-{kind.value}-0001",
        card_code="ABCDEFGHJKMNPQRS",
        grouped_code="ABCD-EFGH-JKMN-PQRS",
        holder=Holder("Olena Kovalenko", "Kovalenko & Sons LLC"),
        program=program,
        colours=COLOURS[kind],
        face=face(kind),
        card_url=card_url,
        default_language="en",
        back_fields=back,
    )
    return dataclasses.replace(base, **changes)


def full_state_changes() -> dict[str, Any]:
    """Return changes that set every optional state key: void, expiry, places, sharing."""
    return {
        "voided": True,
        "expires_at": datetime(2027, 1, 31, 23, 59, 59, tzinfo=UTC),
        "locations": (
            Location(50.4501, 30.5234, LocalizedText("Acme Kyiv store is nearby")),
            Location(52.2297, 21.0122),
        ),
        "sharing_prohibited": True,
    }


def template_assets(kind: CardKind) -> DesignAssets:
    """Prepare a kind's starter images the way the issuer will for a design version."""
    folder = TEMPLATES / kind.value
    icon = check_image((folder / "icon.png").read_bytes(), role="icon")
    logo = check_image((folder / "logo.png").read_bytes(), role="logo")
    if kind is CardKind.STAMP:
        style = StampStripStyle.from_colours(COLOURS[kind])
        return prepare_design_assets(apple_image_set(icon=icon, logo=logo), stamp_style=style)
    strip = check_image((folder / "strip.png").read_bytes(), role="strip image")
    return prepare_design_assets(apple_image_set(icon=icon, logo=logo, strip=strip))
