from decimal import Decimal

import pytest

from issuer.rules import (
    AccountState,
    AccumulativeRules,
    Delta,
    Order,
    Tier,
    next_tier,
    price_order,
    tier_index,
    tier_of,
)

LADDER = AccumulativeRules(
    tiers=(
        Tier(threshold=0, percent=Decimal("2"), name="Bronze"),
        Tier(threshold=10_000, percent=Decimal("5"), name="Silver"),
        Tier(threshold=50_000, percent=Decimal("10"), name="Gold"),
    )
)


@pytest.mark.parametrize(
    ("total_spent", "index"),
    [
        (0, 0),
        (9_999, 0),  # one below the threshold
        (10_000, 1),  # exactly at the threshold
        (10_001, 1),
        (49_999, 1),
        (50_000, 2),
        (10**15, 2),
    ],
)
def test_tier_index_is_highest_tier_reached(total_spent, index):
    assert tier_index(LADDER, total_spent) == index


@pytest.mark.parametrize(
    ("total_spent", "expected"),
    [
        (0, (LADDER.tiers[1], 10_000)),
        (9_999, (LADDER.tiers[1], 1)),
        (10_000, (LADDER.tiers[2], 40_000)),
        (49_999, (LADDER.tiers[2], 1)),
        (50_000, None),
        (80_000, None),
    ],
)
def test_next_tier_gives_tier_and_spend_left(total_spent, expected):
    assert next_tier(LADDER, total_spent) == expected


def test_single_tier_has_no_next_tier():
    rules = AccumulativeRules(tiers=(Tier(0, Decimal(3), "Member"),))
    assert next_tier(rules, 0) is None


@pytest.mark.parametrize(
    ("total_spent", "amount", "discount", "tier_before", "tier_after"),
    [
        (0, 1000, 20, 0, 0),
        (9_999, 1000, 20, 0, 1),  # one below: still Bronze for this order, Silver after it
        (10_000, 1000, 50, 1, 1),  # exactly at the threshold: Silver
        (0, 100_000, 2000, 0, 2),  # one order jumps two tiers; discount stays at Bronze
        (50_000, 1000, 100, 2, 2),
        (0, 25, 1, 0, 0),  # 0.5 rounds up
        (0, 24, 0, 0, 0),  # 0.48 rounds down
    ],
)
def test_accumulative_discounts_at_tier_of_spend_before_the_order(
    total_spent, amount, discount, tier_before, tier_after
):
    outcome = price_order(LADDER, AccountState(total_spent=total_spent), Order(amount))
    assert (outcome.discount, outcome.payable) == (discount, amount - discount)
    assert (outcome.tier_before, outcome.tier_after) == (tier_before, tier_after)
    assert outcome.tier_changed == (tier_after > tier_before)


@pytest.mark.parametrize(
    ("total_spent", "amount", "changed"),
    [
        (9_000, 1_010, False),  # gross would reach 10010, but it pays 990: 9990
        (9_000, 1_020, True),  # pays exactly 1000: 10000, at the Silver threshold
    ],
)
def test_tier_rises_on_what_is_paid_not_the_gross_amount(total_spent, amount, changed):
    outcome = price_order(LADDER, AccountState(total_spent=total_spent), Order(amount))
    assert outcome.tier_changed is changed


def test_accumulative_order_adds_payable_to_spend():
    outcome = price_order(LADDER, AccountState(total_spent=9_999, orders_count=4), Order(1000))
    assert outcome.delta == Delta(total_spent=980, orders_count=1)
    assert outcome.state_after == AccountState(total_spent=10_979, orders_count=5)


@pytest.mark.parametrize(("total_spent", "tier"), [(0, 0), (9_999, 0), (10_000, 1), (50_000, 2)])
def test_tier_of_accumulative_account_is_its_tier_index(total_spent, tier):
    assert tier_of(LADDER, AccountState(total_spent=total_spent)) == tier
