"""Segments of a program's card holders: who a message goes to.

A segment is a kind plus at most one number (a tier, a count of days). Each kind has one
function that checks the number against the program and one that selects the ids of the
active cards in the segment, so a new kind is one more entry in ``KINDS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, exists, func, select

from issuer.analytics import Period, segments_query
from issuer.db.models import (
    Account,
    Card,
    CardStatus,
    Member,
    Program,
    Transaction,
    TransactionKind,
)
from issuer.rules import AccumulativeRules, parse_rules

MAX_INACTIVE_DAYS = 3650
NO_KIND = "Choose who the message goes to."
NO_TIERS = "Only accumulative programs have tiers."
BAD_TIER = "Choose one of the program's tiers."
BAD_DAYS = f"Give a number of days from 1 to {MAX_INACTIVE_DAYS}."
BAD_CLASS = "Choose class A, B or C (0, 1 or 2)."
ABC_CLASSES = ("A", "B", "C")
ABC_DAYS = 365  # partners are ranked by their revenue over the last year


@dataclass(frozen=True, slots=True)
class Segment:
    """Who a message goes to: ``kind`` with its number (``None`` for every holder)."""

    kind: str
    value: int | None = None


@dataclass(frozen=True, slots=True)
class SegmentKind:
    """How one kind of segment checks its number and selects its cards."""

    problem: Callable[[Program, int | None], str | None]
    cards: Callable[[Program, int | None, dt.datetime], Select[int]]


def problem(program: Program, segment: Segment) -> str | None:
    """What is wrong with this segment of this program, or None when it is valid."""
    kind = KINDS.get(segment.kind)
    if kind is None:
        return NO_KIND
    return kind.problem(program, segment.value)


def card_ids(program: Program, segment: Segment, now: dt.datetime) -> Select[int]:
    """The ids of the program's active cards in a valid segment."""
    return KINDS[segment.kind].cards(program, segment.value, now)


def tier_names(program: Program) -> list[str]:
    """The names of the published tiers of an accumulative program, lowest first."""
    version = program.current_version
    if version is None or program.kind != "accumulative":
        return []
    rules = parse_rules(program.kind, version.rules)
    return [tier.name for tier in rules.tiers] if isinstance(rules, AccumulativeRules) else []


def _holders(program: Program) -> Select[int]:
    return select(Card.id).where(Card.program_id == program.id, Card.status == CardStatus.ACTIVE)


def _all_problem(program: Program, value: int | None) -> str | None:
    return None


def _all_cards(program: Program, value: int | None, now: dt.datetime) -> Select[int]:
    return _holders(program)


def _tier_problem(program: Program, value: int | None) -> str | None:
    names = tier_names(program)
    if not names:
        return NO_TIERS
    if value is None or not 0 <= value < len(names):
        return BAD_TIER
    return None


def _tier_cards(program: Program, value: int | None, now: dt.datetime) -> Select[int]:
    in_tier = select(Account.id).where(Account.program_id == program.id, Account.tier == value)
    return _holders(program).where(Card.account_id.in_(in_tier))


def _inactive_problem(program: Program, value: int | None) -> str | None:
    if value is None or not 1 <= value <= MAX_INACTIVE_DAYS:
        return BAD_DAYS
    return None


def _inactive_cards(program: Program, value: int | None, now: dt.datetime) -> Select[int]:
    since = now - dt.timedelta(days=value or 0)
    ordered = exists().where(
        Transaction.account_id == Card.account_id,
        Transaction.kind == TransactionKind.ORDER,
        Transaction.created_at >= since,
    )
    return _holders(program).where(~ordered)


def _abc_problem(program: Program, value: int | None) -> str | None:
    return None if value is not None and 0 <= value < len(ABC_CLASSES) else BAD_CLASS


def _abc_cards(program: Program, value: int | None, now: dt.datetime) -> Select[int]:
    """Holders whose company is in ABC class ``value`` (0 = A) of the program's last year."""
    year = Period(now.date() - dt.timedelta(days=ABC_DAYS - 1), now.date())
    ranked = segments_query(year, program.id).subquery("ranked_partners")
    in_class = select(ranked.c.partner_id).where(ranked.c.segment == ABC_CLASSES[value or 0])
    partner = func.coalesce(Account.partner_id, Member.partner_id)
    accounts = (
        select(Account.id)
        .outerjoin(Member, Member.id == Account.member_id)
        .where(Account.program_id == program.id, partner.in_(in_class))
    )
    return _holders(program).where(Card.account_id.in_(accounts))


KINDS: dict[str, SegmentKind] = {
    "all": SegmentKind(_all_problem, _all_cards),
    "tier": SegmentKind(_tier_problem, _tier_cards),
    "inactive": SegmentKind(_inactive_problem, _inactive_cards),
    "abc": SegmentKind(_abc_problem, _abc_cards),
}
