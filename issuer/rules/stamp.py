"""Stamp card: orders earn stamps; every stamps_required stamps make one reward."""

from dataclasses import dataclass

from issuer.rules.errors import OrderRefused
from issuer.rules.orders import Order, Outcome, settle
from issuer.rules.parsing import Fields
from issuer.rules.state import AccountState

FIELD_NAMES = frozenset({"stamps_required", "reward", "min_amount", "amount_per_stamp"})
MAX_STAMPS_REQUIRED = 100
MAX_REWARD_LENGTH = 200


@dataclass(frozen=True, slots=True)
class StampRules:
    """Stamps per reward, the reward, and how orders earn stamps.

    With amount_per_stamp None an order of at least min_amount earns one stamp; otherwise an
    order earns one stamp for every whole amount_per_stamp.
    """

    stamps_required: int
    reward: str
    min_amount: int = 0
    amount_per_stamp: int | None = None


def stamps_for(rules: StampRules, amount: int) -> int:
    """Return the stamps an order of this amount earns."""
    if rules.amount_per_stamp is not None:
        return amount // rules.amount_per_stamp
    return 1 if amount >= rules.min_amount else 0


def price(rules: StampRules, state: AccountState, order: Order) -> Outcome:
    """Take a reward first if asked, add the stamps earned and turn full cards into rewards."""
    taken = 1 if order.redeem_reward else 0
    if taken > state.rewards_available:
        raise OrderRefused("no_reward_available", "this card has no reward to redeem")
    earned = stamps_for(rules, order.amount)
    rewards, stamps_left = divmod(state.stamps + earned, rules.stamps_required)
    return settle(
        state,
        order.amount,
        stamps_earned=earned,
        stamps_change=stamps_left - state.stamps,
        rewards_earned=rewards,
        rewards_redeemed=taken,
    )


def read_rules(fields: Fields) -> StampRules | None:
    """Build stamp rules from their fields; None when a field is invalid."""
    required = fields.integer("stamps_required", minimum=1, maximum=MAX_STAMPS_REQUIRED)
    reward = fields.text("reward", max_length=MAX_REWARD_LENGTH)
    earning = _read_earning(fields)
    if required is None or reward is None or earning is None:
        return None
    min_amount, per_stamp = earning
    return StampRules(required, reward, min_amount=min_amount, amount_per_stamp=per_stamp)


def _read_earning(fields: Fields) -> tuple[int, int | None] | None:
    """Return min_amount and amount_per_stamp; None when invalid or both are given."""
    min_amount = fields.integer("min_amount", minimum=0, default=0)
    if not fields.has("amount_per_stamp"):
        return None if min_amount is None else (min_amount, None)
    per_stamp = fields.integer("amount_per_stamp", minimum=1)
    if fields.has("min_amount"):
        message = "give either min_amount or amount_per_stamp, not both"
        fields.problems.add(fields.path("amount_per_stamp"), message)
        return None
    return None if per_stamp is None else (0, per_stamp)


def write_rules(rules: StampRules) -> dict[str, object]:
    """Write stamp rules as JSON-ready fields, naming only the way stamps are earned."""
    earning: dict[str, object] = (
        {"min_amount": rules.min_amount}
        if rules.amount_per_stamp is None
        else {"amount_per_stamp": rules.amount_per_stamp}
    )
    return {"stamps_required": rules.stamps_required, "reward": rules.reward, **earning}
