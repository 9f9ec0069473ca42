"""The staff blueprint, its shared answers to refusals, and what its pages have in common."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, request
from flask import session as cookie
from flask.typing import ResponseReturnValue

from issuer.errors import Conflict, Invalid, IssuerError, NotAuthorized, NotFound
from issuer.rules import ReversalRefused, RulesError
from webapp.i18n import gettext
from webapp.pages import refusal
from webapp.settings import current_settings
from webapp.staff.refusals import field_messages, refusal_message

bp = Blueprint(
    "staff",
    __name__,
    url_prefix="/staff",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
LOCATION_KEY = "staff_location"
STATUS = {NotFound: 404, NotAuthorized: 403, Conflict: 409, ReversalRefused: 409}


def status_of(error: IssuerError | RulesError) -> int:
    """The HTTP status a refusal is answered with (422 unless it is one of the known kinds)."""
    return next((code for kind, code in STATUS.items() if isinstance(error, kind)), 422)


@bp.errorhandler(IssuerError)
@bp.errorhandler(RulesError)
def refused(error: IssuerError | RulesError) -> ResponseReturnValue:
    """A refusal no view handled itself: a message page, or JSON for the page scripts."""
    fields = field_messages(error) if isinstance(error, Invalid) else None
    return refusal(
        status_of(error), error.code, gettext("Not done"), refusal_message(error), fields
    )


@bp.after_request
def not_stored(response: Response) -> Response:
    """Card data and order results are not kept in any cache, shared or private."""
    if request.endpoint != "staff.static":
        response.headers["Cache-Control"] = "no-store"
    return response


def chosen_location_id() -> int | None:
    """The location this staff member last chose, if any."""
    found = cookie.get(LOCATION_KEY)
    return found if isinstance(found, int) else None


def remember_location(location_id: int | None) -> None:
    """Keep the staff member's location for their next orders."""
    if location_id is not None:
        cookie[LOCATION_KEY] = location_id


def undo_window() -> dt.timedelta:
    """How long staff may undo their own orders."""
    return dt.timedelta(minutes=current_settings().staff_undo_minutes)


def business_zone() -> ZoneInfo:
    """The time zone the business's days are counted in."""
    return ZoneInfo(current_settings().timezone)
