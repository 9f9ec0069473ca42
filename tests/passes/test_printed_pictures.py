"""The home-screen icon and the program poster, as Pillow draws them."""

from __future__ import annotations

import io

from PIL import Image

from passes.content import Rgb
from passes.home_icon import home_icon_png, initials
from passes.poster import Poster, poster_png
from passes.qr import read_qr_code

BROWN, WHITE = Rgb.from_hex("#7c2d12"), Rgb.from_hex("#ffffff")


def test_initials_stand_for_the_first_two_words_in_any_script() -> None:
    assert initials("Service Stamps") == "SS"
    assert initials("гаманець друзів партнерів") == "ГД"
    assert initials("  & Co ") == "C"
    assert initials("") == "#"


def test_the_home_icon_is_a_square_in_the_programs_colour() -> None:
    picture = Image.open(io.BytesIO(home_icon_png("Service Stamps", BROWN, WHITE, 192)))
    assert picture.size == (192, 192)
    assert picture.convert("RGB").getpixel((4, 4)) == BROWN.as_tuple()


def test_a_poster_with_a_long_name_still_reads_as_its_address() -> None:
    poster = Poster(
        name="Horeca Cashback Programme for the Partners of the Year in Every Region",
        headline="Get your loyalty card",
        instructions="Scan the code with your phone's camera, or type the address:",
        url="https://cards.example.com/join/horeca",
        short_url="cards.example.com/join/horeca",
        background=BROWN,
        foreground=WHITE,
    )
    data = poster_png(poster)
    picture = Image.open(io.BytesIO(data))
    assert picture.size == (1240, 1754)
    assert tuple(round(dots) for dots in picture.info["dpi"]) == (150, 150)
    assert read_qr_code(data) == "https://cards.example.com/join/horeca"
