"""ISO 4217 currencies: which codes a program may keep its accounts in."""

from __future__ import annotations

from babel.numbers import list_currencies

# ISO 4217 lists codes for testing, precious metals and "no currency": no program's money.
_NOT_MONEY = frozenset(
    {"XXX", "XTS", "XAU", "XAG", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XDR"}
)


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency a program can keep accounts in."""
    return code in list_currencies() and code not in _NOT_MONEY
