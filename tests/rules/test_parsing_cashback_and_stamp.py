from decimal import Decimal

import pytest

from issuer.rules import CashbackRules, StampRules, parse_rules
from tests.rules.parsing_examples import errors_of


@pytest.mark.parametrize(
    ("data", "rules"),
    [
        ({"percent": 3}, CashbackRules(Decimal(3), Decimal(100))),
        ({"percent": "2.5", "max_redeem_percent": 50}, CashbackRules(Decimal("2.5"), Decimal(50))),
        ({"percent": 3, "max_redeem_percent": None}, CashbackRules(Decimal(3))),
        ({"percent": 3, "max_redeem_percent": "0.01"}, CashbackRules(Decimal(3), Decimal("0.01"))),
    ],
)
def test_valid_cashback_rules_are_read(data, rules):
    assert parse_rules("cashback", data) == rules


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, {"percent": "is required"}),
        ({"percent": 0}, {"percent": "must be more than 0 and at most 100"}),
        (
            {"percent": 3, "max_redeem_percent": 0},
            {"max_redeem_percent": "must be more than 0 and at most 100"},
        ),
        (
            {"percent": 3, "max_redeem_percent": "50.505"},
            {"max_redeem_percent": "must have at most 2 decimal places"},
        ),
        (
            {"percent": "x", "max_redeem_percent": 101},
            {
                "percent": "must be a number",
                "max_redeem_percent": "must be more than 0 and at most 100",
            },
        ),
    ],
)
def test_invalid_cashback_rules_are_refused_with_their_reasons(data, errors):
    assert errors_of("cashback", data) == errors


@pytest.mark.parametrize(
    ("data", "rules"),
    [
        ({"stamps_required": 10, "reward": "Free coffee"}, StampRules(10, "Free coffee", 0)),
        ({"stamps_required": 1, "reward": " Gift ", "min_amount": 500}, StampRules(1, "Gift", 500)),
        ({"stamps_required": 100, "reward": "Box", "min_amount": 0}, StampRules(100, "Box", 0)),
        (
            {"stamps_required": 5, "reward": "Box", "amount_per_stamp": 1000},
            StampRules(5, "Box", 0, 1000),
        ),
        (
            {"stamps_required": 5, "reward": "Box", "amount_per_stamp": 1, "min_amount": None},
            StampRules(5, "Box", 0, 1),
        ),
    ],
)
def test_valid_stamp_rules_are_read(data, rules):
    assert parse_rules("stamp", data) == rules


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, {"stamps_required": "is required", "reward": "is required"}),
        ({"stamps_required": 0, "reward": "Gift"}, {"stamps_required": "must be at least 1"}),
        ({"stamps_required": 101, "reward": "Gift"}, {"stamps_required": "must be at most 100"}),
        ({"stamps_required": 2.0, "reward": "Gift"}, {"stamps_required": "must be a whole number"}),
        (
            {"stamps_required": "10", "reward": "Gift"},
            {"stamps_required": "must be a whole number"},
        ),
        ({"stamps_required": 10, "reward": ""}, {"reward": "must be non-empty text"}),
        ({"stamps_required": 10, "reward": ["Gift"]}, {"reward": "must be non-empty text"}),
        (
            {"stamps_required": 10, "reward": "x" * 201},
            {"reward": "must be at most 200 characters"},
        ),
        (
            {"stamps_required": 10, "reward": "Gift", "min_amount": -1},
            {"min_amount": "must be at least 0"},
        ),
        (
            {"stamps_required": 10, "reward": "Gift", "amount_per_stamp": 0},
            {"amount_per_stamp": "must be at least 1"},
        ),
        (
            {"stamps_required": 10, "reward": "Gift", "amount_per_stamp": "100"},
            {"amount_per_stamp": "must be a whole number"},
        ),
        (
            {"stamps_required": 10, "reward": "Gift", "min_amount": 0, "amount_per_stamp": 100},
            {"amount_per_stamp": "give either min_amount or amount_per_stamp, not both"},
        ),
        (
            {"stamps_required": 0, "reward": "", "min_amount": -5, "amount_per_stamp": 100},
            {
                "stamps_required": "must be at least 1",
                "reward": "must be non-empty text",
                "min_amount": "must be at least 0",
                "amount_per_stamp": "give either min_amount or amount_per_stamp, not both",
            },
        ),
    ],
)
def test_invalid_stamp_rules_are_refused_with_their_reasons(data, errors):
    assert errors_of("stamp", data) == errors
