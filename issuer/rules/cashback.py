"""Cashback card: every order earns a percent of what is paid; the balance pays for orders."""

from dataclasses import dataclass
from decimal import Decimal

from issuer.rules.errors import OrderRefused
from issuer.rules.money import MAX_PERCENT, percent_of, percent_of_rounded_down, percent_text
from issuer.rules.orders import Order, Outcome, settle
from issuer.rules.parsing import Fields
from issuer.rules.state import AccountState

FIELD_NAMES = frozenset({"percent", "max_redeem_percent"})


@dataclass(frozen=True, slots=True)
class CashbackRules:
    """Percent earned on what is paid, and the largest share of an order the balance may pay."""

    percent: Decimal
    max_redeem_percent: Decimal = MAX_PERCENT


def read_rules(fields: Fields) -> CashbackRules | None:
    """Build cashback rules from their fields; None when a field is invalid."""
    percent = fields.percent("percent")
    max_redeem_percent = fields.percent("max_redeem_percent", default=MAX_PERCENT)
    if percent is None or max_redeem_percent is None:
        return None
    return CashbackRules(percent=percent, max_redeem_percent=max_redeem_percent)


def write_rules(rules: CashbackRules) -> dict[str, object]:
    """Write cashback rules as JSON-ready fields."""
    return {
        "percent": percent_text(rules.percent),
        "max_redeem_percent": percent_text(rules.max_redeem_percent),
    }


def price(rules: CashbackRules, state: AccountState, order: Order) -> Outcome:
    """Pay part of the order from the balance if asked, then earn cashback on what is paid."""
    redeemed = _redemption(rules, state.cashback_balance, order)
    earned = percent_of(order.amount - redeemed, rules.percent)
    return settle(state, order.amount, redeemed=redeemed, earned=earned)


def redeem_cap(rules: CashbackRules, amount: int) -> int:
    """Return the most of an order of this amount that the balance may pay."""
    return percent_of_rounded_down(amount, rules.max_redeem_percent)


def _redemption(rules: CashbackRules, balance: int, order: Order) -> int:
    cap = redeem_cap(rules, order.amount)
    if order.redeem == "max":
        return min(balance, cap)
    wanted = order.redeem or 0
    if wanted > balance:
        message = f"cannot redeem {wanted}: the cashback balance is {balance}"
        raise OrderRefused("redeem_above_balance", message)
    if wanted > cap:
        message = f"cannot redeem {wanted}: at most {cap} of this order may be paid with cashback"
        raise OrderRefused("redeem_above_cap", message)
    return wanted
