"""Admin: partner companies — the list with search and filters, a company's page, CSV export."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue

from issuer import people, programs
from issuer.db.models import Partner
from issuer.errors import NotFound
from webapp.admin.blueprint import bp
from webapp.admin.people_csv import PARTNER_COLUMNS, csv_download, partner_row
from webapp.admin.people_forms import field_label, filter_args, people_filter
from webapp.database import session

LEDGER_ENTRIES = 100


@bp.get("/partners/")
def partners() -> ResponseReturnValue:
    """Partner companies matching the search and filters, newest first."""
    wanted = people_filter(request.args)
    page = people.search_partners(session(), wanted, request.args.get("page", 1, type=int))
    return render_template(
        "admin/people/partners.html",
        page=page,
        counts=people.member_counts(session(), [partner.id for partner in page.items]),
        wanted=wanted,
        args=filter_args(wanted),
        programs=programs.list_programs(session()),
    )


@bp.get("/partners/export.csv")
def partners_export() -> ResponseReturnValue:
    """The filtered list of partner companies as CSV."""
    wanted = people_filter(request.args)
    counts = people.member_counts(session())
    rows = (
        partner_row(partner, counts.get(partner.id, 0))
        for partner in people.every_partner(session(), wanted)
    )
    return csv_download("partners.csv", PARTNER_COLUMNS, rows)


@bp.get("/partners/<int:partner_id>")
def partner(partner_id: int) -> ResponseReturnValue:
    """A company: its members, its accounts with their state, and their ledger."""
    found = _partner(partner_id)
    accounts = people.accounts_of_partner(session(), found.id)
    ledger = people.ledger_of_accounts(session(), [a.id for a in accounts], LEDGER_ENTRIES)
    return render_template(
        "admin/people/partner.html",
        partner=found,
        members=people.members_of_partner(session(), found.id),
        accounts=accounts,
        ledger=ledger,
        field_label=field_label,
    )


def _partner(partner_id: int) -> Partner:
    try:
        return people.get_partner(session(), partner_id)
    except NotFound:
        abort(404)
