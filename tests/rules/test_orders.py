from decimal import Decimal

import pytest

from issuer.rules import (
    MAX_AMOUNT,
    AccountState,
    AccumulativeRules,
    CashbackRules,
    DiscountRules,
    Order,
    OrderRefused,
    RulesError,
    StampRules,
    Tier,
    apply_delta,
    price_order,
)

DISCOUNT = DiscountRules(Decimal(10))
ACCUMULATIVE = AccumulativeRules(tiers=(Tier(0, Decimal(3), "Member"),))
CASHBACK = CashbackRules(Decimal(5))
STAMP = StampRules(10, "Free coffee")
EVERY_KIND = [DISCOUNT, ACCUMULATIVE, CASHBACK, STAMP]
RICH = AccountState(cashback_balance=10**9, stamps=5, rewards_available=3)


@pytest.mark.parametrize("rules", EVERY_KIND)
@pytest.mark.parametrize(
    "amount", [0, -1, -1000, MAX_AMOUNT + 1, True, False, 10.0, "100", None, Decimal(100)]
)
def test_invalid_amount_is_refused_on_every_kind(rules, amount):
    with pytest.raises(OrderRefused) as refusal:
        price_order(rules, RICH, Order(amount))
    assert refusal.value.code == "invalid_amount"


@pytest.mark.parametrize("rules", EVERY_KIND)
@pytest.mark.parametrize("amount", [1, MAX_AMOUNT])
def test_amounts_at_the_limits_are_accepted(rules, amount):
    assert price_order(rules, RICH, Order(amount)).amount == amount


@pytest.mark.parametrize("rules", EVERY_KIND)
@pytest.mark.parametrize("redeem", [-1, True, False, 1.5, "10", "MAX", "all"])
def test_invalid_redeem_is_refused_on_every_kind(rules, redeem):
    with pytest.raises(OrderRefused) as refusal:
        price_order(rules, RICH, Order(1000, redeem=redeem))
    assert refusal.value.code == "invalid_redeem"


@pytest.mark.parametrize("rules", [DISCOUNT, ACCUMULATIVE, STAMP])
@pytest.mark.parametrize("redeem", [1, 500, "max"])
def test_redeem_on_a_program_without_cashback_is_refused(rules, redeem):
    with pytest.raises(OrderRefused) as refusal:
        price_order(rules, RICH, Order(1000, redeem=redeem))
    assert refusal.value.code == "redeem_not_allowed"


@pytest.mark.parametrize("rules", [DISCOUNT, ACCUMULATIVE, STAMP])
@pytest.mark.parametrize("redeem", [None, 0])
def test_redeeming_nothing_is_accepted_on_every_kind(rules, redeem):
    assert price_order(rules, RICH, Order(1000, redeem=redeem)).redeemed == 0


@pytest.mark.parametrize("rules", [DISCOUNT, ACCUMULATIVE, CASHBACK])
def test_reward_redemption_on_a_program_without_stamps_is_refused(rules):
    with pytest.raises(OrderRefused) as refusal:
        price_order(rules, RICH, Order(1000, redeem_reward=True))
    assert refusal.value.code == "reward_not_allowed"


def test_the_amount_is_checked_before_the_redemption():
    with pytest.raises(OrderRefused) as refusal:
        price_order(DISCOUNT, RICH, Order(0, redeem=-1, redeem_reward=True))
    assert refusal.value.code == "invalid_amount"


def test_refusal_carries_code_and_message():
    with pytest.raises(RulesError) as refusal:
        price_order(DISCOUNT, RICH, Order(0))
    assert refusal.value.code == "invalid_amount"
    assert str(refusal.value) == refusal.value.message == "the amount must be at least 1"


@pytest.mark.parametrize("rules", EVERY_KIND)
def test_every_kind_counts_the_order_and_adds_what_is_paid_to_the_spend(rules):
    state = AccountState(total_spent=100, orders_count=7, cashback_balance=50, stamps=1)
    outcome = price_order(rules, state, Order(1000))
    assert outcome.delta.orders_count == 1
    assert outcome.delta.total_spent == outcome.payable
    assert outcome.state_after == apply_delta(state, outcome.delta)
    assert outcome.state_after.orders_count == 8
