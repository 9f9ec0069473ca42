"""Manual adjustments: one audited ledger entry, new card versions, a clean ledger, or nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from issuer import adjustments, clock
from issuer.accounts import state_of
from issuer.adjustments import Adjustment
from issuer.db.models import Account, AuditEntry, Card, Role, Staff, Transaction
from issuer.db.session import Database
from issuer.errors import Invalid
from issuer.ledger import verify_ledger
from issuer.rules import Kind, NegativeBalance
from tests.factories import make_card, make_program
from tests.webapp.staff_pages import make_staff


def _setup(db: Database, kind: Kind, **program: Any) -> tuple[int, int, int]:
    """A card, its account and an admin."""
    with db.write() as session:
        card = make_card(session, program=make_program(session, kind=kind, **program))
        admin = make_staff(session, role=Role.ADMIN)
        session.commit()
        return card.id, card.account_id, admin.id


def _adjust(db: Database, account_id: int, admin_id: int, adjustment: Adjustment) -> Transaction:
    with db.write() as session:
        admin = session.get_one(Staff, admin_id)
        entry = adjustments.adjust_balance(session, account_id, adjustment, admin, clock.now())
        session.commit()
        return entry


def _counts(db: Database) -> tuple[int, int]:
    with db.read() as session:
        entries = session.scalar(select(func.count()).select_from(Transaction))
        audits = session.scalar(select(func.count()).where(AuditEntry.action == "account.adjust"))
        return int(entries or 0), int(audits or 0)


def test_an_adjustment_writes_a_ledger_entry_an_audit_record_and_new_card_versions(
    db: Database,
) -> None:
    card_id, account_id, admin_id = _setup(db, Kind.CASHBACK)
    with db.read() as session:
        version_before = session.get_one(Card, card_id).version
    change = Adjustment("cashback_balance", 2_500, "Goodwill for a late delivery", card_id)
    entry = _adjust(db, account_id, admin_id, change)
    with db.read() as session:
        card = session.get_one(Card, card_id)
        adjusted = select(AuditEntry).where(AuditEntry.action == "account.adjust")
        audit = session.scalars(adjusted).one()
        assert card.account.cashback_balance == 2_500
        assert card.version == version_before + 1
        assert card.account.version == 1
        assert verify_ledger(session) == []
    assert (entry.kind, entry.delta_cashback_balance, entry.reason) == (
        "adjustment",
        2_500,
        "Goodwill for a late delivery",
    )
    assert (entry.staff_id, entry.card_id, entry.state_after["cashback_balance"]) == (
        admin_id,
        card_id,
        2_500,
    )
    assert audit.target == f"account:{account_id}"
    assert audit.details == {
        "field": "cashback_balance",
        "change": 2_500,
        "reason": "Goodwill for a late delivery",
        "transaction": entry.id,
    }


def test_taking_away_works_down_to_zero_and_the_ledger_stays_clean(db: Database) -> None:
    _, account_id, admin_id = _setup(db, Kind.CASHBACK)
    _adjust(db, account_id, admin_id, Adjustment("cashback_balance", 1_000, "Opening balance"))
    _adjust(db, account_id, admin_id, Adjustment("cashback_balance", -1_000, "Correction"))
    with db.read() as session:
        account = session.get_one(Account, account_id)
        assert (account.cashback_balance, account.version) == (0, 2)
        assert verify_ledger(session) == []


def test_an_adjustment_below_zero_is_refused_and_changes_nothing(db: Database) -> None:
    card_id, account_id, admin_id = _setup(db, Kind.CASHBACK)
    with pytest.raises(NegativeBalance) as refused:
        _adjust(db, account_id, admin_id, Adjustment("cashback_balance", -1, "Too much"))
    assert refused.value.field == "cashback_balance"
    assert _counts(db) == (0, 0)
    with db.read() as session:
        card = session.get_one(Card, card_id)
        assert (card.account.version, card.version, card.account.cashback_balance) == (0, 1, 0)


def test_a_bad_adjustment_names_every_wrong_field_and_changes_nothing(db: Database) -> None:
    _, account_id, admin_id = _setup(db, Kind.CASHBACK)
    with pytest.raises(Invalid) as refused:
        _adjust(db, account_id, admin_id, Adjustment("stamps", 0, "   "))
    assert set(refused.value.errors) == {"field", "amount", "reason"}
    assert _counts(db) == (0, 0)


def test_stamps_added_beyond_a_full_card_become_rewards(db: Database) -> None:
    _, account_id, admin_id = _setup(db, Kind.STAMP)  # ten stamps make a reward
    entry = _adjust(db, account_id, admin_id, Adjustment("stamps", 23, "Paper card moved over"))
    with db.read() as session:
        account = session.get_one(Account, account_id)
        assert (account.stamps, account.rewards_available) == (3, 2)
        assert verify_ledger(session) == []
    assert (entry.delta_stamps, entry.delta_rewards_available) == (3, 2)


def test_adjusting_spend_moves_an_accumulative_account_to_its_tier(db: Database) -> None:
    _, account_id, admin_id = _setup(db, Kind.ACCUMULATIVE)
    with db.read() as session:
        before = state_of(session.get_one(Account, account_id))
    entry = _adjust(db, account_id, admin_id, Adjustment("total_spent", 10**9, "Earlier spend"))
    with db.read() as session:
        account = session.get_one(Account, account_id)
        assert account.total_spent == before.total_spent + 10**9
        tier = account.tier
    assert tier is not None
    assert tier > 0
    assert (entry.tier_before, entry.tier_after) == (0, tier)
