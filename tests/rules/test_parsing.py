from decimal import Decimal

import pytest

from issuer.rules import (
    AccumulativeRules,
    CashbackRules,
    DiscountRules,
    Kind,
    RulesInvalid,
    StampRules,
    Tier,
    kind_of,
    parse_rules,
    rules_to_json,
)
from tests.rules.parsing_examples import BRONZE, errors_of


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (10, "10"),
        (12.5, "12.5"),  # a float is read through its text, exactly
        (0.1, "0.1"),
        (33.33, "33.33"),
        ("12.5", "12.5"),
        ("12.50", "12.5"),
        ("0.01", "0.01"),
        ("100", "100"),
        ("1E+2", "100"),
        (100, "100"),
        (Decimal("7.25"), "7.25"),
    ],
)
def test_valid_percent_is_read_exactly(percent, expected):
    rules = parse_rules("discount", {"percent": percent})
    assert rules == DiscountRules(Decimal(expected))
    assert str(rules.percent) == expected


@pytest.mark.parametrize(
    ("percent", "message"),
    [
        (0, "must be more than 0 and at most 100"),
        (-5, "must be more than 0 and at most 100"),
        ("0.00", "must be more than 0 and at most 100"),
        (100.01, "must be more than 0 and at most 100"),
        (101, "must be more than 0 and at most 100"),
        ("1e999999", "must be more than 0 and at most 100"),
        ("12.345", "must have at most 2 decimal places"),
        (12.345, "must have at most 2 decimal places"),
        ("0.001", "must have at most 2 decimal places"),
        ("0.1000000000000000000000000000001", "must have at most 2 decimal places"),
        (True, "must be a number"),
        (False, "must be a number"),
        ("ten", "must be a number"),
        ("", "must be a number"),
        ("NaN", "must be a number"),
        ("Infinity", "must be a number"),
        (float("nan"), "must be a number"),
        (float("inf"), "must be a number"),
        ([10], "must be a number"),
        ({"value": 10}, "must be a number"),
        (None, "is required"),
    ],
)
def test_invalid_percent_is_refused_with_its_reason(percent, message):
    assert errors_of("discount", {"percent": percent}) == {"percent": message}


def test_missing_percent_is_required():
    assert errors_of("discount", {}) == {"percent": "is required"}


@pytest.mark.parametrize("data", [None, [], "discount", 10, {1: "a"}])
def test_rules_that_are_not_an_object_are_refused(data):
    assert errors_of("discount", data) == {"rules": "must be an object"}


@pytest.mark.parametrize("kind", ["coupon", "", "DISCOUNT", None, 3])
def test_unknown_kind_is_refused(kind):
    errors = errors_of(kind, {"percent": 10})
    assert errors == {"kind": "must be one of discount, accumulative, cashback, stamp"}


@pytest.mark.parametrize(
    ("kind", "data", "path"),
    [
        ("discount", {"percent": 10, "max_redeem_percent": 50}, "max_redeem_percent"),
        ("cashback", {"percent": 10, "color": "red"}, "color"),
        ("stamp", {"stamps_required": 10, "reward": "Gift", "percent": 5}, "percent"),
        ("accumulative", {"tiers": [BRONZE], "percent": 5}, "percent"),
    ],
)
def test_unknown_field_is_refused(kind, data, path):
    assert errors_of(kind, data) == {path: "is not a known field"}


def test_kind_may_be_given_as_enum_or_text():
    assert parse_rules(Kind.DISCOUNT, {"percent": 5}) == parse_rules("discount", {"percent": 5})


def test_all_problems_are_reported_at_once():
    data = {
        "tiers": [
            BRONZE,
            {"threshold": 50_000, "percent": 5, "name": "Silver"},
            {"threshold": 10_000, "percent": 150, "name": "Gold"},
        ],
        "extra": 1,
    }
    assert errors_of("accumulative", data) == {
        "extra": "is not a known field",
        "tiers[2].threshold": "must be greater than the previous tier's threshold (50000)",
        "tiers[2].percent": "must be more than 0 and at most 100",
    }


def test_error_message_lists_every_problem():
    with pytest.raises(RulesInvalid) as invalid:
        parse_rules("stamp", {"stamps_required": 0})
    assert str(invalid.value) == (
        "the card rules are invalid: stamps_required: must be at least 1; reward: is required"
    )


@pytest.mark.parametrize(
    ("rules", "data"),
    [
        (DiscountRules(Decimal("12.50")), {"percent": "12.5"}),
        (DiscountRules(Decimal("100")), {"percent": "100"}),
        (DiscountRules(Decimal("1E+1")), {"percent": "10"}),
        (
            AccumulativeRules(
                (Tier(0, Decimal("2.5"), "Bronze"), Tier(1000, Decimal(5), "Silver"))
            ),
            {
                "tiers": [
                    {"threshold": 0, "percent": "2.5", "name": "Bronze"},
                    {"threshold": 1000, "percent": "5", "name": "Silver"},
                ]
            },
        ),
        (CashbackRules(Decimal("0.50")), {"percent": "0.5", "max_redeem_percent": "100"}),
        (
            StampRules(10, "Free coffee", min_amount=500),
            {"stamps_required": 10, "reward": "Free coffee", "min_amount": 500},
        ),
        (
            StampRules(10, "Free coffee", amount_per_stamp=1000),
            {"stamps_required": 10, "reward": "Free coffee", "amount_per_stamp": 1000},
        ),
    ],
)
def test_rules_are_written_as_json_and_read_back(rules, data):
    assert rules_to_json(rules) == data
    assert parse_rules(kind_of(rules), data) == rules


@pytest.mark.parametrize(
    ("rules", "kind"),
    [
        (DiscountRules(Decimal(1)), Kind.DISCOUNT),
        (AccumulativeRules((Tier(0, Decimal(1), "A"),)), Kind.ACCUMULATIVE),
        (CashbackRules(Decimal(1)), Kind.CASHBACK),
        (StampRules(1, "Gift"), Kind.STAMP),
    ],
)
def test_kind_of_names_the_kind_of_the_rules(rules, kind):
    assert kind_of(rules) is kind
    assert kind.value == str(kind)
