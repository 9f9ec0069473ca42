"""The staff pages' forms as typed, parsed into checkout values with every error at once."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from werkzeug.datastructures import MultiDict

from issuer.errors import Invalid
from issuer.rules import Order
from webapp.amounts import AmountError, minor_units, positive_minor_units
from webapp.i18n import gettext

RedeemChoice = Literal["none", "amount", "max"]
REDEEM_CHOICES: tuple[RedeemChoice, ...] = ("none", "amount", "max")
MAX_TEXT = 500


def new_form_key() -> str:
    """A fresh idempotency key for one form: sending the form again never repeats its effect."""
    return secrets.token_urlsafe(18)


@dataclass(frozen=True, slots=True)
class OrderForm:
    """The order form as typed, kept so that it can be shown again beside its errors."""

    amount: str = ""
    redeem: RedeemChoice = "none"
    redeem_amount: str = ""
    redeem_reward: bool = False
    location_id: int | None = None
    key: str = field(default_factory=new_form_key)

    @classmethod
    def from_form(cls, form: MultiDict[str, str]) -> OrderForm:
        """Read the submitted fields (unknown choices fall back to the defaults)."""
        redeem = form.get("redeem", "none")
        return cls(
            amount=form.get("amount", "")[:MAX_TEXT],
            redeem=_redeem_choice(redeem),
            redeem_amount=form.get("redeem_amount", "")[:MAX_TEXT],
            redeem_reward=form.get("redeem_reward") == "yes",
            location_id=form.get("location", type=int),
            key=form.get("key", "")[:MAX_TEXT],
        )

    def order(self, currency: str) -> Order:
        """The order this form describes, in minor units of ``currency``.

        :raises Invalid: naming every field that cannot be read.
        """
        errors: dict[str, str] = {}
        amount = _read(errors, "amount", lambda: positive_minor_units(self.amount, currency))
        redeem: int | Literal["max"] | None = None
        if self.redeem == "max":
            redeem = "max"
        elif self.redeem == "amount":
            redeem = _read(
                errors, "redeem_amount", lambda: minor_units(self.redeem_amount, currency)
            )
        if errors:
            raise Invalid(errors)
        return Order(amount=amount or 0, redeem=redeem, redeem_reward=self.redeem_reward)


@dataclass(frozen=True, slots=True)
class UndoForm:
    """Why an order is undone, and the key that makes the undo happen once."""

    reason: str = ""
    key: str = field(default_factory=new_form_key)

    @classmethod
    def from_form(cls, form: MultiDict[str, str]) -> UndoForm:
        """Read the submitted fields."""
        return cls(reason=form.get("reason", "")[:MAX_TEXT], key=form.get("key", "")[:MAX_TEXT])


def _read(errors: dict[str, str], name: str, parse: Callable[[], int]) -> int | None:
    try:
        return parse()
    except AmountError as error:
        errors[name] = str(error)
        return None


def _redeem_choice(sent: str) -> RedeemChoice:
    for choice in REDEEM_CHOICES:
        if choice == sent:
            return choice
    return "none"


def redeem_label(choice: RedeemChoice) -> str:
    """How a cashback choice reads on the form."""
    labels = {
        "none": gettext("Don't use"),
        "amount": gettext("Use an amount"),
        "max": gettext("Use the most possible"),
    }
    return labels[choice]
