"""Messages: segments on a fixed set of cards, sending, the Google budget and the history counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from issuer import cards, checkout, message_delivery, messages, registrations, segments
from issuer.checkout import Attribution, Idempotency
from issuer.db.models import AuditEntry, Card, GoogleStatus, Message, MessageDelivery, Program
from issuer.db.session import Database
from issuer.delivery import claim_apple_batch, record_apple_delivery
from issuer.errors import Invalid
from issuer.message_delivery import Outcome
from issuer.messages import Draft
from issuer.rules import Kind, Order
from issuer.segments import Segment
from passes.apple.apns import PushAction, PushResult
from tests.factories import make_card, make_program

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Holders:
    """An accumulative program whose cards sit in known tiers with known last orders."""

    program_id: int
    never: int  # Bronze, never ordered
    silver_old: int  # Silver, last order 40 days ago
    bronze_recent: int  # Bronze, last order 2 days ago
    gold: int  # Gold, last order 10 days ago
    voided: int  # Bronze, voided: never a recipient


def _order(session: Session, card: Card, amount: int, when: dt.datetime) -> None:
    promise = Idempotency("test", f"{card.id}-{amount}", f"{card.id}-{amount}")
    checkout.place_order(session, card.id, Order(amount=amount), promise, Attribution(), when)


@pytest.fixture
def holders(db: Database) -> Holders:
    with db.write() as session:
        program = make_program(session, kind=Kind.ACCUMULATIVE)
        made = [make_card(session, program=program) for _ in range(5)]
        _order(session, made[1], 6_000_000, NOW - 40 * DAY)
        _order(session, made[2], 1_000, NOW - 2 * DAY)
        _order(session, made[3], 25_000_000, NOW - 10 * DAY)
        cards.void_card(session, made[4], "test", NOW)
        make_card(session, program=make_program(session, kind=Kind.ACCUMULATIVE))
        session.commit()
        return Holders(program.id, *(card.id for card in made))


def _selected(db: Database, program_id: int, segment: Segment) -> set[int]:
    with db.read() as session:
        program = session.get_one(Program, program_id)
        assert segments.problem(program, segment) is None
        return set(session.scalars(segments.card_ids(program, segment, NOW)))


def test_segments_select_the_right_cards(db: Database, holders: Holders) -> None:
    h = holders
    every = {h.never, h.silver_old, h.bronze_recent, h.gold}
    assert _selected(db, h.program_id, Segment("all")) == every
    assert _selected(db, h.program_id, Segment("tier", 0)) == {h.never, h.bronze_recent}
    assert _selected(db, h.program_id, Segment("tier", 1)) == {h.silver_old}
    assert _selected(db, h.program_id, Segment("tier", 2)) == {h.gold}
    assert _selected(db, h.program_id, Segment("inactive", 30)) == {h.never, h.silver_old}
    assert _selected(db, h.program_id, Segment("inactive", 5)) == {h.never, h.silver_old, h.gold}
    assert _selected(db, h.program_id, Segment("inactive", 1)) == every


def test_segments_that_do_not_fit_the_program_are_refused(db: Database, holders: Holders) -> None:
    with db.write() as session:
        program = session.get_one(Program, holders.program_id)
        discount = make_program(session, kind=Kind.DISCOUNT)
        assert segments.problem(program, Segment("tier", 3)) is not None
        assert segments.problem(program, Segment("tier")) is not None
        assert segments.problem(discount, Segment("tier", 0)) is not None
        assert segments.problem(program, Segment("inactive", 0)) is not None
        assert segments.problem(program, Segment("inactive", 3651)) is not None
        assert segments.problem(program, Segment("abc")) is not None
        assert messages.reach(session, program, Segment("tier", 1), NOW) == 1


def _send(db: Database, program_id: int, draft: Draft) -> int:
    with db.write() as session:
        program = session.get_one(Program, program_id)
        message = messages.send_message(session, program, draft, "admin:1", NOW)
        session.commit()
        return message.id


def _versions(db: Database, ids: list[int]) -> list[tuple[int, int]]:
    with db.read() as session:
        query = select(Card.version, Card.google_delivered_version).where(Card.id.in_(ids))
        return [(v, g) for v, g in session.execute(query.order_by(Card.id))]


def test_sending_stores_a_delivery_per_card_raises_versions_and_is_audited(
    db: Database, holders: Holders
) -> None:
    ids = [holders.never, holders.silver_old, holders.gold]
    with db.write() as session:  # the silver card's pass was handed to Google Wallet
        session.get_one(Card, holders.silver_old).google_delivered_version = 1
        session.commit()
    before = _versions(db, ids)
    message_id = _send(db, holders.program_id, Draft(" Sale ", " -20% today ", Segment("tier", 1)))
    after = _versions(db, ids)
    assert after[0] == before[0]
    assert after[2] == before[2]
    assert after[1] == (before[1][0] + 1, 1)  # Google's object was behind: it stays behind
    with db.read() as session:
        message = session.get_one(Message, message_id)
        assert (message.title, message.body, message.recipients) == ("Sale", "-20% today", 1)
        (delivery,) = session.scalars(select(MessageDelivery))
        assert (delivery.card_id, delivery.card_version) == (holders.silver_old, after[1][0])
        assert delivery.google_status == GoogleStatus.PENDING
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "message.send")).one()
        assert entry.details == {"message": message_id, "segment": "tier", "value": 1,
                                 "recipients": 1}  # fmt: skip


def test_a_card_whose_google_object_was_current_stays_current(
    db: Database, holders: Holders
) -> None:
    with db.write() as session:
        card = session.get_one(Card, holders.gold)
        card.google_delivered_version = card.version
        session.commit()
    _send(db, holders.program_id, Draft("News", "Gold days", Segment("tier", 2)))
    ((version, google),) = _versions(db, [holders.gold])
    assert version == google


def _counts(db: Database) -> tuple[int, int, int, int]:
    with db.read() as session:
        messages_stored = session.scalar(select(func.count()).select_from(Message))
        deliveries = session.scalar(select(func.count()).select_from(MessageDelivery))
        versions = session.scalar(select(func.sum(Card.version)))
        audits = session.scalar(select(func.count()).select_from(AuditEntry))
    return int(messages_stored or 0), int(deliveries or 0), int(versions or 0), int(audits or 0)


def _refusal(db: Database, draft: Draft, make: Callable[[Session], Program]) -> dict[str, str]:
    """What sending ``draft`` to the program ``make`` gives is refused for (nothing committed)."""
    with db.write() as session:
        program = make(session)
        try:
            messages.send_message(session, program, draft, "admin:1", NOW)
        except Invalid as error:
            return error.errors
    raise AssertionError("the draft was not refused")


def test_a_bad_draft_reports_every_problem_and_changes_nothing(
    db: Database, holders: Holders
) -> None:
    before = _counts(db)

    def ours(session: Session) -> Program:
        return session.get_one(Program, holders.program_id)

    def empty(session: Session) -> Program:
        return make_program(session, kind=Kind.DISCOUNT)

    def draft(session: Session) -> Program:
        return make_program(session, kind=Kind.DISCOUNT, publish=False)

    bad = Draft(" ", "x" * 501, Segment("tier", 7))
    assert set(_refusal(db, bad, ours)) == {"title", "body", "segment"}
    nobody = _refusal(db, Draft("a", "b", Segment("all")), empty)
    assert nobody == {"segment": "No card is in this segment."}
    assert set(_refusal(db, Draft("a", "b", Segment("all")), draft)) == {"program"}
    assert _counts(db) == before


def test_the_same_text_twice_to_a_card_is_refused(db: Database, holders: Holders) -> None:
    _send(db, holders.program_id, Draft("News", "Gold days", Segment("tier", 2)))

    def ours(session: Session) -> Program:
        return session.get_one(Program, holders.program_id)

    assert set(_refusal(db, Draft("News", "Gold days", Segment("all")), ours)) == {"body"}
    _send(db, holders.program_id, Draft("News", "Gold days", Segment("tier", 1)))


def _on_google(db: Database, card_ids: list[int]) -> None:
    with db.write() as session:
        for card_id in card_ids:
            session.get_one(Card, card_id).google_delivered_version = 1
        session.commit()


def _claim_google(db: Database, now: dt.datetime) -> list[message_delivery.GoogleMessageClaim]:
    with db.write() as session:
        claims = message_delivery.claim_google_messages(session, now, 100)
        session.commit()
    return claims


def _record_google(
    db: Database, claims: list[message_delivery.GoogleMessageClaim], now: dt.datetime
) -> None:
    outcomes = [(c, Outcome.NOTIFIED if c.notify else Outcome.SILENT) for c in claims]
    with db.write() as session:
        message_delivery.record_google_messages(session, outcomes, now)
        session.commit()


def test_google_notifies_three_times_a_day_per_pass_then_sends_silently(
    db: Database, holders: Holders
) -> None:
    _on_google(db, [holders.gold])
    for number in range(3):
        _send(db, holders.program_id, Draft("News", f"Text {number}", Segment("tier", 2)))
    _send(db, holders.program_id, Draft("News", "Text 3", Segment("tier", 2)))
    claims = _claim_google(db, NOW)
    assert [claim.notify for claim in claims] == [True, True, True, False]
    assert _claim_google(db, NOW) == []  # leased
    _record_google(db, claims, NOW)
    _send(db, holders.program_id, Draft("News", "Text 4", Segment("tier", 2)))
    (late,) = _claim_google(db, NOW + DAY - dt.timedelta(seconds=1))
    assert not late.notify  # the three notifications still fill the last 24 hours
    _record_google(db, [], NOW)
    with db.write() as session:  # the lease ran out; a day later the budget is free again
        message_delivery.record_google_messages(session, [(late, Outcome.RETRY)], NOW + DAY)
        session.commit()
    (again,) = _claim_google(db, NOW + DAY + dt.timedelta(minutes=1))
    assert again.notify
    assert again.delivery_id == late.delivery_id


def test_history_counts_apple_pushes_and_google_deliveries(db: Database, holders: Holders) -> None:
    _on_google(db, [holders.never, holders.silver_old])
    with db.write() as session:
        registrations.register(session, "phone", "pass.test", holders.never, "a" * 64, NOW)
        session.commit()
    message_id = _send(db, holders.program_id, Draft("News", "Hello", Segment("inactive", 30)))
    with db.write() as session:
        claims = claim_apple_batch(session, NOW, 100)
        pushed = [PushResult("a" * 64, 200, None, None, PushAction.DELIVERED)]
        record_apple_delivery(session, claims, pushed, NOW)
        session.commit()
    google = _claim_google(db, NOW)
    outcomes = [(google[0], Outcome.NOTIFIED), (google[1], Outcome.NOT_SAVED)]
    with db.write() as session:
        message_delivery.record_google_messages(session, outcomes, NOW)
        session.commit()
    with db.read() as session:
        (summary,) = messages.history(session, holders.program_id)
        assert summary.message.id == message_id
        assert (summary.cards, summary.apple_pushed, summary.apple_last) == (2, 1, NOW)
        assert (summary.google_delivered, summary.google_notified) == (1, 1)
        assert (summary.google_pending, summary.google_failed, summary.google_last) == (0, 0, NOW)
        assert messages.shown_message(session, holders.never) is not None
        assert messages.shown_message(session, holders.gold) is None


def test_a_message_google_keeps_refusing_is_given_up_after_some_tries(
    db: Database, holders: Holders
) -> None:
    _on_google(db, [holders.gold])
    _send(db, holders.program_id, Draft("News", "Hello", Segment("tier", 2)))
    moment = NOW
    for _ in range(message_delivery.MAX_ATTEMPTS):
        (claim,) = _claim_google(db, moment)
        with db.write() as session:
            message_delivery.record_google_messages(session, [(claim, Outcome.RETRY)], moment)
            session.commit()
        moment += dt.timedelta(minutes=5)
    assert _claim_google(db, moment) == []
    with db.read() as session:
        (summary,) = messages.history(session, holders.program_id)
        assert (summary.google_failed, summary.google_pending) == (1, 0)


def test_the_abc_segment_selects_holders_by_their_company_class(db: Database) -> None:
    # Revenue over the last year: Acme 900 (crosses 80 %: A), Bolt 80 (crosses 95 %: B),
    # Cork 20 (C); a holder with no company is in no class, an order of another program and
    # one older than a year count for nothing.
    with db.write() as session:
        program = make_program(session, kind=Kind.DISCOUNT)
        other = make_program(session, kind=Kind.DISCOUNT)
        acme, bolt, cork = (make_card(session, program=program, company=c) for c in COMPANIES)
        alone = make_card(session, program=program)
        _order(session, acme, 900_00, NOW - 3 * DAY)
        _order(session, bolt, 80_00, NOW - 100 * DAY)
        _order(session, cork, 20_00, NOW - DAY)
        _order(session, cork, 5_000_00, NOW - 400 * DAY)
        _order(session, make_card(session, program=other, company="Cork"), 9_000_00, NOW - DAY)
        _order(session, alone, 50_00, NOW - DAY)
        session.commit()
        ids = (acme.id, bolt.id, cork.id)
    assert [_selected(db, program.id, Segment("abc", n)) for n in range(3)] == [{i} for i in ids]


def test_an_abc_segment_needs_class_a_b_or_c(db: Database, holders: Holders) -> None:
    with db.read() as session:
        program = session.get_one(Program, holders.program_id)
        assert segments.problem(program, Segment("abc", 3)) == segments.BAD_CLASS
        assert segments.problem(program, Segment("abc", -1)) == segments.BAD_CLASS
        assert segments.problem(program, Segment("abc", 0)) is None


COMPANIES = ("Acme", "Bolt", "Cork")
