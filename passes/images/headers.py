"""Image format and dimensions read from the first bytes, before any pixel is decoded.

Reading the header ourselves lets a decompression bomb be refused with its real
size in the message, before Pillow allocates anything for it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"

# Formats people upload by mistake, named so the refusal can say what the file is.
_OTHER_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"GIF87a", "GIF"),
    (0, b"GIF89a", "GIF"),
    (8, b"WEBP", "WebP"),
    (0, b"BM", "BMP"),
    (0, b"II*\x00", "TIFF"),
    (0, b"MM\x00*", "TIFF"),
    (0, b"%PDF", "PDF"),
    (0, b"\x00\x00\x01\x00", "ICO"),
    (4, b"ftypheic", "HEIC"),
    (4, b"ftypheix", "HEIC"),
    (4, b"ftypmif1", "HEIF"),
    (4, b"ftypavif", "AVIF"),
    (0, b"<svg", "SVG"),
    (0, b"<?xml", "SVG or other XML"),
    (0, b"8BPS", "Photoshop"),
)

# JPEG start-of-frame markers carry the dimensions; C4, C8 and CC share the range
# but mean Huffman tables, an extension and arithmetic coding.
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_STANDALONE_MARKERS = frozenset({0x01, *range(0xD0, 0xD8)})


@dataclass(frozen=True, slots=True)
class ImageHeader:
    """Format ("PNG" or "JPEG") and pixel dimensions as the file declares them."""

    format: str
    width: int
    height: int


def sniff_format(data: bytes) -> str | None:
    """Name the file's format from its magic bytes: PNG, JPEG, another, or None."""
    if data.startswith(PNG_SIGNATURE):
        return "PNG"
    if data.startswith(JPEG_SIGNATURE):
        return "JPEG"
    head = data[:16].lstrip() if data[:1].isspace() else data[:16]
    for offset, magic, name in _OTHER_SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return name
    return None


def read_header(data: bytes) -> ImageHeader | None:
    """Return the declared format and size of a PNG or JPEG, or None if unreadable."""
    if data.startswith(PNG_SIGNATURE):
        return _png_header(data)
    if data.startswith(JPEG_SIGNATURE):
        return _jpeg_header(data)
    return None


def _png_header(data: bytes) -> ImageHeader | None:
    # The IHDR chunk must come first: length (13), type, width, height.
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return ImageHeader("PNG", width, height)


def _jpeg_header(data: bytes) -> ImageHeader | None:
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:
            position += 1
            continue
        if marker in _STANDALONE_MARKERS:
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if marker in _SOF_MARKERS:
            return _sof_dimensions(data, position)
        position += 2 + length
    return None


def _sof_dimensions(data: bytes, position: int) -> ImageHeader | None:
    frame = data[position + 5 : position + 9]
    if len(frame) < 4:
        return None
    height, width = struct.unpack(">HH", frame)
    return ImageHeader("JPEG", width, height)
