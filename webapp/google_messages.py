"""The delivery worker's Google messages: addMessage for every pending message of a card.

Claims are committed before Google is called and outcomes recorded after (the pattern of
issuer.google_delivery), so a worker that dies in between loses no message: the lease runs
out and another worker sends it. Google keeps at most ten messages on an object, so the
oldest give way to a new one.
"""

from __future__ import annotations

import logging

from issuer import clock
from issuer.db.session import Database
from issuer.message_delivery import (
    GoogleMessageClaim,
    Outcome,
    claim_google_messages,
    record_google_messages,
)
from passes.google import WalletApiError, WalletClient, resource_id, safe_suffix

log = logging.getLogger(__name__)
NOT_FOUND = 404


def send_google_messages(
    database: Database, client: WalletClient, issuer_id: str, batch: int
) -> int:
    """Send one batch of pending messages to Google; how many reached their objects."""
    with database.write() as session:
        claims = claim_google_messages(session, clock.now(), batch)
        if not claims:
            return 0
        session.commit()
    outcomes = [(claim, _send(client, issuer_id, claim)) for claim in claims]
    with database.write() as session:
        record_google_messages(session, outcomes, clock.now())
        session.commit()
    return sum(outcome in (Outcome.NOTIFIED, Outcome.SILENT) for _, outcome in outcomes)


def _send(client: WalletClient, issuer_id: str, claim: GoogleMessageClaim) -> Outcome:
    object_id = resource_id(issuer_id, safe_suffix(claim.serial))
    try:
        if not client.make_room_for_message(object_id):
            return Outcome.NOT_SAVED  # the save link was never used: there is no object
        result = client.add_message(
            object_id, claim.title, claim.body, notify=claim.notify,
            message_id=f"message-{claim.message_id}",
        )  # fmt: skip
    except WalletApiError as error:
        if error.status == NOT_FOUND:
            return Outcome.NOT_SAVED  # the save link was never used: there is no object
        log.error("Google Wallet refused message %s: %s", claim.message_id, error.message)
        return Outcome.RETRY
    return Outcome.NOTIFIED if result.notified else Outcome.SILENT
