"""The strip image of a stamp card: N stamp circles, the first k of them filled.

The picture depends only on the design's colours and the two counts, so it is drawn
once per (design look, collected, required) and served from a cache afterwards.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from PIL import Image, ImageDraw

from passes.content import Colours, Rgb
from passes.images.apple_set import SCALES, STRIP, encode_png

# Drawn larger than the @3x size and scaled down, which smooths the circle edges.
_SUPERSAMPLE = 2
_MARGIN_X = 18.0
_MARGIN_Y = 14.0
_LARGEST_STAMP = 72.0
_STAMP_SHARE = 0.78  # of a grid cell; the rest is the gap between stamps


@dataclass(frozen=True, slots=True)
class StampStripStyle:
    """Colours of the stamp strip: background, filled stamps and empty rings."""

    background: Rgb
    stamp: Rgb
    ring: Rgb

    @classmethod
    def from_colours(cls, colours: Colours) -> StampStripStyle:
        """Take the pass colours: stamps in the value colour, rings in the label colour."""
        return cls(colours.background, colours.foreground, colours.label)


@lru_cache(maxsize=256)
def stamp_strip(style: StampStripStyle, collected: int, required: int) -> Mapping[str, bytes]:
    """Return the strip at every scale: {"strip.png": ..., "strip@2x.png": ...}."""
    if required < 1 or not 0 <= collected <= required:
        raise ValueError(f"cannot draw {collected} of {required} stamps")
    largest = _draw(style, collected, required, 3 * _SUPERSAMPLE).reduce(_SUPERSAMPLE)
    files = {
        STRIP.file_name(scale): encode_png(
            largest.resize((STRIP.width * scale, STRIP.height * scale), Image.Resampling.LANCZOS)
        )
        for scale in SCALES
    }
    return MappingProxyType(files)


def _draw(style: StampStripStyle, collected: int, required: int, scale: int) -> Image.Image:
    canvas = Image.new(
        "RGB", (STRIP.width * scale, STRIP.height * scale), style.background.as_tuple()
    )
    draw = ImageDraw.Draw(canvas)
    for index, (x, y, diameter) in enumerate(_layout(required)):
        box = (x * scale, y * scale, (x + diameter) * scale, (y + diameter) * scale)
        if index < collected:
            _filled_stamp(draw, box, style)
        else:
            ring = max(1, round(diameter * scale * 0.07))
            draw.ellipse(box, outline=style.ring.as_tuple(), width=ring)
    return canvas


def _filled_stamp(
    draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], style: StampStripStyle
) -> None:
    draw.ellipse(box, fill=style.stamp.as_tuple())
    left, top, right, _ = box
    size = right - left
    tick = [
        (left + size * u, top + size * v) for u, v in ((0.28, 0.53), (0.44, 0.68), (0.73, 0.37))
    ]
    draw.line(
        tick, fill=style.background.as_tuple(), width=max(1, round(size * 0.1)), joint="curve"
    )


def _layout(count: int) -> list[tuple[float, float, float]]:
    # Choose the row count that gives the largest stamps, then centre every row,
    # including a shorter last one.
    width = STRIP.width - 2 * _MARGIN_X
    height = STRIP.height - 2 * _MARGIN_Y
    columns, rows = max(
        ((math.ceil(count / rows), rows) for rows in range(1, count + 1)),
        key=lambda grid: min(width / grid[0], height / grid[1]),
    )
    cell = min(width / columns, height / rows)
    diameter = min(cell * _STAMP_SHARE, _LARGEST_STAMP)
    top = (STRIP.height - rows * cell) / 2
    places = []
    for index in range(count):
        row, column = divmod(index, columns)
        in_row = min(columns, count - row * columns)
        left = (STRIP.width - in_row * cell) / 2
        offset = (cell - diameter) / 2
        places.append((left + column * cell + offset, top + row * cell + offset, diameter))
    return places
