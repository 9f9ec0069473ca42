"""A program's invitation links: list them, make one (perhaps for a company), revoke one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from issuer import clock, invites, programs
from issuer.db.models import Invite, Program
from issuer.errors import Invalid, NotFound
from webapp.admin.blueprint import bp
from webapp.auth import signed_in
from webapp.database import session
from webapp.i18n import gettext
from webapp.links import invite_url
from webapp.settings import current_settings

DEFAULT_DAYS = 30
MAX_TEXT = 200
FIELDS = ("expires_on", "company", "tax_id")


@dataclass(frozen=True, slots=True)
class InviteRow:
    """One invitation as the list shows it."""

    invite: Invite
    url: str
    state: str

    @property
    def valid_through(self) -> dt.datetime:
        """The last moment the link works (shown as the date it works through)."""
        return self.invite.expires_at - dt.timedelta(seconds=1)


@bp.route("/programs/<int:program_id>/invites", methods=["GET", "POST"])
def program_invites(program_id: int) -> ResponseReturnValue:
    """The program's invitations and the form that makes one."""
    program = _program(program_id)
    if request.method == "GET":
        return _page(program, _default_form(), {})
    form = {
        name: request.form.get(name, "")[:MAX_TEXT] for name in ("expires_on", "company", "tax_id")
    }
    terms = invites.InviteTerms(_expiry(form["expires_on"]), form["company"], form["tax_id"])
    try:
        invite = invites.create_invite(session(), program, terms, admin_actor(), clock.now())
    except Invalid as error:
        return _page(program, form, _messages(error.errors), status=422)
    session().commit()
    return redirect(url_for("admin.program_invites", program_id=program.id, made=invite.id), 303)


@bp.post("/programs/<int:program_id>/invites/<int:invite_id>/revoke")
def revoke_invite(program_id: int, invite_id: int) -> ResponseReturnValue:
    """Withdraw one invitation; its link stops working at once."""
    program = _program(program_id)
    try:
        invite = invites.get_invite(session(), program, invite_id)
    except NotFound:
        abort(404)
    if not invite.is_revoked():
        invites.revoke_invite(session(), invite, admin_actor(), clock.now())
        session().commit()
    return redirect(url_for("admin.program_invites", program_id=program.id), 303)


def admin_actor() -> str:
    """How the audit log names the signed-in admin."""
    admin = signed_in()
    return f"staff:{admin.id}:{admin.email}"


def _program(program_id: int) -> Program:
    try:
        return programs.get_program(session(), program_id)
    except NotFound:
        abort(404)


def _page(
    program: Program, form: dict[str, str], errors: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    now = clock.now()
    rows = [_row(invite, now) for invite in invites.list_invites(session(), program)]
    made = request.args.get("made", type=int)
    page = render_template(
        "admin/invites/index.html", program=program, rows=rows, form=form, errors=errors, made=made
    )
    return page, status


def _row(invite: Invite, now: dt.datetime) -> InviteRow:
    settings = current_settings()
    url = invite_url(invite.program, invites.invite_token(invite, settings.secret_key), settings)
    return InviteRow(invite, url, invites.invite_status(invite, now))


def _default_form() -> dict[str, str]:
    ends = _local_today() + dt.timedelta(days=DEFAULT_DAYS)
    return {"expires_on": ends.isoformat(), "company": "", "tax_id": ""}


def _expiry(typed: str) -> dt.datetime | None:
    """The end of the chosen day in the business's time zone (the link works through it)."""
    try:
        day = dt.date.fromisoformat(typed.strip())
    except ValueError:
        return None
    zone = ZoneInfo(current_settings().timezone)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone).astimezone(dt.UTC)


def _local_today() -> dt.date:
    return clock.now().astimezone(ZoneInfo(current_settings().timezone)).date()


def _messages(errors: dict[str, str]) -> dict[str, str]:
    messages = {
        "expires_at": gettext("Choose a date from today to a year ahead."),
        "company": gettext("Give the company's name (at most 120 characters) with its tax id."),
        "tax_id": gettext("A tax id has 5 to 20 letters and digits."),
    }
    return {field: messages.get(field, gettext("Check this field.")) for field in errors}
