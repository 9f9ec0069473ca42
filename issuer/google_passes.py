"""Google Wallet passes of our cards: a class per design version, an object per card.

Save links follow Google's size rule: the whole class and object ride in the signed JWT
while the link stays under about 1,800 characters; otherwise the object is inserted through
the REST API first and the link carries only its id. Either way the card is then known to
be at Google, and the delivery worker patches its object whenever its version moves.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from google.auth import crypt
from sqlalchemy.orm import Session

from issuer import media
from issuer.db.models import Card, DesignVersion
from issuer.errors import Conflict
from issuer.pass_content import content_for, last_order
from issuer.rules import AccumulativeRules, parse_rules
from passes.content import PassContent
from passes.google import (
    TierStep,
    WalletClient,
    exceeds_link_limit,
    loyalty_class,
    loyalty_object,
    origins_for,
    safe_suffix,
    save_url,
    short_save_url,
    signer_from,
)
from passes.localized import LocalizedText
from passes.money_display import Money


@dataclass(frozen=True, slots=True)
class GooglePass:
    """A card's class and object, as Google Wallet is to hold them."""

    loyalty_class: dict[str, Any]
    loyalty_object: dict[str, Any]


@dataclass
class GooglePasses:
    """Builds, saves and updates Google passes; one per process."""

    issuer_id: str
    account: Mapping[str, Any]
    public_url: str
    client: WalletClient
    _signer: crypt.Signer | None = None
    _classes_synced: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def signer(self) -> crypt.Signer:
        """The service account's RS256 signer, made once."""
        if self._signer is None:
            self._signer = signer_from(self.account)
        return self._signer

    def build(self, session: Session, card: Card, card_url: str) -> GooglePass:
        """The card's class and object as they are now."""
        version = _published(card)
        content = content_for(card, version, last_order(session, card.account_id), card_url)
        cls = self._class(card, version, content)
        obj = loyalty_object(
            content,
            issuer_id=self.issuer_id,
            object_suffix=safe_suffix(card.serial),
            class_id=cls["id"],
        )
        return GooglePass(cls, obj)

    def save_link(self, session: Session, card: Card, card_url: str) -> str:
        """The "Save to Google Wallet" link; inserts the object first when the link is long."""
        built = self.build(session, card, card_url)
        common = {
            "credentials": self.signer,
            "issuer_email": self.account["client_email"],
            "origins": origins_for(self.public_url),
        }
        link = save_url(
            loyalty_classes=[built.loyalty_class], loyalty_objects=[built.loyalty_object], **common
        )
        if exceeds_link_limit(link):
            self.upload(built)
            ids = {"object_id": built.loyalty_object["id"], "class_id": built.loyalty_class["id"]}
            link = short_save_url(**ids, **common)
        card.google_delivered_version = card.version
        return link

    def upload(self, built: GooglePass, *, notify: bool = False) -> None:
        """Insert or update the class (once per process) and the object at Google."""
        self.sync_class(built.loyalty_class)
        self.client.upsert_object(built.loyalty_object, notify=notify)

    def sync_class(self, loyalty_class: dict[str, Any]) -> None:
        """Insert or update a design version's class, once per process."""
        with self._lock:
            if loyalty_class["id"] in self._classes_synced:
                return
        self.client.upsert_class(loyalty_class)
        with self._lock:
            self._classes_synced.add(loyalty_class["id"])

    def _class(self, card: Card, version: DesignVersion, content: PassContent) -> dict[str, Any]:
        kind, uploaded = card.program.kind, version.design.get("images", {})
        return loyalty_class(
            content,
            issuer_id=self.issuer_id,
            class_suffix=safe_suffix(f"program-{card.program_id}-v{version.number}"),
            issuer_name=content.program.organization,
            logo_url=self._media_url(
                uploaded.get("logo") or media.starter_image_digest(kind, "icon")
            ),
            hero_url=self._media_url(
                uploaded.get("hero") or media.starter_image_digest(kind, "strip")
            ),
            tiers=_tier_steps(card, version),
        )

    def _media_url(self, digest: str) -> str:
        # The design's upload, else its kind's starter image; the URL names the content.
        return f"{self.public_url}/media/{digest}.png"


def _published(card: Card) -> DesignVersion:
    version = card.program.current_version
    if version is None:
        raise Conflict("This program is not published.", code="program_not_published")
    return version


def _tier_steps(card: Card, version: DesignVersion) -> list[TierStep]:
    rules = parse_rules(card.program.kind, version.rules)
    if not isinstance(rules, AccumulativeRules):
        return []
    currency = card.program.currency
    return [
        TierStep(LocalizedText(tier.name), Money(tier.threshold, currency), Decimal(tier.percent))
        for tier in rules.tiers
    ]
