"""Errors the card rules raise; each carries a stable code and a human message."""

from collections.abc import Mapping


class RulesError(Exception):
    """Base of every refusal from the card rules."""

    code: str = "rules_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RulesInvalid(RulesError):
    """Program rules that do not validate; errors maps each field path to its problem."""

    code = "invalid_rules"

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        details = "; ".join(f"{path}: {problem}" for path, problem in self.errors.items())
        super().__init__(f"the card rules are invalid: {details}")


class OrderRefused(RulesError):
    """An order the card rules will not apply; nothing changes."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class ReversalRefused(RulesError):
    """A reversal that would take an account below zero; nothing changes."""

    code = "balance_would_go_negative"


class NegativeBalance(ReversalRefused):
    """A change that would take one field of an account below zero."""

    def __init__(self, field: str) -> None:
        super().__init__(f"the change would take {field} below zero")
        self.field = field
