"""The ledger: account state as the sum of its entries, and reversal of an entry."""

from collections.abc import Iterable

from issuer.rules.state import STATE_FIELDS, AccountState, Delta, apply_delta


def fold(deltas: Iterable[Delta]) -> AccountState:
    """Add up a ledger from zero; it refuses nothing, so a damaged ledger still shows its sum."""
    totals = dict.fromkeys(STATE_FIELDS, 0)
    for delta in deltas:
        for name in STATE_FIELDS:
            totals[name] += getattr(delta, name)
    return AccountState(**totals)


def reverse(state: AccountState, delta: Delta) -> AccountState:
    """Return the state after undoing a change; raise ReversalRefused if a field goes below 0."""
    return apply_delta(state, delta.negated())
