"""Hypothesis strategies for card rules, account states and orders."""

from decimal import Decimal

from hypothesis import strategies as st

from issuer.rules import (
    MAX_AMOUNT,
    AccountState,
    AccumulativeRules,
    CashbackRules,
    DiscountRules,
    Order,
    Rules,
    StampRules,
    Tier,
)

percents = st.integers(min_value=1, max_value=10_000).map(
    lambda hundredths: Decimal(hundredths) / 100
)
names = st.text(
    alphabet=st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=40
).filter(lambda name: name.strip() == name and name != "")


@st.composite
def ladders(draw: st.DrawFn) -> AccumulativeRules:
    raised = draw(st.lists(st.integers(1, 200_000), unique=True, max_size=4))
    thresholds = [0, *sorted(raised)]
    tier_percents = sorted(
        draw(st.lists(percents, min_size=len(thresholds), max_size=len(thresholds)))
    )
    tiers = (
        Tier(threshold, percent, draw(names))
        for threshold, percent in zip(thresholds, tier_percents, strict=True)
    )
    return AccumulativeRules(tiers=tuple(tiers))


stamp_cards = st.builds(
    StampRules,
    stamps_required=st.integers(1, 6),
    reward=st.text(min_size=1, max_size=200).map(str.strip).filter(bool),
    min_amount=st.integers(0, 5_000),
) | st.builds(
    StampRules,
    stamps_required=st.integers(1, 6),
    reward=names,
    amount_per_stamp=st.integers(1, 5_000),
)

# One kind first, then its rules, so that every kind is drawn equally often.
rules_of_each_kind: list[st.SearchStrategy[Rules]] = [
    st.builds(DiscountRules, percent=percents),
    ladders(),
    st.builds(CashbackRules, percent=percents, max_redeem_percent=percents),
    stamp_cards,
]
rules = st.sampled_from(rules_of_each_kind).flatmap(lambda rules_of_kind: rules_of_kind)

states = st.builds(
    AccountState,
    total_spent=st.integers(0, 10**6),
    orders_count=st.integers(0, 100),
    cashback_balance=st.integers(0, 10**5),
    stamps=st.integers(0, 20),
    rewards_available=st.integers(0, 3),
)

valid_amounts = st.integers(1, 20_000) | st.integers(1, MAX_AMOUNT)
plain_orders = st.builds(Order, amount=valid_amounts)
redeeming_orders = st.builds(
    Order, amount=valid_amounts, redeem=st.just("max") | st.integers(0, 2_000)
)
reward_orders = st.builds(Order, amount=valid_amounts, redeem_reward=st.just(True))
odd_orders = st.builds(
    Order,
    amount=valid_amounts | st.sampled_from([0, -1, MAX_AMOUNT + 1]),
    redeem=st.none() | st.just("max") | st.integers(-1, 20_000),
    redeem_reward=st.booleans(),
)


def orders_for(rules: Rules) -> st.SearchStrategy[Order]:
    """Draw mostly orders this card can take, so that balances, stamps and tiers build up."""
    if isinstance(rules, CashbackRules):
        return st.one_of(plain_orders, redeeming_orders, redeeming_orders, odd_orders)
    if isinstance(rules, StampRules):
        return st.one_of(plain_orders, plain_orders, reward_orders, odd_orders)
    return st.one_of(plain_orders, plain_orders, odd_orders)
