"""Discount card: the same percent off every order."""

from dataclasses import dataclass
from decimal import Decimal

from issuer.rules.money import percent_of, percent_text
from issuer.rules.orders import Order, Outcome, settle
from issuer.rules.parsing import Fields
from issuer.rules.state import AccountState

FIELD_NAMES = frozenset({"percent"})


@dataclass(frozen=True, slots=True)
class DiscountRules:
    """A fixed percent off every order."""

    percent: Decimal


def read_rules(fields: Fields) -> DiscountRules | None:
    """Build discount rules from their fields; None when a field is invalid."""
    percent = fields.percent("percent")
    return None if percent is None else DiscountRules(percent=percent)


def write_rules(rules: DiscountRules) -> dict[str, object]:
    """Write discount rules as JSON-ready fields."""
    return {"percent": percent_text(rules.percent)}


def price(rules: DiscountRules, state: AccountState, order: Order) -> Outcome:
    """Take the program's percent off the order."""
    return settle(state, order.amount, discount=percent_of(order.amount, rules.percent))
