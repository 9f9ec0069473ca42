"""JSON for the staff pages' own scripts: code lookup, the live quote, and camera frames.

They use the staff member's login session (not API keys) and the page's CSRF token.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue

from issuer import cards, checkout, staff_checkout
from passes.qr import MAX_FRAME_BYTES, FrameRefused, NoCodeFound, read_qr_code
from webapp.auth import login_required, staff_or_address
from webapp.database import session
from webapp.i18n import gettext, money
from webapp.pages import refusal
from webapp.security import limiter
from webapp.staff.blueprint import bp
from webapp.staff.cardview import outcome_figures, outcome_values, program_rules, state_figures
from webapp.staff.forms import OrderForm
from webapp.staff.views import LOOKUP_LIMIT, MAX_CODE

# A camera without BarcodeDetector sends a few frames a second while it looks for a code.
FRAME_LIMIT = "300 per minute"


@bp.post("/api/lookup")
@limiter.limit(LOOKUP_LIMIT, key_func=staff_or_address)
@login_required
def lookup() -> ResponseReturnValue:
    """Where the card with this code opens; refusals say why in the staff's language."""
    code = request.form.get("code", "")[:MAX_CODE]
    card = staff_checkout.find_card_for_checkout(session(), code)
    return jsonify(url=url_for(".card", card_id=card.id))


@bp.post("/api/cards/<int:card_id>/quote")
@login_required
def quote(card_id: int) -> ResponseReturnValue:
    """What the order in the form would do, before it is confirmed; changes nothing."""
    card = cards.get_card(session(), card_id)
    currency = card.program.currency
    outcome = checkout.quote_order(
        session(), card, OrderForm.from_form(request.form).order(currency)
    )
    rules = program_rules(card.program)
    return jsonify(
        figures=[asdict(figure) for figure in outcome_figures(outcome, rules, currency)],
        after=[
            asdict(figure) for figure in state_figures(outcome_values(outcome), rules, currency)
        ],
        confirm=gettext("Confirm · pay %(payable)s", payable=money(outcome.payable, currency)),
    )


@bp.post("/api/frames")
@limiter.limit(FRAME_LIMIT, key_func=staff_or_address)
@login_required
def read_frame() -> ResponseReturnValue:
    """The text of the QR code in a camera frame, for browsers that cannot read it themselves."""
    request.max_content_length = MAX_FRAME_BYTES + 64 * 1024  # the frame and the form around it
    upload = request.files.get("frame")
    try:
        return jsonify(code=read_qr_code(upload.read() if upload else b""))
    except NoCodeFound:
        return refusal(422, "no_code_found", gettext("No code"), gettext("No code found."))
    except FrameRefused:
        message = gettext("The camera picture could not be read.")
        return refusal(400, "not_a_frame", gettext("No code"), message)
