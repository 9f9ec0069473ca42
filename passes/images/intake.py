"""Checking uploaded images and re-encoding them as clean PNG.

Every image a pass carries enters here first: PNG or JPEG only (by content, never by
file name), within byte and pixel limits, fully decodable, and re-encoded to PNG
without EXIF, text chunks or colour profiles, so nothing an uploader wrote into the
file's metadata reaches a phone.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageCms, ImageOps

from passes.images.headers import ImageHeader, read_header, sniff_format

_ACCEPTED_FORMATS = ("PNG", "JPEG")
_FORMAT_NAMES = {
    "GIF": "a GIF",
    "WebP": "a WebP image",
    "BMP": "a BMP image",
    "TIFF": "a TIFF image",
    "PDF": "a PDF document",
    "ICO": "an ICO icon",
    "HEIC": "a HEIC photo",
    "HEIF": "a HEIF photo",
    "AVIF": "an AVIF image",
    "SVG": "an SVG drawing",
    "SVG or other XML": "an SVG or other XML document",
    "Photoshop": "a Photoshop document",
}
_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "La", "RGBa"})


class ImageRejected(ValueError):
    """An image was refused; the message says why in words an admin understands."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ImageLimits:
    """What an upload may weigh and measure, and the largest side kept after checking."""

    max_bytes: int = 5_000_000
    max_side: int = 6000
    max_pixels: int = 24_000_000
    stored_side: int = 2048


DEFAULT_LIMITS = ImageLimits()


@dataclass(frozen=True, slots=True)
class CheckedImage:
    """An accepted image: PNG bytes without metadata, and its size in pixels."""

    png: bytes
    width: int
    height: int

    def open(self) -> Image.Image:
        """Decode the PNG for resizing or drawing."""
        image = Image.open(BytesIO(self.png), formats=("PNG",))
        image.load()
        return image


def check_image(
    data: bytes, *, role: str = "image", limits: ImageLimits = DEFAULT_LIMITS
) -> CheckedImage:
    """Check an uploaded image and re-encode it as PNG, or raise ImageRejected."""
    _check_bytes(data, role, limits)
    header = _check_header(data, role, limits)
    image = _decode(data, header, role)
    clean = _clean_copy(image)
    clean.thumbnail((limits.stored_side, limits.stored_side), Image.Resampling.LANCZOS)
    out = BytesIO()
    clean.save(out, format="PNG")
    return CheckedImage(out.getvalue(), clean.width, clean.height)


def _check_bytes(data: bytes, role: str, limits: ImageLimits) -> None:
    if not data:
        raise ImageRejected("empty", f"The {role} file is empty.")
    if len(data) > limits.max_bytes:
        raise ImageRejected(
            "too_many_bytes",
            f"The {role} is {_megabytes_over(len(data), limits.max_bytes)}; "
            f"the largest accepted is {limits.max_bytes / 1_000_000:g} MB.",
        )


def _check_header(data: bytes, role: str, limits: ImageLimits) -> ImageHeader:
    found = sniff_format(data)
    if found not in _ACCEPTED_FORMATS:
        what = _FORMAT_NAMES.get(found or "", "not an image")
        raise ImageRejected(
            "wrong_format", f"The {role} must be a PNG or JPEG image; this file is {what}."
        )
    header = read_header(data)
    if header is None or header.width == 0 or header.height == 0:
        raise _damaged(role)
    too_long = max(header.width, header.height) > limits.max_side
    if too_long or header.width * header.height > limits.max_pixels:
        raise ImageRejected(
            "too_many_pixels",
            f"The {role} is {_dimensions(header)} pixels; the largest accepted is "
            f"{limits.max_side} pixels on a side and "
            f"{limits.max_pixels / 1_000_000:g} megapixels in all.",
        )
    return header


def _decode(data: bytes, header: ImageHeader, role: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            # Our own limits sit far below Pillow's, so this only fires on a file whose
            # frames disagree with its header; refuse it rather than decode it.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=(header.format,))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRejected("too_many_pixels", f"The {role} has too many pixels.") from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise _damaged(role) from error
    if image.size != (header.width, header.height):
        raise _damaged(role)
    return image


def _clean_copy(image: Image.Image) -> Image.Image:
    # Turn the pixels upright and into sRGB first: both facts live in the metadata
    # that the fresh image below leaves behind.
    upright = ImageOps.exif_transpose(image) or image
    mode = "RGBA" if _has_alpha(upright) else "RGB"
    pixels = _to_srgb(upright, mode)
    return Image.frombytes(mode, pixels.size, pixels.tobytes())


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in _ALPHA_MODES or "transparency" in image.info


def _to_srgb(image: Image.Image, mode: str) -> Image.Image:
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image.convert(mode)
    try:
        source = ImageCms.ImageCmsProfile(BytesIO(profile))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A broken or unusual profile is not worth refusing the image for.
        return image.convert(mode)
    return (converted or image).convert(mode)


def _dimensions(header: ImageHeader) -> str:
    # The multiplication sign is what people write between dimensions.
    return f"{header.width}×{header.height}"  # noqa: RUF001


def _damaged(role: str) -> ImageRejected:
    return ImageRejected(
        "damaged",
        f"The {role} file is damaged or incomplete: its image data cannot be read.",
    )


def _megabytes_over(size: int, limit: int) -> str:
    # Enough decimals that a file just over the limit does not read as equal to it.
    places = 1
    while places < 6 and round(size / 1_000_000, places) <= limit / 1_000_000:
        places += 1
    return f"{size / 1_000_000:.{places}f} MB"
