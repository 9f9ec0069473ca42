"""The platform-neutral pass content: texts, fields, kinds, and what they refuse."""

from __future__ import annotations

import dataclasses
import string
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from passes.content import CardKind, Field, Location, Rgb, Slot
from passes.faces import LastOrder, accumulative_face, back_fields, percent_text
from passes.localized import LANGUAGES, LocalizedText, language
from passes.money_display import Money
from passes.vocabulary import Phrase, format_date, phrase_text, say
from tests.passes.sample_passes import content, face

CHANGE_PHRASES = [phrase for phrase in Phrase if phrase.value.endswith("_changed")]


def placeholders(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def test_a_missing_translation_falls_back_to_the_default_language():
    text = LocalizedText.from_mapping({"pl": "Karta", "uk": "Картка"}, "pl")
    assert [text.text(lang) for lang in LANGUAGES] == ["Karta", "Картка", "Karta", "Karta"]


def test_a_text_needs_its_default_language():
    with pytest.raises(ValueError, match="'uk'"):
        LocalizedText.from_mapping({"en": "Card"}, "uk")


def test_unknown_languages_are_refused():
    with pytest.raises(ValueError, match="de"):
        LocalizedText.from_mapping({"en": "Card", "de": "Karte"}, "en")
    with pytest.raises(ValueError, match="unsupported language"):
        language("de")


@pytest.mark.parametrize("phrase", list(Phrase))
def test_every_phrase_exists_in_all_four_languages(phrase):
    texts = [phrase_text(phrase, lang) for lang in LANGUAGES]
    assert all(texts)
    assert {placeholders(text) for text in texts} == {placeholders(texts[0])}


@pytest.mark.parametrize("phrase", [Phrase.DISCOUNT, Phrase.BALANCE, Phrase.STAMPS, Phrase.TERMS])
def test_labels_are_really_translated(phrase):
    english, ukrainian, russian, polish = (phrase_text(phrase, lang) for lang in LANGUAGES)
    assert len({english, ukrainian, polish}) == 3
    assert russian != english


@pytest.mark.parametrize("phrase", CHANGE_PHRASES)
def test_change_messages_have_the_placeholder_in_every_language(phrase):
    assert all("%@" in phrase_text(phrase, lang) for lang in LANGUAGES)


@pytest.mark.parametrize("default", LANGUAGES)
def test_no_two_phrases_share_a_source_text_with_different_translations(default):
    # pass.strings is keyed by the default-language text, so such a pair would collide.
    seen: dict[str, tuple[str, ...]] = {}
    for phrase in Phrase:
        key = phrase_text(phrase, default)
        translations = tuple(phrase_text(phrase, lang) for lang in LANGUAGES)
        assert seen.setdefault(key, translations) == translations, phrase


def test_say_fills_placeholders_per_language():
    text = say(Phrase.STAMPS_OF, "uk", collected="3", required="10")
    assert text.default == "3 з 10"
    assert [text.text(lang) for lang in LANGUAGES] == ["3 of 10", "3 з 10", "3 из 10", "3 z 10"]


def test_dates_are_written_per_language():
    day = datetime(2026, 5, 1, tzinfo=UTC).date()
    assert format_date(day, "en") == "1 May 2026"
    assert format_date(day, "pl") == "01.05.2026"


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(Decimal("10"), ("10%", "10%", "10\u00a0%", "10%")),
     (Decimal("2.50"), ("2.5%", "2,5%", "2,5\u00a0%", "2,5%"))],
)  # fmt: skip
def test_percentages_are_written_per_language(percent, expected):
    text = percent_text(percent, "en")
    assert tuple(text.text(lang) for lang in LANGUAGES) == expected


def test_percentages_outside_0_to_100_are_refused():
    with pytest.raises(ValueError, match="between 0 and 100"):
        percent_text(Decimal("120"), "en")


def test_accumulative_face_at_the_top_tier_says_so():
    top = face(CardKind.ACCUMULATIVE).fields[3]
    assert top.value.text("en") == "UAH\u00a07,654.50"
    at_top = accumulative_face(
        tier=LocalizedText("Gold"),
        percent=Decimal("15"),
        total_spent=Money(5_000_000, "UAH"),
        to_next_tier=None,
        language="pl",
    )
    assert at_top.fields[3].value.text("pl") == "Najwyższy poziom"
    assert at_top.fields[3].value.text("en") == "Top tier reached"


def test_headline_figures_for_google():
    cashback = face(CardKind.CASHBACK)
    assert cashback.main_value.money == Money(12_550, "USD")
    assert cashback.main_value.value.text("en") == "$125.50"
    stamps = face(CardKind.STAMP, collected=4)
    assert (stamps.main_value.count, stamps.main_value.value.default) == (4, "4/10")
    assert stamps.secondary_value is not None
    assert stamps.secondary_value.count == 1
    assert face(CardKind.DISCOUNT).main_value.value.text("ru") == "10\u00a0%"


def test_back_fields_say_no_orders_yet_and_link_the_card_page():
    fields = back_fields(card_url="https://x.example/c/t", last_order=None, language="uk")
    by_key = {item.key: item for item in fields}
    assert by_key["last_order"].value.default == "Замовлень ще немає"
    assert by_key["last_order"].change_message is not None
    assert by_key["card_page"].url == "https://x.example/c/t"
    assert set(by_key) == {"last_order", "card_page"}


def test_last_order_shows_amount_and_date():
    order = LastOrder(Money(120_000, "PLN"), datetime(2026, 5, 1, 9, 0, tzinfo=UTC))
    fields = back_fields(card_url="https://x.example/c/t", last_order=order, language="pl")
    assert fields[0].value.default == "1\u00a0200,00\u00a0zł, 01.05.2026"
    assert fields[0].value.text("en") == "PLN\u00a01,200.00 on 1 May 2026"


def test_a_change_message_without_the_placeholder_is_refused():
    with pytest.raises(ValueError, match="%@"):
        Field("x", LocalizedText("X"), LocalizedText("1"), Slot.PRIMARY, LocalizedText("Now"))


def test_field_keys_are_unique_across_the_whole_pass():
    sample = content(CardKind.DISCOUNT)
    duplicate = dataclasses.replace(sample.back_fields[0], key="discount")
    with pytest.raises(ValueError, match="'discount' is used twice"):
        dataclasses.replace(sample, back_fields=(duplicate,))


def test_holder_field_keys_are_reserved():
    sample = content(CardKind.DISCOUNT)
    clash = dataclasses.replace(sample.back_fields[0], key="member")
    with pytest.raises(ValueError, match="reserved"):
        dataclasses.replace(sample, back_fields=(clash,))


def test_at_most_ten_locations():
    places = tuple(Location(50.0, 30.0 + i / 100) for i in range(11))
    with pytest.raises(ValueError, match="at most 10"):
        content(CardKind.DISCOUNT, locations=places)


def test_expiry_needs_a_time_zone():
    with pytest.raises(ValueError, match="time zone"):
        content(CardKind.DISCOUNT, expires_at=datetime(2027, 1, 1))  # noqa: DTZ001


def test_impossible_places_and_colours_are_refused():
    with pytest.raises(ValueError, match="no such place"):
        Location(91.0, 0.0)
    with pytest.raises(ValueError, match="0-255"):
        Rgb(0, 256, 0)


def test_colours_convert_from_and_to_hex():
    assert Rgb.from_hex("#0F766E") == Rgb(15, 118, 110)
    assert Rgb(15, 118, 110).hex() == "#0f766e"
