"""The admin's programs: the list, new from a starter, the designer with live previews, publish.

The designer edits the program's working copy; issued passes keep showing the published
design version until the admin publishes again (after seeing how many cards will change).
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from issuer import clock, designer, media, programs
from issuer.db.models import Program, ProgramStatus, Staff
from issuer.designs import LOCALES
from issuer.errors import Conflict, Invalid, NotFound
from issuer.rules import Kind
from passes.preview import google_preview_png, preview_png
from webapp.admin.blueprint import bp
from webapp.admin.program_form import (
    ParsedForm,
    form_errors,
    form_values,
    parse_form,
    row_count,
)
from webapp.admin.program_labels import (
    field_labels,
    image_roles,
    kind_hints,
    kind_names,
    text_fields,
)
from webapp.auth import signed_in
from webapp.database import database, session
from webapp.i18n import current_language, gettext, ngettext

WALLETS = {"apple": preview_png, "google": google_preview_png}


def actor(staff: Staff) -> str:
    """How the audit log names an admin."""
    return f"staff:{staff.id}:{staff.email}"


@bp.get("/programs/", endpoint="programs")
def program_list() -> ResponseReturnValue:
    """Every program with its status and whether it has unpublished changes."""
    found = programs.list_programs(session())
    pending = {p.id for p in found if designer.has_unpublished_changes(p)}
    return render_template(
        "admin/programs/list.html", programs=found, pending=pending, kind_names=kind_names()
    )


@bp.route("/programs/new", methods=["GET", "POST"])
def new_program() -> ResponseReturnValue:
    """Start a program from one of the starter designs."""
    values = request.form.to_dict()
    if request.method == "GET":
        return _new_page({"kind": request.args.get("kind", Kind.DISCOUNT)}, {})
    try:
        program = designer.start_program(
            session(), values.get("kind", ""), values.get("name", ""), values.get("slug", ""),
            actor(signed_in()), clock.now(),
        )  # fmt: skip
    except Invalid as problem:
        return _new_page(values, problem.errors, 422)
    except Conflict as refusal:
        return _new_page(values, {"slug": refusal.message}, 422)
    session().commit()
    flash(gettext("Program created from the starter design. Edit it, then publish."), "ok")
    return redirect(url_for("admin.edit_program", program_id=program.id))


@bp.get("/programs/starters/<kind>.png")
def starter_preview(kind: str) -> ResponseReturnValue:
    """The Apple pass a starter design makes, for choosing one."""
    if kind not in set(Kind):
        abort(404)
    shown = designer.starter_preview(Kind(kind), current_language())
    return Response(preview_png(shown.content, shown.language, shown.images), mimetype="image/png")


@bp.get("/programs/<int:program_id>/")
def edit_program(program_id: int) -> ResponseReturnValue:
    """The designer form with the working copy and its two previews."""
    program = _program(program_id)
    return _designer_page(program, form_values(program), {})


@bp.post("/programs/<int:program_id>/")
def save_program(program_id: int) -> ResponseReturnValue:
    """Save the working copy after checking every field; nothing changes on any error."""
    program = _program(program_id)
    parsed = parse_form(request.form, request.files, program)
    checks = designer.draft_errors(session(), program, parsed.changes)
    errors = form_errors(checks, parsed) | parsed.errors
    if errors:
        return _designer_page(program, request.form.to_dict(), errors, 422)
    now = clock.now()
    for role, image in parsed.uploads.items():
        parsed.changes["design"].setdefault("images", {})[role] = media.store_image(
            session(), image, now
        )
    changes = _changed(program, parsed)
    if changes:
        programs.update_program(session(), program, changes, actor(signed_in()), now)
        session().commit()
    flash(gettext("Draft saved. Issued passes change when you publish."), "ok")
    return redirect(url_for("admin.edit_program", program_id=program.id))


@bp.route("/programs/<int:program_id>/preview/<wallet>.png", methods=["GET", "POST"])
def program_preview(program_id: int, wallet: str) -> ResponseReturnValue:
    """A PNG of the pass from the form's current fields (POST) or the saved draft (GET)."""
    if wallet not in WALLETS:
        abort(404)
    with database().read() as reading:
        program = reading.get(Program, program_id)
        if program is None:
            abort(404)
        draft = _draft(program)
        shown = designer.preview(
            reading, program, draft, request.values.get("preview_language", "")
        )
        png = WALLETS[wallet](shown.content, shown.language, shown.images)
    return Response(png, mimetype="image/png")


@bp.route("/programs/<int:program_id>/publish", methods=["GET", "POST"])
def publish_program(program_id: int) -> ResponseReturnValue:
    """Confirm, then freeze the draft as a new design version and update every issued pass."""
    program = _program(program_id)
    count = designer.cards_to_update(session(), program)
    if request.method == "GET":
        return render_template("admin/programs/publish.html", program=program, count=count)
    try:
        version = programs.publish_program(session(), program, actor(signed_in()), clock.now())
    except Conflict as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("admin.edit_program", program_id=program.id))
    session().commit()  # the delivery loop wakes on this commit and updates the passes
    message = ngettext(
        "Version %(number)d published; %(num)d card is being updated.",
        "Version %(number)d published; %(num)d cards are being updated.",
        count, number=version.number,
    )  # fmt: skip
    flash(message, "ok")
    return redirect(url_for("admin.edit_program", program_id=program.id))


@bp.post("/programs/<int:program_id>/archive")
def archive_program(program_id: int) -> ResponseReturnValue:
    """Close the program to new enrollments and orders."""
    program = _program(program_id)
    programs.archive_program(session(), program, actor(signed_in()), clock.now())
    session().commit()
    flash(gettext("Program archived."), "ok")
    return redirect(url_for("admin.programs"))


def _program(program_id: int) -> Program:
    try:
        return programs.get_program(session(), program_id)
    except NotFound:
        abort(404)


def _draft(program: Program) -> designer.Draft:
    if request.method != "POST":
        return designer.Draft(program.name, program.rules, program.design)
    parsed = parse_form(request.form, request.files, program)
    uploads = {role: image.png for role, image in parsed.uploads.items()}
    return designer.Draft(
        parsed.changes["name"], parsed.changes["rules"], parsed.changes["design"], uploads
    )


def _changed(program: Program, parsed: ParsedForm) -> dict[str, object]:
    return {
        name: value for name, value in parsed.changes.items() if getattr(program, name) != value
    }


def _new_page(
    values: dict[str, str], errors: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    page = render_template(
        "admin/programs/new.html",
        kinds=list(Kind),
        values=values,
        errors=errors,
        kind_names=kind_names(),
        kind_hints=kind_hints(),
        error_labels=field_labels(errors),
    )
    return page, status


def _designer_page(
    program: Program, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    page = render_template(
        "admin/programs/edit.html",
        program=program,
        values=values,
        errors=errors,
        locales=LOCALES,
        tier_rows=row_count(values, "tier"),
        location_rows=row_count(values, "location"),
        kind_names=kind_names(),
        error_labels=field_labels(errors),
        image_roles=image_roles(),
        text_fields=text_fields(),
        open_texts={lang for lang in LOCALES if any(k.startswith(f"text-{lang}-") for k in errors)},
        unpublished=designer.has_unpublished_changes(program),
        archived=program.status == ProgramStatus.ARCHIVED,
        preview_language=values.get("preview_language") or current_language(),
    )
    return page, status
