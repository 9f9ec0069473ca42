"""Models of the database turned into the API's response bodies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from issuer import cardcodes
from issuer.db.models import Account, Card, Program, Transaction
from issuer.rules import AccumulativeRules, Outcome, Rules, next_tier, parse_rules
from webapp.api import schemas
from webapp.links import apple_pass_url, card_url, google_save_url
from webapp.settings import Settings


def program_out(program: Program) -> schemas.ProgramOut:
    """A program as the API shows it."""
    version = program.current_version
    return schemas.ProgramOut(
        id=program.id,
        kind=program.kind,
        name=program.name,
        slug=program.slug,
        currency=program.currency,
        rules=program.rules,
        design=program.design,
        pooling=program.pooling,
        enrollment=program.enrollment,
        status=program.status,
        published_version=version.number if version else None,
        expires_at=program.expires_at,
        created_at=program.created_at,
        updated_at=program.updated_at,
    )


def card_out(card: Card, settings: Settings, google_ready: bool) -> schemas.CardOut:
    """A card with its holder and its account's state."""
    member = card.member
    return schemas.CardOut(
        id=card.id,
        serial=card.serial,
        code=cardcodes.grouped(card.code),
        program_id=card.program_id,
        account_id=card.account_id,
        status=card.status,
        currency=card.program.currency,
        member=schemas.MemberOut(
            id=member.id,
            name=member.name,
            email=member.email,
            phone=member.phone,
            locale=member.locale,
            company=member.partner.name if member.partner else None,
        ),
        card_url=card_url(card, settings),
        apple_pass_url=apple_pass_url(card, settings),
        google_save_url=google_save_url(card, settings) if google_ready else None,
        google_wallet="ready" if google_ready else "not_configured",
        state=state_out(_account_values(card.account), card.program),
        created_at=card.created_at,
    )


def state_out(values: Mapping[str, Any], program: Program) -> schemas.StateOut:
    """An account state (live, or as kept with a ledger entry) with its tier spelled out."""
    return _state_out(values, _tiers(program))


def _state_out(values: Mapping[str, Any], tiers: AccumulativeRules | None) -> schemas.StateOut:
    upcoming = next_tier(tiers, values["total_spent"]) if tiers else None
    return schemas.StateOut(
        total_spent=values["total_spent"],
        orders_count=values["orders_count"],
        cashback_balance=values["cashback_balance"],
        stamps=values["stamps"],
        rewards_available=values["rewards_available"],
        tier=_tier_out(tiers, values["tier"]),
        next_tier=_tier_out(tiers, tiers.tiers.index(upcoming[0])) if tiers and upcoming else None,
        version=values["version"],
    )


def outcome_fields(source: Outcome | Transaction, currency: str) -> dict[str, Any]:
    """The amounts an order moves, from a quote or a ledger entry."""
    names = schemas.OutcomeOut.model_fields.keys() - {"currency"}
    return {name: getattr(source, name) for name in names} | {"currency": currency}


def quote_out(outcome: Outcome, account: Account, program: Program) -> schemas.QuoteOut:
    """What an order would do, and the state it would leave."""
    after = outcome.state_after
    values = {name: getattr(after, name) for name in _STATE}
    tiers = _tiers(program)
    values |= {"tier": outcome.tier_after, "version": account.version + 1}
    values["tier"] = values["tier"] if tiers else None
    return schemas.QuoteOut(
        **outcome_fields(outcome, program.currency), state_after=state_out(values, program)
    )


def transaction_out(entry: Transaction, program: Program) -> schemas.TransactionOut:
    """One ledger entry with the state it left the account in."""
    return _entry_out(entry, _tiers(program))


def ledger_entry_out(entry: Transaction, rules: Rules | None) -> schemas.TransactionOut:
    """One ledger entry, given the (already parsed) rules of its program's published version."""
    return _entry_out(entry, rules if isinstance(rules, AccumulativeRules) else None)


def _entry_out(entry: Transaction, tiers: AccumulativeRules | None) -> schemas.TransactionOut:
    return schemas.TransactionOut(
        **outcome_fields(entry, entry.currency),
        id=entry.id,
        kind=entry.kind,
        card_id=entry.card_id,
        account_id=entry.account_id,
        reverses_id=entry.reverses_id,
        reason=entry.reason,
        staff_id=entry.staff_id,
        location_id=entry.location_id,
        created_at=entry.created_at,
        state=_state_out(entry.state_after, tiers),
    )


_STATE = ("total_spent", "orders_count", "cashback_balance", "stamps", "rewards_available")


def _account_values(account: Account) -> dict[str, Any]:
    return {name: getattr(account, name) for name in (*_STATE, "tier", "version")}


def _tiers(program: Program) -> AccumulativeRules | None:
    source = program.current_version.rules if program.current_version else program.rules
    rules = parse_rules(program.kind, source)
    return rules if isinstance(rules, AccumulativeRules) else None


def _tier_out(tiers: AccumulativeRules | None, index: int | None) -> schemas.TierOut | None:
    if tiers is None or index is None or not 0 <= index < len(tiers.tiers):
        return None
    tier = tiers.tiers[index]
    return schemas.TierOut(
        index=index,
        name=tier.name,
        percent=format(tier.percent.normalize(), "f"),
        threshold=tier.threshold,
    )
