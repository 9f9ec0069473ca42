"""Cards: issue one to a member, find it by id or scanned code, void it, read its ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from issuer import audit, cardcodes
from issuer.db.models import (
    Account,
    Card,
    CardStatus,
    Member,
    Partner,
    Pooling,
    Program,
    ProgramStatus,
    Transaction,
)
from issuer.errors import Conflict, NotFound

# What every card view needs, loaded in one round trip instead of one lazy load each.
_with_program = select(Card).options(
    joinedload(Card.program).joinedload(Program.current_version),
    joinedload(Card.account),
    joinedload(Card.member).joinedload(Member.partner),
)


# An order needs the card's account, locked, and its program's published rules: one query.
# PostgreSQL locks the account row here; SQLite's write transaction is already exclusive.
_for_order = (
    select(Card)
    .join(Card.account)
    .options(contains_eager(Card.account))
    .options(joinedload(Card.program).joinedload(Program.current_version))
    .with_for_update(of=Account)
    .execution_options(populate_existing=True)
)


@dataclass(frozen=True, slots=True)
class Holder:
    """The person a card is issued to, and their company."""

    name: str
    email: str
    company: str | None = None
    tax_id: str | None = None
    phone: str | None = None
    position: str | None = None
    locale: str = "en"


def issue_card(
    session: Session,
    program: Program,
    holder: Holder,
    now: dt.datetime,
    partner: Partner | None = None,
) -> Card:
    """Issue a card of a published program, sharing the company's account when it pools.

    The holder joins ``partner`` when given (an invitation for a company), else the partner
    their tax id or company name points to.
    """
    if program.status != ProgramStatus.PUBLISHED:
        raise Conflict(
            "Cards can only be issued for a published program.", code="program_not_published"
        )
    if find_card_by_email(session, program, holder.email) is not None:
        raise Conflict("This email already has a card in this program.", code="already_enrolled")
    partner = partner or _partner_for(session, holder, now)
    member = _new_member(session, holder, partner, now)
    account = _account_for(session, program, member, partner, now)
    card = _new_card(program, account, member, now)
    session.add(card)
    session.flush()
    return card


def get_card(session: Session, card_id: int) -> Card:
    """The card with this id.

    :raises NotFound: when there is none.
    """
    card = session.scalars(_with_program.where(Card.id == card_id)).unique().one_or_none()
    if card is None:
        raise NotFound("No such card.")
    return card


def lock_card_account(session: Session, card_id: int) -> Card:
    """The card with its account loaded under a row lock held until the caller commits.

    :raises NotFound: when there is none.
    """
    card = session.scalars(_for_order.where(Card.id == card_id)).unique().one_or_none()
    if card is None:
        raise NotFound("No such card.")
    return card


def find_card_by_code(session: Session, typed: str) -> Card | None:
    """The card a scanned or typed code belongs to (case, spaces and hyphens ignored)."""
    code = cardcodes.normalized(typed)
    if code is None:
        return None
    return session.scalars(_with_program.where(Card.code == code)).unique().one_or_none()


def find_card_by_page_token(session: Session, page_token: str) -> Card | None:
    """The card whose page token this is (the only key to a card page)."""
    return (
        session.scalars(_with_program.where(Card.page_token == page_token)).unique().one_or_none()
    )


def find_card_by_serial(session: Session, serial: str) -> Card | None:
    """The card with this pass serial number, with its program's published version.

    That is all a wallet's request needs when the built pass is cached; the account and the
    holder load only when a pass has to be built.
    """
    query = select(Card).options(joinedload(Card.program).joinedload(Program.current_version))
    return session.scalars(query.where(Card.serial == serial)).unique().one_or_none()


def find_card_by_email(session: Session, program: Program, email: str) -> Card | None:
    """The card of the member with this email in this program, if any."""
    query = (
        select(Card)
        .join(Member, Card.member_id == Member.id)
        .where(Card.program_id == program.id, func.lower(Member.email) == email.strip().lower())
    )
    return session.scalars(query.limit(1)).first()


def void_card(session: Session, card: Card, actor: str, now: dt.datetime) -> Card:
    """Void the card: it takes no more orders and its pass shows that it is void."""
    if card.is_voided:
        raise Conflict("This card is already voided.", code="card_voided")
    card.status = CardStatus.VOIDED
    card.voided_at = now
    card.version += 1
    card.updated_at = now
    audit.record(session, actor, "card.void", f"card:{card.id}", now)
    return card


def account_ledger(session: Session, account_id: int, limit: int = 100) -> list[Transaction]:
    """The account's ledger entries, newest first."""
    query = select(Transaction).where(Transaction.account_id == account_id)
    return list(session.scalars(query.order_by(Transaction.id.desc()).limit(limit)))


def _partner_for(session: Session, holder: Holder, now: dt.datetime) -> Partner | None:
    if not holder.company and not holder.tax_id:
        return None
    if holder.tax_id:
        match = select(Partner).where(Partner.tax_id == holder.tax_id)
    else:
        match = select(Partner).where(func.lower(Partner.name) == (holder.company or "").lower())
    partner = session.scalars(match.limit(1)).first()
    if partner is None:
        partner = Partner(
            name=holder.company or holder.tax_id, tax_id=holder.tax_id, created_at=now
        )
        session.add(partner)
    return partner


def _new_member(
    session: Session, holder: Holder, partner: Partner | None, now: dt.datetime
) -> Member:
    member = Member(
        partner=partner,
        name=holder.name,
        email=holder.email.strip().lower(),
        phone=holder.phone,
        position=holder.position,
        locale=holder.locale,
        created_at=now,
    )
    session.add(member)
    return member


def _account_for(
    session: Session, program: Program, member: Member, partner: Partner | None, now: dt.datetime
) -> Account:
    if program.pooling == Pooling.PARTNER and partner is not None:
        session.flush()
        query = select(Account).where(
            Account.program_id == program.id, Account.partner_id == partner.id
        )
        shared = session.scalars(query).one_or_none()
        if shared is not None:
            return shared
        account = Account(program=program, partner=partner, created_at=now, updated_at=now)
    else:
        account = Account(program=program, member=member, created_at=now, updated_at=now)
    account.tier = 0 if program.kind == "accumulative" else None
    session.add(account)
    return account


def _new_card(program: Program, account: Account, member: Member, now: dt.datetime) -> Card:
    return Card(
        program=program,
        account=account,
        member=member,
        serial=cardcodes.new_serial(),
        code=cardcodes.new_card_code(),
        page_token=cardcodes.new_page_token(),
        auth_token=cardcodes.new_auth_token(),
        status=CardStatus.ACTIVE,
        version=1,
        design_version_id=program.current_version_id,
        created_at=now,
        updated_at=now,
    )
