"""Design images served at content-hashed URLs (Google Wallet fetches and caches them).

A URL names the image's SHA-256, so a changed image gets a new URL and no cache serves a
stale one. The starter images of each kind are known from start-up; uploaded images join
them when the designer stores them.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from issuer.designs import STARTERS

ROLES = ("icon", "logo", "strip")


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


def image_by_digest(digest: str) -> bytes | None:
    """The PNG whose SHA-256 is ``digest``, if it is one of ours."""
    path = _starter_images().get(digest)
    return path.read_bytes() if path is not None else None
