"""A printable A4 poster of a program: its name, the enrollment QR code and the short address.

Drawn with Pillow at 150 dpi (1240 x 1754 pixels); the caller supplies every text already in
the reader's language and the colours of the program's design.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import qrcode
from PIL import Image, ImageDraw

from passes.content import Rgb
from passes.preview import Font, font

WIDTH, HEIGHT = 1240, 1754  # A4 at 150 dpi
MARGIN = 110
BAND = 560
QR_SIDE = 760
INK = (20, 34, 49)
SOFT_INK = (82, 96, 110)
# The name's size: the largest that fits in so many lines within the coloured band.
NAME_SIZES = ((96, 2), (80, 2), (64, 3))


@dataclass(frozen=True, slots=True)
class Poster:
    """What a program's poster says and where its code leads."""

    name: str
    headline: str
    instructions: str
    url: str
    short_url: str
    background: Rgb
    foreground: Rgb


def poster_png(poster: Poster) -> bytes:
    """The poster as a PNG."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, BAND), fill=poster.background.as_tuple())
    ink = poster.foreground.as_tuple()
    _centred(draw, poster.headline, font(48), ink, top=110)
    _centred(draw, poster.name, _name_face(draw, poster.name), ink, top=210)
    image.paste(_qr(poster.url), ((WIDTH - QR_SIDE) // 2, BAND + 90))
    below = BAND + 90 + QR_SIDE + 60
    below = _centred(draw, poster.instructions, font(40), SOFT_INK, top=below)
    _centred(draw, poster.short_url, font(56, bold=True), INK, top=below + 30)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, dpi=(150, 150))
    return out.getvalue()


def _centred(
    draw: ImageDraw.ImageDraw, text: str, face: Font, fill: tuple[int, int, int], top: int
) -> int:
    """Draw ``text`` centred, wrapped to the page's width; return where the next line goes."""
    height = round(getattr(face, "size", 32) * 1.25)
    for line in _lines(draw, text, face):
        width = draw.textlength(line, font=face)
        draw.text(((WIDTH - width) / 2, top), line, font=face, fill=fill)
        top += height
    return top


def _name_face(draw: ImageDraw.ImageDraw, name: str) -> Font:
    for size, most_lines in NAME_SIZES:
        face = font(size, bold=True)
        if len(_lines(draw, name, face)) <= most_lines:
            return face
    return face


def _lines(draw: ImageDraw.ImageDraw, text: str, face: Font) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(joined, font=face) <= WIDTH - 2 * MARGIN:
            lines[-1] = joined
        else:
            lines.append(word)
    return lines


def _qr(url: str) -> Image.Image:
    """The QR code of ``url``, with sharp modules, about QR_SIDE pixels wide."""
    code = qrcode.QRCode(border=4, box_size=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    picture = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    scale = QR_SIDE // picture.width
    side = picture.width * scale
    sharp = picture.resize((side, side), Image.Resampling.NEAREST)
    framed = Image.new("RGB", (QR_SIDE, QR_SIDE), "white")
    framed.paste(sharp, ((QR_SIDE - side) // 2, (QR_SIDE - side) // 2))
    return framed
