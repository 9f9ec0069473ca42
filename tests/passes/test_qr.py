"""Reading QR codes in camera frames: rendered codes, turned, scaled, blurred and noisy."""

from __future__ import annotations

import io
import random
from collections.abc import Callable

import pytest
import qrcode
from PIL import Image, ImageDraw, ImageFilter

from passes.qr import MAX_FRAME_BYTES, FrameRefused, NoCodeFound, read_qr_code

CODE = "7K3M9QXD2HVNPB4R"


def _qr(text: str = CODE, box: int = 8) -> Image.Image:
    maker = qrcode.QRCode(box_size=box, border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    maker.add_data(text)
    return maker.make_image().get_image().convert("RGB")


def _on_desk(code: Image.Image, size: tuple[int, int] = (960, 720)) -> Image.Image:
    """The code on a plain grey desk, off-centre, as a phone camera sees a pass."""
    frame = Image.new("RGB", size, (126, 132, 140))
    frame.paste(code, (size[0] // 5, size[1] // 8))
    return frame


def _noisy(image: Image.Image, amount: int = 40) -> Image.Image:
    rng = random.Random(7)
    noise = Image.effect_noise(image.size, amount).convert("RGB")
    mixed = Image.blend(image, noise, 0.25)
    draw = ImageDraw.Draw(mixed)
    for _ in range(400):  # specks of dust and glare
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        draw.point((x, y), fill=(255, 255, 255) if rng.random() < 0.5 else (0, 0, 0))
    return mixed


def _jpeg(image: Image.Image, quality: int = 80) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


DISTORTIONS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "plain": lambda code: _on_desk(code),
    "rotated 17 degrees": lambda code: _on_desk(
        code.rotate(17, expand=True, fillcolor=(255, 255, 255))
    ),
    "upside down": lambda code: _on_desk(code.rotate(180)),
    "rotated 90 degrees": lambda code: _on_desk(code.rotate(90, expand=True)),
    "scaled down": lambda code: _on_desk(code.resize((150, 150), Image.Resampling.BILINEAR)),
    "scaled up": lambda code: _on_desk(
        code.resize((600, 600), Image.Resampling.NEAREST), size=(1280, 960)
    ),
    "blurred": lambda code: _on_desk(code).filter(ImageFilter.GaussianBlur(2.2)),
    "noisy": lambda code: _noisy(_on_desk(code)),
    "everything at once": lambda code: _noisy(
        _on_desk(code.rotate(-23, expand=True, fillcolor=(255, 255, 255)).resize((300, 300)))
    ).filter(ImageFilter.GaussianBlur(1.2)),
}


@pytest.mark.parametrize("distortion", DISTORTIONS)
def test_a_card_code_is_read_from_a_distorted_camera_frame(distortion: str) -> None:
    frame = DISTORTIONS[distortion](_qr())
    assert read_qr_code(_jpeg(frame)) == CODE


def test_png_frames_and_grouped_codes_are_read_too() -> None:
    assert read_qr_code(_png(_on_desk(_qr("7K3M-9QXD-2HVN-PB4R")))) == "7K3M-9QXD-2HVN-PB4R"


@pytest.mark.parametrize(
    "frame",
    [
        Image.new("RGB", (640, 480), (200, 200, 200)),
        _noisy(Image.new("RGB", (640, 480), (90, 120, 90)), amount=90),
        _on_desk(Image.new("RGB", (200, 200), (255, 255, 255))),
    ],
    ids=["blank", "noise", "white card"],
)
def test_a_frame_without_a_code_says_no_code_found(frame: Image.Image) -> None:
    with pytest.raises(NoCodeFound, match="no QR code found"):
        read_qr_code(_jpeg(frame))


def test_a_code_cut_in_half_is_not_read() -> None:
    code = _qr()
    half = code.crop((0, 0, code.width, code.height // 2))
    with pytest.raises(NoCodeFound):
        read_qr_code(_jpeg(_on_desk(half)))


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image at all", b"GIF89a" + b"\x00" * 64, b"\xff" * (MAX_FRAME_BYTES + 1)],
    ids=["empty", "text", "gif", "too many bytes"],
)
def test_uploads_that_are_not_frames_are_refused(data: bytes) -> None:
    with pytest.raises(FrameRefused):
        read_qr_code(data)


def test_frames_with_too_many_pixels_are_refused_before_decoding() -> None:
    huge = Image.new("L", (5000, 5000), 255)
    with pytest.raises(FrameRefused, match="pixels"):
        read_qr_code(_png(huge))
