"""Staff and admin login on Flask's signed session cookie, logout, and the guards of pages.

The session holds the staff id and a seal of the password hash and the user's session epoch:
changing a password or deactivating a user ends every session they had, for good. Cookies
are HttpOnly and SameSite (set in create_app), Secure when the public address is https, and
last one working shift.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, g, redirect, render_template, request, url_for
from flask import session as cookie
from flask.typing import ResponseReturnValue

from issuer import clock, logins
from issuer.db.models import Role, Staff
from webapp.database import session
from webapp.i18n import SESSION_KEY as LANGUAGE_KEY
from webapp.i18n import gettext
from webapp.pages import local_target, refusal, wants_json
from webapp.security import limiter

View = Callable[..., ResponseReturnValue]
STAFF_KEY = "staff_id"
SEAL_KEY = "staff_seal"
SHIFT = dt.timedelta(hours=12)
MAX_FIELD = 254
MAX_TOKEN = 512

bp = Blueprint("auth", __name__, url_prefix="/staff")


def init_app(app: Flask) -> None:
    """Mount login and logout; sessions last a shift."""
    app.config["PERMANENT_SESSION_LIFETIME"] = SHIFT
    app.context_processor(lambda: {"staff_user": current_staff()})
    app.register_blueprint(bp)


def staff_or_address() -> str:
    """Whom a rate limit counts: the logged-in staff user, else the client's address."""
    staff_id = cookie.get(STAFF_KEY)
    return f"staff:{staff_id}" if staff_id else (request.remote_addr or "")


def _submitted_email() -> str:
    return request.form.get("email", "").strip().lower()[:MAX_FIELD] or request.remote_addr or ""


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@limiter.limit("30 per hour", methods=["POST"], key_func=_submitted_email)
def login() -> ResponseReturnValue:
    """The login form; a good login starts a fresh session and goes where the user was headed."""
    headed_to = local_target(request.args.get("next")) or url_for("staff.scanner")
    if request.method == "GET":
        if current_staff() is not None:
            return redirect(headed_to, code=303)
        return render_template("auth/login.html", email="", error=None)
    email = request.form.get("email", "")[:MAX_FIELD]
    password = request.form.get("password", "")[:MAX_FIELD]
    staff = logins.log_in(session(), email, password, clock.now())
    if staff is None:
        error = gettext("The email or password is not right.")
        return render_template("auth/login.html", email=email, error=error), 401
    session().commit()
    _start_session(staff)
    return redirect(headed_to, code=303)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def invitation(token: str) -> ResponseReturnValue:
    """Accept an invitation: the invited user chooses their password."""
    from webapp.invitations import accept  # the invitation page needs the mail; auth does not

    return accept(token[:MAX_TOKEN])


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """End the session (the language choice stays)."""
    language = cookie.get(LANGUAGE_KEY)
    cookie.clear()
    if language:
        cookie[LANGUAGE_KEY] = language
    return redirect(url_for("auth.login"), code=303)


def current_staff() -> Staff | None:
    """The active staff user this request's session belongs to, if any."""
    if "staff_user" not in g:
        g.staff_user = _staff_of_session()
    found: Staff | None = g.staff_user
    return found


def signed_in() -> Staff:
    """The staff user of a view guarded by ``login_required`` or ``role_required``."""
    staff = current_staff()
    if staff is None:
        raise RuntimeError("signed_in() is for views behind login_required or role_required")
    return staff


def login_required(view: View) -> View:
    """Send visitors who are not logged in to the login page (scripts get a 401)."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if current_staff() is None:
            return _ask_to_log_in()
        return view(*args, **kwargs)

    return guarded


def role_required(*roles: Role) -> Callable[[View], View]:
    """Let only logged-in users with one of ``roles`` in; others get a 403."""

    def guard(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            return refusal_for(*roles) or view(*args, **kwargs)

        return guarded

    return guard


def refusal_for(*roles: Role) -> ResponseReturnValue | None:
    """None when the logged-in user has one of ``roles``; else a login redirect or a 403."""
    staff = current_staff()
    if staff is None:
        return _ask_to_log_in()
    if staff.role not in roles:
        message = gettext("Your account cannot open this page.")
        return refusal(403, "forbidden", gettext("Not allowed"), message)
    return None


def _ask_to_log_in() -> ResponseReturnValue:
    if wants_json():
        message = gettext("Your session has ended. Log in again.")
        return refusal(401, "login_required", gettext("Log in"), message)
    headed_to = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=headed_to), code=303)


def _start_session(staff: Staff) -> None:
    # A fresh session at login: nothing set before it (by anyone) carries over.
    language = cookie.get(LANGUAGE_KEY)
    cookie.clear()
    cookie.permanent = True
    cookie[STAFF_KEY] = staff.id
    cookie[SEAL_KEY] = _seal(staff)
    if language:
        cookie[LANGUAGE_KEY] = language
    g.staff_user = staff


def _staff_of_session() -> Staff | None:
    staff_id = cookie.get(STAFF_KEY)
    if not isinstance(staff_id, int):
        return None
    staff = logins.find_active_staff(session(), staff_id)
    if staff is None or not hmac.compare_digest(str(cookie.get(SEAL_KEY, "")), _seal(staff)):
        return None
    return staff


def _seal(staff: Staff) -> str:
    # Epoch 0 seals the hash alone, as sessions made before the epoch existed were sealed.
    sealed = staff.password_hash + (f":{staff.session_epoch}" if staff.session_epoch else "")
    return hashlib.sha256(sealed.encode()).hexdigest()[:32]
