"""A picture of a pass as a wallet shows it: colours, program name, front fields, QR and code.

Drawn with Pillow from the neutral :class:`PassContent`, for card pages and designers.
"""

from __future__ import annotations

import io
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from passes.content import Field, PassContent, Slot
from passes.localized import Language

WIDTH, HEIGHT = 640, 820
MARGIN = 40
# DejaVu covers Latin and Cyrillic; Pillow's own font stands in where it is not installed.
FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
FRONT = (Slot.PRIMARY, Slot.SECONDARY, Slot.AUXILIARY)


def preview_png(content: PassContent, language: Language) -> bytes:
    """The pass's front as a PNG, with its texts in ``language``."""
    image = Image.new("RGB", (WIDTH, HEIGHT), content.colours.background.as_tuple())
    draw = ImageDraw.Draw(image)
    name = content.program.logo_text or content.program.name
    draw.text((MARGIN, MARGIN), name.text(language), font=font(34, bold=True), fill=_ink(content))
    top = MARGIN + 80
    for field in [f for f in content.face.fields if f.slot in FRONT][:4]:
        top = _field(draw, content, field, language, top)
    _qr(image, content, draw)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _field(
    draw: ImageDraw.ImageDraw, content: PassContent, field: Field, language: Language, top: int
) -> int:
    label = content.colours.label.as_tuple()
    draw.text((MARGIN, top), field.label.text(language).upper(), font=font(20), fill=label)
    size = 44 if field.slot == Slot.PRIMARY else 30
    value = field.value.text(language)
    draw.text((MARGIN, top + 28), value, font=font(size, bold=True), fill=_ink(content))
    return top + 40 + size + 16


def _qr(image: Image.Image, content: PassContent, draw: ImageDraw.ImageDraw) -> None:
    code = qrcode.QRCode(border=2, box_size=8)
    code.add_data(content.card_code)
    picture = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    picture = picture.resize((260, 260), Image.Resampling.NEAREST)
    left = (WIDTH - 260) // 2
    image.paste(picture, (left, HEIGHT - 350))
    face = font(26)
    width = draw.textlength(content.grouped_code, font=face)
    draw.text(
        ((WIDTH - width) / 2, HEIGHT - 76), content.grouped_code, font=face, fill=_ink(content)
    )


def _ink(content: PassContent) -> tuple[int, int, int]:
    return content.colours.foreground.as_tuple()


def font(size: int, *, bold: bool = False) -> Font:
    """DejaVu Sans (bold if asked) at ``size``, or Pillow's own font where it is missing."""
    path = FONT_FILES[1 if bold else 0]
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)
