"""Shared example values and helpers for the rules-parsing tests."""

import pytest

from issuer.rules import RulesInvalid, parse_rules

BRONZE = {"threshold": 0, "percent": 2, "name": "Bronze"}
SILVER = {"threshold": 10_000, "percent": 5, "name": "Silver"}
GOLD = {"threshold": 50_000, "percent": 10, "name": "Gold"}


def errors_of(kind: object, data: object) -> dict[str, str]:
    """Return the problems parse_rules reports for data, failing if it accepts it."""
    with pytest.raises(RulesInvalid) as invalid:
        parse_rules(kind, data)  # type: ignore[arg-type]  # bad kinds are the point
    assert invalid.value.code == "invalid_rules"
    return invalid.value.errors
