"""Image intake: refusals with plain messages, clean re-encoding, Apple sizes, stamp strips."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from passes.content import CardKind, Rgb
from passes.images import (
    DEFAULT_LIMITS,
    ImageLimits,
    ImageRejected,
    StampStripStyle,
    apple_image_set,
    check_image,
    stamp_strip,
)
from passes.images.headers import read_header
from tests.passes.sample_passes import KINDS, TEMPLATES

STYLE = StampStripStyle(Rgb(124, 45, 18), Rgb(255, 255, 255), Rgb(254, 215, 170))


def encoded(image: Image.Image, fmt: str = "PNG", **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def png(size: tuple[int, int] = (64, 48), colour: str = "teal") -> bytes:
    return encoded(Image.new("RGB", size, colour))


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(side: int) -> bytes:
    """A 1-bit greyscale PNG of side x side pixels whose zeros compress to a few kB."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = bytes(1 + (side + 7) // 8)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(encoded(Image.new("RGB", (16, 16), "red"), "JPEG"))
    start = data.index(b"\xff\xc0")
    data[start + 5 : start + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def refusal(data: bytes, role: str = "logo", limits: ImageLimits = DEFAULT_LIMITS) -> str:
    with pytest.raises(ImageRejected) as caught:
        check_image(data, role=role, limits=limits)
    return f"{caught.value.reason}: {caught.value}"


def test_gif_is_refused_by_content_not_name():
    gif = encoded(Image.new("P", (8, 8)), "GIF")
    assert refusal(gif) == (
        "wrong_format: The logo must be a PNG or JPEG image; this file is a GIF."
    )


def test_webp_is_named_in_the_refusal():
    webp = encoded(Image.new("RGB", (8, 8)), "WEBP")
    assert "this file is a WebP image" in refusal(webp)


def test_a_text_file_is_not_an_image():
    assert refusal(b"name,amount\nacme,12\n") == (
        "wrong_format: The logo must be a PNG or JPEG image; this file is not an image."
    )


def test_an_empty_file_is_refused():
    assert refusal(b"", role="icon") == "empty: The icon file is empty."


def test_a_truncated_png_is_refused():
    noisy = Image.frombytes("RGB", (120, 120), bytes(range(256)) * 168 + bytes(192))
    data = encoded(noisy)
    assert refusal(data[: len(data) // 2]) == (
        "damaged: The logo file is damaged or incomplete: its image data cannot be read."
    )


def test_a_png_with_a_broken_header_is_refused():
    assert refusal(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40).startswith("damaged:")


def test_a_file_over_the_byte_limit_is_refused_before_it_is_parsed():
    message = refusal(bytes(5_000_120))
    assert message == "too_many_bytes: The logo is 5.0001 MB; the largest accepted is 5 MB."


def test_the_byte_limit_message_shows_one_decimal():
    assert "is 6.2 MB" in refusal(bytes(6_200_000))


def test_a_decompression_bomb_is_refused_with_its_size_before_decoding():
    bomb = png_bomb(20_000)
    assert len(bomb) < 100_000
    assert refusal(bomb, role="strip image") == (
        "too_many_pixels: The strip image is 20000×20000 pixels; the largest accepted is "  # noqa: RUF001
        "6000 pixels on a side and 24 megapixels in all."
    )


def test_pillow_bomb_guard_still_applies_when_our_limits_are_lifted():
    lifted = ImageLimits(max_side=100_000, max_pixels=10**10)
    assert refusal(png_bomb(20_000), limits=lifted) == (
        "too_many_pixels: The logo has too many pixels."
    )


def test_too_many_pixels_in_a_jpeg_header_is_refused():
    assert "is 7000×3000 pixels" in refusal(jpeg_claiming(7000, 3000))  # noqa: RUF001


def test_jpeg_header_dimensions_are_read_from_the_frame():
    header = read_header(jpeg_claiming(1234, 567))
    assert header is not None
    assert (header.format, header.width, header.height) == ("JPEG", 1234, 567)


def test_png_text_exif_and_colour_profile_are_stripped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "someone@example.com")
    info.add_itxt("Comment", "привіт", zip=True)
    exif = Image.Exif()
    exif[0x013B] = "Photographer"  # Artist
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encoded(Image.new("RGB", (40, 30), "orange"), pnginfo=info, exif=exif,
                   icc_profile=profile)  # fmt: skip
    for chunk in (b"tEXt", b"iTXt", b"eXIf", b"iCCP"):
        assert chunk in data
    clean = check_image(data).png
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP", b"someone"):
        assert chunk not in clean
    with Image.open(io.BytesIO(clean)) as reopened:
        assert reopened.format == "PNG"
        assert not set(reopened.info) & {"Author", "Comment", "exif", "icc_profile"}


def test_jpeg_exif_is_dropped_after_turning_the_image_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display
    exif[0x010F] = "PhoneMaker"
    data = encoded(Image.new("RGB", (40, 20), "navy"), "JPEG", exif=exif.tobytes())
    checked = check_image(data)
    assert (checked.width, checked.height) == (20, 40)
    assert b"PhoneMaker" not in checked.png
    with Image.open(io.BytesIO(checked.png)) as reopened:
        assert "exif" not in reopened.info


@pytest.mark.parametrize(
    ("image", "fmt", "mode"),
    [
        (Image.new("P", (10, 10)), "PNG", "RGB"),
        (Image.new("RGBA", (10, 10), (0, 0, 0, 0)), "PNG", "RGBA"),
        (Image.new("LA", (10, 10)), "PNG", "RGBA"),
        (Image.new("I;16", (10, 10)), "PNG", "RGB"),
        (Image.new("CMYK", (10, 10)), "JPEG", "RGB"),
        (Image.new("L", (10, 10)), "JPEG", "RGB"),
    ],
)
def test_every_common_pixel_format_becomes_rgb_or_rgba(image, fmt, mode):
    with Image.open(io.BytesIO(check_image(encoded(image, fmt)).png)) as result:
        assert result.mode == mode


def test_palette_transparency_is_kept_as_alpha():
    image = Image.new("P", (10, 10))
    data = encoded(image, transparency=0)
    with Image.open(io.BytesIO(check_image(data).png)) as result:
        assert result.mode == "RGBA"
        assert result.getpixel((0, 0)) == (0, 0, 0, 0)


def test_large_images_are_stored_at_a_bounded_size():
    checked = check_image(png((3000, 1000)))
    assert (checked.width, checked.height) == (2048, 683)


def test_apple_image_set_has_every_scale_at_its_size():
    files = apple_image_set(
        icon=check_image(png((300, 200))),
        logo=check_image(png((600, 100))),
        strip=check_image(png((800, 800))),
    )
    sizes = {name: Image.open(io.BytesIO(data)).size for name, data in files.items()}
    assert sizes == {
        "icon.png": (29, 29), "icon@2x.png": (58, 58), "icon@3x.png": (87, 87),
        "logo.png": (160, 27), "logo@2x.png": (320, 53), "logo@3x.png": (480, 80),
        "strip.png": (375, 144), "strip@2x.png": (750, 288), "strip@3x.png": (1125, 432),
    }  # fmt: skip


def test_a_tall_logo_fits_the_height():
    files = apple_image_set(icon=check_image(png()), logo=check_image(png((100, 100))))
    assert Image.open(io.BytesIO(files["logo@2x.png"])).size == (100, 100)


def test_stamp_strip_has_the_strip_size_at_every_scale():
    files = stamp_strip(STYLE, 3, 10)
    sizes = {name: Image.open(io.BytesIO(data)).size for name, data in files.items()}
    assert sizes == {
        "strip.png": (375, 144),
        "strip@2x.png": (750, 288),
        "strip@3x.png": (1125, 432),
    }


def test_stamp_strip_changes_with_the_count_and_is_drawn_once():
    three = stamp_strip(STYLE, 3, 10)
    assert three["strip@2x.png"] != stamp_strip(STYLE, 4, 10)["strip@2x.png"]
    assert stamp_strip(STYLE, 3, 10) is three


def test_stamp_strip_shows_filled_stamps_in_the_stamp_colour():
    strip = Image.open(io.BytesIO(stamp_strip(STYLE, 1, 1)["strip@3x.png"])).convert("RGB")
    empty = Image.open(io.BytesIO(stamp_strip(STYLE, 0, 1)["strip@3x.png"])).convert("RGB")
    # The single stamp is centred; a point on its upper-left, off the tick mark.
    point = (1125 // 2 - 60, 432 // 2 - 60)
    assert strip.getpixel(point) == (255, 255, 255)
    assert empty.getpixel(point) == (124, 45, 18)


@pytest.mark.parametrize(("collected", "required"), [(-1, 10), (11, 10), (0, 0)])
def test_stamp_strip_refuses_impossible_counts(collected, required):
    with pytest.raises(ValueError, match="stamps"):
        stamp_strip(STYLE, collected, required)


def test_many_stamps_still_fit_the_strip():
    files = stamp_strip(STYLE, 17, 40)
    assert Image.open(io.BytesIO(files["strip.png"])).size == (375, 144)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["icon.png", "logo.png", "strip.png"])
def test_starter_images_are_small_and_pass_the_intake(kind: CardKind, name: str):
    data = Path(TEMPLATES / kind.value / name).read_bytes()
    assert len(data) < 30_000
    check_image(data, role=name)
