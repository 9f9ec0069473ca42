"""What the staff pages show of a card, an order and its outcome, in the staff's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from issuer import cardcodes
from issuer.db.models import Account, Card, Program, Staff, Transaction
from issuer.rules import (
    AccumulativeRules,
    CashbackRules,
    DiscountRules,
    Outcome,
    Rules,
    StampRules,
    next_tier,
    parse_rules,
)
from issuer.staff_orders import undo_refusal
from webapp.i18n import current_language, gettext, money, percent

# The typographic minus lines up with "+" in the figures; a hyphen looks like a dash.
MINUS = "\u2212"


@dataclass(frozen=True, slots=True)
class Figure:
    """One labelled value: "Cashback balance — ₴125.00"."""

    label: str
    value: str
    emphasis: bool = False


@dataclass(frozen=True, slots=True)
class RecentOrder:
    """A ledger entry in a card's recent history, and whether this staff member may undo it."""

    entry: Transaction
    undone: bool
    may_undo: bool


@dataclass(frozen=True, slots=True)
class CardView:
    """A card as the checkout shows it: who, which program, what it holds, what it takes."""

    card: Card
    program_name: str
    kind_name: str
    code: str
    holder: str
    company: str | None
    rules: Rules
    figures: list[Figure]

    @property
    def currency(self) -> str:
        """The program's currency."""
        return self.card.program.currency

    @property
    def takes_cashback(self) -> bool:
        """Whether orders may be paid in part with a cashback balance."""
        return isinstance(self.rules, CashbackRules)

    @property
    def takes_rewards(self) -> bool:
        """Whether orders may redeem a stamp card's reward."""
        return isinstance(self.rules, StampRules)

    @property
    def stamp_row(self) -> list[bool]:
        """One entry per stamp of a full card: True where a stamp is collected."""
        if not isinstance(self.rules, StampRules):
            return []
        held = self.card.account.stamps
        return [index < held for index in range(self.rules.stamps_required)]


def card_view(card: Card) -> CardView:
    """The card with its holder, program and current state."""
    rules = program_rules(card.program)
    member = card.member
    return CardView(
        card=card,
        program_name=program_name(card.program),
        kind_name=kind_name(card.program.kind),
        code=cardcodes.grouped(card.code),
        holder=member.name,
        company=member.partner.name if member.partner else None,
        rules=rules,
        figures=state_figures(
            account_values(card.account), rules, card.program.currency, with_rules=True
        ),
    )


def recent_orders(
    entries: list[Transaction],
    undone: set[int],
    staff: Staff,
    now: dt.datetime,
    window: dt.timedelta,
) -> list[RecentOrder]:
    """Ledger entries with their undo state for this staff member."""
    return [
        RecentOrder(
            entry=entry,
            undone=entry.id in undone,
            may_undo=entry.id not in undone and undo_refusal(staff, entry, now, window) is None,
        )
        for entry in entries
    ]


def program_rules(program: Program) -> Rules:
    """The rules cards of the program follow (those last published, else the draft's)."""
    version = program.current_version
    return parse_rules(program.kind, version.rules if version else program.rules)


def program_name(program: Program) -> str:
    """The program's name in the staff's language when the design has it."""
    design = program.current_version.design if program.current_version else program.design
    texts: Mapping[str, Mapping[str, str]] = design.get("texts", {})
    for language in (current_language(), design.get("default_locale", "en")):
        name = texts.get(language, {}).get("name")
        if name:
            return name
    return program.name


def kind_name(kind: str) -> str:
    """The card kind in words."""
    names = {
        "discount": gettext("Discount card"),
        "accumulative": gettext("Accumulative discount card"),
        "cashback": gettext("Cashback card"),
        "stamp": gettext("Stamp card"),
    }
    return names.get(kind, kind)


def account_values(account: Account) -> dict[str, Any]:
    """The account's state as plain values."""
    names = ("total_spent", "orders_count", "cashback_balance", "stamps", "rewards_available")
    return {name: getattr(account, name) for name in (*names, "tier")}


