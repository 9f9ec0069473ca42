"""Account state and the change (delta) one ledger entry makes to it."""

from dataclasses import dataclass, fields

from issuer.rules.errors import NegativeBalance


@dataclass(frozen=True, slots=True)
class AccountState:
    """What an account holds: spend, order count, cashback balance, stamps and rewards."""

    total_spent: int = 0
    orders_count: int = 0
    cashback_balance: int = 0
    stamps: int = 0
    rewards_available: int = 0


@dataclass(frozen=True, slots=True)
class Delta:
    """The change one ledger entry makes to an account, field by field."""

    total_spent: int = 0
    orders_count: int = 0
    cashback_balance: int = 0
    stamps: int = 0
    rewards_available: int = 0

    def negated(self) -> "Delta":
        """Return the opposite change, as a reversal writes it."""
        return Delta(**{name: -getattr(self, name) for name in STATE_FIELDS})


STATE_FIELDS: tuple[str, ...] = tuple(field.name for field in fields(AccountState))


def apply_delta(state: AccountState, delta: Delta) -> AccountState:
    """Return the state after a change, refusing to take any field below zero."""
    values = {name: getattr(state, name) + getattr(delta, name) for name in STATE_FIELDS}
    for name, value in values.items():
        if value < 0:
            raise NegativeBalance(name)
    return AccountState(**values)
