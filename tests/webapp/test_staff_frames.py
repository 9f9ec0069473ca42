"""Camera frames sent by browsers without a BarcodeDetector, read on the server."""

from __future__ import annotations

import io

import pytest
import qrcode
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from tests.webapp.staff_pages import StaffPages, make_staff


@pytest.fixture
def pages(app: Flask, client: FlaskClient) -> StaffPages:
    pages = StaffPages(app, client)
    with app.extensions["tessera.database"].write() as session:
        email = make_staff(session).email
        session.commit()
    pages.login(email)
    return pages


def _jpeg(image: Image.Image) -> io.BytesIO:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG")
    out.seek(0)
    return out


def _send(pages: StaffPages, frame: io.BytesIO | None) -> tuple[int, dict[str, str]]:
    data = {"frame": (frame, "frame.jpg", "image/jpeg")} if frame else {}
    response = pages.script("/staff/api/frames", data)
    return response.status_code, response.get_json()


def test_the_code_in_a_frame_is_read(pages: StaffPages) -> None:
    frame = Image.new("RGB", (800, 600), "grey")
    frame.paste(qrcode.make("ABCD-EFGH-JKMN-PQRS").get_image().convert("RGB"), (100, 50))
    assert _send(pages, _jpeg(frame)) == (200, {"code": "ABCD-EFGH-JKMN-PQRS"})


def test_a_frame_without_a_code_says_so(pages: StaffPages) -> None:
    status, answer = _send(pages, _jpeg(Image.new("RGB", (640, 480), "white")))
    assert (status, answer["error"], answer["message"]) == (422, "no_code_found", "No code found.")


def test_a_missing_or_broken_frame_is_refused(pages: StaffPages) -> None:
    assert _send(pages, None)[0] == 400
    status, answer = _send(pages, io.BytesIO(b"not a picture"))
    assert (status, answer["error"]) == (400, "not_a_frame")
