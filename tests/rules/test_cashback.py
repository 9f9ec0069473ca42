from decimal import Decimal

import pytest

from issuer.rules import AccountState, CashbackRules, Delta, Order, OrderRefused, price_order

FIVE_PERCENT = CashbackRules(percent=Decimal(5))
HALF_CAP = CashbackRules(percent=Decimal(5), max_redeem_percent=Decimal(50))


@pytest.mark.parametrize(
    ("rules", "balance", "amount", "redeem", "redeemed", "payable", "earned"),
    [
        (FIVE_PERCENT, 0, 1000, None, 0, 1000, 50),
        (FIVE_PERCENT, 300, 1000, None, 0, 1000, 50),  # nothing redeemed unless asked
        (FIVE_PERCENT, 300, 1000, 0, 0, 1000, 50),
        (FIVE_PERCENT, 300, 1000, 200, 200, 800, 40),  # earned on payable, not on amount
        (FIVE_PERCENT, 300, 1000, 300, 300, 700, 35),  # the whole balance
        (FIVE_PERCENT, 300, 1000, "max", 300, 700, 35),  # max: the balance when under the cap
        (FIVE_PERCENT, 5000, 1000, "max", 1000, 0, 0),  # max: the whole order at a 100% cap
        (FIVE_PERCENT, 1000, 1000, 1000, 1000, 0, 0),
        (FIVE_PERCENT, 0, 1000, "max", 0, 1000, 50),
        (HALF_CAP, 5000, 1000, "max", 500, 500, 25),  # max: the cap when under the balance
        (HALF_CAP, 5000, 999, "max", 499, 500, 25),  # cap 499.5 is floored
        (HALF_CAP, 5000, 999, 499, 499, 500, 25),
        (HALF_CAP, 300, 1000, "max", 300, 700, 35),
        (FIVE_PERCENT, 0, 10, None, 0, 10, 1),  # 0.5 rounds up
        (FIVE_PERCENT, 0, 9, None, 0, 9, 0),  # 0.45 rounds down
        (CashbackRules(Decimal("2.5")), 0, 1990, None, 0, 1990, 50),  # 49.75
    ],
)
def test_cashback_redeems_then_earns_on_what_is_paid(
    rules, balance, amount, redeem, redeemed, payable, earned
):
    state = AccountState(cashback_balance=balance)
    outcome = price_order(rules, state, Order(amount, redeem=redeem))
    assert (outcome.redeemed, outcome.payable, outcome.earned) == (redeemed, payable, earned)
    assert outcome.discount == 0
    assert outcome.delta == Delta(
        total_spent=payable, orders_count=1, cashback_balance=earned - redeemed
    )
    assert outcome.state_after.cashback_balance == balance + earned - redeemed


@pytest.mark.parametrize(
    ("rules", "balance", "amount", "redeem", "code"),
    [
        (FIVE_PERCENT, 300, 1000, 301, "redeem_above_balance"),
        (FIVE_PERCENT, 0, 1000, 1, "redeem_above_balance"),
        (FIVE_PERCENT, 5000, 1000, 1001, "redeem_above_cap"),
        (HALF_CAP, 5000, 1000, 501, "redeem_above_cap"),
        (HALF_CAP, 5000, 999, 500, "redeem_above_cap"),  # cap 499.5 floors to 499
        (HALF_CAP, 400, 1000, 600, "redeem_above_balance"),  # above both: balance is checked first
    ],
)
def test_explicit_redemption_above_balance_or_cap_is_refused(rules, balance, amount, redeem, code):
    with pytest.raises(OrderRefused) as refusal:
        price_order(rules, AccountState(cashback_balance=balance), Order(amount, redeem=redeem))
    assert refusal.value.code == code


def test_refused_redemption_message_names_the_figures():
    with pytest.raises(OrderRefused, match="cannot redeem 301: the cashback balance is 300"):
        price_order(FIVE_PERCENT, AccountState(cashback_balance=300), Order(1000, redeem=301))
