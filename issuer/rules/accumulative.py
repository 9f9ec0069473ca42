"""Accumulative card: the discount grows in tiers with the account's total spend."""

from dataclasses import dataclass
from decimal import Decimal

from issuer.rules.money import percent_of, percent_text
from issuer.rules.orders import Order, Outcome, settle
from issuer.rules.parsing import Fields, Problems
from issuer.rules.state import AccountState

FIELD_NAMES = frozenset({"tiers"})
TIER_FIELD_NAMES = frozenset({"threshold", "percent", "name"})
MAX_TIER_NAME_LENGTH = 40


@dataclass(frozen=True, slots=True)
class Tier:
    """One step of the ladder: from threshold of total spend on, percent off every order."""

    threshold: int
    percent: Decimal
    name: str


@dataclass(frozen=True, slots=True)
class AccumulativeRules:
    """The tiers, from threshold 0 up, thresholds strictly rising, percents never falling."""

    tiers: tuple[Tier, ...]


def tier_index(rules: AccumulativeRules, total_spent: int) -> int:
    """Return the index of the highest tier whose threshold total_spent has reached."""
    index = 0
    for position, tier in enumerate(rules.tiers):
        if tier.threshold <= total_spent:
            index = position
    return index


def next_tier(rules: AccumulativeRules, total_spent: int) -> tuple[Tier, int] | None:
    """Return the next tier up and the spend still needed to reach it; None at the top."""
    following = tier_index(rules, total_spent) + 1
    if following >= len(rules.tiers):
        return None
    tier = rules.tiers[following]
    return tier, tier.threshold - total_spent


def price(rules: AccumulativeRules, state: AccountState, order: Order) -> Outcome:
    """Discount the order at the tier reached before it, then add what is paid to the spend."""
    before = tier_index(rules, state.total_spent)
    discount = percent_of(order.amount, rules.tiers[before].percent)
    after = tier_index(rules, state.total_spent + order.amount - discount)
    return settle(state, order.amount, discount=discount, tier_before=before, tier_after=after)


def write_rules(rules: AccumulativeRules) -> dict[str, object]:
    """Write accumulative rules as JSON-ready fields."""
    tiers = [
        {"threshold": tier.threshold, "percent": percent_text(tier.percent), "name": tier.name}
        for tier in rules.tiers
    ]
    return {"tiers": tiers}


@dataclass(frozen=True, slots=True)
class _TierDraft:
    """A tier as read, with None for each field that did not validate."""

    threshold: int | None
    percent: Decimal | None
    name: str | None

    def finished(self) -> Tier | None:
        if self.threshold is None or self.percent is None or self.name is None:
            return None
        return Tier(threshold=self.threshold, percent=self.percent, name=self.name)


def read_rules(fields: Fields) -> AccumulativeRules | None:
    """Build accumulative rules from their fields; None when a field is invalid."""
    items = fields.items("tiers")
    if items is None:
        return None
    drafts = [
        _read_tier(item, f"tiers[{index}]", fields.problems) for index, item in enumerate(items)
    ]
    _check_thresholds(drafts, fields.problems)
    _check_percents(drafts, fields.problems)
    tiers = [draft.finished() for draft in drafts]
    finished = tuple(tier for tier in tiers if tier is not None)
    return AccumulativeRules(tiers=finished) if len(finished) == len(tiers) else None


def _read_tier(item: object, path: str, problems: Problems) -> _TierDraft:
    fields = Fields.of(item, TIER_FIELD_NAMES, problems, prefix=path)
    if fields is None:
        return _TierDraft(None, None, None)
    return _TierDraft(
        threshold=fields.integer("threshold", minimum=0),
        percent=fields.percent("percent"),
        name=fields.text("name", max_length=MAX_TIER_NAME_LENGTH),
    )


def _check_thresholds(drafts: list[_TierDraft], problems: Problems) -> None:
    if drafts[0].threshold not in (None, 0):
        problems.add("tiers[0].threshold", "must be 0: the first tier starts with no spend")
    previous: int | None = None
    for index, draft in enumerate(drafts):
        if draft.threshold is None:
            continue
        if previous is not None and draft.threshold <= previous:
            message = f"must be greater than the previous tier's threshold ({previous})"
            problems.add(f"tiers[{index}].threshold", message)
        previous = draft.threshold


def _check_percents(drafts: list[_TierDraft], problems: Problems) -> None:
    previous: Decimal | None = None
    for index, draft in enumerate(drafts):
        if draft.percent is None:
            continue
        if previous is not None and draft.percent < previous:
            message = f"must not be lower than the previous tier's percent ({previous})"
            problems.add(f"tiers[{index}].percent", message)
        previous = draft.percent
