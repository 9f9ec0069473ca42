"""The delivery worker's Google side: patch every claimed card's object, then send messages."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from issuer import cards, clock
from issuer.db.models import Card
from issuer.db.session import Database
from issuer.google_delivery import GoogleClaim, claim_google_batch, record_google_delivery
from issuer.google_passes import GooglePasses
from passes.google import WalletApiError
from webapp.google_messages import send_google_messages

log = logging.getLogger(__name__)
NOT_FOUND = 404


class GoogleChannel:
    """Claims cards whose Google object is behind, patches them, records the result."""

    def __init__(self, passes: GooglePasses, card_url: Callable[[Card], str]) -> None:
        self.passes = passes
        self.card_url = card_url

    def run_once(self, database: Database, batch: int) -> int:
        """Bring one batch of objects up to date, send one batch of messages; how many went."""
        patched = self._patch_once(database, batch)
        client, issuer_id = self.passes.client, self.passes.issuer_id
        return patched + send_google_messages(database, client, issuer_id, batch)

    def _patch_once(self, database: Database, batch: int) -> int:
        with database.write() as session:
            claims = claim_google_batch(session, clock.now(), batch)
            if not claims:
                return 0
            session.commit()
        delivered, failed = self._patch_all(database, claims)
        with database.write() as session:
            record_google_delivery(session, delivered, failed, clock.now())
            session.commit()
        return len(delivered)

    def _patch_all(
        self, database: Database, claims: list[GoogleClaim]
    ) -> tuple[list[GoogleClaim], list[GoogleClaim]]:
        delivered: list[GoogleClaim] = []
        failed: list[GoogleClaim] = []
        with database.read() as session:
            for claim in claims:
                card = cards.get_card(session, claim.card_id)
                done = self._patch(session, card)
                (delivered if done else failed).append(claim)
        return delivered, failed

    def _patch(self, session: Session, card: Card) -> bool:
        built = self.passes.build(session, card, self.card_url(card))
        try:
            self.passes.sync_class(built.loyalty_class)
            object_id = built.loyalty_object["id"]
            self.passes.client.patch_object(object_id, built.loyalty_object, notify=True)
        except WalletApiError as error:
            if error.status == NOT_FOUND:
                return True  # the link was never used: there is no object to keep up to date
            log.error("Google Wallet refused the update of card %s: %s", card.id, error.message)
            return False
        return True
