"""Admin: import members from a CSV file — upload, a preview naming every bad row, confirm.

Between the preview and the confirmation the file travels in the confirm form itself,
compressed and signed with the app's secret for this admin, for an hour: nothing is kept on
the server's disk and nothing can be changed on the way. The confirmation checks every row
again and imports all of them or none.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from itsdangerous import BadSignature, URLSafeTimedSerializer

from issuer import adjustments, clock, member_import, programs
from issuer.db.models import Program, ProgramStatus
from issuer.errors import Conflict, Invalid
from issuer.member_import import ImportPreview
from webapp.admin.blueprint import bp
from webapp.admin.people_forms import file_message, import_messages
from webapp.auth import signed_in
from webapp.database import session
from webapp.i18n import gettext

UPLOAD_LIFETIME = 3600  # seconds an admin has between the preview and the confirmation


@bp.get("/members/import")
def member_import_form() -> ResponseReturnValue:
    """The upload form: a program and a CSV file."""
    return _upload_page(None, {})


@bp.post("/members/import")
def member_import_preview() -> ResponseReturnValue:
    """Read the uploaded file and show what importing it would do; changes nothing."""
    program = _program(request.form.get("program", type=int))
    upload = request.files.get("file")
    errors = {} if program else {"program": gettext("Choose a published program.")}
    if upload is None or not upload.filename:
        errors["file"] = gettext("Choose a CSV file.")
    if program is None or upload is None or errors:
        return _upload_page(program, errors, status=422)
    data = upload.read(member_import.MAX_BYTES + 1)
    return _preview_page(program, data)


@bp.post("/members/import/confirm")
def member_import_confirm() -> ResponseReturnValue:
    """Import every row of the previewed file, or none when any row is bad now."""
    payload = _unsealed(request.form.get("upload", ""))
    program = _program(payload.get("program")) if payload else None
    if payload is None or program is None:
        flash(gettext("The upload has expired. Upload the file again."), "error")
        return redirect(url_for(".member_import_form"), code=303)
    data = str(payload["csv"]).encode()
    actor = adjustments.staff_actor(signed_in())
    try:
        issued = member_import.import_members(session(), program, data, actor, clock.now())
    except (Invalid, Conflict):
        session().rollback()
        return _preview_page(program, data, status=422)
    session().commit()
    flash(gettext("%(count)s members imported.", count=len(issued)))
    return redirect(url_for(".members", program=program.id), code=303)


def _upload_page(
    program: Program | None, errors: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    page = render_template(
        "admin/people/import.html",
        programs=_published(),
        chosen=program.id if program else None,
        errors=errors,
        columns=member_import.COLUMNS,
        required=member_import.REQUIRED_COLUMNS,
    )
    return page, status


def _preview_page(program: Program, data: bytes, status: int = 200) -> ResponseReturnValue:
    preview = member_import.preview_import(session(), program, data, clock.now().date())
    sealed = _sealed(program, data) if preview.importable else None
    page = render_template(
        "admin/people/import_preview.html",
        program=program,
        preview=preview,
        messages=_messages(preview),
        problems=[file_message(problem) for problem in preview.problems],
        upload=sealed,
        programs=_published(),
        columns=member_import.COLUMNS,
        required=member_import.REQUIRED_COLUMNS,
    )
    return page, (status if preview.importable else 422)


def _messages(preview: ImportPreview) -> dict[int, list[str]]:
    return {row.number: import_messages(row.errors) for row in preview.bad_rows}


def _published() -> list[Program]:
    return [p for p in programs.list_programs(session()) if p.status == ProgramStatus.PUBLISHED]


def _program(program_id: object) -> Program | None:
    if not isinstance(program_id, int):
        return None
    found = session().get(Program, program_id)
    return found if found and found.status == ProgramStatus.PUBLISHED else None


def _serializer() -> URLSafeTimedSerializer:
    salt = f"tessera.member-import.{signed_in().id}"
    return URLSafeTimedSerializer(current_app.secret_key or "", salt=salt)


def _sealed(program: Program, data: bytes) -> str:
    return str(_serializer().dumps({"program": program.id, "csv": data.decode("utf-8-sig")}))


def _unsealed(token: str) -> dict[str, Any] | None:
    try:
        payload = _serializer().loads(token, max_age=UPLOAD_LIFETIME)
    except BadSignature:
        return None
    return payload if isinstance(payload, dict) else None
