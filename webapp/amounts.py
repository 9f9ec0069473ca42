"""Amounts people type: a decimal in the program's currency, turned exactly into minor units.

Either "." or "," is the decimal separator (phones offer one or the other); spaces may group
thousands. Nothing is rounded: an amount with more decimals than its currency has is refused,
so what staff typed is exactly what is charged.
"""

from __future__ import annotations

import re

from issuer.rules import MAX_AMOUNT
from passes.money_display import Money, currency_exponent, format_money
from webapp.i18n import current_language, gettext, ngettext

_SPACES = re.compile(r"[\s\u00a0\u202f']+")
_DECIMAL = re.compile(r"(?P<whole>[0-9]*)(?:[.,](?P<fraction>[0-9]*))?")  # ASCII digits only


class AmountError(ValueError):
    """A typed amount that cannot be taken; the message says why, in the page's language."""


def minor_units(typed: str, currency: str) -> int:
    """The typed amount in minor units of ``currency``, from 0 up to the largest order.

    :raises AmountError: when it is not a plain positive decimal, has more decimals than the
        currency allows, or is too large.
    """
    text = _SPACES.sub("", typed)
    match = _DECIMAL.fullmatch(text)
    if not text or match is None or not (match["whole"] or match["fraction"]):
        raise AmountError(gettext("Enter an amount such as 1250.50, digits only."))
    exponent = currency_exponent(currency)
    fraction = match["fraction"] or ""
    if len(fraction) > exponent:
        raise AmountError(_too_many_decimals(currency, exponent))
    whole = match["whole"].lstrip("0")
    if len(whole) > len(str(MAX_AMOUNT)):  # before int(): no huge numbers are built
        raise AmountError(_too_large(currency))
    value: int = int(whole or "0") * 10**exponent + int(fraction.ljust(exponent, "0") or "0")
    if value > MAX_AMOUNT:
        raise AmountError(_too_large(currency))
    return value


def positive_minor_units(typed: str, currency: str) -> int:
    """Like ``minor_units``, and refuse zero."""
    value = minor_units(typed, currency)
    if value == 0:
        raise AmountError(gettext("Enter an amount greater than zero."))
    return value


def _too_many_decimals(currency: str, exponent: int) -> str:
    if exponent == 0:
        return gettext("%(currency)s amounts have no decimals.", currency=currency)
    return ngettext(
        "%(currency)s amounts have at most %(num)d decimal.",
        "%(currency)s amounts have at most %(num)d decimals.",
        exponent,
        currency=currency,
    )


def _too_large(currency: str) -> str:
    largest = format_money(Money(MAX_AMOUNT, currency), current_language())
    return gettext("The amount is too large; the most is %(largest)s.", largest=largest)
