"""What the partner's card page shows: live state, QR code, wallet badges, recent orders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import qrcode
from flask import abort
from markupsafe import Markup
from qrcode.image.svg import SvgPathImage

from issuer import cardcodes, cards
from issuer.db.models import Card, Program, Transaction, TransactionKind
from passes.content import Rgb
from webapp.database import session
from webapp.i18n import current_language
from webapp.staff.cardview import Figure, program_name, program_rules, state_figures
from webapp.staff.cardview import account_values as values_of

RECENT = 10
# The badges drawn by tools/draw_wallet_badges.py, in webapp/static/wallet/.
BADGE_LANGUAGES = ("en", "uk", "ru", "pl")
# The app's own colours, for designs without them.
PLAIN = {"background": "#17324d", "foreground": "#ffffff"}


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
    apple_badge: str
    google_badge: str
    theme_colour: str


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
        apple_badge=badge_file("apple", current_language()),
        google_badge=badge_file("google", current_language()),
        theme_colour=program_colour(card.program, "background").hex(),
    )


def found_card(page_token: str) -> Card:
    """The card whose page token this is; 404 when there is none."""
    found = cards.find_card_by_page_token(session(), page_token)
    if found is None:
        abort(404)
    return found


def badge_file(wallet: str, language: str) -> str:
    """The static file of a wallet's badge in ``language`` (English where we have none)."""
    return f"wallet/{wallet}-{language if language in BADGE_LANGUAGES else 'en'}.svg"


def program_colour(program: Program, role: str) -> Rgb:
    """A colour of the program's published design ("background", "foreground")."""
    design: dict[str, Any] = (
        program.current_version.design if program.current_version else program.design
    )
    colours = design.get("colors", {})
    try:
        return Rgb.from_hex(str(colours.get(role, PLAIN[role])))
    except ValueError:
        return Rgb.from_hex(PLAIN[role])


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
