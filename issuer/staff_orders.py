"""A staff member's orders: undoing one (with its time window), and the orders of a day.

Staff undo their own orders within a window (15 minutes unless configured otherwise); admins
undo any order at any time. Every undo gives a reason, which the ledger keeps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased, joinedload

from issuer import checkout
from issuer.checkout import Attribution, Receipt
from issuer.db.models import Card, Member, Role, Staff, Transaction, TransactionKind
from issuer.errors import Conflict, Invalid, IssuerError, NotAuthorized
from issuer.staff_checkout import staff_idempotency

MAX_REASON_LENGTH = 500


@dataclass(frozen=True, slots=True)
class DayTotals:
    """What one staff member's orders of a day add up to in one currency (undone ones left out)."""

    currency: str
    orders: int
    amount: int
    discount: int
    payable: int
    earned: int
    redeemed: int
    stamps_earned: int
    rewards_redeemed: int


@dataclass(frozen=True, slots=True)
class DayOrder:
    """One order of the day, and whether it has been undone."""

    entry: Transaction
    undone: bool


@dataclass(frozen=True, slots=True)
class StaffDay:
    """A staff member's orders of one day, newest first, with their totals per currency."""

    day: dt.date
    orders: list[DayOrder]
    totals: list[DayTotals]

    @property
    def undone_count(self) -> int:
        """How many of the day's orders were undone."""
        return sum(1 for order in self.orders if order.undone)


def undo_refusal(
    staff: Staff, entry: Transaction, now: dt.datetime, window: dt.timedelta
) -> IssuerError | None:
    """Why this staff member may not undo this ledger entry now, or None when they may."""
    if entry.kind != TransactionKind.ORDER:
        return Conflict("Only orders can be undone.", code="not_reversible")
    if staff.role == Role.ADMIN:
        return None
    if entry.staff_id != staff.id:
        return NotAuthorized(
            "Only the person who placed this order, or an admin, can undo it.",
            code="not_your_order",
        )
    if now - entry.created_at > window:
        minutes = int(window.total_seconds() // 60)
        return Conflict(
            f"Orders can be undone within {minutes} minutes; ask an admin.",
            code="undo_window_passed",
        )
    return None


def undo_order(
    session: Session,
    staff: Staff,
    transaction_id: int,
    reason: str,
    key: str,
    now: dt.datetime,
    window: dt.timedelta,
) -> Receipt:
    """Reverse an order for this staff member, with a reason, if the undo rules allow it.

    :raises Invalid: when the reason is missing or too long.
    :raises NotAuthorized, Conflict: when the rules refuse (see ``undo_refusal``).
    """
    reason = _checked_reason(reason)
    entry = checkout.find_transaction(session, transaction_id)
    refusal = undo_refusal(staff, entry, now, window)
    if refusal is not None:
        raise refusal
    return checkout.reverse_order(
        session,
        entry.id,
        reason,
        staff_idempotency(staff, key, f"undo transaction={entry.id} reason={reason}"),
        # The undo belongs where the order was taken, so per-location figures net out.
        Attribution(staff_id=staff.id, location_id=entry.location_id),
        now,
    )


def undone_ids(session: Session, transaction_ids: list[int]) -> set[int]:
    """Which of these ledger entries have been reversed."""
    if not transaction_ids:
        return set()
    query = select(Transaction.reverses_id).where(Transaction.reverses_id.in_(transaction_ids))
    return {found for found in session.scalars(query) if found is not None}


def staff_day(session: Session, staff_id: int, day: dt.date, zone: ZoneInfo) -> StaffDay:
    """The orders a staff member placed on ``day`` (in ``zone``), and their totals."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    end = start + dt.timedelta(days=1)
    mine = (
        Transaction.staff_id == staff_id,
        Transaction.kind == TransactionKind.ORDER,
        Transaction.created_at >= start.astimezone(dt.UTC),
        Transaction.created_at < end.astimezone(dt.UTC),
    )
    entries = list(
        session.scalars(
            select(Transaction)
            .where(*mine)
            .options(joinedload(Transaction.card).joinedload(Card.program))
            .options(
                joinedload(Transaction.card).joinedload(Card.member).joinedload(Member.partner)
            )
            .order_by(Transaction.id.desc())
        ).unique()
    )
    undone = undone_ids(session, [entry.id for entry in entries])
    orders = [DayOrder(entry=entry, undone=entry.id in undone) for entry in entries]
    return StaffDay(day=day, orders=orders, totals=_totals(session, mine))


def _totals(session: Session, mine: tuple[object, ...]) -> list[DayTotals]:
    reversal = aliased(Transaction)
    figures = ("amount", "discount", "payable", "earned", "redeemed", "stamps_earned")
    query = (
        select(
            Transaction.currency,
            func.count(Transaction.id),
            *(func.coalesce(func.sum(getattr(Transaction, name)), 0) for name in figures),
            func.coalesce(func.sum(Transaction.rewards_redeemed), 0),
        )
        .where(*mine)  # type: ignore[arg-type]
        .where(~exists().where(reversal.reverses_id == Transaction.id))
        .group_by(Transaction.currency)
        .order_by(Transaction.currency)
    )
    return [
        DayTotals(*(row[0], *(int(value) for value in row[1:]))) for row in session.execute(query)
    ]


def _checked_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise Invalid({"reason": "Say why the order is undone."})
    if len(reason) > MAX_REASON_LENGTH:
        raise Invalid({"reason": f"Keep the reason under {MAX_REASON_LENGTH} characters."})
    return reason
