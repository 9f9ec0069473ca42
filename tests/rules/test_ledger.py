import pytest

from issuer.rules import (
    AccountState,
    Delta,
    NegativeBalance,
    ReversalRefused,
    apply_delta,
    fold,
    reverse,
)

ORDER = Delta(total_spent=900, orders_count=1, cashback_balance=-250, stamps=2, rewards_available=1)


def test_negated_delta_is_the_opposite_of_every_field():
    assert ORDER.negated() == Delta(-900, -1, 250, -2, -1)
    assert ORDER.negated().negated() == ORDER


def test_apply_delta_adds_every_field():
    state = AccountState(total_spent=100, orders_count=1, cashback_balance=300)
    assert apply_delta(state, ORDER) == AccountState(1000, 2, 50, 2, 1)


@pytest.mark.parametrize(
    ("delta", "field"),
    [
        (Delta(total_spent=-1), "total_spent"),
        (Delta(orders_count=-1), "orders_count"),
        (Delta(cashback_balance=-1), "cashback_balance"),
        (Delta(stamps=-1), "stamps"),
        (Delta(rewards_available=-1), "rewards_available"),
    ],
)
def test_apply_delta_refuses_any_field_below_zero(delta, field):
    with pytest.raises(NegativeBalance) as refusal:
        apply_delta(AccountState(), delta)
    assert refusal.value.field == field
    assert refusal.value.code == "balance_would_go_negative"
    assert field in str(refusal.value)


def test_fold_of_an_empty_ledger_is_the_zero_state():
    assert fold([]) == AccountState()


def test_fold_adds_up_orders_and_reversals():
    first = Delta(total_spent=1000, orders_count=1, cashback_balance=50)
    second = Delta(total_spent=700, orders_count=1, cashback_balance=-265)
    assert fold([first, second]) == AccountState(1700, 2, -215, 0, 0)
    assert fold([first, second, second.negated()]) == AccountState(1000, 1, 50, 0, 0)


def test_fold_accepts_any_iterable():
    assert fold(iter([ORDER, ORDER])) == AccountState(1800, 2, -500, 4, 2)


def test_reverse_undoes_the_order():
    before = AccountState(total_spent=100, orders_count=1, cashback_balance=300)
    assert reverse(apply_delta(before, ORDER), ORDER) == before


@pytest.mark.parametrize(
    ("state", "delta", "field"),
    [
        # cashback earned by the order was spent since
        (AccountState(1000, 1, 10, 0, 0), Delta(1000, 1, 50, 0, 0), "cashback_balance"),
        # the reward the order completed was redeemed since
        (AccountState(1000, 2, 0, 0, 0), Delta(1000, 1, 0, -9, 1), "rewards_available"),
        # the stamp the order gave went into a reward since
        (AccountState(2000, 2, 0, 0, 1), Delta(1000, 1, 0, 1, 0), "stamps"),
    ],
)
def test_reversal_that_would_go_below_zero_is_refused(state, delta, field):
    with pytest.raises(ReversalRefused, match=field) as refusal:
        reverse(state, delta)
    assert refusal.value.code == "balance_would_go_negative"
