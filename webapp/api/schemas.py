"""Request and response bodies of the JSON API. The same models validate and document it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
)

from issuer.rules import MAX_AMOUNT

Amount = Annotated[
    StrictInt, Field(ge=1, le=MAX_AMOUNT, description="Minor units (cents, kopecks).")
]
Text120 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
Locale = Literal["en", "uk", "ru", "pl"]


def _redeem(value: object) -> int | Literal["max"] | None:
    if value is None or value == "max":
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_AMOUNT:
        return value
    raise ValueError('Must be an amount in minor units (0 or more) or "max".')


Redeem = Annotated[
    int | Literal["max"] | None,
    PlainValidator(_redeem),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": MAX_AMOUNT},
                {"const": "max"},
                {"type": "null"},
            ],
            "description": 'Cashback to redeem: an amount in minor units, or "max".',
        }
    ),
]


class Body(BaseModel):
    """A request body: unknown fields are refused, types are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ProgramCreate(Body):
    """A new program; rules and design default to the kind's starter design."""

    kind: Literal["discount", "accumulative", "cashback", "stamp"]
    name: Text120
    slug: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    currency: Annotated[str, StringConstraints(min_length=3, max_length=3)] | None = None
    rules: dict[str, Any] | None = None
    design: dict[str, Any] | None = None
    pooling: Literal["member", "partner"] = "member"
    enrollment: Literal["open", "invite"] = "open"
    expires_at: AwareDatetime | None = Field(default=None, strict=False)


class ProgramPatch(Body):
    """Changes to a program's working copy; published cards change when it is published."""

    name: Text120 | None = None
    slug: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    currency: Annotated[str, StringConstraints(min_length=3, max_length=3)] | None = None
    rules: dict[str, Any] | None = None
    design: dict[str, Any] | None = None
    pooling: Literal["member", "partner"] | None = None
    enrollment: Literal["open", "invite"] | None = None
    expires_at: AwareDatetime | None = Field(default=None, strict=False)


class MemberIn(Body):
    """The person a card is issued to."""

    name: Text120
    email: Email
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] | None = None
    locale: Locale = "en"
    company: Text120 | None = None
    tax_id: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] | None = None
    position: Text120 | None = None


class CardIssue(Body):
    """Issue a card to a member."""

    member: MemberIn


class OrderIn(Body):
    """An order: the gross amount, and what the partner redeems."""

    amount: Amount
    redeem: Redeem = None
    redeem_reward: StrictBool = False
    currency: Annotated[str, StringConstraints(min_length=3, max_length=3)] | None = Field(
        default=None, description="If given, must be the program's currency."
    )


class ReverseIn(Body):
    """Why an order is reversed."""

    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class Error(BaseModel):
    """Every error the API returns."""

    error: str
    message: str
    fields: dict[str, str] | None = None


class TierOut(BaseModel):
    """An accumulative program's tier."""

    index: int
    name: str
    percent: str
    threshold: int


class StateOut(BaseModel):
    """An account's state."""

    total_spent: int
    orders_count: int
    cashback_balance: int
    stamps: int
    rewards_available: int
    tier: TierOut | None
    next_tier: TierOut | None = None
    version: int


class MemberOut(BaseModel):
    """A card holder."""

    id: int
    name: str
    email: str
    phone: str | None
    locale: str
    company: str | None


class CardOut(BaseModel):
    """A card and its account's state."""

    id: int
    serial: str
    code: str
    program_id: int
    account_id: int
    status: Literal["active", "voided"]
    currency: str
    member: MemberOut
    card_url: str
    apple_pass_url: str
    google_save_url: str | None = Field(
        description="Null when Google Wallet is not set up on this server (see google_wallet)."
    )
    google_wallet: Literal["ready", "not_configured"]
    state: StateOut
    created_at: dt.datetime


class ProgramOut(BaseModel):
    """A program."""

    id: int
    kind: str
    name: str
    slug: str
    currency: str
    rules: dict[str, Any]
    design: dict[str, Any]
    pooling: str
    enrollment: str
    status: str
    published_version: int | None
    expires_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class OutcomeOut(BaseModel):
    """What an order does (quote) or did (transaction)."""

    amount: int
    discount: int
    redeemed: int
    earned: int
    payable: int
    stamps_earned: int
    rewards_earned: int
    rewards_redeemed: int
    tier_before: int | None
    tier_after: int | None
    currency: str


class QuoteOut(OutcomeOut):
    """An order's effect, computed without changing anything."""

    state_after: StateOut


class TransactionOut(OutcomeOut):
    """One ledger entry."""

    id: int
    kind: Literal["order", "reversal", "adjustment"]
    card_id: int | None
    account_id: int
    reverses_id: int | None
    reason: str | None
    staff_id: int | None
    location_id: int | None
    created_at: dt.datetime
    state: StateOut


class TransactionList(BaseModel):
    """A card's account's ledger, newest first."""

    transactions: list[TransactionOut]


class ProgramList(BaseModel):
    """Every program."""

    programs: list[ProgramOut]


class InviteCreate(Body):
    """An invitation link to a program, optionally for one partner company."""

    expires_at: AwareDatetime = Field(
        strict=False, description="When the link stops working; at most a year ahead."
    )
    company: Text120 | None = Field(
        default=None, description="Everyone who joins with the link becomes its member."
    )
    tax_id: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] | None = None


class InviteOut(BaseModel):
    """An invitation and its link."""

    id: int
    program_id: int
    url: str
    company: str | None
    tax_id: str | None
    status: Literal["active", "expired", "revoked"]
    uses: int = Field(description="How many people joined with the link.")
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    created_at: dt.datetime


class InviteList(BaseModel):
    """A program's invitations, newest first."""

    invites: list[InviteOut]
