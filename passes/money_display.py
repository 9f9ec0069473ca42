"""Money and decimal numbers written the way each pass language writes them.

Amounts arrive as integer minor units with an ISO 4217 currency; the currency's
exponent (0 for JPY, 3 for KWD, 2 for most) decides how many digits follow the
decimal separator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel.numbers import format_currency, get_currency_precision
from babel.numbers import format_decimal as babel_format_decimal

from passes.localized import Language

_CURRENCY_CODE = re.compile(r"[A-Z]{3}")
# CLDR's currencySpacing rule: an alphabetic symbol (an ISO code such as "UAH") is kept
# apart from the digits by a no-break space. Babel leaves that step out ("UAH1,234.50").
_LETTER_THEN_DIGIT = re.compile(r"(?<=[A-Za-z])(?=[\d-])|(?<=\d)(?=[A-Za-z])")
_NBSP = "\u00a0"


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of money: an integer count of minor units in an ISO 4217 currency."""

    minor: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.minor, bool) or not isinstance(self.minor, int):
            raise TypeError(f"money is counted in integer minor units, not {self.minor!r}")
        if not _CURRENCY_CODE.fullmatch(self.currency):
            raise ValueError(f"{self.currency!r} is not an ISO 4217 currency code")

    @property
    def exponent(self) -> int:
        """Digits after the decimal separator for this currency."""
        return currency_exponent(self.currency)

    def as_decimal(self) -> Decimal:
        """Return the amount in major units, exactly."""
        return Decimal(self.minor).scaleb(-self.exponent)


def currency_exponent(currency: str) -> int:
    """Return the ISO 4217 minor-unit exponent of a currency (CLDR data, via Babel)."""
    return int(get_currency_precision(currency))


def format_decimal(value: Decimal, language: Language, places: int | None = None) -> str:
    """Write a decimal the language's way; None places drops trailing zeros."""
    if places is None:
        return str(babel_format_decimal(value, locale=language, decimal_quantization=False))
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return str(babel_format_decimal(value, format=pattern, locale=language))


def format_money(money: Money, language: Language) -> str:
    """Write an amount of money for display, e.g. "$1,234.50" or "1 234,50 ₴"."""
    return _money_style(money.currency, language).write(money)


@dataclass(frozen=True, slots=True)
class _MoneyStyle:
    """How one language writes one currency, read once from Babel's CLDR data."""

    prefix: str
    suffix: str
    group: str
    decimal: str

    def write(self, money: Money) -> str:
        digits = money.exponent
        plain = f"{abs(money.as_decimal()):,.{digits}f}"  # "1,234.50": placeholders swapped below
        number = plain.replace(",", "\0").replace(".", self.decimal).replace("\0", self.group)
        return ("-" if money.minor < 0 else "") + self.prefix + number + self.suffix


@cache
def _money_style(currency: str, language: Language) -> _MoneyStyle:
    # Babel formats about 60 us a call, a pass needs a dozen amounts in four languages: so
    # its output for a sample amount is taken apart once, and the parts reused.
    digits = currency_exponent(currency)
    sample = Decimal(1234567) + (Decimal(1).scaleb(-digits) * 8 if digits else 0)
    text = _LETTER_THEN_DIGIT.sub(_NBSP, str(format_currency(sample, currency, locale=language)))
    first = next(i for i, char in enumerate(text) if char.isdigit())
    last = max(i for i, char in enumerate(text) if char.isdigit())
    group = text[first + 1]
    decimal = text[last - digits] if digits else "."
    return _MoneyStyle(text[:first], text[last + 1 :], group, decimal)