def outcome_values(outcome: Outcome) -> dict[str, Any]:
    """The state a quoted order would leave, as plain values."""
    return asdict(outcome.state_after) | {"tier": outcome.tier_after}


def state_figures(
    values: Mapping[str, Any], rules: Rules, currency: str, *, with_rules: bool = False
) -> list[Figure]:
    """What the account holds, the way its card kind counts it (and its rules, if asked)."""
    spent = Figure(gettext("Spent so far"), money(values["total_spent"], currency))
    if isinstance(rules, DiscountRules):
        discount = Figure(gettext("Discount"), percent(rules.percent), emphasis=True)
        return [discount, spent] if with_rules else [spent]
    if isinstance(rules, AccumulativeRules):
        return [*_tier_figures(values, rules, currency), spent]
    if isinstance(rules, CashbackRules):
        balance = money(values["cashback_balance"], currency)
        shown = [Figure(gettext("Cashback balance"), balance, emphasis=True)]
        return shown + (_cashback_rules(rules) if with_rules else [])
    if isinstance(rules, StampRules):
        reward = [Figure(gettext("Reward"), rules.reward)] if with_rules else []
        return _stamp_figures(values, rules) + reward
    return [spent]


def _cashback_rules(rules: CashbackRules) -> list[Figure]:
    return [
        Figure(gettext("Earns"), percent(rules.percent)),
        Figure(gettext("Balance pays up to"), percent(rules.max_redeem_percent)),
    ]


def outcome_figures(source: Outcome | Transaction, rules: Rules, currency: str) -> list[Figure]:
    """What an order does (or did): amount, discount, cashback, stamps, rewards, what is paid."""
    shown = [Figure(gettext("Order amount"), money(source.amount, currency))]
    if source.discount:
        shown.append(Figure(gettext("Discount"), MINUS + money(abs(source.discount), currency)))
    if source.redeemed:
        shown.append(
            Figure(gettext("Paid with cashback"), MINUS + money(source.redeemed, currency))
        )
    shown.append(Figure(gettext("To pay"), money(source.payable, currency), emphasis=True))
    if source.earned:
        shown.append(Figure(gettext("Cashback earned"), "+" + money(source.earned, currency)))
    if source.stamps_earned:
        shown.append(Figure(gettext("Stamps earned"), f"+{source.stamps_earned}"))
    if source.rewards_earned:
        shown.append(Figure(gettext("Rewards earned"), f"+{source.rewards_earned}"))
    if source.rewards_redeemed:
        shown.append(Figure(gettext("Reward redeemed"), str(source.rewards_redeemed)))
    return shown + _tier_change(source, rules)


def _tier_change(source: Outcome | Transaction, rules: Rules) -> list[Figure]:
    before, after = source.tier_before, source.tier_after
    if not isinstance(rules, AccumulativeRules) or before is None or after is None:
        return []
    if after <= before or after >= len(rules.tiers):
        return []
    return [Figure(gettext("New tier"), rules.tiers[after].name, emphasis=True)]


def _tier_figures(
    values: Mapping[str, Any], rules: AccumulativeRules, currency: str
) -> list[Figure]:
    index = values["tier"] if values["tier"] is not None else 0
    tier = rules.tiers[min(index, len(rules.tiers) - 1)]
    shown = [Figure(gettext("Tier"), f"{tier.name} · {percent(tier.percent)}", emphasis=True)]
    upcoming = next_tier(rules, values["total_spent"])
    if upcoming is not None:
        following, missing = upcoming
        text = gettext(
            "%(tier)s after %(missing)s more",
            tier=following.name,
            missing=money(missing, currency),
        )
        shown.append(Figure(gettext("Next tier"), text))
    return shown


def _stamp_figures(values: Mapping[str, Any], rules: StampRules) -> list[Figure]:
    stamps = gettext("%(held)d of %(needed)d", held=values["stamps"], needed=rules.stamps_required)
    return [
        Figure(gettext("Stamps"), stamps, emphasis=True),
        Figure(gettext("Rewards ready"), str(values["rewards_available"])),
    ]
