"""Admin: the audit log of every admin change, newest first, filtered and paged."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue

from issuer import audit
from webapp.admin.blueprint import bp
from webapp.database import session
from webapp.i18n import gettext

PER_PAGE = 50
MAX_TEXT = 120


@bp.get("/audit/")
def audit_log() -> ResponseReturnValue:
    """The log narrowed by actor, action, target text and dates."""
    wanted, errors = _filter()
    if errors:
        found = audit.AuditPage(entries=[], page=1, has_next=False)
    else:
        found = audit.search(session(), wanted, _page(), PER_PAGE)
    return render_template(
        "admin/audit/index.html",
        found=found,
        wanted=wanted,
        values=request.args,
        errors=errors,
        actors=audit.actors(session()),
        actions=audit.actions(session()),
        details=readable_details,
        query={k: v for k, v in request.args.items() if k != "page" and v},
    ), (400 if errors else 200)


def readable_details(details: dict[str, Any]) -> list[tuple[str, str]]:
    """Each detail as a label and a plain value (lists joined, nothing as JSON noise)."""
    return [(key.replace("_", " "), _plain(value)) for key, value in sorted(details.items())]


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "—" if value is None or value == "" else str(value)


def _filter() -> tuple[audit.AuditFilter, dict[str, str]]:
    errors: dict[str, str] = {}
    since, until = _date("since", errors), _date("until", errors)
    if since and until and since > until:
        errors["until"] = gettext("The end date is before the start date.")
    wanted = audit.AuditFilter(
        actor=_text("actor"), action=_text("action"), target=_text("target"),
        since=since, until=until,
    )  # fmt: skip
    return wanted, errors


def _date(name: str, errors: dict[str, str]) -> dt.date | None:
    raw = _text(name)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors[name] = gettext("Enter a date as YYYY-MM-DD.")
        return None


def _text(name: str) -> str:
    return request.args.get(name, "").strip()[:MAX_TEXT]


def _page() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 6 else 1
