"""A fake camera's video: a pass's QR code on a desk, written as raw Y4M frames.

Y4M is a header line and then, per frame, "FRAME" and the planes of a 4:2:0 picture: full-size
luma, then two quarter-size chroma planes. Grey chroma (128) leaves a black-and-white picture.
"""

from __future__ import annotations

from pathlib import Path

import qrcode
from PIL import Image

WIDTH, HEIGHT = 640, 480


def qr_video(path: Path, text: str, frames: int = 4) -> Path:
    """Write a Y4M video of ``text``'s QR code held in front of the camera."""
    picture = Image.new("L", (WIDTH, HEIGHT), 150)
    code = qrcode.make(text, box_size=8, border=4).get_image().convert("L")
    code = code.resize((300, 300), Image.Resampling.NEAREST)
    picture.paste(code, ((WIDTH - 300) // 2, (HEIGHT - 300) // 2))
    luma = picture.tobytes()
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    with path.open("wb") as video:
        video.write(header)
        for _ in range(frames):
            video.write(b"FRAME\n" + luma + chroma + chroma)
    return path
