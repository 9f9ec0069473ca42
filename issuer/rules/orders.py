"""Orders and their outcomes: what staff enter and what the order does to an account."""

from dataclasses import dataclass
from typing import Literal

from issuer.rules.errors import OrderRefused
from issuer.rules.money import MAX_AMOUNT
from issuer.rules.state import AccountState, Delta, apply_delta


@dataclass(frozen=True, slots=True)
class Order:
    """An order as staff or the POS enter it: gross amount, cashback to redeem, reward to take."""

    amount: int
    redeem: int | Literal["max"] | None = None
    redeem_reward: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an order does: the money figures, stamps and rewards, and the change to the account."""

    amount: int
    discount: int
    redeemed: int
    earned: int
    payable: int
    stamps_earned: int
    rewards_earned: int
    rewards_redeemed: int
    tier_before: int | None
    tier_after: int | None
    delta: Delta
    state_after: AccountState

    @property
    def tier_changed(self) -> bool:
        """Tell whether the order lifted the account into a higher tier."""
        if self.tier_before is None or self.tier_after is None:
            return False
        return self.tier_after > self.tier_before


def check_order(order: Order, *, takes_redeem: bool, takes_reward: bool) -> None:
    """Refuse an order whose fields are invalid or ask for what the card kind cannot give."""
    _check_amount(order.amount)
    _check_redeem(order.redeem)
    if not takes_redeem and order.redeem not in (None, 0):
        raise OrderRefused("redeem_not_allowed", "only a cashback card can redeem a balance")
    if not takes_reward and order.redeem_reward:
        raise OrderRefused("reward_not_allowed", "only a stamp card can redeem a reward")


def settle(
    state: AccountState,
    amount: int,
    *,
    discount: int = 0,
    redeemed: int = 0,
    earned: int = 0,
    stamps_earned: int = 0,
    stamps_change: int = 0,
    rewards_earned: int = 0,
    rewards_redeemed: int = 0,
    tier_before: int | None = None,
    tier_after: int | None = None,
) -> Outcome:
    """Return the outcome of an order from the figures its card kind worked out."""
    payable = amount - discount - redeemed
    delta = Delta(
        total_spent=payable,
        orders_count=1,
        cashback_balance=earned - redeemed,
        stamps=stamps_change,
        rewards_available=rewards_earned - rewards_redeemed,
    )
    return Outcome(
        amount=amount,
        discount=discount,
        redeemed=redeemed,
        earned=earned,
        payable=payable,
        stamps_earned=stamps_earned,
        rewards_earned=rewards_earned,
        rewards_redeemed=rewards_redeemed,
        tier_before=tier_before,
        tier_after=tier_after,
        delta=delta,
        state_after=apply_delta(state, delta),
    )


def _check_amount(amount: object) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise OrderRefused("invalid_amount", "the amount must be a whole number of minor units")
    if amount < 1:
        raise OrderRefused("invalid_amount", "the amount must be at least 1")
    if amount > MAX_AMOUNT:
        raise OrderRefused("invalid_amount", f"the amount must be at most {MAX_AMOUNT}")


def _check_redeem(redeem: object) -> None:
    if redeem is None or redeem == "max":
        return
    if isinstance(redeem, bool) or not isinstance(redeem, int):
        message = 'redeem must be a whole number of minor units or "max"'
        raise OrderRefused("invalid_redeem", message)
    if redeem < 0:
        raise OrderRefused("invalid_redeem", "redeem must not be negative")
