"""Money written for display in each pass language."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from hypothesis import given
from hypothesis import strategies as st

from passes.localized import LANGUAGES
from passes.money_display import Money, currency_exponent, format_money

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("minor", "currency", "language", "expected"),
    [
        (123_450, "UAH", "en", f"UAH{NBSP}1,234.50"),
        (123_450, "UAH", "uk", f"1{NBSP}234,50{NBSP}₴"),
        (123_450, "UAH", "ru", f"1{NBSP}234,50{NBSP}₴"),
        (123_450, "PLN", "pl", f"1{NBSP}234,50{NBSP}zł"),
        (1_234_500, "PLN", "pl", f"12{NBSP}345,00{NBSP}zł"),
        (1_250, "USD", "en", "$12.50"),
        (1_250, "USD", "uk", f"12,50{NBSP}USD"),
        (5, "EUR", "en", "€0.05"),
        (1_250, "PLN", "en", f"PLN{NBSP}12.50"),
        (1_250, "CHF", "en", f"CHF{NBSP}12.50"),
        (1_250, "CHF", "pl", f"12,50{NBSP}CHF"),
        (1_234, "JPY", "en", "¥1,234"),
        (1_234, "KWD", "en", f"KWD{NBSP}1.234"),
        (-1_250, "USD", "en", "-$12.50"),
        (-1_250, "UAH", "uk", f"-12,50{NBSP}₴"),
        (0, "UAH", "en", f"UAH{NBSP}0.00"),
        (123_456_789_00, "USD", "en", "$123,456,789.00"),
    ],
)
def test_money_is_written_per_language(minor, currency, language, expected):
    # CLDR's forms as Babel writes them, with CLDR's currency spacing added for ISO codes.
    assert format_money(Money(minor, currency), language) == expected


def test_currency_exponents_follow_iso_4217():
    assert [currency_exponent(c) for c in ("UAH", "JPY", "KWD", "CLF")] == [2, 0, 3, 4]


@pytest.mark.parametrize("currency", ["uah", "US", "EURO", ""])
def test_a_malformed_currency_is_refused(currency):
    with pytest.raises(ValueError, match="ISO 4217"):
        Money(100, currency)


@pytest.mark.parametrize("minor", [1.5, Decimal("1"), True])
def test_money_is_counted_in_integer_minor_units(minor):
    with pytest.raises(TypeError, match="integer minor units"):
        Money(minor, "USD")


@given(
    minor=st.integers(min_value=-(10**12), max_value=10**12),
    currency=st.sampled_from(["UAH", "USD", "PLN", "JPY", "KWD", "CHF"]),
    language=st.sampled_from(LANGUAGES),
)
def test_the_written_digits_are_exactly_the_amount(minor, currency, language):
    money = Money(minor, currency)
    written = format_money(money, language)
    digits = "".join(ch for ch in written if ch.isdigit())
    assert int(digits) == abs(minor)
    assert written.startswith("-") == (minor < 0)
    assert len(digits) > money.exponent


@given(
    minor=st.integers(min_value=-(10**12), max_value=10**12),
    currency=st.sampled_from(["UAH", "USD", "PLN", "EUR", "JPY", "KWD", "CHF", "GBP"]),
    language=st.sampled_from(LANGUAGES),
)
def test_fast_money_writing_is_exactly_what_babel_writes(minor, currency, language):
    money = Money(minor, currency)
    expected = format_currency(money.as_decimal(), currency, locale=language)
    spaced = re.sub(r"(?<=[A-Za-z])(?=[\d-])|(?<=\d)(?=[A-Za-z])", NBSP, str(expected))
    assert format_money(money, language) == spaced
