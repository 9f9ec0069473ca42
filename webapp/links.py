"""Public addresses of a card: its page, its Apple pass, its Google save link."""

from __future__ import annotations

from issuer.db.models import Card, Program
from webapp.settings import Settings


def card_url(card: Card, settings: Settings) -> str:
    """The card page; its token is the only key to it."""
    return f"{settings.public_url}/c/{card.page_token}"


def apple_pass_url(card: Card, settings: Settings) -> str:
    """Where the signed .pkpass is downloaded."""
    return f"{card_url(card, settings)}/pass.pkpass"


def google_save_url(card: Card, settings: Settings) -> str:
    """Our address that hands out the card's "Save to Google Wallet" link."""
    return f"{card_url(card, settings)}/google"


def invite_url(program: Program, token: str, settings: Settings) -> str:
    """The enrollment form opened with an invitation (``token`` is its signed part)."""
    return f"{settings.public_url}/join/{program.slug}?invite={token}"
