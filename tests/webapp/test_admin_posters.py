"""The program poster: a printable page and an A4 PNG whose QR code opens the enrollment form."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from issuer.db.models import Role
from issuer.rules import Kind
from passes.qr import read_qr_code
from tests.factories import make_program
from tests.webapp.staff_pages import StaffPages, make_staff


def _program(app: Flask, publish: bool = True) -> int:
    with app.extensions["tessera.database"].write() as session:
        program = make_program(session, kind=Kind.STAMP, slug="service", publish=publish)
        session.commit()
        return program.id


def test_the_poster_page_shows_the_name_the_code_and_the_short_address(
    app: Flask, admin_pages: StaffPages
) -> None:
    program_id = _program(app)
    page = admin_pages.text(f"/admin/programs/{program_id}/poster")
    assert '<h2 class="poster-name">Service Stamps</h2>' in page
    assert '<p class="poster-url">tessera.test/join/service</p>' in page
    assert "<svg" in page
    assert f'href="/admin/programs/{program_id}/poster.png"' in page
    assert "not published yet" not in page


def test_the_poster_of_a_draft_program_warns_that_its_address_is_not_open(
    app: Flask, admin_pages: StaffPages
) -> None:
    program_id = _program(app, publish=False)
    page = admin_pages.text(f"/admin/programs/{program_id}/poster")
    assert "The program is not published yet" in page


def test_the_poster_png_is_a4_and_its_qr_code_reads_as_the_join_address(
    app: Flask, admin_pages: StaffPages
) -> None:
    program_id = _program(app)
    response = admin_pages.client.get(f"/admin/programs/{program_id}/poster.png")
    assert response.mimetype == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == (1240, 1754)
    assert read_qr_code(response.data) == "https://tessera.test/join/service"


def test_the_poster_follows_the_admins_language(app: Flask, admin_pages: StaffPages) -> None:
    program_id = _program(app)
    page = admin_pages.client.get(
        f"/admin/programs/{program_id}/poster", headers={"Accept-Language": "uk"}
    )
    assert "Отримайте картку лояльності" in page.get_data(as_text=True)


def test_an_unknown_program_has_no_poster(admin_pages: StaffPages) -> None:
    assert admin_pages.client.get("/admin/programs/999/poster").status_code == 404
    assert admin_pages.client.get("/admin/programs/999/poster.png").status_code == 404


def test_only_admins_see_posters(app: Flask, client: FlaskClient) -> None:
    program_id = _program(app)
    with app.extensions["tessera.database"].write() as session:
        email = make_staff(session, role=Role.STAFF).email
        session.commit()
    StaffPages(app, client).login(email)
    assert client.get(f"/admin/programs/{program_id}/poster.png").status_code == 403
