"""CSV exports of the people lists, safe to open in a spreadsheet.

A cell that starts like a formula (``=``, ``+``, ``-``, ``@``) gets a leading apostrophe so a
spreadsheet shows it as text instead of running it; phone numbers in E.164 stay as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence

from flask import Response

from issuer.db.models import Member, Partner

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"^\+[0-9]{6,15}$")
MEMBER_COLUMNS = (
    "name",
    "email",
    "phone",
    "company",
    "tax_id",
    "position",
    "language",
    "birthday",
    "created_at",
)
PARTNER_COLUMNS = ("name", "tax_id", "members", "created_at")


def csv_download(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> Response:
    """A CSV attachment (UTF-8 with a byte order mark, so spreadsheets read it right).

    It is written whole before it is sent, so the request's database session ends with it.
    """
    response = Response("".join(_lines(header, rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def member_row(member: Member) -> list[object]:
    """One member as a row of the members export (the columns the import reads, and more)."""
    partner = member.partner
    return [
        member.name,
        member.email,
        member.phone or "",
        partner.name if partner else "",
        (partner.tax_id or "") if partner else "",
        member.position or "",
        member.locale,
        member.birthday.isoformat() if member.birthday else "",
        member.created_at.isoformat(timespec="seconds"),
    ]


def partner_row(partner: Partner, members: int) -> list[object]:
    """One partner company as a row of the partners export."""
    created = partner.created_at.isoformat(timespec="seconds")
    return [partner.name, partner.tax_id or "", members, created]


def safe_cell(value: object) -> str:
    """The value as text a spreadsheet will not run as a formula."""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PHONE.match(text):
        return "'" + text
    return text


def _lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
