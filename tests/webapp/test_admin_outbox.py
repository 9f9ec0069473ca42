"""The admin outbox: kept emails newest first, searched by recipient, read one by one."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask

from issuer import clock, outbox
from tests.factories import make_program
from tests.webapp.staff_pages import StaffPages

_ROW = re.compile(r"<td>([^<]+@[^<]+)</td>\s*<td><a href=\"(/admin/outbox/\d+)\">([^<]+)</a>")


def _keep(app: Flask, *mails: tuple[str, str, str]) -> None:
    start = clock.now() - dt.timedelta(hours=len(mails))
    with app.extensions["tessera.database"].write() as session:
        for number, (recipient, subject, body) in enumerate(mails):
            outbox.record(session, recipient, subject, body, start + dt.timedelta(hours=number))
        session.commit()


def _rows(page: str) -> list[tuple[str, str, str]]:
    return [(to, subject, link) for to, link, subject in _ROW.findall(page)]


def test_the_outbox_lists_emails_newest_first_with_recipient_subject_and_time(
    app: Flask, admin_pages: StaffPages
) -> None:
    _keep(app, ("a@acme.example", "First", "1"), ("b@acme.example", "Second", "2"))
    page = admin_pages.text("/admin/outbox/")
    assert [(to, subject) for to, subject, _ in _rows(page)] == [
        ("b@acme.example", "Second"),
        ("a@acme.example", "First"),
    ]
    assert page.count("<time datetime=") == 2
    assert '<a href="/admin/outbox/" aria-current="page">Outbox</a>' in page


def test_one_email_shows_its_whole_text_escaped(app: Flask, admin_pages: StaffPages) -> None:
    body = "Hello Olena,\n\nyour card: https://tessera.test/c/abc <b>now</b>\n"
    _keep(app, ("olena@acme.example", "Your card", body))
    link = _rows(admin_pages.text("/admin/outbox/"))[0][2]
    page = admin_pages.text(link)
    assert "olena@acme.example" in page
    assert "your card: https://tessera.test/c/abc &lt;b&gt;now&lt;/b&gt;" in page
    assert admin_pages.client.get("/admin/outbox/999").status_code == 404


def test_search_finds_recipients_by_any_part_ignoring_case(
    app: Flask, admin_pages: StaffPages
) -> None:
    _keep(
        app,
        ("olena@acme.example", "One", ""),
        ("petro@other.example", "Two", ""),
        ("OLENA.K@other.example", "Three", ""),
    )
    found = _rows(admin_pages.text("/admin/outbox/?recipient=Olena"))
    assert [subject for _, subject, _ in found] == ["Three", "One"]
    assert _rows(admin_pages.text("/admin/outbox/?recipient=%25")) == []
    nothing = admin_pages.text("/admin/outbox/?recipient=nobody")
    assert "No emails to a recipient matching" in nothing
    assert 'value="nobody"' in nothing


def test_long_outboxes_are_paged_from_the_newest(app: Flask, admin_pages: StaffPages) -> None:
    _keep(app, *[(f"p{n}@acme.example", f"Mail {n}", "") for n in range(52)])
    first = admin_pages.text("/admin/outbox/")
    assert len(_rows(first)) == 50
    assert _rows(first)[0][1] == "Mail 51"
    older = re.search(r'href="(/admin/outbox/\?before=\d+)">Older', first)
    assert older is not None
    rest = _rows(admin_pages.text(older.group(1)))
    assert [subject for _, subject, _ in rest] == ["Mail 1", "Mail 0"]


def test_an_enrollment_email_lands_in_the_outbox_without_smtp(
    app: Flask, admin_pages: StaffPages
) -> None:
    with app.extensions["tessera.database"].write() as session:
        slug = make_program(session).slug
        session.commit()
    form = {
        "name": "Olena Koval",
        "email": "olena@acme.example",
        "phone": "+380 44 123 4567",
        "company": "Acme Ltd",
        "language": "en",
        "consent": "yes",
    }
    assert admin_pages.post(f"/join/{slug}", form, page=f"/join/{slug}").status_code == 303
    found = _rows(admin_pages.text("/admin/outbox/?recipient=olena@acme"))
    assert [to for to, _, _ in found] == ["olena@acme.example"]


def test_the_outbox_speaks_the_admins_language(admin_pages: StaffPages) -> None:
    page = admin_pages.client.get("/admin/outbox/", headers={"Accept-Language": "uk"})
    assert "Вихідні порожні." in page.get_data(as_text=True)
