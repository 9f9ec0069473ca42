"""The admin's program designer: starters, the form's checks, live previews, publishing."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer.db.models import AuditEntry, Card, DesignImage, DesignVersion, Program
from issuer.designs import starter
from issuer.rules import Kind
from passes.qr import read_qr_code
from tests.factories import make_card, make_program
from tests.webapp.staff_pages import StaffPages, make_staff

PAGE = "/admin/programs/"


Reading = Callable[[Callable[[Session], Any]], Any]


@pytest.fixture
def read(app: Flask) -> Reading:
    def run(query: Callable[[Session], Any]) -> Any:
        with app.extensions["tessera.database"].read() as session:
            return query(session)

    return run


def _form(pages: StaffPages, program_id: int) -> dict[str, str]:
    """The designer form's fields as the browser would send them untouched."""
    html = pages.text(f"{PAGE}{program_id}/")
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input [^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if name is None or (kind and kind[1] in ("file", "hidden")):
            continue
        if kind and kind[1] == "checkbox":
            if " checked" in tag:
                fields[name[1]] = "on"
            continue
        value = re.search(r'value="([^"]*)"', tag)
        fields[name[1]] = _unescape(value[1]) if value else ""
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>([^<]*)</textarea>', html):
        fields[name] = _unescape(body)
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        fields[name] = chosen[1] if chosen else re.findall(r'value="([^"]*)"', options)[0]
    return fields


def _unescape(text: str) -> str:
    return (
        text.replace("&#39;", "'").replace("&#34;", '"').replace("&quot;", '"')
        .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )  # fmt: skip


def _create(pages: StaffPages, kind: str, slug: str) -> int:
    response = pages.post(
        f"{PAGE}new", {"kind": kind, "name": f"{kind.title()} Club", "slug": slug}, page=PAGE
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    found = re.search(r"/admin/programs/(\d+)/", response.headers["Location"])
    assert found is not None
    return int(found[1])


def _png(colour: tuple[int, int, int], size: tuple[int, int] = (200, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def _save(pages: StaffPages, program_id: int, fields: dict[str, Any]) -> Any:
    return pages.post(f"{PAGE}{program_id}/", fields, page=f"{PAGE}{program_id}/")


@pytest.mark.parametrize("kind", list(Kind))
def test_a_program_starts_from_its_kinds_starter_design(
    admin_pages: StaffPages, read: Reading, kind: Kind
) -> None:
    program_id = _create(admin_pages, kind.value, f"new-{kind.value}")
    program = read(lambda s: s.get_one(Program, program_id))
    assert (program.kind, program.status, program.name) == (
        kind.value,
        "draft",
        f"{kind.title()} Club",
    )
    assert program.design["texts"]["en"]["name"] == f"{kind.title()} Club"
    assert program.design["colors"] == starter(kind).design["colors"]
    assert program.rules == dict(starter(kind).rules) | program.rules
    page = admin_pages.text(f"{PAGE}{program_id}/")
    assert f"{kind.title()} Club" in page
    assert 'id="preview-apple"' in page
    assert f"{kind.title()} Club" in admin_pages.text(PAGE)


def test_a_new_program_with_bad_fields_shows_every_error_and_keeps_the_values(
    admin_pages: StaffPages, read: Reading
) -> None:
    response = admin_pages.post(
        f"{PAGE}new", {"kind": "stamp", "name": "", "slug": "Not A Slug"}, page=PAGE
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="name-error"' in page
    assert 'id="slug-error"' in page
    assert 'value="Not A Slug"' in page
    assert read(lambda s: s.scalars(select(Program)).all()) == []


def test_a_new_program_cannot_take_a_slug_in_use(admin_pages: StaffPages) -> None:
    _create(admin_pages, "discount", "taken")
    response = admin_pages.post(
        f"{PAGE}new", {"kind": "cashback", "name": "Other", "slug": "taken"}, page=PAGE
    )
    assert response.status_code == 422
    assert "already uses the slug" in response.get_data(as_text=True)


def test_every_rule_error_is_shown_at_once_with_the_values_kept(
    admin_pages: StaffPages, read: Reading
) -> None:
    program_id = _create(admin_pages, "accumulative", "tiers")
    before = read(lambda s: dict(s.get_one(Program, program_id).rules))
    fields = _form(admin_pages, program_id) | {
        "tier-1-threshold": "100.00",
        "tier-2-threshold": "50.00",  # not ascending
        "tier-0-percent": "150",  # out of range
        "tier-1-name": "",
        "color-background": "blue",
    }
    response = _save(admin_pages, program_id, fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("tier-2-threshold", "tier-0-percent", "tier-1-name", "color-background"):
        assert f'id="{field}-error"' in page, field
    assert 'value="150"' in page
    assert 'value="50.00"' in page
    assert "Nothing was saved" in page
    assert "Tier 3: From total spend: Must be greater than the previous tier" in page
    assert read(lambda s: s.get_one(Program, program_id).rules) == before


def test_stamps_must_be_at_least_one_and_percents_in_range(
    admin_pages: StaffPages, read: Reading
) -> None:
    stamp_id = _create(admin_pages, "stamp", "stamps")
    response = _save(admin_pages, stamp_id, _form(admin_pages, stamp_id) | {"stamps_required": "0"})
    assert response.status_code == 422
    assert 'id="stamps_required-error"' in response.get_data(as_text=True)
    cashback_id = _create(admin_pages, "cashback", "cash")
    fields = _form(admin_pages, cashback_id) | {"percent": "0", "max_redeem_percent": "101"}
    page = _save(admin_pages, cashback_id, fields).get_data(as_text=True)
    assert 'id="percent-error"' in page
    assert 'id="max_redeem_percent-error"' in page


def test_saving_the_form_changes_the_draft_and_writes_the_audit_log(
    admin_pages: StaffPages, read: Reading
) -> None:
    program_id = _create(admin_pages, "stamp", "saved")
    fields = _form(admin_pages, program_id) | {
        "stamps_required": "6",
        "color-background": "#112233",
        "text-uk-name": "Штампи",
        "text-en-main_label": "Coffees",
        "location-0-latitude": "50.45",
        "location-0-longitude": "30.52",
        "location-0-relevant_text": "Our Kyiv store",
        "enrollment": "invite",
        "pooling": "partner",
        "expires_on": "2027-12-31",
    }
    response = _save(admin_pages, program_id, fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    program = read(lambda s: s.get_one(Program, program_id))
    assert program.rules["stamps_required"] == 6
    assert program.design["colors"]["background"] == "#112233"
    assert program.design["texts"]["uk"]["name"] == "Штампи"
    assert program.design["locations"][0]["relevant_text"] == "Our Kyiv store"
    assert (program.enrollment, program.pooling) == ("invite", "partner")
    assert program.expires_at.date().isoformat() == "2028-01-01"
    assert 'value="2027-12-31"' in admin_pages.text(f"{PAGE}{program_id}/")
    actions = read(lambda s: [e.action for e in s.scalars(select(AuditEntry))])
    assert actions.count("program.create") == 1
    assert "program.update" in actions


def test_a_bad_image_upload_is_refused_with_a_clear_message_and_nothing_changes(
    admin_pages: StaffPages, read: Reading
) -> None:
    program_id = _create(admin_pages, "discount", "images")
    before = read(lambda s: dict(s.get_one(Program, program_id).design))
    fields = _form(admin_pages, program_id) | {
        "color-background": "#000000",
        "image-logo": (io.BytesIO(b"GIF89a" + b"\0" * 64), "logo.png"),
    }
    response = _save(admin_pages, program_id, fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The logo must be a PNG or JPEG image; this file is a GIF." in page
    assert read(lambda s: s.get_one(Program, program_id).design) == before
    assert read(lambda s: s.scalars(select(DesignImage)).all()) == []


def test_an_uploaded_logo_is_stored_by_its_hash_and_served(
    admin_pages: StaffPages, read: Reading
) -> None:
    program_id = _create(admin_pages, "discount", "logo")
    fields = _form(admin_pages, program_id) | {
        "image-logo": (io.BytesIO(_png((255, 0, 0))), "l.png")
    }
    assert _save(admin_pages, program_id, fields).status_code == 302
    digest = read(lambda s: s.get_one(Program, program_id).design["images"]["logo"])
    served = admin_pages.client.get(f"/media/{digest}.png")
    assert served.status_code == 200
    assert Image.open(io.BytesIO(served.data)).getpixel((5, 5)) == (255, 0, 0)


@pytest.mark.parametrize("wallet", ["apple", "google"])
def test_the_preview_is_a_png_that_follows_the_forms_colour_and_text(
    admin_pages: StaffPages, wallet: str
) -> None:
    program_id = _create(admin_pages, "cashback", f"preview-{wallet}")
    url = f"{PAGE}{program_id}/preview/{wallet}.png"
    fields = _form(admin_pages, program_id)
    saved = admin_pages.client.get(url)
    assert saved.mimetype == "image/png"
    assert read_qr_code(saved.data) == "PREVIEW0CARD0000"
    same = admin_pages.post(url, fields, page=f"{PAGE}{program_id}/")
    recoloured = admin_pages.post(url, fields | {"color-background": "#FF0000"}, page=PAGE)
    renamed = admin_pages.post(url, fields | {"text-en-logo_text": "Other name"}, page=PAGE)
    assert same.data == saved.data
    corner = Image.open(io.BytesIO(recoloured.data)).convert("RGB").getpixel((635, 5))
    assert corner == (255, 0, 0)
    assert renamed.data not in (saved.data, recoloured.data)


def test_the_preview_shows_an_unsaved_upload_and_keeps_the_saved_part_where_the_form_is_broken(
    admin_pages: StaffPages,
) -> None:
    program_id = _create(admin_pages, "discount", "unsaved")
    url = f"{PAGE}{program_id}/preview/apple.png"
    fields = _form(admin_pages, program_id)
    saved = admin_pages.client.get(url).data
    broken = admin_pages.post(url, fields | {"color-background": "#12", "percent": "x"}, page=PAGE)
    assert broken.status_code == 200
    assert broken.data == saved
    upload = fields | {"image-logo": (io.BytesIO(_png((0, 255, 0))), "logo.png")}
    with_logo = admin_pages.post(url, upload, page=PAGE)
    assert Image.open(io.BytesIO(with_logo.data)).convert("RGB").getpixel((45, 45)) == (0, 255, 0)


def test_publishing_asks_first_then_makes_a_version_and_updates_every_issued_card(
    admin_pages: StaffPages, read: Reading, app: Flask
) -> None:
    with app.extensions["tessera.database"].write() as session:
        program = make_program(session, kind=Kind.STAMP)
        cards = [make_card(session, program=program).id for _ in range(3)]
        first_version = program.current_version_id
        session.commit()
        program_id = program.id
    versions_before = read(lambda s: {c.id: c.version for c in s.scalars(select(Card))})
    fields = _form(admin_pages, program_id) | {"stamps_required": "4", "text-en-reward": "Tea"}
    assert _save(admin_pages, program_id, fields).status_code == 302
    program = read(lambda s: s.get_one(Program, program_id))
    assert program.current_version_id == first_version
    assert read(lambda s: s.get_one(DesignVersion, first_version).rules["stamps_required"]) == 10
    assert read(lambda s: {c.id: c.version for c in s.scalars(select(Card))}) == versions_before
    assert "Unpublished changes" in admin_pages.text(f"{PAGE}{program_id}/")

    confirm = admin_pages.text(f"{PAGE}{program_id}/publish")
    assert "3 issued cards will be updated" in confirm
    response = admin_pages.post(f"{PAGE}{program_id}/publish", {}, page=PAGE)
    assert response.status_code == 302

    program = read(lambda s: s.get_one(Program, program_id))
    newest = read(lambda s: s.get_one(DesignVersion, program.current_version_id))
    assert newest.number == 2
    assert newest.rules["stamps_required"] == 4
    after = read(
        lambda s: {c.id: (c.version, c.design_version_id) for c in s.scalars(select(Card))}
    )
    assert after == {card: (versions_before[card] + 1, newest.id) for card in cards}
    actions = read(lambda s: [e.action for e in s.scalars(select(AuditEntry))])
    assert "program.update" in actions
    assert "program.publish" in actions


def test_a_program_can_be_archived(admin_pages: StaffPages, read: Reading) -> None:
    program_id = _create(admin_pages, "discount", "archived")
    response = admin_pages.post(f"{PAGE}{program_id}/archive", {}, page=PAGE)
    assert response.status_code == 302
    assert read(lambda s: s.get_one(Program, program_id).status) == "archived"
    actions = read(lambda s: [e.action for e in s.scalars(select(AuditEntry))])
    assert "program.archive" in actions


def test_staff_who_are_not_admins_cannot_open_the_designer(app: Flask, client: FlaskClient) -> None:
    with app.extensions["tessera.database"].write() as session:
        email = make_staff(session).email
        session.commit()
    pages = StaffPages(app, client)
    pages.login(email)
    assert client.get(PAGE).status_code in (302, 403)


def _pass_logo(client: FlaskClient, page_token: str) -> object:
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/c/{page_token}/pass.pkpass").data))
    logo = Image.open(io.BytesIO(archive.read("logo.png"))).convert("RGB")
    return logo.getpixel((logo.width // 2, logo.height // 2))


def test_an_uploaded_logo_reaches_the_issued_passes_only_when_published(
    admin_pages: StaffPages, app: Flask
) -> None:
    with app.extensions["tessera.database"].write() as session:
        program = make_program(session, kind=Kind.DISCOUNT)
        token = make_card(session, program=program).page_token
        session.commit()
        program_id = program.id
    client = admin_pages.client
    starter_logo = _pass_logo(client, token)
    upload = _form(admin_pages, program_id) | {
        "image-logo": (io.BytesIO(_png((255, 0, 0))), "l.png")
    }
    assert _save(admin_pages, program_id, upload).status_code == 302
    assert _pass_logo(client, token) == starter_logo
    admin_pages.post(f"{PAGE}{program_id}/publish", {}, page=PAGE)
    assert _pass_logo(client, token) == (255, 0, 0)


def test_who_shares_an_account_cannot_change_once_cards_are_issued(
    admin_pages: StaffPages, app: Flask, read: Reading
) -> None:
    with app.extensions["tessera.database"].write() as session:
        program = make_program(session, kind=Kind.CASHBACK)
        make_card(session, program=program)
        session.commit()
        program_id = program.id
    response = _save(
        admin_pages, program_id, _form(admin_pages, program_id) | {"pooling": "partner"}
    )
    assert response.status_code == 422
    assert 'id="pooling-error"' in response.get_data(as_text=True)
    assert read(lambda s: s.get_one(Program, program_id).pooling) == "member"


def test_only_the_two_wallets_and_the_four_starters_have_previews(admin_pages: StaffPages) -> None:
    program_id = _create(admin_pages, "discount", "wallets")
    assert admin_pages.client.get(f"{PAGE}{program_id}/preview/samsung.png").status_code == 404
    assert admin_pages.client.get(f"{PAGE}starters/lottery.png").status_code == 404
    starter = admin_pages.client.get(f"{PAGE}starters/stamp.png")
    assert starter.mimetype == "image/png"


def test_a_programs_page_leads_to_its_invitation_links_and_its_poster(
    admin_pages: StaffPages,
) -> None:
    program_id = _create(admin_pages, "stamp", "linked-stamps")
    page = admin_pages.text(f"{PAGE}{program_id}/")
    for target in (f"{PAGE}{program_id}/invites", f"{PAGE}{program_id}/poster"):
        assert f'href="{target}"' in page
        assert admin_pages.client.get(target).status_code == 200
