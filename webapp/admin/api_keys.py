"""Admin: API keys for POS, CRM and ERP systems (create, shown once; revoke; last used)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from issuer import access, api_keys, clock
from issuer.db.models import ApiKey, Scope
from issuer.errors import Conflict, Invalid, NotFound
from webapp.admin.blueprint import bp
from webapp.auth import signed_in
from webapp.database import session
from webapp.i18n import gettext

MAX_TEXT = 300


@bp.get("/api-keys/", endpoint="api_keys")
def api_keys_index() -> ResponseReturnValue:
    """Every key with its scope, when it was made, last used and revoked."""
    return _index({}, {"scope": Scope.POS})


@bp.post("/api-keys/")
def create_api_key() -> ResponseReturnValue:
    """Make a key and show it, this once (the answer is never cached)."""
    values = {name: request.form.get(name, "")[:MAX_TEXT] for name in ("name", "scope")}
    try:
        made = access.create_api_key(
            session(), values["name"].strip(), values["scope"], signed_in().email, clock.now()
        )
    except Invalid as invalid:
        session().rollback()
        return _index(_messages(invalid.errors), values), 422
    session().commit()
    return render_template("admin/api_keys/created.html", key=made.key, secret=made.secret)


@bp.get("/api-keys/<int:key_id>/revoke")
def confirm_revoke(key_id: int) -> ResponseReturnValue:
    """Ask before revoking: systems using the key stop working at once."""
    key = session().get(ApiKey, key_id)
    if key is None:
        abort(404)
    return render_template("admin/api_keys/revoke.html", key=key)


@bp.post("/api-keys/<int:key_id>/revoke")
def revoke_api_key(key_id: int) -> ResponseReturnValue:
    """Revoke the key; the API refuses it from now on."""
    try:
        key = api_keys.revoke_api_key(session(), key_id, signed_in().email, clock.now())
    except NotFound:
        abort(404)
    except Conflict:
        session().rollback()
        flash(gettext("This API key had already been revoked."), "error")
        return redirect(url_for("admin.api_keys"), code=303)
    session().commit()
    flash(gettext("The API key “%(name)s” is revoked.", name=key.name))
    return redirect(url_for("admin.api_keys"), code=303)


def _index(errors: dict[str, str], values: dict[str, str]) -> str:
    keys = api_keys.list_api_keys(session())
    return render_template("admin/api_keys/index.html", keys=keys, errors=errors, values=values)


def _messages(errors: dict[str, str]) -> dict[str, str]:
    known = {
        "name": gettext("Enter a name of 1 to 120 characters, e.g. the system that uses it."),
        "scope": gettext("Choose POS or admin."),
    }
    return {field: known.get(field, gettext("Check this field.")) for field in errors}
