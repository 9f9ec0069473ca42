"""Typed amounts become exact minor units of the program's currency, or say what is wrong."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from webapp.amounts import AmountError, minor_units, positive_minor_units


@pytest.fixture(autouse=True)
def request_context(app: Flask) -> Iterator[None]:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.mark.parametrize(
    ("typed", "currency", "minor"),
    [
        ("1250.50", "UAH", 125_050),
        ("1250,50", "UAH", 125_050),
        ("1 250,50", "PLN", 125_050),
        ("1\u00a0250.5", "EUR", 125_050),
        ("  7  ", "USD", 700),
        ("12.", "USD", 1_200),
        (".5", "USD", 50),
        ("0.01", "USD", 1),
        ("007.10", "USD", 710),
        ("1500", "JPY", 1_500),
        ("1.234", "KWD", 1_234),
        ("1,5", "KWD", 1_500),
        ("0", "USD", 0),
        ("10000000000.00", "USD", 10**12),
    ],
)
def test_amounts_are_converted_exactly(typed: str, currency: str, minor: int) -> None:
    assert minor_units(typed, currency) == minor


@pytest.mark.parametrize(
    ("typed", "currency", "message"),
    [
        ("", "UAH", "Enter an amount such as 1250.50, digits only."),
        ("abc", "UAH", "Enter an amount such as 1250.50, digits only."),
        ("-5", "UAH", "Enter an amount such as 1250.50, digits only."),
        ("+5", "UAH", "Enter an amount such as 1250.50, digits only."),
        ("1,234.50", "USD", "Enter an amount such as 1250.50, digits only."),
        ("1.2.3", "USD", "Enter an amount such as 1250.50, digits only."),
        ("1e5", "USD", "Enter an amount such as 1250.50, digits only."),
        (".", "USD", "Enter an amount such as 1250.50, digits only."),
        ("\u0661\u0662", "USD", "Enter an amount such as 1250.50, digits only."),
        ("12.345", "UAH", "UAH amounts have at most 2 decimals."),
        ("1.0", "JPY", "JPY amounts have no decimals."),
        ("1.2345", "KWD", "KWD amounts have at most 3 decimals."),
        ("10000000000.01", "USD", "The amount is too large; the most is $10,000,000,000.00."),
        ("9" * 5000, "USD", "The amount is too large"),
    ],
)
def test_amounts_that_cannot_be_taken_say_why(typed: str, currency: str, message: str) -> None:
    with pytest.raises(AmountError) as refused:
        minor_units(typed, currency)
    assert str(refused.value).startswith(message)


def test_an_order_amount_must_be_above_zero() -> None:
    with pytest.raises(AmountError, match="greater than zero"):
        positive_minor_units("0.00", "USD")
    assert positive_minor_units("0.01", "USD") == 1
