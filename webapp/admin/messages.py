"""Admin: messages to card holders — compose with a count of who it reaches, history, detail."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from issuer import clock, messages, segments
from issuer.db.models import Program, ProgramStatus
from issuer.errors import NotFound
from issuer.messages import MAX_BODY, MAX_TITLE
from webapp.admin.blueprint import bp
from webapp.admin.message_form import MessageForm, message_segment, page_errors
from webapp.auth import signed_in
from webapp.database import session
from webapp.i18n import gettext


@bp.get("/messages/", endpoint="messages")
def messages_index() -> ResponseReturnValue:
    """The compose form and the history of sent messages."""
    return _page(MessageForm(), {}, preview=False)


@bp.post("/messages/preview")
def preview_message() -> ResponseReturnValue:
    """The form again, with how many cards it would reach now; nothing is sent."""
    return _page(MessageForm.from_form(request.form), {}, preview=True)


@bp.post("/messages/")
def send_message() -> ResponseReturnValue:
    """Send the message; a bad form comes back with every error and the text as typed."""
    form = MessageForm.from_form(request.form)
    program = _program(form.program_id)
    draft = form.draft(program)
    problems = messages.draft_problems(session(), program, draft, clock.now())
    if program is None or problems:
        session().rollback()
        return _page(form, page_errors(problems), preview=False, status=422)
    staff = signed_in()
    actor = f"staff:{staff.id}:{staff.email}"
    message = messages.send_message(session(), program, draft, actor, clock.now())
    session().commit()
    flash(gettext("The message is on its way. Cards: %(count)s", count=message.recipients))
    return redirect(url_for("admin.message", message_id=message.id), code=303)


@bp.get("/messages/<int:message_id>")
def message(message_id: int) -> ResponseReturnValue:
    """One sent message and what became of it on Apple and Google."""
    try:
        found = messages.get_message(session(), message_id)
    except NotFound:
        abort(404)
    summary = messages.summary(session(), found)
    return render_template(
        "admin/messages/detail.html", summary=summary, segment=message_segment(found)
    )


def _page(
    form: MessageForm, errors: dict[str, str], *, preview: bool, status: int = 200
) -> ResponseReturnValue:
    program = _program(form.program_id)
    published = _published()
    reach = None
    if preview:
        errors, reach = _preview(form, program)
    return render_template(
        "admin/messages/index.html",
        form=form, errors=errors, programs=published, reach=reach,
        tiers=[(p, segments.tier_names(p)) for p in published if segments.tier_names(p)],
        history=[(s, message_segment(s.message)) for s in messages.history(session())],
        max_title=MAX_TITLE, max_body=MAX_BODY,
    ), status  # fmt: skip


def _preview(form: MessageForm, program: Program | None) -> tuple[dict[str, str], int | None]:
    if program is None:
        return page_errors({"program": "Choose a program."}), None
    segment = form.draft(program).segment
    problem = segments.problem(program, segment)
    if problem is not None:
        return page_errors({"segment": problem}), None
    return {}, messages.reach(session(), program, segment, clock.now())


def _program(program_id: int | None) -> Program | None:
    if program_id is None:
        return None
    return session().get(Program, program_id)


def _published() -> list[Program]:
    query = select(Program).where(Program.status == ProgramStatus.PUBLISHED)
    return list(session().scalars(query.order_by(Program.name)))
