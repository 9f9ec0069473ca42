"""Partner companies and members for the admin: search, filters, pages and detail reads.

Search looks at names, emails, the company's name and tax id, and card codes. Filters ask
about the cards: of a program, with orders on their account, voided. With a program chosen,
"with orders" and "voided" look at that program's cards only.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, joinedload

from issuer import cardcodes
from issuer.db.models import Account, Card, CardStatus, Member, Partner, Transaction
from issuer.errors import NotFound

PAGE_SIZE = 50
EXPORT_BATCH = 500
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PeopleFilter:
    """What the admin searches for; ``None`` in a yes/no filter means either."""

    text: str = ""
    program_id: int | None = None
    has_orders: bool | None = None
    voided: bool | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list and where it is in the whole."""

    items: list[T]
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        """How many pages the whole list has (at least one)."""
        return max(1, math.ceil(self.total / self.size))


def search_members(
    session: Session, wanted: PeopleFilter, number: int = 1, size: int = PAGE_SIZE
) -> Page[Member]:
    """The members matching ``wanted``, newest first, one page of them."""
    return _page(session, _members(wanted), number, size)


def search_partners(
    session: Session, wanted: PeopleFilter, number: int = 1, size: int = PAGE_SIZE
) -> Page[Partner]:
    """The partner companies matching ``wanted``, newest first, one page of them."""
    return _page(session, _partners(wanted), number, size)


def every_member(session: Session, wanted: PeopleFilter) -> Iterator[Member]:
    """Every member matching ``wanted``, newest first, read in batches (for the CSV export)."""
    query = _members(wanted).options(joinedload(Member.partner))
    yield from _batches(session, query, Member.id)


def every_partner(session: Session, wanted: PeopleFilter) -> Iterator[Partner]:
    """Every partner company matching ``wanted``, newest first, read in batches."""
    yield from _batches(session, _partners(wanted), Partner.id)


def _batches(session: Session, query: Select[T], key: InstrumentedAttribute[int]) -> Iterator[T]:
    """The rows of ``query`` (ordered by ``key`` descending) a batch at a time, by key ranges."""
    batch = list(session.scalars(query.limit(EXPORT_BATCH)))
    while batch:
        yield from batch
        last: int = getattr(batch[-1], key.key)
        batch = list(session.scalars(query.where(key < last).limit(EXPORT_BATCH)))


def get_member(session: Session, member_id: int) -> Member:
    """The member with this id. :raises NotFound: when there is none."""
    query = select(Member).options(joinedload(Member.partner)).where(Member.id == member_id)
    member = session.scalars(query).one_or_none()
    if member is None:
        raise NotFound("No such member.")
    return member


def get_partner(session: Session, partner_id: int) -> Partner:
    """The partner company with this id. :raises NotFound: when there is none."""
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise NotFound("No such partner.")
    return partner


def cards_of_members(session: Session, member_ids: Sequence[int]) -> dict[int, list[Card]]:
    """Each member's cards with their program and account, oldest first."""
    query = (
        select(Card)
        .options(joinedload(Card.program), joinedload(Card.account))
        .where(Card.member_id.in_(member_ids))
        .order_by(Card.id)
    )
    found: dict[int, list[Card]] = defaultdict(list)
    for card in session.scalars(query):
        found[card.member_id].append(card)
    return found


def members_of_partner(session: Session, partner_id: int) -> list[Member]:
    """The partner company's members, by name."""
    query = select(Member).where(Member.partner_id == partner_id).order_by(Member.name, Member.id)
    return list(session.scalars(query))


def member_counts(session: Session, partner_ids: Sequence[int] | None = None) -> dict[int, int]:
    """How many members each partner company has (these companies, or every one)."""
    query = select(Member.partner_id, func.count()).group_by(Member.partner_id)
    if partner_ids is not None:
        query = query.where(Member.partner_id.in_(partner_ids))
    rows = session.execute(query)
    return {partner_id: number for partner_id, number in rows if partner_id is not None}


def accounts_of_partner(session: Session, partner_id: int) -> list[Account]:
    """The company's shared accounts and those of its members, with their programs."""
    members = select(Member.id).where(Member.partner_id == partner_id)
    query = (
        select(Account)
        .options(joinedload(Account.program), joinedload(Account.member))
        .where(or_(Account.partner_id == partner_id, Account.member_id.in_(members)))
        .order_by(Account.id)
    )
    return list(session.scalars(query))


def ledger_of_accounts(
    session: Session, account_ids: Sequence[int], limit: int = 100
) -> list[Transaction]:
    """The newest ledger entries of these accounts, newest first."""
    query = (
        select(Transaction)
        .options(joinedload(Transaction.card).joinedload(Card.member))
        .where(Transaction.account_id.in_(account_ids))
        .order_by(Transaction.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def _page(session: Session, query: Select[T], number: int, size: int) -> Page[T]:
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    number = min(max(1, number), max(1, math.ceil(total / size)))
    items = list(session.scalars(query.limit(size).offset((number - 1) * size)))
    return Page(items=items, total=total, number=number, size=size)


def _members(wanted: PeopleFilter) -> Select[Member]:
    query = select(Member).order_by(Member.id.desc())
    owner: ColumnElement[bool] = Card.member_id == Member.id
    for condition in _card_conditions(wanted, owner):
        query = query.where(condition)
    text = wanted.text.strip().lower()
    if text:
        companies = select(Partner.id).where(_partner_matches(text))
        query = query.where(
            or_(_member_matches(text), Member.partner_id.in_(companies), _has_code(text, owner))
        )
    return query


def _partners(wanted: PeopleFilter) -> Select[Partner]:
    query = select(Partner).order_by(Partner.id.desc())
    owner = and_(Card.member_id == Member.id, Member.partner_id == Partner.id)
    for condition in _card_conditions(wanted, owner):
        query = query.where(condition)
    text = wanted.text.strip().lower()
    if text:
        people = exists().where(Member.partner_id == Partner.id, _member_matches(text))
        query = query.where(or_(_partner_matches(text), people, _has_code(text, owner)))
    return query


def _card_conditions(wanted: PeopleFilter, owner: ColumnElement[bool]) -> list[ColumnElement[bool]]:
    """Conditions on the owner's cards, each an EXISTS over the cards of the owner."""
    base = [owner]
    if wanted.program_id is not None:
        base.append(Card.program_id == wanted.program_id)
    conditions: list[ColumnElement[bool]] = []
    if wanted.program_id is not None:
        conditions.append(exists().where(*base))
    if wanted.has_orders is not None:
        ordered = exists().where(*base, Account.id == Card.account_id, Account.orders_count > 0)
        conditions.append(ordered if wanted.has_orders else ~ordered)
    if wanted.voided is not None:
        voided = exists().where(*base, Card.status == CardStatus.VOIDED)
        conditions.append(voided if wanted.voided else ~voided)
    return conditions


def _member_matches(text: str) -> ColumnElement[bool]:
    return or_(
        func.lower(Member.name).contains(text, autoescape=True),
        func.lower(Member.email).contains(text, autoescape=True),
    )


def _partner_matches(text: str) -> ColumnElement[bool]:
    return or_(
        func.lower(Partner.name).contains(text, autoescape=True),
        func.lower(Partner.tax_id).contains(text, autoescape=True),
    )


def _has_code(text: str, owner: ColumnElement[bool]) -> ColumnElement[bool]:
    code = cardcodes.normalized(text)
    if code is None:
        return false()
    return exists().where(owner, Card.code == code)
