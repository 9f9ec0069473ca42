"""Admin: staff users and admins (invite, role, locations, deactivate) and the store list."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from issuer import clock, staff_admin
from issuer.db.models import Role, Staff
from issuer.errors import Conflict, Invalid, NotFound
from webapp.admin.blueprint import bp
from webapp.auth import signed_in
from webapp.database import session
from webapp.i18n import gettext
from webapp.invitations import send_invitation

MAX_TEXT = 300


@bp.get("/staff/")
def staff_users() -> ResponseReturnValue:
    """Everyone who logs in, the invitation form and the locations."""
    return _list_page({}, {"role": Role.STAFF})


@bp.post("/staff/invite")
def invite_staff() -> ResponseReturnValue:
    """Add a user and email them a link to choose their password."""
    values = {name: request.form.get(name, "")[:MAX_TEXT] for name in ("email", "name", "role")}
    invitation = staff_admin.Invitation(**values, location_ids=_location_ids())
    try:
        staff = staff_admin.invite_staff(session(), invitation, signed_in().email, clock.now())
    except Invalid as invalid:
        session().rollback()
        return _list_page(_messages(invalid.errors), values, invitation.location_ids), 422
    session().commit()
    send_invitation(staff)
    flash(gettext("Invitation sent to %(email)s.", email=staff.email))
    return redirect(url_for("admin.staff_users"), code=303)


@bp.get("/staff/<int:staff_id>")
def staff_user(staff_id: int) -> ResponseReturnValue:
    """One user's role, locations and status."""
    return _user_page(_staff(staff_id), {})


@bp.post("/staff/<int:staff_id>/role")
def staff_role(staff_id: int) -> ResponseReturnValue:
    """Make the user an admin or sales staff."""
    staff = _staff(staff_id)
    role = request.form.get("role", "")
    return _change(staff, lambda: staff_admin.change_role(
        session(), staff, role, signed_in(), clock.now()))  # fmt: skip


@bp.post("/staff/<int:staff_id>/locations")
def staff_locations(staff_id: int) -> ResponseReturnValue:
    """Set the locations where the user works."""
    staff, chosen = _staff(staff_id), _location_ids()
    return _change(staff, lambda: staff_admin.assign_locations(
        session(), staff, chosen, signed_in().email, clock.now()))  # fmt: skip


@bp.post("/staff/<int:staff_id>/active")
def staff_active(staff_id: int) -> ResponseReturnValue:
    """Deactivate (their sessions end at once) or reactivate the user."""
    staff, active = _staff(staff_id), request.form.get("active") == "yes"
    return _change(staff, lambda: staff_admin.set_active(
        session(), staff, active, signed_in(), clock.now()))  # fmt: skip


@bp.post("/staff/<int:staff_id>/reinvite")
def staff_reinvite(staff_id: int) -> ResponseReturnValue:
    """Send a new invitation; the earlier link stops working."""
    staff = _staff(staff_id)
    try:
        staff_admin.renew_invitation(session(), staff, signed_in().email, clock.now())
    except Conflict as refused:
        session().rollback()
        return _user_page(_staff(staff.id), {"form": _conflict(refused.code)}), 409
    session().commit()
    send_invitation(staff)
    flash(gettext("A new invitation was sent to %(email)s.", email=staff.email))
    return redirect(url_for("admin.staff_user", staff_id=staff.id), code=303)


@bp.post("/staff/locations")
def add_location() -> ResponseReturnValue:
    """Add a store or branch."""
    name = request.form.get("name", "")[:MAX_TEXT]
    try:
        staff_admin.add_location(session(), name, signed_in().email, clock.now())
    except Invalid as invalid:
        session().rollback()
        errors = {f"location-{k}": v for k, v in _messages(invalid.errors).items()}
        return _list_page(errors, {"role": Role.STAFF, "location-name": name}), 422
    session().commit()
    flash(gettext("Location “%(name)s” added.", name=name.strip()))
    return redirect(url_for("admin.staff_users", _anchor="locations"), code=303)


@bp.post("/staff/locations/<int:location_id>")
def rename_location(location_id: int) -> ResponseReturnValue:
    """Give a store or branch a new name."""
    name = request.form.get("name", "")[:MAX_TEXT]
    try:
        staff_admin.rename_location(session(), location_id, name, signed_in().email, clock.now())
    except NotFound:
        abort(404)
    except Invalid as invalid:
        session().rollback()
        flash(_messages(invalid.errors)["name"], "error")
        return redirect(url_for("admin.staff_users", _anchor="locations"), code=303)
    session().commit()
    flash(gettext("Location renamed to “%(name)s”.", name=name.strip()))
    return redirect(url_for("admin.staff_users", _anchor="locations"), code=303)


def _change(staff: Staff, change: Callable[[], object]) -> ResponseReturnValue:
    try:
        change()
    except Invalid as invalid:
        session().rollback()
        return _user_page(_staff(staff.id), _messages(invalid.errors)), 422
    except Conflict as refused:
        session().rollback()
        return _user_page(_staff(staff.id), {"form": _conflict(refused.code)}), 409
    session().commit()
    flash(gettext("Saved."))
    return redirect(url_for("admin.staff_user", staff_id=staff.id), code=303)


def _list_page(errors: dict[str, str], values: dict[str, str], chosen: tuple[int, ...] = ()) -> str:
    return render_template(
        "admin/staff/index.html",
        people=staff_admin.list_staff(session()),
        locations=staff_admin.list_locations(session()),
        is_invited=staff_admin.is_invited,
        errors=errors,
        values=values,
        chosen=chosen,
    )


def _user_page(staff: Staff, errors: dict[str, str]) -> str:
    return render_template(
        "admin/staff/user.html",
        person=staff,
        locations=staff_admin.list_locations(session()),
        invited=staff_admin.is_invited(staff),
        me=signed_in(),
        errors=errors,
    )


def _staff(staff_id: int) -> Staff:
    try:
        return staff_admin.get_staff(session(), staff_id)
    except NotFound:
        abort(404)


def _location_ids() -> tuple[int, ...]:
    # Anything but a known id (0 is none) is reported as a wrong choice, not dropped.
    chosen = request.form.getlist("locations")
    return tuple(int(v) if v.isdigit() and len(v) < 10 else 0 for v in chosen)


def _messages(errors: dict[str, str]) -> dict[str, str]:
    known = {
        "Must be an email address.": gettext("Enter an email address such as name@company.com."),
        "A staff user with this email already exists.": gettext(
            "Someone with this email already has an account."
        ),
        "Must be 1 to 120 characters.": gettext("Enter 1 to 120 characters."),
        "Must be admin or staff.": gettext("Choose admin or sales staff."),
        "Choose among the listed locations.": gettext("Choose among the listed locations."),
        "A location with this name already exists.": gettext(
            "A location with this name already exists."
        ),
    }
    return {field: known.get(text, gettext("Check this field.")) for field, text in errors.items()}


def _conflict(code: str) -> str:
    messages = {
        "last_admin": gettext(
            "At least one active admin must remain: make someone else an admin first."
        ),
        "own_account": gettext("You cannot deactivate your own account."),
        "own_role": gettext("You cannot change your own role; ask another admin."),
        "not_invited": gettext("This user has already set a password."),
    }
    return messages.get(code, gettext("This change is not possible."))
