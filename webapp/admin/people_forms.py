"""The people pages' forms as typed: list filters, the balance adjustment, and their messages."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from issuer.member_import import DUPLICATE, ENROLLED, FileProblem
from issuer.people import PeopleFilter
from issuer.rules import MAX_AMOUNT
from issuer.rules.adjustments import MONEY_FIELDS
from webapp.amounts import AmountError, positive_minor_units
from webapp.i18n import gettext

MAX_TEXT = 300
MAX_REASON = 500
CHOICES = {"yes": True, "no": False}


def N_(text: str) -> str:
    """Mark a text for translation; it is translated when shown, inside a request."""
    return text


FIELD_LABELS = {
    "total_spent": N_("Total spent"),
    "cashback_balance": N_("Cashback balance"),
    "stamps": N_("Stamps"),
    "rewards_available": N_("Rewards available"),
    "orders_count": N_("Orders"),
}
BELOW_ZERO = N_("That would take %(field)s below zero. It is %(current)s now.")


def people_filter(args: MultiDict[str, str]) -> PeopleFilter:
    """The list's search and filters from the query string (unknown values mean "any")."""
    return PeopleFilter(
        text=args.get("q", "")[:MAX_TEXT],
        program_id=args.get("program", type=int),
        has_orders=CHOICES.get(args.get("orders", "")),
        voided=CHOICES.get(args.get("voided", "")),
    )


def filter_args(wanted: PeopleFilter) -> dict[str, str]:
    """The query string that shows the same list again (for the pager and the export)."""
    named = {True: "yes", False: "no", None: ""}
    values = {
        "q": wanted.text,
        "program": "" if wanted.program_id is None else str(wanted.program_id),
        "orders": named[wanted.has_orders],
        "voided": named[wanted.voided],
    }
    return {name: value for name, value in values.items() if value}


def field_label(field: str) -> str:
    """An account field's name on the page."""
    return gettext(FIELD_LABELS.get(field, field))


@dataclass(frozen=True, slots=True)
class AdjustmentForm:
    """The adjustment form as typed, kept to be shown again beside its errors."""

    card_id: int | None = None
    field: str = ""
    direction: str = "add"
    amount: str = ""
    reason: str = ""

    @classmethod
    def from_form(cls, form: MultiDict[str, str], card_id: int) -> AdjustmentForm:
        """Read the submitted fields."""
        return cls(
            card_id=card_id,
            field=form.get("field", "")[:40],
            direction="remove" if form.get("direction") == "remove" else "add",
            amount=form.get("amount", "")[:MAX_TEXT],
            reason=form.get("reason", "")[: MAX_REASON + 1],
        )

    def change(self, currency: str, fields: tuple[str, ...]) -> tuple[int, dict[str, str]]:
        """The signed change in minor units or count, and every field error, translated."""
        errors: dict[str, str] = {}
        if self.field not in fields:
            errors["field"] = gettext("Choose what to adjust.")
        amount = self._amount(currency, errors)
        if not self.reason.strip():
            errors["reason"] = gettext("Say why the balance is adjusted.")
        elif len(self.reason) > MAX_REASON:
            errors["reason"] = gettext("Use at most 500 characters.")
        return (-amount if self.direction == "remove" else amount), errors

    def _amount(self, currency: str, errors: dict[str, str]) -> int:
        if self.field in MONEY_FIELDS:
            try:
                return positive_minor_units(self.amount, currency)
            except AmountError as error:
                errors["amount"] = str(error)
                return 0
        text = self.amount.strip()
        if not text.isascii() or not text.isdigit() or not 0 < int(text) <= MAX_AMOUNT:
            errors["amount"] = gettext("Enter a whole number greater than zero.")
            return 0
        return int(text)


ROW_MESSAGES = {
    "name": N_("Name: required, at most 120 characters."),
    "email": N_("Email: not an email address."),
    "phone": N_("Phone: not a phone number; give it with the country code, e.g. +380441234567."),
    "company": N_("Company: required, at most 200 characters."),
    "tax_id": N_("Tax id: 5 to 20 letters and digits."),
    "position": N_("Position: at most 120 characters."),
    "language": N_("Language: use en, uk, ru or pl."),
    "birthday": N_("Birthday: a real date in the past, written YYYY-MM-DD."),
    "row": N_("The row has more cells than the header."),
}
EMAIL_MESSAGES = {
    DUPLICATE: N_("Email: appears more than once in the file."),
    ENROLLED: N_("Email: already has a card in this program."),
}
FILE_MESSAGES = {
    "not_published": N_("The program is not published."),
    "too_large": N_("The file is larger than %(detail)s KB; split it."),
    "not_utf8": N_("The file is not UTF-8 text; save it as CSV UTF-8."),
    "missing_columns": N_("Missing columns: %(detail)s."),
    "unknown_columns": N_("Unknown columns: %(detail)s."),
    "repeated_columns": N_("Repeated columns: %(detail)s."),
    "too_many_rows": N_("The file has more than %(detail)s rows; split it."),
}


def import_messages(errors: dict[str, str]) -> list[str]:
    """What is wrong with one row, field by field, in the admin's language."""
    return [_row_message(name, message) for name, message in errors.items()]


def file_message(problem: FileProblem) -> str:
    """A problem of the whole file in the admin's language."""
    known = FILE_MESSAGES.get(problem.code)
    return gettext(known, detail=problem.detail) if known else problem.message


def _row_message(name: str, message: str) -> str:
    if name == "email" and message in EMAIL_MESSAGES:
        return gettext(EMAIL_MESSAGES[message])
    known = ROW_MESSAGES.get(name)
    return gettext(known) if known else message
