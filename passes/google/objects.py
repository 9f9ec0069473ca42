"""PassContent -> Google Wallet ``LoyaltyObject``: one per card, the holder's own figures.

Google reference: https://developers.google.com/wallet/reference/rest/v1/loyaltyobject and
the walletobjects v1 discovery document; reference/wallet-protocols.md 4.3 (fields), 4.7
(how changes reach the device). The class (``passes.google.classes``) carries what all
holders share; the object carries the state, the barcode and the per-holder texts.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from passes.content import Field, PassContent, Points
from passes.google.ids import require_issuer, resource_id
from passes.google.strings import localized_string, paired
from passes.localized import Language, LocalizedText
from passes.money_display import Money
from passes.vocabulary import Phrase, say

ACTIVE = "ACTIVE"
# INACTIVE moves the card to "Expired passes"; objects cannot be deleted (4.1, 4.3).
INACTIVE = "INACTIVE"
# Google shows at most 10 text modules from the object (4.9).
MAX_TEXT_MODULES = 10
_MICROS_EXPONENT = 6
# Text module ids: "alphanumeric characters, '_', or '-'. It can not include dots".
_MODULE_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def loyalty_object(
    content: PassContent,
    *,
    issuer_id: str,
    object_suffix: str,
    class_id: str,
    hero_url: str | None = None,
    merchant_locations: bool = False,
) -> dict[str, Any]:
    """Return the LoyaltyObject of one pass (merchantLocations only for allowlisted issuers)."""
    face, language = content.face, content.default_language
    document: dict[str, Any] = {
        "id": resource_id(issuer_id, object_suffix),
        "classId": require_issuer(issuer_id, class_id),
        "state": INACTIVE if content.voided else ACTIVE,
        "accountName": content.holder.name,
        "accountId": content.grouped_code,
        "barcode": barcode(content),
        "loyaltyPoints": loyalty_points(face.main_value, language),
    }
    if face.secondary_value is not None:
        document["secondaryLoyaltyPoints"] = loyalty_points(face.secondary_value, language)
    document |= _modules(content)
    document |= _extras(content, hero_url, merchant_locations=merchant_locations)
    return document


def barcode(content: PassContent) -> dict[str, str]:
    """Return the QR code that carries the card code, with the grouped code under it."""
    return {
        "type": "QR_CODE",
        "value": content.card_code,
        "alternateText": content.grouped_code,
        "renderEncoding": "UTF_8",
    }


def loyalty_points(points: Points, language: Language) -> dict[str, Any]:
    """Return a LoyaltyPoints: the label and exactly one balance form."""
    return paired("label", points.label, language) | {"balance": balance(points)}


def balance(points: Points) -> dict[str, Any]:
    """Return the LoyaltyPointsBalance: money, else an integer count, else the text."""
    # "Only one of these subtypes (string, int, double, money) should be populated."
    if points.money is not None:
        return {"money": money(points.money)}
    if points.count is not None:
        return {"int": points.count}
    return {"string": points.value.default}


def money(amount: Money) -> dict[str, str]:
    """Return Google's Money: micros as an int64 string and the currency code."""
    shift = _MICROS_EXPONENT - amount.exponent
    if shift < 0:
        raise ValueError(f"{amount.currency} has more minor digits than micros can hold")
    return {"micros": str(amount.minor * 10**shift), "currencyCode": amount.currency}


def image(uri: str, description: LocalizedText, language: Language) -> dict[str, Any]:
    """Return an Image fetched by Google from a URI we serve."""
    return {
        "sourceUri": {"uri": uri},
        "contentDescription": localized_string(description, language),
    }


def google_date(moment: datetime) -> dict[str, str]:
    """Return a DateTime: ISO 8601 with the offset, whole seconds."""
    if moment.utcoffset() is None:
        raise ValueError("Google Wallet dates need a time zone")
    return {"date": moment.replace(microsecond=0).isoformat()}


def _modules(content: PassContent) -> dict[str, Any]:
    modules: dict[str, Any] = {"linksModuleData": {"uris": _links(content)}}
    texts = _texts(content)
    if texts:
        # Google shows only the first ten; our faces and back fields stay below that.
        modules["textModulesData"] = texts[:MAX_TEXT_MODULES]
    return modules


def _texts(content: PassContent) -> list[dict[str, Any]]:
    # Front fields the points do not show, then the holder's company, then the back.
    language, face = content.default_language, content.face
    shown = [points for points in (face.main_value, face.secondary_value) if points is not None]
    front = [item for item in face.fields if not _shown_as_points(item, shown)]
    back = [item for item in content.back_fields if not item.url]
    texts = [_text_module(item.key, item.label, item.value, language) for item in front]
    if content.holder.company:
        company = LocalizedText(content.holder.company)
        texts.append(_text_module("company", say(Phrase.COMPANY, language), company, language))
    return texts + [_text_module(item.key, item.label, item.value, language) for item in back]


def _shown_as_points(item: Field, shown: list[Points]) -> bool:
    # A front field is left out only when a points figure already shows exactly it:
    # "3 of 10" stamps stays as a text module next to the bare count.
    return any(item.label == points.label and item.value == points.value for points in shown)


def _text_module(
    key: str, header: LocalizedText, body: LocalizedText, language: Language
) -> dict[str, Any]:
    module: dict[str, Any] = {"id": _MODULE_ID_UNSAFE.sub("_", key)}
    return module | paired("header", header, language) | paired("body", body, language)


def _links(content: PassContent) -> list[dict[str, Any]]:
    language = content.default_language
    links = [_link(item.key, item.url, item.value, language) for item in content.fields if item.url]
    if not any(link["uri"] == content.card_url for link in links):
        opener = say(Phrase.OPEN_CARD_PAGE, language)
        links.insert(0, _link("card_page", content.card_url, opener, language))
    return links


def _link(key: str, uri: str, text: LocalizedText, language: Language) -> dict[str, Any]:
    link: dict[str, Any] = {"id": _MODULE_ID_UNSAFE.sub("_", key), "uri": uri}
    return link | paired("description", text, language)


def _extras(
    content: PassContent, hero_url: str | None, *, merchant_locations: bool
) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    if content.expires_at is not None:
        # Google turns the object expired once "end" has passed (G-LO validTimeInterval).
        extras["validTimeInterval"] = {"end": google_date(content.expires_at)}
    if hero_url is not None:
        extras["heroImage"] = image(hero_url, content.program.name, content.default_language)
    if merchant_locations and content.locations:
        # merchantLocations replace the deprecated, notification-less ``locations``; Google
        # refuses them from issuers it has not allowlisted, hence the caller's switch (4.9).
        extras["merchantLocations"] = [
            {"latitude": place.latitude, "longitude": place.longitude}
            for place in content.locations
        ]
    return extras
