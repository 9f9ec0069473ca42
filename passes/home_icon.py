"""The icon a card page gets on a phone's home screen: the program's initials on its colours.

Square and full-bleed: iOS rounds the corners itself and Android masks it to its own shape,
so the initials stay inside the middle 80 % (the "maskable" safe zone).
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from passes.content import Rgb
from passes.preview import font

SIZES = (180, 192, 512)


def initials(name: str) -> str:
    """Up to two capital letters standing for a program's name."""
    words = [word for word in name.split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:2]).upper() or "#"


def home_icon_png(name: str, background: Rgb, foreground: Rgb, size: int) -> bytes:
    """A ``size`` x ``size`` PNG with the initials of ``name``."""
    image = Image.new("RGB", (size, size), background.as_tuple())
    draw = ImageDraw.Draw(image)
    face = font(round(size * 0.36), bold=True)
    draw.text(
        (size / 2, size / 2), initials(name), font=face, fill=foreground.as_tuple(), anchor="mm"
    )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
