"""Pass previews: Apple's store card and Google's loyalty card, drawn from the pass content."""

from __future__ import annotations

import dataclasses
import io

import pytest
from PIL import Image

from passes.content import CardKind, Colours, Rgb
from passes.preview import HEIGHT, WIDTH, PreviewImages, google_preview_png, preview_png
from passes.qr import read_qr_code
from tests.passes.sample_passes import KINDS, TEMPLATES, content, face

LIGHT = Colours(Rgb(250, 240, 200), Rgb(20, 20, 20), Rgb(90, 90, 90))


def _pixels(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def _logo(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 120), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("kind", KINDS)
def test_the_google_preview_is_a_card_of_the_design_colour_whose_qr_reads_as_the_code(
    kind: CardKind,
) -> None:
    png = google_preview_png(content(kind), "en")
    picture = _pixels(png)
    assert picture.size == (WIDTH, HEIGHT)
    assert picture.getpixel((WIDTH - 5, 5)) == content(kind).colours.background.as_tuple()
    assert read_qr_code(png) == "ABCDEFGHJKMNPQRS"


def test_the_google_preview_writes_dark_text_on_a_light_background() -> None:
    light = content(CardKind.DISCOUNT, colours=LIGHT)
    picture = _pixels(google_preview_png(light, "en"))
    darkest = min(sum(picture.getpixel((x, 160))) for x in range(40, 400))  # type: ignore[arg-type]
    assert darkest < 200


def test_the_google_preview_shows_the_logo_in_its_circle_and_the_hero_below() -> None:
    plain = content(CardKind.CASHBACK)
    images = PreviewImages(logo=_logo((255, 0, 0)), hero=_logo((0, 0, 255)))
    picture = _pixels(google_preview_png(plain, "en", images))
    assert picture.getpixel((40 + 36, 40 + 36)) == (255, 0, 0)
    assert picture.getpixel((WIDTH // 2, HEIGHT - 10)) == (0, 0, 255)


def test_the_google_preview_speaks_the_language_asked_for() -> None:
    stamp = content(CardKind.STAMP)
    assert google_preview_png(stamp, "uk") != google_preview_png(stamp, "en")


def test_the_apple_preview_draws_the_logo_and_the_strip() -> None:
    plain = content(CardKind.DISCOUNT)
    strip = (TEMPLATES / "discount" / "strip.png").read_bytes()
    images = PreviewImages(logo=_logo((255, 0, 0)), strip=strip)
    with_images = preview_png(plain, "en", images)
    assert _pixels(with_images).getpixel((45, 50)) == (255, 0, 0)
    assert _pixels(with_images).getpixel((WIDTH - 5, 200)) != plain.colours.background.as_tuple()
    assert read_qr_code(with_images) == "ABCDEFGHJKMNPQRS"


def test_the_apple_preview_of_a_stamp_card_draws_its_stamps() -> None:
    three = content(CardKind.STAMP)
    seven = dataclasses.replace(three, face=face(CardKind.STAMP, collected=7))
    assert preview_png(seven, "en") != preview_png(three, "en")
