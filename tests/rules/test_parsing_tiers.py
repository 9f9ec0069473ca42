from decimal import Decimal

import pytest

from issuer.rules import AccumulativeRules, Tier, parse_rules
from tests.rules.parsing_examples import BRONZE, GOLD, SILVER, errors_of


def test_valid_tiers_are_read_in_order():
    rules = parse_rules("accumulative", {"tiers": [BRONZE, SILVER, GOLD]})
    assert rules == AccumulativeRules(
        tiers=(
            Tier(0, Decimal(2), "Bronze"),
            Tier(10_000, Decimal(5), "Silver"),
            Tier(50_000, Decimal(10), "Gold"),
        )
    )


def test_equal_percents_on_neighbouring_tiers_are_accepted():
    tiers = [BRONZE, {"threshold": 1, "percent": 2, "name": "Silver"}]
    assert parse_rules("accumulative", {"tiers": tiers}) == AccumulativeRules(
        tiers=(Tier(0, Decimal(2), "Bronze"), Tier(1, Decimal(2), "Silver"))
    )


def test_tier_names_lose_outer_spaces():
    tiers = [{"threshold": 0, "percent": 2, "name": "  Bronze "}]
    assert parse_rules("accumulative", {"tiers": tiers}) == AccumulativeRules(
        tiers=(Tier(0, Decimal(2), "Bronze"),)
    )


@pytest.mark.parametrize(
    ("tiers", "errors"),
    [
        (None, {"tiers": "is required"}),
        ([], {"tiers": "must be a non-empty list"}),
        ("Bronze", {"tiers": "must be a non-empty list"}),
        ({"0": BRONZE}, {"tiers": "must be a non-empty list"}),
        (
            [{"threshold": 100, "percent": 2, "name": "Bronze"}],
            {"tiers[0].threshold": "must be 0: the first tier starts with no spend"},
        ),
        (
            [BRONZE, {"threshold": 0, "percent": 5, "name": "Silver"}],
            {"tiers[1].threshold": "must be greater than the previous tier's threshold (0)"},
        ),
        (
            [BRONZE, SILVER, {"threshold": 10_000, "percent": 10, "name": "Gold"}],
            {"tiers[2].threshold": "must be greater than the previous tier's threshold (10000)"},
        ),
        (
            [BRONZE, {"threshold": -1, "percent": 5, "name": "Silver"}],
            {"tiers[1].threshold": "must be at least 0"},
        ),
        (
            [BRONZE, {"threshold": 10.5, "percent": 5, "name": "Silver"}],
            {"tiers[1].threshold": "must be a whole number"},
        ),
        (
            [BRONZE, {"threshold": "100", "percent": 5, "name": "Silver"}],
            {"tiers[1].threshold": "must be a whole number"},
        ),
        (
            [BRONZE, {"threshold": True, "percent": 5, "name": "Silver"}],
            {"tiers[1].threshold": "must be a whole number"},
        ),
        (
            [SILVER | {"threshold": 0}, {"threshold": 100, "percent": 2, "name": "Bronze"}],
            {"tiers[1].percent": "must not be lower than the previous tier's percent (5)"},
        ),
        (
            [BRONZE, {"threshold": 100, "percent": "5.555", "name": "Silver"}],
            {"tiers[1].percent": "must have at most 2 decimal places"},
        ),
        (
            [BRONZE, {"threshold": 100, "percent": 5, "name": ""}],
            {"tiers[1].name": "must be non-empty text"},
        ),
        (
            [BRONZE, {"threshold": 100, "percent": 5, "name": "   "}],
            {"tiers[1].name": "must be non-empty text"},
        ),
        (
            [BRONZE, {"threshold": 100, "percent": 5, "name": 7}],
            {"tiers[1].name": "must be non-empty text"},
        ),
        (
            [BRONZE, {"threshold": 100, "percent": 5, "name": "x" * 41}],
            {"tiers[1].name": "must be at most 40 characters"},
        ),
        (
            [BRONZE, {"threshold": 100, "percent": 5}],
            {"tiers[1].name": "is required"},
        ),
        (
            [BRONZE, {"threshold": 100, "percent": 5, "name": "Silver", "icon": "*"}],
            {"tiers[1].icon": "is not a known field"},
        ),
        ([BRONZE, "Silver"], {"tiers[1]": "must be an object"}),
        (
            [{}],
            {
                "tiers[0].threshold": "is required",
                "tiers[0].percent": "is required",
                "tiers[0].name": "is required",
            },
        ),
    ],
)
def test_invalid_tiers_are_refused_with_their_reasons(tiers, errors):
    assert errors_of("accumulative", {"tiers": tiers}) == errors


def test_tier_name_of_forty_characters_is_accepted():
    tiers = [{"threshold": 0, "percent": 2, "name": "x" * 40}]
    rules = parse_rules("accumulative", {"tiers": tiers})
    assert rules == AccumulativeRules(tiers=(Tier(0, Decimal(2), "x" * 40),))


def test_ordering_is_checked_against_the_previous_valid_tier():
    tiers = [BRONZE, {"threshold": "x", "percent": 1, "name": "Silver"}, GOLD]
    assert errors_of("accumulative", {"tiers": tiers}) == {
        "tiers[1].threshold": "must be a whole number",
        "tiers[1].percent": "must not be lower than the previous tier's percent (2)",
    }
