"""Apple Wallet's store-card image set: icon, logo and strip at @1x, @2x and @3x.

Sizes in points from the reference (section 1.9): icon 29x29 (required), logo at most
160x50, strip 375x144 (Apple's "gift cards and coupons" height; Wallet scales and
crops to the slot, so the taller strip is the safe one). storeCard passes allow no
other images.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from io import BytesIO

from PIL import Image, ImageOps

from passes.images.intake import CheckedImage

SCALES = (1, 2, 3)


class Fit(Enum):
    """How an image is brought to a slot's size."""

    PAD = "pad"  # whole image, centred on a transparent slot of exactly the size
    CONTAIN = "contain"  # whole image, as large as fits; narrower or lower is fine
    COVER = "cover"  # fills the slot, cropping the overflow around the centre


@dataclass(frozen=True, slots=True)
class ImageSlot:
    """A named image position on the pass and its size in points."""

    name: str
    width: int
    height: int
    fit: Fit

    def file_name(self, scale: int) -> str:
        """Return the archive name at a scale: "logo.png", "logo@2x.png"."""
        return f"{self.name}.png" if scale == 1 else f"{self.name}@{scale}x.png"


ICON = ImageSlot("icon", 29, 29, Fit.PAD)
LOGO = ImageSlot("logo", 160, 50, Fit.CONTAIN)
STRIP = ImageSlot("strip", 375, 144, Fit.COVER)
STORE_CARD_SLOTS = (ICON, LOGO, STRIP)


def apple_image_set(
    *, icon: CheckedImage, logo: CheckedImage | None = None, strip: CheckedImage | None = None
) -> dict[str, bytes]:
    """Render the store-card images at every scale: {"icon.png": ..., "icon@2x.png": ...}."""
    files = render_slot(icon, ICON)
    if logo is not None:
        files |= render_slot(logo, LOGO)
    if strip is not None:
        files |= render_slot(strip, STRIP)
    return files


def render_slot(image: CheckedImage, slot: ImageSlot) -> dict[str, bytes]:
    """Render one image for one slot at @1x, @2x and @3x."""
    source = image.open()
    return {slot.file_name(scale): encode_png(fit_image(source, slot, scale)) for scale in SCALES}


def fit_image(source: Image.Image, slot: ImageSlot, scale: int) -> Image.Image:
    """Resize an image to a slot at a scale, following the slot's fit."""
    box = (slot.width * scale, slot.height * scale)
    if slot.fit is Fit.COVER:
        return ImageOps.fit(source, box, Image.Resampling.LANCZOS)
    ratio = min(box[0] / source.width, box[1] / source.height)
    size = (max(1, round(source.width * ratio)), max(1, round(source.height * ratio)))
    resized = source.resize(size, Image.Resampling.LANCZOS)
    if slot.fit is Fit.CONTAIN:
        return resized
    padded = Image.new("RGBA", box, (0, 0, 0, 0))
    padded.paste(resized, ((box[0] - size[0]) // 2, (box[1] - size[1]) // 2))
    return padded


def encode_png(image: Image.Image) -> bytes:
    """Encode an image as PNG with no metadata chunks."""
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
