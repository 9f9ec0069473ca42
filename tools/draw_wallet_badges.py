"""Draw the "Add to Apple Wallet" and "Add to Google Wallet" badges the card page serves.

    .venv/bin/python tools/draw_wallet_badges.py

Writes webapp/static/wallet/{apple,google}-{en,uk,ru,pl}.svg. We may not fetch Apple's or
Google's artwork at run time, so the badges are drawn here after their guidelines:

- Apple, "Add to Apple Wallet badge guidelines"
  (https://developer.apple.com/wallet/add-to-apple-wallet-guidelines/): the two-line badge
  ("Add to" over "Apple Wallet") is the one for web pages; black, on light backgrounds, with
  the thin grey outline for dark ones; clear space of at least 0.1 x the badge's height.
- Google, "Brand guidelines" of the Wallet API (https://developers.google.com/wallet/generic/
  resources/brand-guidelines): "Add to Google Wallet", the Wallet logo to the left of the
  words, a dark button with a grey outline, at least 48 dp high, 8 dp of clear space, as large
  as the other wallet buttons on the page; "Google Wallet" keeps its localized product name.

The width of each badge fits its words measured in DejaVu Sans, which is wider than the fonts
phones draw them in, so no translation overflows its badge.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import ImageFont

STATIC = Path(__file__).resolve().parents[1] / "webapp" / "static" / "wallet"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
HEIGHT = 48
FAMILY = (
    "-apple-system, 'SF Pro Text', 'Helvetica Neue', Roboto, 'Noto Sans', 'DejaVu Sans', Arial,"
    " sans-serif"
)


@dataclass(frozen=True)
class Wording:
    """A badge's words in one language: the small first line and the large second one."""

    first: str
    second: str


APPLE = {
    "en": Wording("Add to", "Apple Wallet"),
    "uk": Wording("Додати в", "Apple Wallet"),
    "ru": Wording("Добавить в", "Apple Wallet"),
    "pl": Wording("Dodaj do", "Apple Wallet"),
}
GOOGLE = {
    "en": Wording("Add to", "Google Wallet"),
    "uk": Wording("Додати в", "Google Гаманець"),
    "ru": Wording("Добавить в", "Google Кошелек"),
    "pl": Wording("Dodaj do", "Portfela Google"),
}


def width_of(text: str, size: int, bold: bool = False) -> float:
    """How wide ``text`` is at ``size`` in DejaVu Sans."""
    return ImageFont.truetype(BOLD if bold else FONT, size).getlength(text)


def apple_badge(words: Wording, language: str) -> str:
    """The two-line black badge: the Wallet glyph, then "Add to" over "Apple Wallet"."""
    text_left = 50
    width = round(
        text_left + max(width_of(words.first, 11), width_of(words.second, 18, bold=True)) + 14
    )
    return _svg(
        width,
        language,
        f"{words.first} {words.second}",
        f'<rect x=".5" y=".5" width="{width - 1}" height="47" rx="8" fill="#000" stroke="#a6a6a6"/>'
        + _apple_wallet_glyph()
        + f'<text x="{text_left}" y="20" font-size="11" fill="#fff">{escape(words.first)}</text>'
        + f'<text x="{text_left}" y="38" font-size="18" font-weight="600" fill="#fff"'
        f' letter-spacing="-.2">{escape(words.second)}</text>',
    )


def google_badge(words: Wording, language: str) -> str:
    """The rounded dark button: the Google Wallet glyph, then "Add to Google Wallet"."""
    text = f"{words.first} {words.second}"
    text_left = 50
    width = round(text_left + width_of(text, 16) + 20)
    return _svg(
        width,
        language,
        text,
        f'<rect x=".5" y=".5" width="{width - 1}" height="47" rx="23.5" fill="#1f1f1f"'
        ' stroke="#747775"/>'
        + _google_wallet_glyph()
        + f'<text x="{text_left}" y="29.5" font-size="16" font-weight="500" fill="#e3e3e3">'
        f"{escape(text)}</text>",
    )


def _apple_wallet_glyph() -> str:
    """Four coloured cards tucked into a pocket, as in the Wallet app's icon."""
    cards = zip((10, 14, 18, 22), ("#3ba5e3", "#fcb72e", "#4fb848", "#f05a46"), strict=True)
    drawn = "".join(
        f'<rect x="11" y="{top}" width="30" height="12" rx="2.5" fill="{colour}"/>'
        for top, colour in cards
    )
    pocket = (
        '<path d="M11 28h7.5c1.6 0 2.4 1 3 2.2.8 1.6 2.3 2.5 4.5 2.5s3.7-.9 4.5-2.5c.6-1.2 1.4-2.2'
        ' 3-2.2H41v8.5a2.5 2.5 0 0 1-2.5 2.5h-25A2.5 2.5 0 0 1 11 36.5z" fill="#d9d9d9"/>'
    )
    return f'<g aria-hidden="true">{drawn}{pocket}</g>'


def _google_wallet_glyph() -> str:
    """Google Wallet's mark: blue, green, yellow and red bands stacked like cards."""
    bands = zip((12, 16.5, 21, 25.5), ("#4285f4", "#34a853", "#fbbc04", "#ea4335"), strict=True)
    drawn = "".join(
        f'<rect x="16" y="{top}" width="24" height="10" rx="3" fill="{colour}"/>'
        for top, colour in bands
    )
    pocket = (
        '<path d="M16 30h7c1.2 0 2 .8 2.6 1.8.6 1 1.6 1.7 2.4 1.7s1.8-.7 2.4-1.7c.6-1 1.4-1.8'
        ' 2.6-1.8h7v3a3 3 0 0 1-3 3H19a3 3 0 0 1-3-3z" fill="#4285f4"/>'
    )
    return f'<g aria-hidden="true">{drawn}{pocket}</g>'


def _svg(width: int, language: str, label: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}"'
        f' viewBox="0 0 {width} {HEIGHT}" lang="{language}" role="img"'
        f' aria-label="{escape(label)}" font-family="{FAMILY}">'
        f"{body}</svg>\n"
    )


def main() -> None:
    """Write every badge in every language."""
    STATIC.mkdir(parents=True, exist_ok=True)
    for language, words in APPLE.items():
        (STATIC / f"apple-{language}.svg").write_text(apple_badge(words, language), "utf-8")
    for language, words in GOOGLE.items():
        (STATIC / f"google-{language}.svg").write_text(google_badge(words, language), "utf-8")


if __name__ == "__main__":
    main()
