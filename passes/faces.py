"""The fields each card kind shows, labelled in every pass language.

Every field whose value moves with orders carries a change message, so Wallet tells
the holder what changed on the lock screen; a field without one updates silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from passes.content import CardFace, CardKind, Field, Points, Slot, StampProgress
from passes.localized import Language, LocalizedText
from passes.money_display import Money, format_decimal, format_money
from passes.vocabulary import Phrase, format_date, say


@dataclass(frozen=True, slots=True)
class LastOrder:
    """The most recent order on the account: what it came to and when."""

    amount: Money
    placed_at: datetime


def discount_face(*, percent: Decimal, language: Language) -> CardFace:
    """Return the face of a discount card."""
    value = percent_text(percent, language)
    discount = _field("discount", Phrase.DISCOUNT, value, Slot.PRIMARY, language)
    return CardFace(CardKind.DISCOUNT, (discount,), Points(discount.label, value))


def accumulative_face(
    *,
    tier: LocalizedText,
    percent: Decimal,
    total_spent: Money,
    to_next_tier: Money | None,
    language: Language,
) -> CardFace:
    """Return the face of an accumulative card; no next-tier amount means the top tier."""
    discount = percent_text(percent, language)
    spent = money_text(total_spent, language)
    remaining = (
        money_text(to_next_tier, language)
        if to_next_tier is not None
        else say(Phrase.TOP_TIER, language)
    )
    fields = (
        _field("tier", Phrase.TIER, tier, Slot.HEADER, language),
        _field("discount", Phrase.DISCOUNT, discount, Slot.PRIMARY, language),
        _field("total_spent", Phrase.TOTAL_SPENT, spent, Slot.SECONDARY, language),
        _field("to_next_tier", Phrase.TO_NEXT_TIER, remaining, Slot.SECONDARY, language),
    )
    main = Points(fields[1].label, discount)
    return CardFace(CardKind.ACCUMULATIVE, fields, main, Points(fields[0].label, tier))


def cashback_face(*, balance: Money, percent: Decimal, language: Language) -> CardFace:
    """Return the face of a cashback card."""
    amount = money_text(balance, language)
    rate = percent_text(percent, language)
    fields = (
        _field("balance", Phrase.BALANCE, amount, Slot.PRIMARY, language),
        _field("cashback", Phrase.CASHBACK, rate, Slot.SECONDARY, language),
    )
    main = Points(fields[0].label, amount, money=balance)
    return CardFace(CardKind.CASHBACK, fields, main, Points(fields[1].label, rate))


def stamp_face(
    *,
    collected: int,
    required: int,
    rewards_ready: int,
    reward: LocalizedText,
    language: Language,
) -> CardFace:
    """Return the face of a stamp card; the stamps themselves are drawn on the strip."""
    progress = StampProgress(collected, required)
    count = say(Phrase.STAMPS_OF, language, collected=str(collected), required=str(required))
    ready = LocalizedText(str(rewards_ready))
    fields = (
        _field("stamps", Phrase.STAMPS, count, Slot.HEADER, language),
        _field("rewards_ready", Phrase.REWARDS_READY, ready, Slot.SECONDARY, language),
        Field("reward", say(Phrase.REWARD, language), reward, Slot.SECONDARY),
    )
    main = Points(fields[0].label, LocalizedText(f"{collected}/{required}"), count=collected)
    secondary = Points(fields[1].label, ready, count=rewards_ready)
    return CardFace(CardKind.STAMP, fields, main, secondary, progress)


def back_fields(
    *,
    card_url: str,
    last_order: LastOrder | None,
    language: Language,
    terms: LocalizedText | None = None,
    about: LocalizedText | None = None,
    support: str | None = None,
) -> tuple[Field, ...]:
    """Return the back of the pass: program, terms, last order, card page and support."""
    fields: list[Field] = []
    if about is not None:
        fields.append(Field("about", say(Phrase.ABOUT, language), about, Slot.BACK))
    if terms is not None:
        fields.append(Field("terms", say(Phrase.TERMS, language), terms, Slot.BACK))
    order = _last_order_text(last_order, language)
    fields.append(_field("last_order", Phrase.LAST_ORDER, order, Slot.BACK, language))
    link = say(Phrase.OPEN_CARD_PAGE, language)
    fields.append(
        Field("card_page", say(Phrase.CARD_PAGE, language), link, Slot.BACK, url=card_url)
    )
    if support:
        fields.append(
            Field("support", say(Phrase.SUPPORT, language), LocalizedText(support), Slot.BACK)
        )
    return tuple(fields)


def percent_text(percent: Decimal, language: Language) -> LocalizedText:
    """Return a percentage written per language ("2.5%", "2,5%", "2,5 %")."""
    if not 0 <= percent <= 100:
        raise ValueError(f"a percentage is between 0 and 100, not {percent}")

    def write(lang: Language) -> str:
        # CLDR puts a no-break space before the percent sign in Russian only.
        sign = "\u00a0%" if lang == "ru" else "%"
        return format_decimal(percent, lang) + sign

    return LocalizedText.build(language, write)


def money_text(money: Money, language: Language) -> LocalizedText:
    """Return an amount of money written per language."""
    return LocalizedText.build(language, lambda lang: format_money(money, lang))


_CHANGE_MESSAGES: dict[Phrase, Phrase] = {
    Phrase.DISCOUNT: Phrase.DISCOUNT_CHANGED,
    Phrase.TIER: Phrase.TIER_CHANGED,
    Phrase.TOTAL_SPENT: Phrase.TOTAL_SPENT_CHANGED,
    Phrase.TO_NEXT_TIER: Phrase.TO_NEXT_TIER_CHANGED,
    Phrase.BALANCE: Phrase.BALANCE_CHANGED,
    Phrase.STAMPS: Phrase.STAMPS_CHANGED,
    Phrase.REWARDS_READY: Phrase.REWARDS_CHANGED,
    Phrase.LAST_ORDER: Phrase.LAST_ORDER_CHANGED,
}


def _field(key: str, label: Phrase, value: LocalizedText, slot: Slot, lang: Language) -> Field:
    change = _CHANGE_MESSAGES.get(label)
    message = say(change, lang) if change is not None else None
    return Field(key, say(label, lang), value, slot, message)


def _last_order_text(order: LastOrder | None, language: Language) -> LocalizedText:
    # Always present, so the first order already changes the value and notifies.
    if order is None:
        return say(Phrase.NO_ORDERS, language)
    amount = money_text(order.amount, language)
    day = order.placed_at.date()
    date = LocalizedText.build(language, lambda lang: format_date(day, lang))
    return say(Phrase.ORDER_ON, language, amount=amount, date=date)


def message_field(title: str, body: str) -> Field:
    """Return the back field of a message to the holder, announced on the lock screen.

    Wallet shows the change message only when the field's value changes (AD-PFC), with
    ``%@`` replaced by the new value; any other ``%`` in it must be written ``%%``.
    """
    announcement = LocalizedText(title.replace("%", "%%") + ": %@")
    return Field("message", LocalizedText(title), LocalizedText(body), Slot.BACK, announcement)
