"""Members from a CSV file: a preview naming every bad row, then all rows imported or none.

The file has a header row; the columns are those of the enrollment form (``name``, ``email``,
``phone``, ``company`` required; ``tax_id``, ``position``, ``language``, ``birthday``
optional) and every row is checked exactly as the form checks a person who enrolls. Rows are
numbered as a spreadsheet shows them: the header is row 1. Commas, semicolons or tabs may
separate the cells (spreadsheets in many languages save CSV with semicolons).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from issuer import audit
from issuer.cards import issue_card
from issuer.db.models import Card, Member, Program, ProgramStatus
from issuer.enrollment import Applicant, Application, checked
from issuer.errors import Invalid

COLUMNS = ("name", "email", "phone", "company", "tax_id", "position", "language", "birthday")
REQUIRED_COLUMNS = ("name", "email", "phone", "company")
MAX_BYTES = 500_000
MAX_ROWS = 5_000
MAX_CELL = 300
DUPLICATE = "Appears more than once in the file."
ENROLLED = "Already has a card in this program."
EXTRA_CELLS = "The row has more cells than the header."


@dataclass(frozen=True, slots=True)
class FileProblem:
    """Something wrong with the file as a whole; ``code`` is stable, ``detail`` names columns."""

    code: str
    message: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One data row: its number, the cells as given, and what is wrong with them."""

    number: int
    values: dict[str, str]
    errors: dict[str, str]
    applicant: Applicant | None = None


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What importing the file would do: its rows, and problems of the file as a whole."""

    rows: list[ImportRow] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[ImportRow]:
        """The rows that cannot be imported."""
        return [row for row in self.rows if row.errors]

    @property
    def importable(self) -> bool:
        """Whether every row is good (and there is at least one)."""
        return bool(self.rows) and not self.problems and not self.bad_rows


def preview_import(
    session: Session, program: Program, data: bytes, today: dt.date
) -> ImportPreview:
    """Read and check the file against the program; changes nothing."""
    problems = []
    if program.status != ProgramStatus.PUBLISHED:
        problems.append(FileProblem("not_published", "The program is not published."))
    text, problem = _text_of(data)
    if problem:
        return ImportPreview(problems=[*problems, problem])
    records, file_problems = _records(text)
    rows = [_checked_row(*record, today) for record in records]
    rows = _mark_duplicates(rows)
    rows = _mark_enrolled(session, program, rows)
    return ImportPreview(rows=rows, problems=problems + file_problems)


def import_members(
    session: Session, program: Program, data: bytes, actor: str, now: dt.datetime
) -> list[Card]:
    """Issue a card for every row, in the program's pooling, and audit it; the caller commits.

    :raises Invalid: naming every bad row (``"row 3: email"``) and file problem; then
        nothing has been added.
    """
    preview = preview_import(session, program, data, now.date())
    if not preview.importable:
        raise Invalid(_errors_of(preview), "The file cannot be imported: nothing was imported.")
    issued = []
    for applicant in [row.applicant for row in preview.rows if row.applicant is not None]:
        card = issue_card(session, program, applicant.holder, now)
        card.member.birthday = applicant.birthday
        issued.append(card)
    session.flush()
    audit.record(
        session, actor, "members.import", f"program:{program.id}", now, members=len(issued)
    )
    return issued


def _errors_of(preview: ImportPreview) -> dict[str, str]:
    errors = {f"file: {problem.code}": problem.message for problem in preview.problems}
    if not preview.rows and not preview.problems:
        errors["file"] = "The file has no rows to import."
    for row in preview.bad_rows:
        errors |= {f"row {row.number}: {name}": message for name, message in row.errors.items()}
    return errors


def _text_of(data: bytes) -> tuple[str, FileProblem | None]:
    if len(data) > MAX_BYTES:
        message = f"The file is larger than {MAX_BYTES // 1000} KB; split it."
        return "", FileProblem("too_large", message, str(MAX_BYTES // 1000))
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return "", FileProblem("not_utf8", "The file is not UTF-8 text; save it as CSV UTF-8.")


Record = tuple[int, dict[str, str], bool]


def _records(text: str) -> tuple[list[Record], list[FileProblem]]:
    lines = io.StringIO(text, newline="")
    reader = csv.reader(lines, delimiter=_delimiter(text))
    header = [name.strip().lower() for name in next(reader, [])]
    problems = _header_problems(header)
    if problems:
        return [], problems
    records: list[Record] = []
    last_line = reader.line_num
    for cells in reader:
        if any(cell.strip() for cell in cells):
            extra = any(cell.strip() for cell in cells[len(header) :])
            records.append((last_line + 1, _values(header, cells), extra))
        last_line = reader.line_num
    if len(records) > MAX_ROWS:
        message = f"The file has more than {MAX_ROWS} rows; split it."
        return [], [FileProblem("too_many_rows", message, str(MAX_ROWS))]
    return records, []


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def _header_problems(header: list[str]) -> list[FileProblem]:
    named = {
        "missing_columns": [name for name in REQUIRED_COLUMNS if name not in header],
        "unknown_columns": [name for name in header if name and name not in COLUMNS],
        "repeated_columns": sorted(name for name, times in Counter(header).items() if times > 1),
    }
    return [
        FileProblem(
            code, f"{code.replace('_', ' ').capitalize()}: {', '.join(names)}.", ", ".join(names)
        )
        for code, names in named.items()
        if names
    ]


def _values(header: list[str], cells: list[str]) -> dict[str, str]:
    return {name: cell.strip()[:MAX_CELL] for name, cell in zip(header, cells, strict=False)}


def _checked_row(number: int, values: dict[str, str], extra: bool, today: dt.date) -> ImportRow:
    application = Application(
        **{name: values.get(name, "") for name in COLUMNS if name != "language"},
        language=values.get("language") or "en",
        consent=True,
    )
    errors = {"row": EXTRA_CELLS} if extra else {}
    try:
        applicant = checked(application, today)
    except Invalid as error:
        return ImportRow(number, values, errors | error.errors)
    return ImportRow(number, values, errors, None if errors else applicant)


def _mark_duplicates(rows: list[ImportRow]) -> list[ImportRow]:
    times = Counter(_email(row) for row in rows)
    return [_with_error(row, DUPLICATE) if times[_email(row)] > 1 else row for row in rows]


def _mark_enrolled(session: Session, program: Program, rows: list[ImportRow]) -> list[ImportRow]:
    emails = {_email(row) for row in rows} - {""}
    query = (
        select(func.lower(Member.email))
        .join(Card, Card.member_id == Member.id)
        .where(Card.program_id == program.id, func.lower(Member.email).in_(emails))
    )
    enrolled = set(session.scalars(query)) if emails else set()
    return [_with_error(row, ENROLLED) if _email(row) in enrolled else row for row in rows]


def _email(row: ImportRow) -> str:
    return row.values.get("email", "").lower()


def _with_error(row: ImportRow, message: str) -> ImportRow:
    if not _email(row) or "email" in row.errors:
        return row
    return ImportRow(row.number, row.values, row.errors | {"email": message})
