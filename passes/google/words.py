"""Words only the Google Wallet pass prints, in English, Ukrainian, Russian and Polish.

The shared labels (member, company, tier, card page) come from ``passes.vocabulary``;
these cover slots Apple passes do not have: the account id label and the tier ladder.
"""

from __future__ import annotations

from enum import StrEnum

from passes.localized import LANGUAGES, Language, LocalizedText


class GoogleWord(StrEnum):
    """A label or template that appears on Google Wallet passes only."""

    CARD_CODE = "card_code"
    TIERS = "tiers"
    TIER_STEP = "tier_step"


# Columns follow LANGUAGES: en, uk, ru, pl.
_TEXTS: dict[GoogleWord, tuple[str, str, str, str]] = {
    GoogleWord.CARD_CODE: ("Card code", "Код картки", "Код карты", "Kod karty"),
    GoogleWord.TIERS: ("Tiers", "Рівні", "Уровни", "Poziomy"),
    GoogleWord.TIER_STEP: (
        "{name}: {percent} from {amount}",
        "{name}: {percent} від {amount}",
        "{name}: {percent} от {amount}",
        "{name}: {percent} od {amount}",
    ),
}


def google_word(word: GoogleWord, language: Language) -> str:
    """Return one word in one language."""
    return _TEXTS[word][LANGUAGES.index(language)]


def google_text(word: GoogleWord, default_language: Language) -> LocalizedText:
    """Return a word in every language."""
    return LocalizedText.build(default_language, lambda lang: google_word(word, lang))
