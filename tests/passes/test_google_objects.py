"""Google Wallet LoyaltyClass / LoyaltyObject built from PassContent, checked against G-DISC."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passes.content import CardKind, PassContent
from passes.google import (
    TierStep,
    loyalty_class,
    loyalty_object,
    money,
    resource_id,
    safe_suffix,
)
from passes.google.strings import localized_string
from passes.localized import LocalizedText
from passes.money_display import Money
from tests.google_server import wallet_schemas
from tests.passes.sample_passes import KINDS, content, full_state_changes

ISSUER = "3388000000022"
CLASS_ID = f"{ISSUER}.acme-v1"
SCHEMAS = wallet_schemas()
BRONZE = LocalizedText.from_mapping({"en": "Bronze", "uk": "Бронза"}, "en")
TIERS = (
    TierStep(BRONZE, Money(0, "UAH"), Decimal(5)),
    TierStep(LocalizedText("Silver"), Money(1_000_000, "UAH"), Decimal("7.5")),
)


def _object(pass_content: PassContent, **options: Any) -> dict[str, Any]:
    return loyalty_object(
        pass_content, issuer_id=ISSUER, object_suffix="T-0001", class_id=CLASS_ID, **options
    )


def _class(pass_content: PassContent, **options: Any) -> dict[str, Any]:
    return loyalty_class(
        pass_content,
        issuer_id=ISSUER,
        class_suffix="acme-v1",
        issuer_name=options.pop("issuer_name", "Acme Supplies"),
        logo_url="https://tessera.example/img/logo.png",
        **options,
    )


def _points(document: dict[str, Any], key: str = "loyaltyPoints") -> tuple[str, dict[str, Any]]:
    return document[key]["label"], document[key]["balance"]


def _modules(document: dict[str, Any]) -> dict[str, str]:
    return {module["id"]: module["body"] for module in document.get("textModulesData", [])}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("state", ["plain", "voided-expiring-located"])
def test_every_object_conforms_to_the_discovery_document(kind: CardKind, state: str) -> None:
    changes = full_state_changes() if state != "plain" else {}
    document = _object(
        content(kind, **changes), hero_url="https://tessera.example/img/hero.png",
        merchant_locations=True,
    )  # fmt: skip
    assert SCHEMAS.problems(document, "LoyaltyObject") == []


@pytest.mark.parametrize("kind", KINDS)
def test_every_class_conforms_to_the_discovery_document(kind: CardKind) -> None:
    issuer = LocalizedText.from_mapping({"en": "Acme", "pl": "Acme PL"}, "en")
    document = _class(
        content(kind, sharing_prohibited=True), issuer_name=issuer, tiers=TIERS,
        rewards_tier=TIERS[1].name, hero_url="https://tessera.example/img/hero.png",
        callback_url="https://tessera.example/google/callback",
    )  # fmt: skip
    assert SCHEMAS.problems(document, "LoyaltyClass") == []


def test_the_object_names_holder_code_class_and_state() -> None:
    document = _object(content(CardKind.DISCOUNT))
    assert document["id"] == f"{ISSUER}.T-0001"
    assert (document["classId"], document["state"]) == (CLASS_ID, "ACTIVE")
    assert (document["accountName"], document["accountId"]) == (
        "Olena Kovalenko",
        "ABCD-EFGH-JKMN-PQRS",
    )
    assert document["barcode"] == {
        "type": "QR_CODE",
        "value": "ABCDEFGHJKMNPQRS",
        "alternateText": "ABCD-EFGH-JKMN-PQRS",
        "renderEncoding": "UTF_8",
    }


def test_discount_shows_the_percent_and_no_second_figure() -> None:
    document = _object(content(CardKind.DISCOUNT))
    assert _points(document) == ("Discount", {"string": "10%"})
    translations = document["loyaltyPoints"]["localizedLabel"]["translatedValues"]
    assert {"language": "uk", "value": "Знижка"} in translations
    assert "secondaryLoyaltyPoints" not in document
    assert "discount" not in _modules(document)


def test_accumulative_shows_discount_tier_and_the_rest_as_text() -> None:
    document = _object(content(CardKind.ACCUMULATIVE))
    assert _points(document) == ("Discount", {"string": "7.5%"})
    assert _points(document, "secondaryLoyaltyPoints") == ("Tier", {"string": "Silver"})
    modules = _modules(document)
    assert "tier" not in modules
    assert modules["total_spent"] == "UAH\u00a012,345.50"
    assert modules["to_next_tier"] == "UAH\u00a07,654.50"


def test_cashback_balance_is_money_in_micros() -> None:
    document = _object(content(CardKind.CASHBACK))
    assert _points(document) == (
        "Balance",
        {"money": {"micros": "125500000", "currencyCode": "USD"}},
    )
    assert _points(document, "secondaryLoyaltyPoints") == ("Cashback", {"string": "5%"})


def test_stamps_count_as_integers_and_progress_stays_in_words() -> None:
    document = _object(content(CardKind.STAMP))
    assert _points(document) == ("Stamps", {"int": 3})
    assert _points(document, "secondaryLoyaltyPoints") == ("Rewards ready", {"int": 1})
    modules = _modules(document)
    assert (modules["stamps"], modules["reward"]) == ("3 of 10", "A free coffee")
    assert "rewards_ready" not in modules


def test_text_modules_carry_front_extras_company_and_back_in_every_language() -> None:
    document = _object(content(CardKind.STAMP))
    ids = [module["id"] for module in document["textModulesData"]]
    assert ids == ["stamps", "reward", "company", "about", "terms", "last_order", "support"]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", module_id) for module_id in ids)
    terms = document["textModulesData"][ids.index("terms")]
    assert terms["localizedHeader"]["defaultValue"] == {"language": "en", "value": "Terms"}
    assert terms["localizedBody"]["translatedValues"] == [
        {"language": "uk", "value": "Лише для учасників."}
    ]


def test_the_card_page_is_a_link_not_a_text() -> None:
    document = _object(content(CardKind.CASHBACK))
    (link,) = document["linksModuleData"]["uris"]
    assert link["uri"] == "https://tessera.example/c/cashback-page-token"
    assert link["description"] == "Open your card page"
    assert "card_page" not in _modules(document)


def test_a_pass_without_back_fields_still_links_its_card_page() -> None:
    document = _object(content(CardKind.DISCOUNT, back_fields=()))
    assert [link["uri"] for link in document["linksModuleData"]["uris"]] == [
        "https://tessera.example/c/discount-page-token"
    ]


def test_void_expiry_places_and_hero() -> None:
    pass_content = content(CardKind.CASHBACK, **full_state_changes())
    hero = "https://tessera.example/img/stamps-3.png"
    document = _object(pass_content, hero_url=hero, merchant_locations=True)
    assert document["state"] == "INACTIVE"
    assert document["validTimeInterval"] == {"end": {"date": "2027-01-31T23:59:59+00:00"}}
    assert document["merchantLocations"] == [
        {"latitude": 50.4501, "longitude": 30.5234},
        {"latitude": 52.2297, "longitude": 21.0122},
    ]
    assert document["heroImage"]["sourceUri"] == {"uri": hero}


def test_places_stay_off_unless_the_issuer_is_allowlisted() -> None:
    document = _object(content(CardKind.CASHBACK, **full_state_changes()))
    assert "merchantLocations" not in document
    assert "locations" not in document


def test_the_class_carries_program_issuer_logo_colour_and_review_status() -> None:
    document = _class(content(CardKind.DISCOUNT), hero_url="https://tessera.example/img/h.png")
    assert document["id"] == CLASS_ID
    assert document["reviewStatus"] == "UNDER_REVIEW"
    assert (document["issuerName"], document["programName"]) == ("Acme Supplies", "Acme Club")
    assert "localizedIssuerName" not in document
    assert document["localizedProgramName"]["translatedValues"] == [
        {"language": "uk", "value": "Клуб Акме"}
    ]
    assert document["programLogo"]["sourceUri"] == {"uri": "https://tessera.example/img/logo.png"}
    assert document["heroImage"]["sourceUri"] == {"uri": "https://tessera.example/img/h.png"}
    assert document["hexBackgroundColor"] == "#0f766e"
    assert (document["accountNameLabel"], document["accountIdLabel"]) == ("Member", "Card code")
    assert document["multipleDevicesAndHoldersAllowedStatus"] == "MULTIPLE_HOLDERS"


def test_a_translated_issuer_name_gets_its_localized_twin() -> None:
    issuer = LocalizedText.from_mapping({"en": "Acme", "uk": "Акме"}, "en")
    document = _class(content(CardKind.DISCOUNT), issuer_name=issuer)
    assert document["localizedIssuerName"] == {
        "defaultValue": {"language": "en", "value": "Acme"},
        "translatedValues": [{"language": "uk", "value": "Акме"}],
    }


def test_sharing_prohibited_means_one_user() -> None:
    document = _class(content(CardKind.STAMP, sharing_prohibited=True))
    assert document["multipleDevicesAndHoldersAllowedStatus"] == "ONE_USER_ALL_DEVICES"


def test_an_accumulative_class_lists_its_tiers_and_may_name_one() -> None:
    document = _class(content(CardKind.ACCUMULATIVE), tiers=TIERS, rewards_tier=TIERS[0].name)
    (ladder,) = document["textModulesData"]
    assert ladder["header"] == "Tiers"
    assert ladder["body"] == "Bronze: 5% from UAH\u00a00.00\nSilver: 7.5% from UAH\u00a010,000.00"
    uk = {item["language"]: item["value"] for item in ladder["localizedBody"]["translatedValues"]}
    assert uk["uk"] == "Бронза: 5% від 0,00\u00a0₴\nSilver: 7,5% від 10\u00a0000,00\u00a0₴"
    assert (document["rewardsTierLabel"], document["rewardsTier"]) == ("Tier", "Bronze")
    assert document["localizedRewardsTier"]["translatedValues"] == [
        {"language": "uk", "value": "Бронза"}
    ]


def test_a_class_without_tiers_has_no_tier_fields() -> None:
    document = _class(content(CardKind.ACCUMULATIVE))
    assert not {"rewardsTier", "rewardsTierLabel", "textModulesData"} & set(document)


@pytest.mark.parametrize(
    ("amount", "micros"),
    [
        (Money(12_550, "USD"), "125500000"),
        (Money(-1, "EUR"), "-10000"),
        (Money(1_500, "JPY"), "1500000000"),
        (Money(1_234, "KWD"), "1234000"),
    ],
)
def test_money_is_counted_in_micros_by_the_currency_exponent(amount: Money, micros: str) -> None:
    assert money(amount) == {"micros": micros, "currencyCode": amount.currency}


def test_localized_string_tags_languages_and_leaves_out_copies_of_the_default() -> None:
    text = LocalizedText.from_mapping({"uk": "Знижка", "en": "Discount", "pl": "Знижка"}, "uk")
    assert localized_string(text, "uk") == {
        "defaultValue": {"language": "uk", "value": "Знижка"},
        "translatedValues": [{"language": "en", "value": "Discount"}],
    }


@pytest.mark.parametrize(
    ("issuer", "suffix"), [("33880x", "card"), ("3388", "card 1"), ("3388", ""), ("", "x")]
)
def test_ids_google_would_reject_are_refused(issuer: str, suffix: str) -> None:
    with pytest.raises(ValueError, match=r"issuer id|suffix"):
        resource_id(issuer, suffix)


def test_a_class_of_another_issuer_is_refused() -> None:
    with pytest.raises(ValueError, match="not an id of Google Wallet issuer"):
        loyalty_object(
            content(CardKind.DISCOUNT), issuer_id=ISSUER, object_suffix="x", class_id="999.acme"
        )


def test_safe_suffix_keeps_readable_ids_readable() -> None:
    assert safe_suffix("program-12-v3") == "program-12-v3"
    assert safe_suffix("T-discount.0001") == "T-discount.0001"
    assert safe_suffix("a b_c/é") == "a_20_b_5f_c_2f__e9_"


@given(st.text(min_size=1), st.text(min_size=1))
def test_safe_suffix_is_always_valid_and_never_merges_two_texts(first: str, second: str) -> None:
    assert resource_id(ISSUER, safe_suffix(first))
    assert (safe_suffix(first) == safe_suffix(second)) == (first == second)
