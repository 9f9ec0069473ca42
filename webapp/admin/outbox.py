"""The mail outbox: emails kept instead of sent when no SMTP server works, newest first."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue

from issuer import outbox as mail_outbox
from issuer.errors import NotFound
from webapp.admin.blueprint import bp
from webapp.database import session
from webapp.settings import current_settings

PAGE = 50
MAX_SEARCH = 254


@bp.get("/outbox/")
def outbox() -> ResponseReturnValue:
    """The kept emails, newest first, perhaps only those to a matching recipient."""
    recipient = request.args.get("recipient", "").strip()[:MAX_SEARCH]
    before = request.args.get("before", type=int)
    found = mail_outbox.recent(session(), PAGE + 1, recipient=recipient, before=before)
    older = found[PAGE - 1].id if len(found) > PAGE else None
    return render_template(
        "admin/outbox/index.html",
        messages=found[:PAGE],
        recipient=recipient,
        older=older,
        first_page=before is None,
        smtp=bool(current_settings().smtp_url),
    )


@bp.get("/outbox/<int:message_id>")
def outbox_message(message_id: int) -> ResponseReturnValue:
    """One kept email with its whole text."""
    try:
        message = mail_outbox.get_message(session(), message_id)
    except NotFound:
        abort(404)
    return render_template("admin/outbox/message.html", message=message)
