"""The enrollment form as typed, and its field errors in the visitor's language."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from issuer.enrollment import Application
from webapp.i18n import gettext

MAX_TEXT = 300
TEXT_FIELDS = ("name", "email", "phone", "company", "tax_id", "position", "birthday")


def application_from(form: MultiDict[str, str], language: str) -> Application:
    """The application as sent (overlong values are cut; the checks still see them too long)."""
    texts = {name: form.get(name, "")[:MAX_TEXT] for name in TEXT_FIELDS}
    return Application(
        **texts,
        language=form.get("language", language)[:8],
        consent=form.get("consent") == "yes",
    )


def field_messages(errors: dict[str, str]) -> dict[str, str]:
    """What each wrong field's message says on the page."""
    messages = {
        "name": gettext("Enter your full name."),
        "email": gettext("Enter an email address such as name@company.com."),
        "phone": gettext("Enter a phone number with its country code, e.g. +380 44 123 4567."),
        "company": gettext("Enter your company's name."),
        "tax_id": gettext("A tax id has 5 to 20 letters and digits."),
        "position": gettext("Use at most 120 characters."),
        "language": gettext("Choose one of the languages."),
        "birthday": gettext("Enter a real date in the past, or leave it empty."),
        "consent": gettext("Your consent is needed to issue the card."),
    }
    # In the order the form shows its fields, so the summary reads top to bottom.
    order = list(messages)
    shown = sorted(errors, key=lambda field: order.index(field) if field in order else len(order))
    return {field: messages.get(field, gettext("Check this field.")) for field in shown}
