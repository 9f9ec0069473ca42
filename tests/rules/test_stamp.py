import pytest

from issuer.rules import AccountState, Delta, Order, OrderRefused, StampRules, price_order

TEN_PER_ORDER = StampRules(stamps_required=10, reward="Free coffee")
FROM_500 = StampRules(stamps_required=10, reward="Free coffee", min_amount=500)
PER_100 = StampRules(stamps_required=5, reward="Free box", amount_per_stamp=100)


@pytest.mark.parametrize(
    ("rules", "stamps", "amount", "earned", "stamps_after", "rewards_earned"),
    [
        (TEN_PER_ORDER, 0, 1, 1, 1, 0),
        (TEN_PER_ORDER, 8, 1000, 1, 9, 0),
        (TEN_PER_ORDER, 9, 1000, 1, 0, 1),  # the tenth stamp becomes a reward
        (FROM_500, 3, 499, 0, 3, 0),  # min_amount not reached
        (FROM_500, 3, 500, 1, 4, 0),  # exactly min_amount
        (FROM_500, 9, 500, 1, 0, 1),
        (PER_100, 0, 99, 0, 0, 0),
        (PER_100, 0, 100, 1, 1, 0),
        (PER_100, 0, 399, 3, 3, 0),  # whole stamps only
        (PER_100, 3, 200, 2, 0, 1),
        (PER_100, 3, 300, 3, 1, 1),
        (PER_100, 4, 1600, 16, 0, 4),  # several rewards from one order
        (PER_100, 0, 1234, 12, 2, 2),
        (StampRules(1, "Gift"), 0, 1, 1, 0, 1),  # one stamp per reward
    ],
)
def test_stamps_earned_wrap_into_rewards(
    rules, stamps, amount, earned, stamps_after, rewards_earned
):
    state = AccountState(stamps=stamps, rewards_available=2)
    outcome = price_order(rules, state, Order(amount))
    assert (outcome.stamps_earned, outcome.rewards_earned) == (earned, rewards_earned)
    assert outcome.state_after.stamps == stamps_after
    assert outcome.state_after.rewards_available == 2 + rewards_earned
    assert outcome.delta == Delta(
        total_spent=amount,
        orders_count=1,
        stamps=stamps_after - stamps,
        rewards_available=rewards_earned,
    )


@pytest.mark.parametrize("amount", [1, 499, 500, 10_000])
def test_stamp_order_pays_the_whole_amount(amount):
    outcome = price_order(FROM_500, AccountState(), Order(amount))
    assert (outcome.payable, outcome.discount, outcome.redeemed) == (amount, 0, 0)


@pytest.mark.parametrize(
    ("rules", "stamps", "rewards", "amount", "stamps_after", "rewards_after"),
    [
        (TEN_PER_ORDER, 3, 1, 1000, 4, 0),
        (TEN_PER_ORDER, 9, 1, 1000, 0, 1),  # takes one, earns one
        (FROM_500, 3, 2, 100, 3, 1),  # no stamp, still takes the reward
        (PER_100, 4, 1, 1100, 0, 3),  # takes one, earns three
    ],
)
def test_reward_redemption_takes_one_reward(
    rules, stamps, rewards, amount, stamps_after, rewards_after
):
    state = AccountState(stamps=stamps, rewards_available=rewards)
    outcome = price_order(rules, state, Order(amount, redeem_reward=True))
    assert outcome.rewards_redeemed == 1
    assert outcome.state_after.stamps == stamps_after
    assert outcome.state_after.rewards_available == rewards_after
    assert outcome.delta.rewards_available == rewards_after - rewards


def test_reward_redemption_without_a_reward_is_refused_even_if_the_order_earns_one():
    state = AccountState(stamps=9, rewards_available=0)
    with pytest.raises(OrderRefused) as refusal:
        price_order(TEN_PER_ORDER, state, Order(1000, redeem_reward=True))
    assert refusal.value.code == "no_reward_available"


def test_stamps_above_a_lowered_requirement_wrap_on_the_next_order():
    state = AccountState(stamps=7)
    outcome = price_order(StampRules(3, "Gift", min_amount=500), state, Order(100))
    assert (outcome.stamps_earned, outcome.rewards_earned) == (0, 2)
    assert outcome.state_after.stamps == 1
