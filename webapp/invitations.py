"""Staff invitations on the web: the email with its link, and the page that accepts it.

The link (``/staff/invitation/<token>``) is signed with the app's secret, expires after a
week and works once (see :mod:`issuer.invitations`). Accepting sets the user's password;
they then log in as usual.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from issuer import clock, staff_admin
from issuer.access import MIN_PASSWORD_LENGTH
from issuer.db.models import Staff
from issuer.errors import Conflict, Invalid, NotAuthorized
from issuer.invitations import InvitationLinks
from webapp.database import session
from webapp.i18n import gettext
from webapp.mail import Mail, deliver
from webapp.pages import refusal
from webapp.settings import current_settings

MAX_PASSWORD = 254


def links() -> InvitationLinks:
    """Invitation tokens signed with this app's secret key."""
    return InvitationLinks(str(current_settings().secret_key))


def send_invitation(staff: Staff) -> None:
    """Email ``staff`` the link to set their password (call after the commit)."""
    settings = current_settings()
    url = settings.public_url + url_for("auth.invitation", token=links().token(staff))
    subject = gettext("You are invited to Tessera")
    body = gettext(
        "Hello %(name)s,\n\nYou have been given a Tessera account (%(email)s). Choose your "
        "password here within 7 days:\n\n%(url)s\n\nThe link works once. If you did not "
        "expect this email, ignore it.",
        name=staff.name,
        email=staff.email,
        url=url,
    )
    deliver(Mail(staff.email, subject, body))


def accept(token: str) -> ResponseReturnValue:
    """The set-password form of an invitation, and setting the password."""
    try:
        staff = links().invited(session(), token)
    except (NotAuthorized, Conflict) as refused:
        return _refused(refused)
    if request.method == "GET":
        return render_template("auth/invitation.html", staff=staff, errors={})
    errors = _password_errors()
    if not errors:
        try:
            staff_admin.set_password(session(), staff, _field("password"), clock.now())
        except Invalid:
            errors = {"password": _too_short()}
    if errors:
        return render_template("auth/invitation.html", staff=staff, errors=errors), 422
    session().commit()
    flash(gettext("Your password is set. Log in with your email and the new password."))
    return redirect(url_for("auth.login"), code=303)


def _password_errors() -> dict[str, str]:
    errors = {}
    if len(_field("password")) < MIN_PASSWORD_LENGTH:
        errors["password"] = _too_short()
    if _field("password") != _field("confirm"):
        errors["confirm"] = gettext("The two passwords differ.")
    return errors


def _too_short() -> str:
    return gettext("Use at least %(count)s characters.", count=MIN_PASSWORD_LENGTH)


def _field(name: str) -> str:
    return request.form.get(name, "")[:MAX_PASSWORD]


def _refused(refused: NotAuthorized | Conflict) -> ResponseReturnValue:
    messages = {
        "expired": gettext("This invitation has expired. Ask an admin to send a new one."),
        "used": gettext(
            "This invitation has already been used or replaced by a newer one. "
            "Log in, or ask an admin to send a new invitation."
        ),
        "deactivated": gettext("This account has been deactivated."),
    }
    message = messages.get(refused.code, gettext("This invitation link is not valid."))
    status = 410 if refused.code in messages else 404
    return refusal(status, refused.code, gettext("Invitation"), message)
