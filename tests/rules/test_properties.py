import json
from dataclasses import astuple

from hypothesis import given, settings
from hypothesis import strategies as st

from issuer.rules import (
    AccountState,
    Order,
    OrderRefused,
    Outcome,
    ReversalRefused,
    Rules,
    apply_delta,
    fold,
    kind_of,
    parse_rules,
    price_order,
    reverse,
    rules_to_json,
)
from tests.rules import strategies


def steps_for(rules: Rules) -> st.SearchStrategy[list[tuple[str, Order, int]]]:
    """Draw a sequence of orders and reversals of earlier orders, picked by position."""
    step = st.tuples(
        st.sampled_from(["order", "reverse"]), strategies.orders_for(rules), st.integers(0, 50)
    )
    return st.lists(step, max_size=30)


def try_order(rules: Rules, state: AccountState, order: Order) -> Outcome | None:
    """Price an order, or return None when it is refused."""
    try:
        return price_order(rules, state, order)
    except OrderRefused:
        return None


@settings(max_examples=200)
@given(rules=strategies.rules, data=st.data())
def test_state_always_equals_the_fold_of_the_ledger_and_never_goes_negative(rules, data):
    steps = data.draw(steps_for(rules))
    state, ledger, open_orders = AccountState(), [], []
    for action, order, pick in steps:
        if action == "order" and (outcome := try_order(rules, state, order)) is not None:
            assert outcome.state_after == apply_delta(state, outcome.delta)
            state = outcome.state_after
            open_orders.append(outcome.delta)
            ledger.append(outcome.delta)
        elif action == "reverse" and open_orders:
            original = open_orders[pick % len(open_orders)]
            try:
                state = reverse(state, original)
            except ReversalRefused:
                pass  # refused: nothing changes, the order stays open
            else:
                open_orders.remove(original)
                ledger.append(original.negated())
        assert state == fold(ledger)
        assert min(astuple(state)) >= 0


@settings(max_examples=200)
@given(rules=strategies.rules, state=strategies.states, data=st.data())
def test_reversing_the_last_order_restores_the_state_before_it(rules, state, data):
    order = data.draw(strategies.orders_for(rules))
    outcome = try_order(rules, state, order)
    if outcome is not None:
        assert reverse(outcome.state_after, outcome.delta) == state


@settings(max_examples=200)
@given(rules=strategies.rules, state=strategies.states, data=st.data())
def test_payable_discount_and_redemption_add_up_to_the_amount(rules, state, data):
    order = data.draw(strategies.orders_for(rules))
    outcome = try_order(rules, state, order)
    if outcome is not None:
        assert outcome.payable + outcome.discount + outcome.redeemed == outcome.amount
        assert 0 <= outcome.payable <= outcome.amount
        assert outcome.delta.total_spent == outcome.payable
        assert outcome.delta.orders_count == 1


@settings(max_examples=200)
@given(rules=strategies.rules, state=strategies.states, order=strategies.plain_orders)
def test_every_valid_order_without_redemption_is_accepted(rules, state, order):
    outcome = price_order(rules, state, order)
    assert outcome.delta.orders_count == 1
    assert outcome.state_after == apply_delta(state, outcome.delta)


@settings(max_examples=200)
@given(rules=strategies.rules)
def test_rules_survive_a_round_trip_through_json(rules):
    assert parse_rules(kind_of(rules), rules_to_json(rules)) == rules
    assert parse_rules(kind_of(rules).value, json.loads(json.dumps(rules_to_json(rules)))) == rules
