"""The staff pages: scanner, card with its order form, order result with undo, the day's orders."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from issuer import cards, checkout, clock, staff_checkout, staff_orders
from issuer.checkout import Receipt
from issuer.db.models import Staff
from issuer.errors import Invalid, IssuerError, NotFound
from issuer.rules import RulesError
from webapp.auth import login_required, signed_in, staff_or_address
from webapp.database import session
from webapp.i18n import gettext
from webapp.pages import local_target
from webapp.security import limiter
from webapp.staff.blueprint import (
    bp,
    business_zone,
    chosen_location_id,
    remember_location,
    status_of,
    undo_window,
)
from webapp.staff.cardview import (
    card_view,
    outcome_figures,
    program_rules,
    recent_orders,
    state_figures,
)
from webapp.staff.forms import REDEEM_CHOICES, OrderForm, UndoForm, redeem_label
from webapp.staff.refusals import field_messages, refusal_message

LOOKUP_LIMIT = "60 per minute"
RECENT = 8
MAX_CODE = 200


@bp.get("/")
@login_required
def scanner() -> ResponseReturnValue:
    """Find a card: the camera, a keyboard-wedge scanner, or the code typed by hand."""
    return _scanner_page()


@bp.post("/find")
@limiter.limit(LOOKUP_LIMIT, key_func=staff_or_address)
@login_required
def find() -> ResponseReturnValue:
    """Open the card a scanned or typed code belongs to, or say why it cannot be used."""
    code = request.form.get("code", "")[:MAX_CODE]
    try:
        card = staff_checkout.find_card_for_checkout(session(), code)
    except IssuerError as error:
        return _scanner_page(code, refusal_message(error), status_of(error))
    return redirect(url_for(".card", card_id=card.id), code=303)


@bp.get("/cards/<int:card_id>")
@login_required
def card(card_id: int) -> ResponseReturnValue:
    """The card's holder, program and state, its last orders, and the order form."""
    return _card_page(card_id, OrderForm(location_id=chosen_location_id()))


@bp.post("/cards/<int:card_id>/orders")
@login_required
def place_order(card_id: int) -> ResponseReturnValue:
    """Place the order once per form key; a repeated send shows the first result."""
    form = OrderForm.from_form(request.form)
    try:
        receipt = _placed(card_id, form, signed_in())
    except Invalid as error:
        return _card_page(card_id, form, errors=field_messages(error), status=422)
    except (IssuerError, RulesError) as error:
        return _card_page(card_id, form, message=refusal_message(error), status=status_of(error))
    session().commit()
    remember_location(receipt.transaction.location_id)
    return redirect(url_for(".order", transaction_id=receipt.transaction.id), code=303)


@bp.get("/orders/<int:transaction_id>")
@login_required
def order(transaction_id: int) -> ResponseReturnValue:
    """What an order (or an undo) changed, and the undo form while it may be undone."""
    return _order_page(transaction_id, UndoForm())


@bp.post("/orders/<int:transaction_id>/undo")
@login_required
def undo(transaction_id: int) -> ResponseReturnValue:
    """Reverse the order with a reason, if this staff member may; else say why not."""
    form = UndoForm.from_form(request.form)
    try:
        receipt = staff_orders.undo_order(
            session(),
            signed_in(),
            transaction_id,
            form.reason,
            form.key,
            clock.now(),
            undo_window(),
        )
    except (IssuerError, RulesError) as error:
        session().rollback()
        return _order_page(transaction_id, form, refusal_message(error), status_of(error))
    session().commit()
    flash(gettext("The order is undone. The card on the customer's phone updates in a moment."))
    return redirect(url_for(".order", transaction_id=receipt.transaction.id), code=303)


@bp.get("/orders")
@login_required
def my_orders() -> ResponseReturnValue:
    """This staff member's orders of today, with totals."""
    zone = business_zone()
    today = clock.now().astimezone(zone).date()
    day = staff_orders.staff_day(session(), signed_in().id, today, zone)
    return render_template("staff/orders.html", day=day)


@bp.post("/location")
@login_required
def choose_location() -> ResponseReturnValue:
    """Remember the location the staff member works at today."""
    chosen = request.form.get("location", type=int)
    try:
        location = staff_checkout.location_for_order(session(), signed_in(), chosen)
    except Invalid as error:
        flash(field_messages(error)["location"], "error")
    else:
        remember_location(location.id if location else None)
    return redirect(local_target(request.form.get("next")) or url_for(".scanner"), code=303)


def _placed(card_id: int, form: OrderForm, staff: Staff) -> Receipt:
    card = cards.get_card(session(), card_id)
    order = form.order(card.program.currency)
    chosen = form.location_id or chosen_location_id()
    location = staff_checkout.location_for_order(session(), staff, chosen)
    return staff_checkout.place_staff_order(
        session(), card, order, staff, location, form.key, clock.now()
    )


def _scanner_page(
    code: str = "", error: str | None = None, status: int = 200
) -> ResponseReturnValue:
    locations = staff_checkout.staff_locations(session(), signed_in())
    page = render_template(
        "staff/scanner.html",
        code=code,
        error=error,
        locations=locations,
        chosen=chosen_location_id(),
    )
    return page, status


def _card_page(
    card_id: int,
    form: OrderForm,
    errors: dict[str, str] | None = None,
    message: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    staff = signed_in()
    found = cards.get_card(session(), card_id)
    entries = cards.account_ledger(session(), found.account_id, limit=RECENT)
    undone = staff_orders.undone_ids(session(), [entry.id for entry in entries])
    page = render_template(
        "staff/card.html",
        view=card_view(found),
        form=form,
        errors=errors or {},
        message=message,
        recent=recent_orders(entries, undone, staff, clock.now(), undo_window()),
        locations=staff_checkout.staff_locations(session(), staff),
        redeem_choices=[(choice, redeem_label(choice)) for choice in REDEEM_CHOICES],
    )
    return page, status


def _order_page(
    transaction_id: int, form: UndoForm, error: str | None = None, status: int = 200
) -> ResponseReturnValue:
    entry = checkout.find_transaction(session(), transaction_id)
    if entry.card_id is None:
        raise NotFound("This ledger entry is not an order of a card.")
    found = cards.get_card(session(), entry.card_id)
    rules = program_rules(found.program)
    shown = entry.reverses or entry
    currency = found.program.currency
    [recent] = recent_orders(
        [shown],
        staff_orders.undone_ids(session(), [shown.id]),
        signed_in(),
        clock.now(),
        undo_window(),
    )
    page = render_template(
        "staff/order.html",
        entry=entry,
        recent=recent,
        view=card_view(found),
        figures=outcome_figures(shown, rules, currency),
        after=state_figures(entry.state_after, rules, currency),
        form=form,
        error=error,
    )
    return page, status
