"""What the partner's card page shows: live state, QR code, wallet buttons, recent orders."""

from __future__ import annotations

from dataclasses import dataclass

import qrcode
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage

from issuer import cardcodes, cards
from issuer.db.models import Card, Transaction, TransactionKind
from webapp.database import session
from webapp.staff.cardview import Figure, program_name, program_rules, state_figures
from webapp.staff.cardview import account_values as values_of

RECENT = 10


@dataclass(frozen=True, slots=True)
class CardPage:
    """The card as its holder sees it."""

    card: Card
    program_name: str
    code: str
    figures: list[Figure]
    stamp_row: list[bool]
    orders: list[Transaction]
    qr_svg: Markup
    apple_first: bool


def card_page(card: Card, user_agent: str) -> CardPage:
    """The card page of ``card`` for a visitor with this browser."""
    rules = program_rules(card.program)
    return CardPage(
        card=card,
        program_name=program_name(card.program),
        code=cardcodes.grouped(card.code),
        figures=state_figures(values_of(card.account), rules, card.program.currency),
        stamp_row=_stamps(card, getattr(rules, "stamps_required", 0)),
        orders=_orders(card),
        qr_svg=qr_svg(card.code),
        apple_first=not is_android(user_agent),
    )


def is_android(user_agent: str) -> bool:
    """Whether the visitor's device is an Android phone (Google Wallet first, then)."""
    return "android" in user_agent.lower()


def qr_svg(data: str) -> Markup:
    """The QR code of ``data`` as inline SVG (drawn here: nothing loads from elsewhere)."""
    image = qrcode.make(data, image_factory=SvgPathImage, border=2, box_size=10)
    text = image.to_string(encoding="unicode")
    return Markup(text)  # noqa: S704 (made by qrcode from the card's code: no visitor input)


def _stamps(card: Card, required: int) -> list[bool]:
    return [index < card.account.stamps for index in range(required)]


def _orders(card: Card) -> list[Transaction]:
    entries = cards.account_ledger(session(), card.account_id, limit=RECENT)
    return [entry for entry in entries if entry.kind != TransactionKind.ADJUSTMENT]
