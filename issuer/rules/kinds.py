"""The four card kinds and the registry that sends each program's rules to its own module."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeAlias, TypeVar

from issuer.rules import accumulative, cashback, discount, stamp
from issuer.rules.accumulative import AccumulativeRules
from issuer.rules.cashback import CashbackRules
from issuer.rules.discount import DiscountRules
from issuer.rules.errors import RulesInvalid
from issuer.rules.orders import Order, Outcome, check_order
from issuer.rules.parsing import Fields, Problems
from issuer.rules.stamp import StampRules
from issuer.rules.state import AccountState


class Kind(StrEnum):
    """The kind of card a program issues."""

    DISCOUNT = "discount"
    ACCUMULATIVE = "accumulative"
    CASHBACK = "cashback"
    STAMP = "stamp"


Rules: TypeAlias = DiscountRules | AccumulativeRules | CashbackRules | StampRules

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class CardKind(Generic[R]):
    """How one kind of card reads, writes and prices its rules."""

    rules_type: type[R]
    field_names: frozenset[str]
    read: Callable[[Fields], R | None]
    write: Callable[[R], dict[str, object]]
    price: Callable[[R, AccountState, Order], Outcome]
    takes_redeem: bool = False
    takes_reward: bool = False


CARD_KINDS: dict[Kind, CardKind[Any]] = {
    Kind.DISCOUNT: CardKind(
        DiscountRules,
        discount.FIELD_NAMES,
        discount.read_rules,
        discount.write_rules,
        discount.price,
    ),
    Kind.ACCUMULATIVE: CardKind(
        AccumulativeRules,
        accumulative.FIELD_NAMES,
        accumulative.read_rules,
        accumulative.write_rules,
        accumulative.price,
    ),
    Kind.CASHBACK: CardKind(
        CashbackRules,
        cashback.FIELD_NAMES,
        cashback.read_rules,
        cashback.write_rules,
        cashback.price,
        takes_redeem=True,
    ),
    Kind.STAMP: CardKind(
        StampRules,
        stamp.FIELD_NAMES,
        stamp.read_rules,
        stamp.write_rules,
        stamp.price,
        takes_reward=True,
    ),
}

_KIND_OF_RULES: dict[type, Kind] = {card.rules_type: kind for kind, card in CARD_KINDS.items()}


def parse_rules(kind: Kind | str, data: object) -> Rules:
    """Validate JSON-like rules for a card kind; raise RulesInvalid listing every problem."""
    card = _card_named(kind)
    problems = Problems()
    fields = Fields.of(data, card.field_names, problems)
    rules: Rules | None = None if fields is None else card.read(fields)
    problems.raise_if_any()
    if rules is None:
        raise RulesInvalid({"rules": "must be valid rules"})
    return rules


def rules_to_json(rules: Rules) -> dict[str, object]:
    """Write rules as the JSON-ready fields parse_rules reads back."""
    fields: dict[str, object] = CARD_KINDS[kind_of(rules)].write(rules)
    return fields


def kind_of(rules: Rules) -> Kind:
    """Return the card kind the rules belong to."""
    return _KIND_OF_RULES[type(rules)]


def price_order(rules: Rules, state: AccountState, order: Order) -> Outcome:
    """Work out what an order does to an account, changing nothing; raise OrderRefused if not."""
    card = CARD_KINDS[kind_of(rules)]
    check_order(order, takes_redeem=card.takes_redeem, takes_reward=card.takes_reward)
    outcome: Outcome = card.price(rules, state, order)
    return outcome


def tier_of(rules: Rules, state: AccountState) -> int | None:
    """Return the account's tier index on an accumulative card; None for other kinds."""
    if isinstance(rules, AccumulativeRules):
        return accumulative.tier_index(rules, state.total_spent)
    return None


def _card_named(kind: Kind | str) -> CardKind[Any]:
    try:
        return CARD_KINDS[Kind(kind)]
    except ValueError:
        known = ", ".join(Kind)
        raise RulesInvalid({"kind": f"must be one of {known}"}) from None
