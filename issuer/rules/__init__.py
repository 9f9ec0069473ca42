"""Pure card rules: money, the four card kinds, tiers, account state and the ledger fold.

Nothing here does I/O or imports anything of the project; the checkout and database layers
call these functions and store what they return.
"""

from issuer.rules.accumulative import AccumulativeRules, Tier, next_tier, tier_index
from issuer.rules.cashback import CashbackRules
from issuer.rules.discount import DiscountRules
from issuer.rules.errors import (
    NegativeBalance,
    OrderRefused,
    ReversalRefused,
    RulesError,
    RulesInvalid,
)
from issuer.rules.kinds import (
    Kind,
    Rules,
    kind_of,
    parse_rules,
    price_order,
    rules_to_json,
    tier_of,
)
from issuer.rules.ledger import fold, reverse
from issuer.rules.money import MAX_AMOUNT, percent_of
from issuer.rules.orders import Order, Outcome
from issuer.rules.stamp import StampRules
from issuer.rules.state import AccountState, Delta, apply_delta

__all__ = [
    "MAX_AMOUNT",
    "AccountState",
    "AccumulativeRules",
    "CashbackRules",
    "Delta",
    "DiscountRules",
    "Kind",
    "NegativeBalance",
    "Order",
    "OrderRefused",
    "Outcome",
    "ReversalRefused",
    "Rules",
    "RulesError",
    "RulesInvalid",
    "StampRules",
    "Tier",
    "apply_delta",
    "fold",
    "kind_of",
    "next_tier",
    "parse_rules",
    "percent_of",
    "price_order",
    "reverse",
    "rules_to_json",
    "tier_index",
    "tier_of",
]
