"""PassContent -> Google Wallet ``LoyaltyClass``: what every holder of a program shares.

Google reference: https://developers.google.com/wallet/reference/rest/v1/loyaltyclass and
the walletobjects v1 discovery document; reference/wallet-protocols.md 4.2. Required:
id, issuerName, programName, programLogo, reviewStatus. A class changes every object of
it, so it is built from one design version and the per-holder figures live on objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from passes.content import PassContent
from passes.faces import money_text, percent_text
from passes.google.ids import resource_id
from passes.google.objects import image
from passes.google.strings import paired
from passes.google.words import GoogleWord, google_text, google_word
from passes.localized import Language, LocalizedText
from passes.money_display import Money
from passes.vocabulary import Phrase, say

# "you should keep setting this field to underReview" on every insert and update (G-DISC).
UNDER_REVIEW = "UNDER_REVIEW"


@dataclass(frozen=True, slots=True)
class TierStep:
    """One tier of an accumulative program: its name, the spend it starts at, its discount."""

    name: LocalizedText
    threshold: Money
    percent: Decimal


def loyalty_class(
    content: PassContent,
    *,
    issuer_id: str,
    class_suffix: str,
    issuer_name: LocalizedText | str,
    logo_url: str,
    hero_url: str | None = None,
    tiers: Sequence[TierStep] = (),
    rewards_tier: LocalizedText | None = None,
    callback_url: str | None = None,
) -> dict[str, Any]:
    """Return the LoyaltyClass of a program's design (``rewards_tier``: one class per tier)."""
    language, program = content.default_language, content.program
    document: dict[str, Any] = {"id": resource_id(issuer_id, class_suffix)}
    document |= paired("issuerName", issuer_name, language)
    document |= paired("programName", program.name, language)
    document["programLogo"] = image(logo_url, program.name, language)
    if hero_url is not None:
        document["heroImage"] = image(hero_url, program.name, language)
    document["hexBackgroundColor"] = content.colours.background.hex()
    document["reviewStatus"] = UNDER_REVIEW
    document |= _labels(language) | _sharing(content)
    return document | _tiers(tiers, rewards_tier, language) | _callback(callback_url)


def tier_ladder(tiers: Sequence[TierStep], language: Language) -> dict[str, Any]:
    """Return a text module listing the tiers: "Silver: 5% from $1,000.00", one per line."""

    def write(lang: Language) -> str:
        return "\n".join(
            google_word(GoogleWord.TIER_STEP, lang).format(
                name=step.name.text(lang),
                percent=percent_text(step.percent, lang).text(lang),
                amount=money_text(step.threshold, lang).text(lang),
            )
            for step in tiers
        )

    body = LocalizedText.build(language, write)
    header = google_text(GoogleWord.TIERS, language)
    module: dict[str, Any] = {"id": "tiers"}
    return module | paired("header", header, language) | paired("body", body, language)


def _labels(language: Language) -> dict[str, Any]:
    # accountName is the holder, accountId the grouped card code (objects.py).
    labels = paired("accountNameLabel", say(Phrase.MEMBER, language), language)
    return labels | paired("accountIdLabel", google_text(GoogleWord.CARD_CODE, language), language)


def _sharing(content: PassContent) -> dict[str, str]:
    # Apple's sharingProhibited, in Google's words: one person (on any of their devices),
    # or whoever the holder passes the card on to.
    status = "ONE_USER_ALL_DEVICES" if content.sharing_prohibited else "MULTIPLE_HOLDERS"
    return {"multipleDevicesAndHoldersAllowedStatus": status}


def _tiers(
    tiers: Sequence[TierStep], rewards_tier: LocalizedText | None, language: Language
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if rewards_tier is not None:
        fields |= paired("rewardsTierLabel", say(Phrase.TIER, language), language)
        fields |= paired("rewardsTier", rewards_tier, language)
    if tiers:
        fields["textModulesData"] = [tier_ladder(tiers, language)]
    return fields


def _callback(url: str | None) -> dict[str, Any]:
    # Google POSTs every save and delete of an object of this class here (4.10).
    return {} if url is None else {"callbackOptions": {"url": url}}
