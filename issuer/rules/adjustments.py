"""Manual adjustments: which part of an account an admin may correct on each kind of card.

An adjustment is one more ledger delta, so the fold adds it up like any other entry; it may
never take a field below zero. Stamps added on a stamp card become rewards the way an order's
stamps do, so the account never shows a full card that has not turned into a reward.
"""

from issuer.rules.kinds import Kind, Rules, kind_of
from issuer.rules.stamp import StampRules
from issuer.rules.state import AccountState, Delta, apply_delta

ADJUSTABLE: dict[Kind, tuple[str, ...]] = {
    Kind.DISCOUNT: ("total_spent",),
    Kind.ACCUMULATIVE: ("total_spent",),
    Kind.CASHBACK: ("cashback_balance",),
    Kind.STAMP: ("stamps", "rewards_available"),
}
MONEY_FIELDS = frozenset({"total_spent", "cashback_balance"})


def adjustable_fields(rules: Rules) -> tuple[str, ...]:
    """The account fields an admin may adjust on cards of these rules."""
    return ADJUSTABLE[kind_of(rules)]


def adjustment_delta(rules: Rules, state: AccountState, field: str, change: int) -> Delta:
    """The delta adding ``change`` to ``field`` makes; NegativeBalance if a field goes below 0."""
    if field not in adjustable_fields(rules):
        raise ValueError(f"{field} cannot be adjusted on this kind of card")
    delta = Delta(**{field: change})
    if field == "stamps" and isinstance(rules, StampRules):
        delta = _stamps_into_rewards(rules, state, change)
    apply_delta(state, delta)
    return delta


def _stamps_into_rewards(rules: StampRules, state: AccountState, change: int) -> Delta:
    total = state.stamps + change
    if total < 0:
        return Delta(stamps=change)  # apply_delta refuses it and names the stamps
    rewards, left = divmod(total, rules.stamps_required)
    return Delta(stamps=left - state.stamps, rewards_available=rewards)
