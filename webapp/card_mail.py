"""The email that carries a card's link, in its holder's language.

Sent after enrollment, when a partner asks for the link again, and when an admin resends it.
"""

from __future__ import annotations

from flask_babel import force_locale  # type: ignore[import-untyped]

from issuer.db.models import Card
from webapp.i18n import gettext
from webapp.links import card_url
from webapp.mail import Mail
from webapp.settings import current_settings
from webapp.staff.cardview import program_name


def card_mail(card: Card) -> Mail:
    """The card's link, in the holder's language."""
    with force_locale(card.member.locale):
        program = program_name(card.program)
        subject = gettext("Your %(program)s card", program=program)
        body = gettext(
            "Hello %(name)s,\n\nyour %(program)s card is here: %(url)s\n\nOpen it on your phone"
            " to add it to Apple Wallet or Google Wallet, or keep the page as your card.\n",
            name=card.member.name,
            program=program,
            url=card_url(card, current_settings()),
        )
    return Mail(card.member.email, subject, body)
