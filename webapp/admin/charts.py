"""Charts drawn on the server as plain SVG: no script, nothing loaded from elsewhere.

Every chart is an image with a title and a description for screen readers
(``role="img"``, ``aria-labelledby``), and every bar carries a ``<title>`` with its exact
value (shown as a tooltip). Colours come from admin.css classes, so the CSP needs no
inline styles. The figures are also on the page as tables.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

WIDTH = 720
DAY_HEIGHT = 220
AXIS = 28
ROW = 30
LABEL_WIDTH = 160
_ids = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: what it is, its value, the value as people read it, and its colour class."""

    label: str
    value: int
    text: str
    tone: str = "bar"


def column_chart(title: str, description: str, bars: Sequence[Bar]) -> Markup:
    """Vertical bars in order (days), negative ones below the axis; a few labels underneath."""
    top, bottom = max([0, *(b.value for b in bars)]), min([0, *(b.value for b in bars)])
    span = (top - bottom) or 1
    plot = DAY_HEIGHT - AXIS
    zero = plot * top / span
    step = WIDTH / max(len(bars), 1)
    parts = [_column(n, bar, step, zero, plot / span) for n, bar in enumerate(bars)]
    parts.append(Markup('<line class="axis" x1="0" x2="{w}" y1="{y}" y2="{y}"/>').format(
        w=WIDTH, y=f"{zero:.1f}"
    ))  # fmt: skip
    parts.extend(_column_labels(bars, step))
    return _svg(title, description, DAY_HEIGHT, parts)


def row_chart(title: str, description: str, bars: Sequence[Bar]) -> Markup:
    """Horizontal bars, one per row, labelled on the left and valued on the right."""
    biggest = max([1, *(abs(b.value) for b in bars)])
    room = WIDTH - LABEL_WIDTH - 260
    parts = [_row(n, bar, room * max(bar.value, 0) / biggest) for n, bar in enumerate(bars)]
    return _svg(title, description, max(len(bars), 1) * ROW, parts)


_ROW = Markup(
    "<g><title>{label}: {text}</title>"
    '<text class="label" x="0" y="{text_y}">{short}</text>'
    '<rect class="{tone}" x="{x}" y="{y}" width="{length}" height="{height}"/>'
    '<text class="value" x="{value_x}" y="{text_y}">{text}</text></g>'
)
_COLUMN = Markup(
    '<rect class="{tone}" x="{x}" y="{y}" width="{width}" height="{height}">'
    "<title>{label}: {text}</title></rect>"
)
_LABEL = Markup('<text class="label" x="{x}" y="{y}" text-anchor="{anchor}">{label}</text>')
_SVG = Markup(
    '<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
    'aria-labelledby="chart-{n}-title chart-{n}-desc" preserveAspectRatio="xMinYMin meet" '
    'xmlns="http://www.w3.org/2000/svg"><title id="chart-{n}-title">{title}</title>'
    '<desc id="chart-{n}-desc">{description}</desc>{parts}</svg>'
)


def _row(n: int, bar: Bar, length: float) -> Markup:
    return _ROW.format(
        label=bar.label, text=bar.text, short=_shorten(bar.label), tone=bar.tone,
        x=LABEL_WIDTH, y=n * ROW + 5, text_y=n * ROW + 19, length=f"{length:.1f}",
        height=ROW - 10, value_x=f"{LABEL_WIDTH + length + 6:.1f}",
    )  # fmt: skip


def _column(n: int, bar: Bar, step: float, zero: float, scale: float) -> Markup:
    height = abs(bar.value) * scale
    return _COLUMN.format(
        tone=bar.tone if bar.value >= 0 else f"{bar.tone} negative",
        x=f"{n * step + step * 0.1:.1f}", y=f"{zero - height if bar.value >= 0 else zero:.1f}",
        width=f"{step * 0.8:.1f}", height=f"{height:.1f}", label=bar.label, text=bar.text,
    )  # fmt: skip


def _column_labels(bars: Sequence[Bar], step: float) -> list[Markup]:
    if not bars:
        return []
    last = len(bars) - 1
    middle = last // 2
    places = {0: (0.0, "start"), middle: ((middle + 0.5) * step, "middle"), last: (WIDTH, "end")}
    return [
        _LABEL.format(x=f"{x:.1f}", y=DAY_HEIGHT - 8, anchor=anchor, label=bars[n].label)
        for n, (x, anchor) in sorted(places.items())
    ]


def _svg(title: str, description: str, height: int, parts: list[Markup]) -> Markup:
    return _SVG.format(
        width=WIDTH, height=height, n=next(_ids), title=title, description=description,
        parts=Markup("").join(parts),
    )  # fmt: skip


def _shorten(label: str, most: int = 26) -> str:
    return label if len(label) <= most else label[: most - 1] + "…"
