"""The partner's card: its pass downloads (the card page itself comes with enrollment)."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, redirect, request
from flask.typing import ResponseReturnValue

from issuer import cards
from issuer.db.models import Card
from passes.apple import MEDIA_TYPE
from webapp.database import session
from webapp.links import card_url
from webapp.settings import current_settings
from webapp.wallets import apple_passes, google_wallet

bp = Blueprint("card", __name__)


@bp.get("/c/<page_token>/pass.pkpass")
def apple_pass(page_token: str) -> ResponseReturnValue:
    """The card's signed Apple Wallet pass, with Last-Modified (304 when unchanged)."""
    card = _card(page_token)
    builder = apple_passes()
    if builder is None:
        return _not_set_up()
    data = builder.pkpass(session(), card, card_url(card, current_settings()))
    response = Response(data, mimetype=MEDIA_TYPE)
    response.last_modified = card.updated_at
    response.headers["Content-Disposition"] = f'attachment; filename="{card.program.slug}.pkpass"'
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.get("/c/<page_token>/google")
def google_pass(page_token: str) -> ResponseReturnValue:
    """Redirect to the card's "Save to Google Wallet" link."""
    card = _card(page_token, write=True)
    google = google_wallet()
    if google is None:
        text = "Google Wallet is not set up on this server yet. Please try again later."
        return Response(text, status=503, mimetype="text/plain")
    link = google.save_link(session(), card, card_url(card, current_settings()))
    session().commit()
    return redirect(link, code=302)


def _card(page_token: str, *, write: bool = False) -> Card:
    found = cards.find_card_by_page_token(session(write=write), page_token)
    if found is None:
        abort(404)
    return found


def _not_set_up() -> ResponseReturnValue:
    text = "Apple Wallet is not set up on this server yet. Please try again later."
    return Response(text, status=503, mimetype="text/plain")


def init_app(app: Flask) -> None:
    """Mount the card routes."""
    app.register_blueprint(bp)
