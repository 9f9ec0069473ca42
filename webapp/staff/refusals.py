"""What staff read when the checkout refuses something, in their language, by refusal code."""

from __future__ import annotations

from issuer.errors import Invalid, IssuerError
from issuer.rules import NegativeBalance, RulesError
from webapp.i18n import gettext


def N_(text: str) -> str:
    """Mark a text for translation; it is translated when shown, inside a request."""
    return text


MESSAGES = {
    "not_a_card_code": N_(
        "This is not one of our card codes. It may be a card of another program."
    ),
    "unknown_code": N_("No card has this code. Check it and try again."),
    "card_voided": N_("This card has been voided and cannot take orders."),
    "program_not_running": N_("This card's program is not running, so it takes no orders."),
    "program_not_published": N_("This card's program is not running, so it takes no orders."),
    "redeem_not_allowed": N_("Only cashback cards can pay with a balance."),
    "reward_not_allowed": N_("Only stamp cards have rewards to redeem."),
    "no_reward_available": N_("This card has no reward to redeem yet."),
    "redeem_above_balance": N_("That is more cashback than the card holds."),
    "redeem_above_cap": N_("That is more cashback than this program lets pay for one order."),
    "invalid_amount": N_("Enter an amount greater than zero."),
    "invalid_redeem": N_("Enter the cashback to use as an amount, or choose the maximum."),
    "already_reversed": N_("This order has already been undone."),
    "not_reversible": N_("Only orders can be undone."),
    "not_your_order": N_("Only the person who placed this order, or an admin, can undo it."),
    "undo_window_passed": N_("The time to undo this order has passed. Ask an admin to undo it."),
    "idempotency_key_reused": N_(
        "This form was already sent with other values, and the first order stands. "
        "Check the card's last orders."
    ),
    "not_found": N_("Not found. It may have been removed."),
}
FIELD_MESSAGES = {
    "location": N_("Choose the location you are working at."),
    "reason": N_("Say why the order is undone."),
    "idempotency_key": N_("This form is out of date. Reload the page."),
}
BELOW_ZERO = N_("It cannot be undone: a balance would go below zero.")
SPENT = {
    "cashback_balance": N_("It cannot be undone: the cashback from this order has been spent."),
    "rewards_available": N_("It cannot be undone: the reward from this order has been redeemed."),
    "stamps": N_("It cannot be undone: the stamps from this order have been used."),
}


def refusal_message(error: IssuerError | RulesError) -> str:
    """The refusal in the staff member's language (the English original when it has none)."""
    if isinstance(error, Invalid):
        return " ".join(field_messages(error).values())
    if isinstance(error, NegativeBalance):
        return gettext(SPENT.get(error.field, BELOW_ZERO))
    known = MESSAGES.get(error.code)
    return gettext(known) if known else error.message


def field_messages(error: Invalid) -> dict[str, str]:
    """Each invalid field with what is wrong with it, in the staff member's language."""
    return {
        field: gettext(FIELD_MESSAGES[field]) if field in FIELD_MESSAGES else text
        for field, text in error.errors.items()
    }
