"""The words Tessera itself prints on passes, in English, Ukrainian, Russian and Polish.

Program texts (names, terms, tier names, rewards) come from the admin; these are ours
and exist in every language. Change messages carry Apple's ``%@`` placeholder, which
Wallet replaces with the field's new value on the lock-screen notification.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import lru_cache

from passes.localized import LANGUAGES, Language, LocalizedText


class Phrase(StrEnum):
    """A label, value template or change message printed on passes."""

    DISCOUNT = "discount"
    TIER = "tier"
    BALANCE = "balance"
    CASHBACK = "cashback"
    STAMPS = "stamps"
    REWARDS_READY = "rewards_ready"
    REWARD = "reward"
    TOTAL_SPENT = "total_spent"
    TO_NEXT_TIER = "to_next_tier"
    MEMBER = "member"
    COMPANY = "company"
    TERMS = "terms"
    ABOUT = "about"
    LAST_ORDER = "last_order"
    CARD_PAGE = "card_page"
    OPEN_CARD_PAGE = "open_card_page"
    SUPPORT = "support"
    STAMPS_OF = "stamps_of"
    TOP_TIER = "top_tier"
    NO_ORDERS = "no_orders"
    ORDER_ON = "order_on"
    DISCOUNT_CHANGED = "discount_changed"
    TIER_CHANGED = "tier_changed"
    TOTAL_SPENT_CHANGED = "total_spent_changed"
    TO_NEXT_TIER_CHANGED = "to_next_tier_changed"
    BALANCE_CHANGED = "balance_changed"
    STAMPS_CHANGED = "stamps_changed"
    REWARDS_CHANGED = "rewards_changed"
    LAST_ORDER_CHANGED = "last_order_changed"


# Columns follow LANGUAGES: en, uk, ru, pl.
_TEXTS: dict[Phrase, tuple[str, str, str, str]] = {
    Phrase.DISCOUNT: ("Discount", "Знижка", "Скидка", "Rabat"),
    Phrase.TIER: ("Tier", "Рівень", "Уровень", "Poziom"),
    Phrase.BALANCE: ("Balance", "Баланс", "Баланс", "Saldo"),
    Phrase.CASHBACK: ("Cashback", "Кешбек", "Кешбэк", "Zwrot"),
    Phrase.STAMPS: ("Stamps", "Штампи", "Штампы", "Pieczątki"),
    Phrase.REWARDS_READY: (
        "Rewards ready",
        "Доступні нагороди",
        "Доступные награды",
        "Nagrody do odbioru",
    ),
    Phrase.REWARD: ("Reward", "Нагорода", "Награда", "Nagroda"),
    Phrase.TOTAL_SPENT: ("Total spent", "Витрачено всього", "Потрачено всего", "Łącznie wydano"),
    Phrase.TO_NEXT_TIER: (
        "To next tier",
        "До наступного рівня",
        "До следующего уровня",
        "Do następnego poziomu",
    ),
    Phrase.MEMBER: ("Member", "Учасник", "Участник", "Uczestnik"),
    Phrase.COMPANY: ("Company", "Компанія", "Компания", "Firma"),
    Phrase.TERMS: ("Terms", "Умови", "Условия", "Warunki"),
    Phrase.ABOUT: ("About the program", "Про програму", "О программе", "O programie"),  # noqa: RUF001
    Phrase.LAST_ORDER: (
        "Last order",
        "Останнє замовлення",
        "Последний заказ",
        "Ostatnie zamówienie",
    ),
    Phrase.CARD_PAGE: ("Card page", "Сторінка картки", "Страница карты", "Strona karty"),
    Phrase.OPEN_CARD_PAGE: (
        "Open your card page",
        "Відкрити сторінку картки",
        "Открыть страницу карты",
        "Otwórz stronę karty",
    ),
    Phrase.SUPPORT: ("Support", "Підтримка", "Поддержка", "Pomoc"),
    Phrase.STAMPS_OF: (
        "{collected} of {required}",
        "{collected} з {required}",
        "{collected} из {required}",
        "{collected} z {required}",
    ),
    Phrase.TOP_TIER: (
        "Top tier reached",
        "Найвищий рівень",
        "Высший уровень",
        "Najwyższy poziom",
    ),
    Phrase.NO_ORDERS: ("No orders yet", "Замовлень ще немає", "Заказов пока нет", "Brak zamówień"),
    Phrase.ORDER_ON: (
        "{amount} on {date}",
        "{amount}, {date}",
        "{amount}, {date}",
        "{amount}, {date}",
    ),
    Phrase.DISCOUNT_CHANGED: (
        "Your discount is now %@",
        "Ваша знижка тепер %@",
        "Ваша скидка теперь %@",
        "Twój rabat wynosi teraz %@",
    ),
    Phrase.TIER_CHANGED: (
        "Your tier is now %@",
        "Ваш рівень тепер %@",
        "Ваш уровень теперь %@",
        "Twój poziom to teraz %@",
    ),
    Phrase.TOTAL_SPENT_CHANGED: (
        "Total spent: %@",
        "Витрачено всього: %@",
        "Потрачено всего: %@",
        "Łącznie wydano: %@",
    ),
    Phrase.TO_NEXT_TIER_CHANGED: (
        "To the next tier: %@",
        "До наступного рівня: %@",
        "До следующего уровня: %@",
        "Do następnego poziomu: %@",
    ),
    Phrase.BALANCE_CHANGED: (
        "Your balance is now %@",
        "Ваш баланс тепер %@",
        "Ваш баланс теперь %@",
        "Twoje saldo wynosi teraz %@",
    ),
    Phrase.STAMPS_CHANGED: (
        "Stamps collected: %@",
        "Зібрано штампів: %@",
        "Собрано штампов: %@",
        "Zebrane pieczątki: %@",
    ),
    Phrase.REWARDS_CHANGED: (
        "Rewards ready: %@",
        "Доступно нагород: %@",
        "Доступно наград: %@",
        "Nagrody do odbioru: %@",
    ),
    Phrase.LAST_ORDER_CHANGED: (
        "Last order: %@",
        "Останнє замовлення: %@",
        "Последний заказ: %@",
        "Ostatnie zamówienie: %@",
    ),
}

# Month names for dates in English; the other languages write dates as 01.05.2026.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def phrase_text(phrase: Phrase, language: Language) -> str:
    """Return one phrase in one language."""
    return _TEXTS[phrase][LANGUAGES.index(language)]


def say(phrase: Phrase, default_language: Language, **values: LocalizedText | str) -> LocalizedText:
    """Return a phrase in every language, filling its {placeholders} per language."""
    if not values:
        return _fixed_phrase(phrase, default_language)

    def render(lang: Language) -> str:
        filled = {
            name: value.text(lang) if isinstance(value, LocalizedText) else value
            for name, value in values.items()
        }
        return phrase_text(phrase, lang).format(**filled)

    return LocalizedText.build(default_language, render)


@lru_cache(maxsize=len(Phrase) * len(LANGUAGES))
def _fixed_phrase(phrase: Phrase, default_language: Language) -> LocalizedText:
    # Labels and change messages are the same on every pass; build each once.
    return LocalizedText.build(default_language, lambda lang: phrase_text(phrase, lang))


def format_date(day: date, language: Language) -> str:
    """Write a calendar date the way the language usually does: "1 May 2026", "01.05.2026"."""
    if language == "en":
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day:02d}.{day.month:02d}.{day.year}"
