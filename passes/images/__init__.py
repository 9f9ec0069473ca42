"""Image intake (checks and clean re-encoding), Apple's image set and stamp strips."""

from passes.images.apple_set import (
    ICON,
    LOGO,
    SCALES,
    STORE_CARD_SLOTS,
    STRIP,
    ImageSlot,
    apple_image_set,
    render_slot,
)
from passes.images.intake import (
    DEFAULT_LIMITS,
    CheckedImage,
    ImageLimits,
    ImageRejected,
    check_image,
)
from passes.images.stamps import StampStripStyle, stamp_strip

__all__ = [
    "DEFAULT_LIMITS",
    "ICON",
    "LOGO",
    "SCALES",
    "STORE_CARD_SLOTS",
    "STRIP",
    "CheckedImage",
    "ImageLimits",
    "ImageRejected",
    "ImageSlot",
    "StampStripStyle",
    "apple_image_set",
    "check_image",
    "render_slot",
    "stamp_strip",
]
