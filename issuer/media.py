"""Design images served at content-hashed URLs (Google Wallet fetches and caches them).

A URL names the image's SHA-256, so a changed image gets a new URL and no cache serves a
stale one. The starter images of each kind are known from start-up; uploaded images join
them when the designer stores them (checked and re-encoded first, in ``passes.images``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from issuer.db.models import DesignImage
from issuer.designs import STARTERS
from passes.images import CheckedImage
from passes.preview import PreviewImages

ROLES = ("icon", "logo", "strip", "hero")
STARTER_ROLES = ("icon", "logo", "strip")


@cache
def _starter_images() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(STARTERS.glob("*/*.png")):
        found[hashlib.sha256(path.read_bytes()).hexdigest()] = path
    return found


def starter_image_digest(kind: str, role: str) -> str:
    """The content hash of a starter design's image."""
    data = (STARTERS / kind / f"{role}.png").read_bytes()
    return hashlib.sha256(data).hexdigest()


def image_by_digest(digest: str, session: Session | None = None) -> bytes | None:
    """The PNG whose SHA-256 is ``digest``, if it is one of ours (starter or uploaded)."""
    path = _starter_images().get(digest)
    if path is not None:
        return path.read_bytes()
    stored = session.get(DesignImage, digest) if session is not None else None
    return stored.png if stored is not None else None


def store_image(session: Session, image: CheckedImage, now: dt.datetime) -> str:
    """Keep a checked image (once per content) and return its digest."""
    digest = hashlib.sha256(image.png).hexdigest()
    if digest not in _starter_images() and session.get(DesignImage, digest) is None:
        session.add(
            DesignImage(
                digest=digest, png=image.png, width=image.width, height=image.height, created_at=now
            )
        )
    return digest


def design_image(
    session: Session | None, kind: str, images: Mapping[str, str], role: str
) -> bytes | None:
    """A design's image for ``role``: its upload, else the starter image of its kind, if any."""
    digest = images.get(role)
    if digest is not None:
        found = image_by_digest(digest, session)
        if found is not None:
            return found
    path = STARTERS / kind / f"{role}.png"
    return path.read_bytes() if role in STARTER_ROLES and path.exists() else None


def preview_images(
    session: Session | None,
    kind: str,
    design: Mapping[str, Any],
    uploads: Mapping[str, bytes] | None = None,
) -> PreviewImages:
    """The images a preview of the design draws: fresh uploads, else stored, else starter."""
    stored, fresh = design.get("images", {}), uploads or {}
    found = {role: fresh.get(role) or design_image(session, kind, stored, role) for role in ROLES}
    return PreviewImages(**found)
