"""ISO 4217 currencies: which codes exist and how many minor digits each has."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision, list_currencies

# Codes for testing, precious metals and "no currency" are ISO 4217 entries but no program's money.
_NOT_MONEY = frozenset(
    {"XXX", "XTS", "XAU", "XAG", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XDR"}
)


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency a program can keep accounts in."""
    return code in list_currencies() and code not in _NOT_MONEY


def minor_digits(code: str) -> int:
    """How many digits the currency's minor unit has (2 for UAH, 0 for JPY)."""
    return int(get_currency_precision(code))


def to_minor_units(typed: str, code: str) -> int | None:
    """A decimal amount as people type it ("12.50", "12,5") in minor units, or None if invalid."""
    try:
        value = Decimal(typed.strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None
    scaled = value.scaleb(minor_digits(code))
    if not value.is_finite() or scaled != scaled.to_integral_value():
        return None
    return int(scaled)
