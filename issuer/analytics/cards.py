"""Card figures: cards issued, wallet installs and active cards.

- Cards issued: cards created in the period.
- Apple installs: Apple Wallet registrations (a device asking for a card's updates) made in
  the period. A device that removes the pass unregisters, so only standing ones are counted.
- Google saves: Google Wallet does not tell us when a partner saves a pass. What we know is
  that a card's Google object exists once its "Save to Google Wallet" link was handed out
  (``google_delivered_version`` >= 1), with no date. So this counts the cards issued in the
  period whose save link was handed out: an upper bound on saves.
- Active cards: cards with an order in the 90 days up to the end of the period that has not
  been reversed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from issuer.analytics.period import ACTIVE_DAYS, Period
from issuer.db.models import Card, DeviceRegistration, Transaction, TransactionKind


@dataclass(frozen=True, slots=True)
class CardFigures:
    """How many cards were issued, put into a wallet, and used."""

    issued: int
    apple_registrations: int
    google_saves: int
    active: int

    @property
    def wallet_installs(self) -> int:
        """Apple registrations and Google saves together."""
        return self.apple_registrations + self.google_saves


def card_figures(session: Session, period: Period, program_id: int | None) -> CardFigures:
    """The card figures of the period (and program)."""
    return CardFigures(
        issued=_count_cards(session, period, program_id),
        apple_registrations=_apple_registrations(session, period, program_id),
        google_saves=_count_cards(session, period, program_id, Card.google_delivered_version >= 1),
        active=_active_cards(session, period, program_id),
    )


def _count_cards(
    session: Session, period: Period, program_id: int | None, *extra: ColumnElement[bool]
) -> int:
    query = select(func.count()).select_from(Card).where(period.within(Card.created_at), *extra)
    if program_id is not None:
        query = query.where(Card.program_id == program_id)
    return int(session.scalar(query) or 0)


def _apple_registrations(session: Session, period: Period, program_id: int | None) -> int:
    query = select(func.count()).select_from(DeviceRegistration)
    query = query.where(period.within(DeviceRegistration.created_at))
    if program_id is not None:
        query = query.join(Card, Card.id == DeviceRegistration.card_id)
        query = query.where(Card.program_id == program_id)
    return int(session.scalar(query) or 0)


def _active_cards(session: Session, period: Period, program_id: int | None) -> int:
    # NOT IN over the few reversed ids lets PostgreSQL hash them once (a correlated NOT
    # EXISTS became a merge join walking the whole ledger).
    reversed_ids = select(Transaction.reverses_id).where(Transaction.reverses_id.is_not(None))
    query = select(func.count(func.distinct(Transaction.card_id))).where(
        Transaction.kind == TransactionKind.ORDER,
        Transaction.created_at >= period.end - dt.timedelta(days=ACTIVE_DAYS),
        Transaction.created_at < period.end,
        Transaction.id.not_in(reversed_ids.scalar_subquery()),
    )
    if program_id is not None:
        query = query.where(Transaction.program_id == program_id)
    return int(session.scalar(query) or 0)
