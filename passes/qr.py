"""Reading the QR code in a camera frame, for browsers without a BarcodeDetector.

zxing-cpp finds the code at any rotation, at several scales and through blur and noise; the
frame is checked for size before it is decoded, so a hostile upload cannot exhaust memory.
"""

from __future__ import annotations

import io
import warnings

import zxingcpp
from PIL import Image, UnidentifiedImageError

MAX_FRAME_BYTES = 4 * 1024 * 1024
MAX_FRAME_PIXELS = 4096 * 4096
FRAME_FORMATS = ("JPEG", "PNG", "WEBP")


class FrameRefused(ValueError):
    """The upload is not a camera frame we decode: not an image, or too large."""


class NoCodeFound(LookupError):
    """The frame shows no QR code that could be read."""


def read_qr_code(frame: bytes) -> str:
    """The text of the first QR code in a JPEG, PNG or WebP frame.

    :raises FrameRefused: when the bytes are not such an image or are too large.
    :raises NoCodeFound: when no QR code can be read in it.
    """
    image = _open_frame(frame)
    found = zxingcpp.read_barcodes(
        image.convert("L"), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    for barcode in found:
        if barcode.valid and barcode.text:
            return barcode.text
    raise NoCodeFound("no QR code found in the frame")


def _open_frame(frame: bytes) -> Image.Image:
    if len(frame) > MAX_FRAME_BYTES:
        raise FrameRefused(f"frames are at most {MAX_FRAME_BYTES} bytes")
    try:
        with warnings.catch_warnings():
            # Pillow warns about very large images before refusing them; we refuse them first.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(frame), formats=FRAME_FORMATS)
            if image.width * image.height > MAX_FRAME_PIXELS:
                raise FrameRefused(f"frames are at most {MAX_FRAME_PIXELS} pixels")
            image.load()
    except (
        UnidentifiedImageError,
        OSError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ) as error:
        raise FrameRefused("the frame is not a JPEG, PNG or WebP image") from error
    return image
