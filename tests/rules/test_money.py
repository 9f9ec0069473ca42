from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from issuer.rules import percent_of
from issuer.rules.money import percent_of_rounded_down, percent_text


@pytest.mark.parametrize(
    ("amount", "percent", "expected"),
    [
        (1000, "10", 100),
        (5, "10", 1),  # 0.5 rounds up
        (4, "10", 0),  # 0.4 rounds down
        (49, "1", 0),  # 0.49 rounds down
        (50, "1", 1),  # exactly half rounds up
        (51, "1", 1),
        (150, "1", 2),  # 1.5 rounds up, not to even
        (250, "1", 3),  # 2.5 rounds up, not to even
        (1, "0.01", 0),
        (5000, "0.01", 1),  # 0.5 rounds up
        (4999, "0.01", 0),
        (999, "12.5", 125),  # 124.875
        (1234, "33.33", 411),  # 411.2922
        (1000, "100", 1000),
        (10**12, "99.99", 999_900_000_000),
        (0, "50", 0),
    ],
)
def test_percent_of_rounds_once_half_up(amount, percent, expected):
    assert percent_of(amount, Decimal(percent)) == expected


@pytest.mark.parametrize(
    ("amount", "percent", "expected"),
    [(-5, "10", -1), (-4, "10", 0), (-15, "10", -2)],
)
def test_percent_of_negative_amount_rounds_ties_away_from_zero(amount, percent, expected):
    assert percent_of(amount, Decimal(percent)) == expected


@pytest.mark.parametrize(
    ("amount", "percent", "expected"),
    [(999, "50", 499), (1000, "50", 500), (1, "99.99", 0), (199, "0.5", 0), (200, "0.5", 1)],
)
def test_percent_of_rounded_down_floors(amount, percent, expected):
    assert percent_of_rounded_down(amount, Decimal(percent)) == expected


@pytest.mark.parametrize(
    ("percent", "text"),
    [
        ("12.5", "12.5"),
        ("12.50", "12.5"),
        ("100", "100"),
        ("1E+2", "100"),
        ("0.10", "0.1"),
        ("0.01", "0.01"),
        ("7", "7"),
        ("7.00", "7"),
    ],
)
def test_percent_text_is_plain_and_without_trailing_zeros(percent, text):
    assert percent_text(Decimal(percent)) == text


@settings(max_examples=200)
@given(
    amount=st.integers(min_value=0, max_value=10**12),
    hundredths=st.integers(min_value=1, max_value=10_000),
)
def test_percent_of_matches_decimal_round_half_up(amount, hundredths):
    percent = Decimal(hundredths) / 100
    expected = (Decimal(amount) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert percent_of(amount, percent) == int(expected)
