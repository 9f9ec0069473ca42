"""Pictures of a pass as the wallets show it: Apple's store card and Google's loyalty card.

Drawn with Pillow from the neutral :class:`PassContent` and the design's images, for card
pages and the designer's live preview. Nothing here is loaded from the network.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont, ImageOps

from passes.content import Field, PassContent, Rgb, Slot
from passes.images.stamps import StampStripStyle, stamp_strip
from passes.localized import Language

WIDTH, HEIGHT = 640, 820
MARGIN = 40
STRIP_TOP, STRIP_HEIGHT = 120, 246  # Apple's 375x144 strip at this picture's width
LOGO_BOX = (200, 64)
# DejaVu covers Latin and Cyrillic; Pillow's own font stands in where it is not installed.
FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
Colour = tuple[int, int, int]
BELOW_STRIP = (Slot.SECONDARY, Slot.AUXILIARY)


@dataclass(frozen=True, slots=True)
class PreviewImages:
    """The design's images as checked PNG bytes; a missing one is left out of the picture."""

    logo: bytes | None = None
    icon: bytes | None = None
    strip: bytes | None = None
    hero: bytes | None = None


def preview_png(
    content: PassContent, language: Language, images: PreviewImages | None = None
) -> bytes:
    """The Apple pass's front as a PNG, with its texts in ``language``."""
    images = images or PreviewImages()
    image = Image.new("RGB", (WIDTH, HEIGHT), content.colours.background.as_tuple())
    draw = ImageDraw.Draw(image)
    _apple_header(image, draw, content, language, images.logo)
    _apple_strip(image, content, images.strip)
    primary = [f for f in content.face.fields if f.slot == Slot.PRIMARY][:1]
    for field in primary:
        _field(draw, content, field, language, (MARGIN, STRIP_TOP + 24), 44)
    below = [f for f in content.face.fields if f.slot in BELOW_STRIP][:3]
    column = (WIDTH - 2 * MARGIN) // max(1, len(below))
    for index, field in enumerate(below):
        _field(draw, content, field, language, (MARGIN + index * column, STRIP_TOP + 270), 26)
    _qr(image, draw, content, top=HEIGHT - 350, ink=_ink(content))
    return _png(image)


def google_preview_png(
    content: PassContent, language: Language, images: PreviewImages | None = None
) -> bytes:
    """Google Wallet's loyalty card as a PNG: hex background, logo circle, title, QR, hero."""
    images = images or PreviewImages()
    background = content.colours.background
    image = Image.new("RGB", (WIDTH, HEIGHT), background.as_tuple())
    draw = ImageDraw.Draw(image)
    ink = _readable_on(background)
    _logo_circle(image, images.logo or images.icon, (MARGIN, MARGIN), background)
    program = content.program.name.text(language)
    draw.text((MARGIN + 92, MARGIN + 20), _fit(program, 28), font=font(24), fill=ink)
    title = (content.program.logo_text or content.program.name).text(language)
    draw.text((MARGIN, MARGIN + 110), _fit(title, 22), font=font(40, bold=True), fill=ink)
    front = [f for f in content.face.fields if f.slot != Slot.BACK][:2]
    column = (WIDTH - 2 * MARGIN) // max(1, len(front))
    for index, field in enumerate(front):
        place = (MARGIN + index * column, MARGIN + 190)
        _google_field(draw, field, language, place, ink)
    _qr_panel(image, draw, content, top=MARGIN + 300)
    if images.hero is not None:
        _paste_cover(image, images.hero, (0, HEIGHT - 150, WIDTH, HEIGHT))
    return _png(image)


def _apple_header(
    image: Image.Image,
    draw: ImageDraw.ImageDraw,
    content: PassContent,
    language: Language,
    logo: bytes | None,
) -> None:
    left = MARGIN
    if logo is not None:
        left += _paste_contained(image, logo, (MARGIN, MARGIN - 8), LOGO_BOX) + 16
    name = content.program.logo_text or content.program.name
    face = font(30, bold=True)
    draw.text((left, MARGIN + 6), _fit(name.text(language), 24), font=face, fill=_ink(content))


def _apple_strip(image: Image.Image, content: PassContent, strip: bytes | None) -> None:
    box = (0, STRIP_TOP, WIDTH, STRIP_TOP + STRIP_HEIGHT)
    stamps = content.face.stamps
    if stamps is not None:
        style = StampStripStyle.from_colours(content.colours)
        strip = stamp_strip(style, min(stamps.collected, stamps.required), stamps.required)[
            "strip@2x.png"
        ]
    if strip is not None:
        _paste_cover(image, strip, box)


