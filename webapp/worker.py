"""The delivery worker: claims cards whose passes are behind, pushes, records, repeats.

It is the caller of the delivery use cases, so it owns their commits. `tessera worker` runs
it in the foreground (production, any number of processes); `tessera serve` runs one in a
background thread of the web process (the embedded default). A commit on the app's write
sessions wakes it at once; otherwise it looks again every second.

Between batches it also rolls up the analytics figures of closed days (looking once a
minute, then a month of days per transaction until it has caught up), so the analytics
summary reads a few thousand rows instead of the ledger. Orders never do this work.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import suppress

from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from issuer import clock
from issuer.analytics.closing import close_days
from issuer.db.session import Database
from issuer.delivery import Claim, Pusher, claim_apple_batch, record_apple_delivery
from passes.google import WalletApiError
from webapp.google_channel import GoogleChannel

log = logging.getLogger(__name__)
BATCH = 500
IDLE_WAIT = 1.0
ERROR_WAIT = 5.0
CLOSING_INTERVAL = 60.0


class DeliveryWorker:
    """One delivery loop over one database, one APNs connection and one Google client."""

    def __init__(
        self,
        database: Database,
        pusher: Pusher | None,
        google: GoogleChannel | None = None,
        batch: int = BATCH,
    ) -> None:
        self.database = database
        self.pusher = pusher
        self.google = google
        self.batch = batch
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._next_closing = 0.0

    def run_once(self) -> int:
        """Deliver one batch to each wallet; the number of passes brought up to date."""
        delivered = self._apple_once()
        if self.google is not None:
            delivered += self.google.run_once(self.database, self.batch)
        return delivered

    def _apple_once(self) -> int:
        if self.pusher is None:
            return 0
        with self.database.write() as session:
            claims = claim_apple_batch(session, clock.now(), self.batch)
            if not claims:
                return 0  # nothing claimed, nothing to commit (a commit would wake us again)
            session.commit()
        results = self.pusher.push_many(_tokens(claims))
        with self.database.write() as session:
            delivered = record_apple_delivery(session, claims, results, clock.now())
            session.commit()
        return delivered

    def close_analytics_days(self) -> bool:
        """Roll up the next closed days if any (a month's at most, one commit); whether it did.

        When there is nothing to roll up (or another worker is at it), the next look is a
        minute away.
        """
        if time.monotonic() < self._next_closing:
            return False
        with self.database.write() as session:
            if close_days(session, clock.now()) is None:
                self._next_closing = time.monotonic() + CLOSING_INTERVAL
                return False
            session.commit()
        return True

    def run_until_stopped(self) -> None:
        """Deliver batches until :meth:`stop`; wait for a wake-up when there is nothing to do."""
        while not self._stop.is_set():
            busy = self._run_guarded()
            if not busy:
                self._wake.wait(IDLE_WAIT if busy is not None else ERROR_WAIT)
                self._wake.clear()

    def wake(self) -> None:
        """Look for work now (called after every commit)."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the current batch and return from :meth:`run_until_stopped`."""
        self._stop.set()
        self._wake.set()

    def watch_commits(self) -> None:
        """Wake up after every commit of the database's write sessions."""
        event.listen(self.database.write, "after_commit", self._after_commit)

    def _after_commit(self, session: Session) -> None:
        self._wake.set()

    def _run_guarded(self) -> int | None:
        try:
            return self.run_once() + self.close_analytics_days()
        except (SQLAlchemyError, OSError, WalletApiError):
            log.exception("delivery batch failed; retrying in %s s", ERROR_WAIT)
            return None


def start_in_background(worker: DeliveryWorker) -> Callable[[], None]:
    """Run the worker in a daemon thread; returns a function that stops it."""
    worker.watch_commits()
    thread = threading.Thread(target=worker.run_until_stopped, name="tessera-delivery", daemon=True)
    thread.start()

    def stop() -> None:
        worker.stop()
        with suppress(RuntimeError):
            thread.join(timeout=10)

    return stop


def _tokens(claims: list[Claim]) -> list[str]:
    return list(dict.fromkeys(token for claim in claims for token in claim.tokens))
