"""A design version's images, prepared once and shared by every pass built from it.

Apple reference: section 1.9 of reference/wallet-protocols.md (store cards carry icon,
logo and strip at @1x/@2x/@3x, nothing else; icon is required). A stamp design has no
fixed strip: the strip shows the holder's stamps, so it is drawn per stamp count and
kept in a cache alongside its hashes and ZIP headers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from passes.apple.package import PreparedFiles
from passes.content import PassContent
from passes.images import ICON, SCALES, STORE_CARD_SLOTS, STRIP, StampStripStyle, stamp_strip

_ALLOWED = frozenset(slot.file_name(scale) for slot in STORE_CARD_SLOTS for scale in SCALES)
_STRIPS = frozenset(STRIP.file_name(scale) for scale in SCALES)


@dataclass(frozen=True, slots=True)
class DesignAssets:
    """Prepared images of one design version; stamp designs draw their strip per pass."""

    images: PreparedFiles
    stamp_style: StampStripStyle | None = None

    def files_for(self, content: PassContent) -> tuple[PreparedFiles, ...]:
        """Return the prepared files one pass of this design carries."""
        stamps = content.face.stamps
        if self.stamp_style is None or stamps is None:
            return (self.images,)
        strip = _stamp_strip_files(self.stamp_style, stamps.collected, stamps.required)
        return (self.images, strip)


def prepare_design_assets(
    images: Mapping[str, bytes], *, stamp_style: StampStripStyle | None = None
) -> DesignAssets:
    """Prepare a design's image set (from apple_image_set) for building many passes."""
    unknown = sorted(set(images) - _ALLOWED)
    if unknown:
        raise ValueError(f"a store card carries only icon, logo and strip images, not {unknown}")
    if ICON.file_name(1) not in images:
        raise ValueError("a pass needs icon.png")
    if stamp_style is not None and _STRIPS & set(images):
        raise ValueError("a stamp design draws its own strip; leave strip images out")
    return DesignAssets(PreparedFiles.of(images), stamp_style)


@lru_cache(maxsize=256)
def _stamp_strip_files(style: StampStripStyle, collected: int, required: int) -> PreparedFiles:
    return PreparedFiles.of(stamp_strip(style, collected, required))