def _field(
    draw: ImageDraw.ImageDraw,
    content: PassContent,
    field: Field,
    language: Language,
    place: tuple[int, int],
    size: int,
) -> None:
    left, top = place
    label = content.colours.label.as_tuple()
    draw.text((left, top), field.label.text(language).upper(), font=font(18), fill=label)
    value = _fit(field.value.text(language), 24)
    draw.text((left, top + 26), value, font=font(size, bold=True), fill=_ink(content))


def _google_field(
    draw: ImageDraw.ImageDraw, field: Field, language: Language, place: tuple[int, int], ink: Colour
) -> None:
    left, top = place
    draw.text((left, top), field.label.text(language), font=font(20), fill=ink)
    value = _fit(field.value.text(language), 18)
    draw.text((left, top + 30), value, font=font(32, bold=True), fill=ink)


def _qr_panel(
    image: Image.Image, draw: ImageDraw.ImageDraw, content: PassContent, top: int
) -> None:
    left = (WIDTH - 320) // 2
    draw.rounded_rectangle((left, top, left + 320, top + 340), radius=24, fill=(255, 255, 255))
    _qr(image, draw, content, top=top + 20, ink=(60, 64, 67))


def _qr(
    image: Image.Image, draw: ImageDraw.ImageDraw, content: PassContent, top: int, ink: Colour
) -> None:
    code = qrcode.QRCode(border=2, box_size=8)
    code.add_data(content.card_code)
    picture = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    picture = picture.resize((260, 260), Image.Resampling.NEAREST)
    image.paste(picture, ((WIDTH - 260) // 2, top))
    face = font(26)
    width = draw.textlength(content.grouped_code, font=face)
    draw.text(((WIDTH - width) / 2, top + 274), content.grouped_code, font=face, fill=ink)


def _logo_circle(
    image: Image.Image, logo: bytes | None, place: tuple[int, int], background: Rgb
) -> None:
    # Google crops the logo to a circle; a transparent logo shows the card's colour through.
    diameter = 72
    box = (*place, place[0] + diameter, place[1] + diameter)
    ink = _readable_on(background)
    ImageDraw.Draw(image).ellipse(box, fill=background.as_tuple(), outline=ink, width=2)
    if logo is None:
        return
    picture = _decoded(logo).convert("RGBA")
    picture = ImageOps.pad(picture, (diameter - 16, diameter - 16), Image.Resampling.LANCZOS)
    disc = Image.new("RGBA", (diameter, diameter), (*background.as_tuple(), 255))
    disc.alpha_composite(picture, (8, 8))
    mask = Image.new("L", (diameter, diameter), 0)
    ImageDraw.Draw(mask).ellipse((2, 2, diameter - 3, diameter - 3), fill=255)
    image.paste(disc.convert("RGB"), place, mask)


def _paste_contained(
    image: Image.Image, png: bytes, place: tuple[int, int], box: tuple[int, int]
) -> int:
    picture = _decoded(png).convert("RGBA")
    picture = ImageOps.contain(picture, box, Image.Resampling.LANCZOS)
    image.paste(picture, place, picture)
    return picture.width


def _paste_cover(image: Image.Image, png: bytes, box: tuple[int, int, int, int]) -> None:
    size = (box[2] - box[0], box[3] - box[1])
    picture = ImageOps.fit(_decoded(png).convert("RGBA"), size, Image.Resampling.LANCZOS)
    image.paste(picture, box[:2], picture)


def _decoded(png: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(png), formats=("PNG",))
    picture.load()
    return picture


def _readable_on(background: Rgb) -> Colour:
    # Google picks the text colour from the background's brightness; so do we.
    red, green, blue = background.as_tuple()
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return (32, 33, 36) if luminance > 150 else (255, 255, 255)


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ink(content: PassContent) -> Colour:
    return content.colours.foreground.as_tuple()


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)  # drawn as the admin types: fast over small
    return out.getvalue()


@lru_cache(maxsize=32)
def font(size: int, *, bold: bool = False) -> Font:
    """DejaVu Sans (bold if asked) at ``size``, or Pillow's own font where it is missing."""
    path = FONT_FILES[1 if bold else 0]
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)
