from decimal import Decimal

import pytest

from issuer.rules import AccountState, Delta, DiscountRules, Order, price_order


@pytest.mark.parametrize(
    ("percent", "amount", "discount", "payable"),
    [
        ("10", 1000, 100, 900),
        ("10", 5, 1, 4),  # 0.5 rounds up
        ("10", 4, 0, 4),  # 0.4 rounds down
        ("12.5", 999, 125, 874),  # 124.875
        ("0.01", 1, 0, 1),
        ("100", 1234, 1234, 0),
        ("100", 1, 1, 0),
    ],
)
def test_discount_takes_percent_off_rounded_half_up(percent, amount, discount, payable):
    outcome = price_order(DiscountRules(Decimal(percent)), AccountState(), Order(amount))
    assert (outcome.discount, outcome.payable) == (discount, payable)


def test_discount_order_adds_payable_to_spend_and_counts_the_order():
    state = AccountState(total_spent=500, orders_count=2)
    outcome = price_order(DiscountRules(Decimal(10)), state, Order(1000))
    assert outcome.delta == Delta(total_spent=900, orders_count=1)
    assert outcome.state_after == AccountState(total_spent=1400, orders_count=3)


def test_discount_order_earns_nothing_else_and_has_no_tier():
    outcome = price_order(DiscountRules(Decimal(10)), AccountState(), Order(1000))
    assert (outcome.redeemed, outcome.earned, outcome.stamps_earned) == (0, 0, 0)
    assert (outcome.rewards_earned, outcome.rewards_redeemed) == (0, 0)
    assert (outcome.tier_before, outcome.tier_after, outcome.tier_changed) == (None, None, False)
