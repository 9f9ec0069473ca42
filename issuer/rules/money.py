"""Money and percents: integer minor units, exact decimal percents, one half-up rounding."""

from decimal import Decimal

MAX_AMOUNT: int = 10**12
"""Largest order amount accepted, in minor units."""

MAX_PERCENT = Decimal(100)


def percent_of(amount: int, percent: Decimal) -> int:
    """Return percent of amount, rounded once, half-up, to the minor unit."""
    numerator, denominator = percent.as_integer_ratio()
    return _divide_half_up(amount * numerator, denominator * 100)


def percent_of_rounded_down(amount: int, percent: Decimal) -> int:
    """Return percent of amount, rounded down to the minor unit."""
    numerator, denominator = percent.as_integer_ratio()
    return (amount * numerator) // (denominator * 100)


def percent_text(percent: Decimal) -> str:
    """Write a percent as plain decimal text without exponent or trailing zeros, e.g. "12.5"."""
    text = format(percent, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _divide_half_up(numerator: int, denominator: int) -> int:
    # Exact integer arithmetic with the meaning of decimal.ROUND_HALF_UP: ties go away from zero.
    # Integers never depend on the thread's decimal context, so no precision can be lost.
    quotient, remainder = divmod(abs(numerator), denominator)
    rounded = quotient + (1 if 2 * remainder >= denominator else 0)
    return -rounded if numerator < 0 else rounded
