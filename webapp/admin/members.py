"""Admin: members — the list with search and filters, a member's page and its card actions.

A member's page shows their cards, each card's account and the account's ledger, with three
actions per card: adjust the account's balance (with a reason, audited), void the card and
send the card link again.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from issuer import adjustments, audit, cardcodes, cards, clock, people, programs
from issuer.adjustments import Adjustment
from issuer.db.models import Card, Member
from issuer.errors import Conflict, Invalid, NotFound
from issuer.programs import published_rules
from issuer.rules import NegativeBalance
from issuer.rules.adjustments import MONEY_FIELDS, adjustable_fields
from webapp.admin.blueprint import bp
from webapp.admin.people_csv import MEMBER_COLUMNS, csv_download, member_row
from webapp.admin.people_forms import (
    BELOW_ZERO,
    AdjustmentForm,
    field_label,
    filter_args,
    people_filter,
)
from webapp.auth import signed_in
from webapp.card_mail import card_mail
from webapp.database import session
from webapp.i18n import gettext, money
from webapp.mail import deliver

LEDGER_ENTRIES = 100


@bp.get("/members/")
def members() -> ResponseReturnValue:
    """Members matching the search and filters, newest first."""
    wanted = people_filter(request.args)
    page = people.search_members(session(), wanted, request.args.get("page", 1, type=int))
    return render_template(
        "admin/people/members.html",
        page=page,
        cards=people.cards_of_members(session(), [member.id for member in page.items]),
        wanted=wanted,
        args=filter_args(wanted),
        programs=programs.list_programs(session()),
    )


@bp.get("/members/export.csv")
def members_export() -> ResponseReturnValue:
    """The filtered list of members as CSV, in the columns the import reads."""
    rows = (member_row(m) for m in people.every_member(session(), people_filter(request.args)))
    return csv_download("members.csv", MEMBER_COLUMNS, rows)


@bp.get("/members/<int:member_id>")
def member(member_id: int) -> ResponseReturnValue:
    """A member: their cards, each card's account and ledger, and the card actions."""
    return _member_page(member_id)


@bp.post("/members/<int:member_id>/cards/<int:card_id>/adjust")
def adjust(member_id: int, card_id: int) -> ResponseReturnValue:
    """Adjust the balance of the card's account, with a reason; every error shown at once."""
    card = _card_of(member_id, card_id)
    form = AdjustmentForm.from_form(request.form, card.id)
    fields = _fields(card)
    change, errors = form.change(card.program.currency, fields)
    if not fields:
        errors = {"field": gettext("This card's program is not running; nothing can be adjusted.")}
    if errors:
        return _member_page(member_id, form, errors, status=422)
    adjustment = Adjustment(form.field, change, form.reason, card.id)
    try:
        adjustments.adjust_balance(session(), card.account_id, adjustment, signed_in(), clock.now())
    except (Invalid, NegativeBalance) as error:
        session().rollback()
        return _member_page(member_id, form, _refusal(error, card), status=422)
    session().commit()
    flash(gettext("The balance is adjusted. The passes update in a moment."))
    return redirect(url_for(".member", member_id=member_id), code=303)


@bp.post("/members/<int:member_id>/cards/<int:card_id>/void")
def void(member_id: int, card_id: int) -> ResponseReturnValue:
    """Void the card after the admin confirmed it; its pass shows that it is void."""
    card = _card_of(member_id, card_id)
    if request.form.get("confirm") != "yes":
        flash(gettext("Tick the box to confirm that the card is to be voided."), "error")
        return redirect(url_for(".member", member_id=member_id), code=303)
    try:
        cards.void_card(session(), card, adjustments.staff_actor(signed_in()), clock.now())
    except Conflict:
        session().rollback()
        flash(gettext("This card is already voided."), "error")
        return redirect(url_for(".member", member_id=member_id), code=303)
    session().commit()
    flash(gettext("The card is voided. Its pass shows it in a moment."))
    return redirect(url_for(".member", member_id=member_id), code=303)


@bp.post("/members/<int:member_id>/cards/<int:card_id>/resend")
def resend(member_id: int, card_id: int) -> ResponseReturnValue:
    """Email the card's link to the member again, in their language."""
    card = _card_of(member_id, card_id)
    if card.is_voided:
        flash(gettext("A voided card's link is not sent."), "error")
        return redirect(url_for(".member", member_id=member_id), code=303)
    actor = adjustments.staff_actor(signed_in())
    audit.record(session(), actor, "card.resend_link", f"card:{card.id}", clock.now())
    session().commit()
    deliver(card_mail(card))
    flash(gettext("The card link is sent to %(email)s.", email=card.member.email))
    return redirect(url_for(".member", member_id=member_id), code=303)


def _member_page(
    member_id: int,
    form: AdjustmentForm | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    found = _member(member_id)
    held = people.cards_of_members(session(), [found.id]).get(found.id, [])
    ledgers = {
        card.id: people.ledger_of_accounts(session(), [card.account_id], LEDGER_ENTRIES)
        for card in held
    }
    page = render_template(
        "admin/people/member.html",
        member=found,
        cards=held,
        ledgers=ledgers,
        fields={card.id: _fields(card) for card in held},
        form=form or AdjustmentForm(),
        errors=errors or {},
        field_label=field_label,
        grouped=cardcodes.grouped,
    )
    return page, status


def _fields(card: Card) -> tuple[str, ...]:
    try:
        return adjustable_fields(published_rules(card.program))
    except Conflict:
        return ()  # a program that is not running takes no adjustments


def _refusal(error: Invalid | NegativeBalance, card: Card) -> dict[str, str]:
    if isinstance(error, Invalid):
        return {name: gettext("Check this field.") for name in error.errors}
    current = getattr(card.account, error.field)
    shown = money(current, card.program.currency) if error.field in MONEY_FIELDS else current
    return {"amount": gettext(BELOW_ZERO, field=field_label(error.field), current=shown)}


def _member(member_id: int) -> Member:
    try:
        return people.get_member(session(), member_id)
    except NotFound:
        abort(404)


def _card_of(member_id: int, card_id: int) -> Card:
    try:
        card = cards.get_card(session(), card_id)
    except NotFound:
        abort(404)
    if card.member_id != member_id:
        abort(404)
    return card
