"""Apple passes of our cards: signed once per card version, from assets prepared per design.

The signer is built once per process; a design version's images are checked, scaled and
hashed once; a built pass is kept per card version, so Wallet asking again for a pass that
has not changed costs a dictionary look-up.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from issuer import media
from issuer.db.models import Card, DesignVersion
from issuer.designs import STARTERS
from issuer.errors import Conflict
from issuer.messages import shown_message
from issuer.pass_content import content_for, last_order
from passes.apple import AppleIdentity, DesignAssets, Signer, build_pkpass, prepare_design_assets
from passes.content import Colours
from passes.images import CheckedImage, StampStripStyle, apple_image_set, check_image

BUILT_PASSES_KEPT = 512


@dataclass
class ApplePasses:
    """Builds the .pkpass of a card; one per process, shared by every request."""

    identity: AppleIdentity
    signer: Signer
    _assets: dict[int, DesignAssets] = field(default_factory=dict)
    _built: OrderedDict[tuple[int, int, int], bytes] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def built(self, card_id: int, version: int, design_version_id: int | None) -> bytes | None:
        """The pass already built for this version of the card, if this process has it."""
        with self._lock:
            data = self._built.get((card_id, version, design_version_id or 0))
            if data is not None:
                self._built.move_to_end((card_id, version, design_version_id or 0))
            return data

    def pkpass(self, session: Session, card: Card, card_url: str) -> bytes:
        """The signed pass of the card as it is now."""
        version = card.program.current_version
        if version is None:
            raise Conflict("This program is not published.", code="program_not_published")
        key = (card.id, card.version, version.id)
        cached = self.built(*key)
        if cached is not None:
            return cached
        data = self._build(session, card, version, card_url)
        with self._lock:
            self._built[key] = data
            while len(self._built) > BUILT_PASSES_KEPT:
                self._built.popitem(last=False)
        return data

    def _build(self, session: Session, card: Card, version: DesignVersion, card_url: str) -> bytes:
        order, message = last_order(session, card.account_id), shown_message(session, card.id)
        content = content_for(card, version, order, card_url, message)
        return build_pkpass(
            content,
            identity=self.identity,
            assets=self.assets_for(version, card.program.kind, content.colours, session),
            signer=self.signer,
            authentication_token=card.auth_token,
        )

    def assets_for(
        self, version: DesignVersion, kind: str, colours: Colours, session: Session | None = None
    ) -> DesignAssets:
        """The design version's prepared images, made on first use."""
        with self._lock:
            found = self._assets.get(version.id)
        if found is None:
            uploaded = _uploaded_images(session, version.design) if session is not None else {}
            found = design_assets(kind, colours, uploaded)
            with self._lock:
                self._assets[version.id] = found
        return found


def design_assets(
    kind: str, colours: Colours, uploaded: Mapping[str, bytes] | None = None
) -> DesignAssets:
    """Check, scale and hash a design's images: its uploads, else the starter images of its kind."""
    folder, chosen = STARTERS / kind, uploaded or {}

    def image(role: str) -> CheckedImage:
        data = chosen.get(role) or (folder / f"{role}.png").read_bytes()
        return check_image(data, role=role)

    icon, logo = image("icon"), image("logo")
    if kind == "stamp":
        images = apple_image_set(icon=icon, logo=logo)
        return prepare_design_assets(images, stamp_style=StampStripStyle.from_colours(colours))
    return prepare_design_assets(apple_image_set(icon=icon, logo=logo, strip=image("strip")))


def _uploaded_images(session: Session, design: Mapping[str, Any]) -> dict[str, bytes]:
    found = {
        role: media.image_by_digest(digest, session)
        for role, digest in design.get("images", {}).items()
    }
    return {role: data for role, data in found.items() if data is not None}
