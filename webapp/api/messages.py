"""API: messages to the holders of a program's cards (admin scope)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field, StrictInt, StrictStr

from issuer import clock, messages, programs, segments
from issuer.access import AuthorizedKey
from issuer.messages import MAX_BODY, MAX_TITLE, Draft, Summary
from issuer.segments import Segment
from webapp.api.blueprint import api
from webapp.api.programs import actor
from webapp.api.schemas import Body
from webapp.database import session

_KINDS = ", ".join(segments.KINDS)


class SegmentIn(Body):
    """Who gets the message. The use case checks it against the program."""

    kind: StrictStr = Field(
        default="all",
        description=f"One of {_KINDS}: every holder; the holders in tier ``value`` "
        "(accumulative programs, 0 = lowest tier); the holders without an order in the last "
        "``value`` days (those who never ordered included); the holders at partner companies "
        "of ABC class ``value`` (0 = A, the top 80 % of revenue over the last year; 1 = B, the "
        "next 15 %; 2 = C, the rest).",
    )
    value: StrictInt | None = Field(
        default=None, description="The tier, the number of days or the ABC class."
    )


class MessageIn(Body):
    """A message: its title and text, shown on the passes (one text for every language)."""

    title: StrictStr = Field(
        description=f"1 to {MAX_TITLE} characters.", json_schema_extra={"maxLength": MAX_TITLE}
    )
    body: StrictStr = Field(
        description=f"1 to {MAX_BODY} characters.", json_schema_extra={"maxLength": MAX_BODY}
    )
    segment: SegmentIn = Field(default_factory=SegmentIn)


class DeliveryOut(BaseModel):
    """What became of a message so far, counted over the cards it went to."""

    apple_pushed: int = Field(description="Cards whose devices were pushed the pass with it.")
    apple_last_pushed_at: dt.datetime | None
    google_delivered: int = Field(description="Google Wallet objects that hold the message.")
    google_notified: int = Field(description="Of those, how many also got a notification.")
    google_pending: int
    google_failed: int
    google_last_delivered_at: dt.datetime | None


class MessageOut(BaseModel):
    """A sent message."""

    id: int
    program_id: int
    title: str
    body: str
    segment: SegmentIn
    recipients: int = Field(description="How many cards the message went to.")
    created_by: str
    created_at: dt.datetime
    delivery: DeliveryOut


class MessageList(BaseModel):
    """A program's messages, newest first (the latest hundred)."""

    messages: list[MessageOut]


@api.operation(
    "POST", "/programs/<int:program_id>/messages", scope="admin",
    summary="Send a message to the holders of a program's cards, or to a segment of them",
    body=MessageIn, response=MessageOut, status=201,
)  # fmt: skip
def send_message(key: AuthorizedKey, program_id: int, body: MessageIn) -> MessageOut:
    """Apple passes show it on their back and announce it; Google gets a message."""
    program = programs.get_program(session(), program_id)
    segment = Segment(body.segment.kind, body.segment.value)
    draft = Draft(body.title, body.body, segment)
    message = messages.send_message(session(), program, draft, actor(key), clock.now())
    session().commit()
    return message_out(messages.summary(session(), message))


@api.operation(
    "GET", "/programs/<int:program_id>/messages", scope="admin",
    summary="List a program's messages with their delivery counts", response=MessageList,
)  # fmt: skip
def list_messages(key: AuthorizedKey, program_id: int) -> MessageList:
    """The latest messages of the program, newest first."""
    program = programs.get_program(session(), program_id)
    found = messages.history(session(), program.id)
    return MessageList(messages=[message_out(summary) for summary in found])


def message_out(summary: Summary) -> MessageOut:
    """A message and its counts as the API shows them."""
    message = summary.message
    return MessageOut(
        id=message.id,
        program_id=message.program_id,
        title=message.title,
        body=message.body,
        segment=SegmentIn(kind=message.segment, value=message.segment_value),
        recipients=message.recipients,
        created_by=message.created_by,
        created_at=message.created_at,
        delivery=DeliveryOut(
            apple_pushed=summary.apple_pushed,
            apple_last_pushed_at=summary.apple_last,
            google_delivered=summary.google_delivered,
            google_notified=summary.google_notified,
            google_pending=summary.google_pending,
            google_failed=summary.google_failed,
            google_last_delivered_at=summary.google_last,
        ),
    )
