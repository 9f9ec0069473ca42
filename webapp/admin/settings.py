"""Admin: settings as configured (signing material and its expiry, Google, public URL, mail),
and a test push to the devices that hold a chosen card."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask.typing import ResponseReturnValue

from issuer import clock, trial_push
from issuer.errors import Invalid
from passes.apple.apns import PushAction, PushResult
from webapp.admin.blueprint import bp
from webapp.admin.signing_status import apple_status, google_status
from webapp.auth import signed_in
from webapp.database import session
from webapp.i18n import gettext
from webapp.settings import current_settings
from webapp.wallets import apns_pusher

MAX_TEXT = 120


@bp.get("/settings/")
def settings() -> ResponseReturnValue:
    """How the service is set up, with expiry warnings 30 days ahead."""
    return _page()


@bp.post("/settings/test-push")
def test_push() -> ResponseReturnValue:
    """Push to every device that registered the card's pass and show APNs's answers."""
    typed = request.form.get("card", "")[:MAX_TEXT]
    try:
        card = trial_push.find_card(session(), typed)
    except Invalid:
        message = gettext("No card has this code or serial number.") if typed.strip() else (
            gettext("Enter a card code or serial number."))  # fmt: skip
        return _page(typed=typed, errors={"card": message}), 422
    pusher = apns_pusher(current_settings())
    if pusher is None:
        return _page(typed=typed, errors={"card": gettext("APNs is not set up.")}), 409
    tokens = trial_push.registered_tokens(session(), card)
    trial_push.note_trial(session(), card, tokens, signed_in().email, clock.now())
    session().commit()
    with pusher:
        results = trial_push.push(pusher, tokens)
    return _page(typed=typed, card=card, results=[_shown(r) for r in results])


def _page(**extra: Any) -> str:
    settings = current_settings()
    return render_template(
        "admin/settings/index.html",
        settings=settings,
        apple=apple_status(settings, clock.now()),
        google=google_status(settings),
        errors=extra.pop("errors", {}),
        **extra,
    )


def _shown(result: PushResult) -> dict[str, Any]:
    ok = result.action == PushAction.DELIVERED
    return {
        "device": f"{result.token[:8]}…",
        "status": result.status,
        "reason": result.reason or ("" if ok else gettext("No answer")),
        "level": "ok" if ok else "bad",
        "outcome": gettext("Delivered") if ok else _failure(result.action),
    }


def _failure(action: PushAction) -> str:
    return {
        PushAction.UNREGISTER: gettext("The device no longer holds the pass"),
        PushAction.DROP: gettext("Bad device token"),
        PushAction.RETRY_LATER: gettext("APNs busy or unreachable; try again later"),
    }.get(action, gettext("Refused: check the certificate and pass type"))
