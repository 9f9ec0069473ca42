"""Messages to card holders: check, choose the cards, store, and let the passes follow.

Sending stores the message and one delivery row per card, and raises each card's version:
the Apple delivery worker then pushes and the phone fetches a pass whose back carries the
message with a change message (lock screen); the Google side of the worker calls addMessage
for every pending row (issuer.message_delivery). The caller commits; nothing goes out before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, case, func, insert, literal, select, update
from sqlalchemy.orm import Session, selectinload

from issuer import audit, segments
from issuer.db.models import Card, GoogleStatus, Message, MessageDelivery, Program, ProgramStatus
from issuer.errors import Invalid, NotFound
from issuer.segments import Segment

MAX_TITLE = 60
MAX_BODY = 500
HISTORY_LIMIT = 100
NOBODY = "No card is in this segment."
REPEATED = "Some of these cards show this very text already; change the wording."


@dataclass(frozen=True, slots=True)
class Draft:
    """A message as the admin wrote it."""

    title: str
    body: str
    segment: Segment


@dataclass(frozen=True, slots=True)
class Summary:
    """A sent message with what became of it, counted over its deliveries."""

    message: Message
    cards: int
    apple_pushed: int
    apple_last: dt.datetime | None
    google_delivered: int
    google_notified: int
    google_pending: int
    google_failed: int
    google_last: dt.datetime | None


def reach(session: Session, program: Program, segment: Segment, now: dt.datetime) -> int:
    """How many cards a message to this segment would reach now (0 for an invalid segment)."""
    if segments.problem(program, segment) is not None:
        return 0
    ids = segments.card_ids(program, segment, now).subquery()
    return int(session.scalar(select(func.count()).select_from(ids)) or 0)


def send_message(
    session: Session, program: Program, draft: Draft, actor: str, now: dt.datetime
) -> Message:
    """Store the message for every card of the segment and mark those passes for update.

    :raises Invalid: with every problem of the draft at once; nothing is stored then.
    """
    title, body = draft.title.strip(), draft.body.strip()
    problems = draft_problems(session, program, draft, now)
    if problems:
        raise Invalid(problems)
    message = Message(
        program_id=program.id, title=title, body=body, segment=draft.segment.kind,
        segment_value=draft.segment.value, recipients=0, created_by=actor, created_at=now,
    )  # fmt: skip
    session.add(message)
    session.flush()
    message.recipients = _deliver(session, message, segments.card_ids(program, draft.segment, now))
    audit.record(
        session, actor, "message.send", f"program:{program.id}", now, message=message.id,
        segment=draft.segment.kind, value=draft.segment.value, recipients=message.recipients,
    )  # fmt: skip
    return message


def shown_message(session: Session, card_id: int) -> Message | None:
    """The latest message to this card: what the back of its Apple pass shows."""
    query = (
        select(Message)
        .join(MessageDelivery, MessageDelivery.message_id == Message.id)
        .where(MessageDelivery.card_id == card_id)
        .order_by(MessageDelivery.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def get_message(session: Session, message_id: int) -> Message:
    """The message with this id.

    :raises NotFound: when there is none.
    """
    message = session.get(Message, message_id)
    if message is None:
        raise NotFound("No such message.")
    return message


def history(session: Session, program_id: int | None = None) -> list[Summary]:
    """The latest messages, newest first, each with its delivery counts."""
    query = _summaries().order_by(Message.id.desc()).limit(HISTORY_LIMIT)
    query = query.options(selectinload(Message.program))  # the page names each one's program
    if program_id is not None:
        query = query.where(Message.program_id == program_id)
    return [Summary(*row) for row in session.execute(query)]


def summary(session: Session, message: Message) -> Summary:
    """One message with its delivery counts."""
    row = session.execute(_summaries().where(Message.id == message.id)).one()
    return Summary(*row)


def draft_problems(
    session: Session, program: Program | None, draft: Draft, now: dt.datetime
) -> dict[str, str]:
    """Every problem of a draft at once, by field (empty when it can be sent)."""
    title, body = draft.title.strip(), draft.body.strip()
    errors: dict[str, str] = {}
    if not 1 <= len(title) <= MAX_TITLE:
        errors["title"] = f"Give a title of 1 to {MAX_TITLE} characters."
    if not 1 <= len(body) <= MAX_BODY:
        errors["body"] = f"Give a text of 1 to {MAX_BODY} characters."
    if program is None:
        errors["program"] = "Choose a program."
    elif program.status != ProgramStatus.PUBLISHED:
        errors["program"] = "Publish the program before sending messages to its holders."
    elif (problem := segments.problem(program, draft.segment)) is not None:
        errors["segment"] = problem
    elif reach(session, program, draft.segment, now) == 0:
        errors["segment"] = NOBODY
    elif "body" not in errors and _repeats(
        session, program, Draft(title, body, draft.segment), now
    ):
        # Wallet announces a field only when its value changes: the same text would be silent.
        errors["body"] = REPEATED
    return errors


def _repeats(session: Session, program: Program, draft: Draft, now: dt.datetime) -> bool:
    latest = (
        select(func.max(MessageDelivery.id))
        .where(MessageDelivery.card_id.in_(segments.card_ids(program, draft.segment, now)))
        .group_by(MessageDelivery.card_id)
    )
    same = (
        select(MessageDelivery.id)
        .join(Message, Message.id == MessageDelivery.message_id)
        .where(MessageDelivery.id.in_(latest), Message.body == draft.body)
    )
    return session.scalars(same.limit(1)).first() is not None


def _deliver(session: Session, message: Message, card_ids: Select[int]) -> int:
    on_google = case(
        (Card.google_delivered_version >= 1, literal(GoogleStatus.PENDING.value)),
        else_=literal(GoogleStatus.NOT_ON_GOOGLE.value),
    )
    rows = select(
        literal(message.id), Card.id, Card.version + 1, on_google, literal(False), literal(0)
    ).where(Card.id.in_(card_ids))
    columns = ["message_id", "card_id", "card_version", "google_status", "google_notified",
               "google_attempts"]  # fmt: skip
    session.execute(insert(MessageDelivery).from_select(columns, rows))
    recipients = select(MessageDelivery.card_id).where(MessageDelivery.message_id == message.id)
    _raise_versions(session, recipients, message.created_at)
    return int(session.scalar(select(func.count()).select_from(recipients.subquery())) or 0)


def _raise_versions(session: Session, card_ids: Select[int], now: dt.datetime) -> None:
    # The message changes nothing a Google object shows (Google gets addMessage): a card
    # whose object was current stays current, so no needless patch spends Google's budget.
    google_current = case(
        (Card.google_delivered_version == Card.version, Card.version + 1),
        else_=Card.google_delivered_version,
    )
    session.execute(
        update(Card)
        .where(Card.id.in_(card_ids))
        .values(version=Card.version + 1, google_delivered_version=google_current, updated_at=now)
        .execution_options(synchronize_session=False)
    )


_Counts = Select[Message, int, int, dt.datetime | None, int, int, int, int, dt.datetime | None]


def _summaries() -> _Counts:
    delivery = MessageDelivery
    google = delivery.google_status
    return (
        select(
            Message,
            func.count(delivery.id),
            func.count(delivery.apple_pushed_at),
            func.max(delivery.apple_pushed_at),
            _counted(google == GoogleStatus.DELIVERED),
            _counted(delivery.google_notified.is_(True)),
            _counted(google == GoogleStatus.PENDING),
            _counted(google == GoogleStatus.FAILED),
            func.max(delivery.google_delivered_at),
        )
        .outerjoin(delivery, delivery.message_id == Message.id)
        .group_by(Message.id)
    )


def _counted(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
