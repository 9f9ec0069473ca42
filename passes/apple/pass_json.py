"""PassContent -> Apple's pass.json (storeCard) and the texts its pass.strings translate.

Apple reference: sections 1.2-1.7 and 1.10 of reference/wallet-protocols.md;
https://developer.apple.com/documentation/walletpasses/pass and
https://developer.apple.com/documentation/walletpasses/passfieldcontent.

Localisation: every localizable string in pass.json is written in the program's
default language, and each ``xx.lproj/pass.strings`` maps that string to its
translation. Wallet replaces a pass.json string that equals a key, so a device whose
language the pass does not speak still shows the default language instead of a raw
key, and a value such as "3 of 10" changes its literal text when a stamp is added,
which is what makes Wallet fire the field's change message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from passes.content import Field, Location, PassContent, Rgb, Slot
from passes.localized import LANGUAGES, Language, LocalizedText
from passes.vocabulary import Phrase, say

MIN_TOKEN_LENGTH = 16
_FIELD_LISTS = {
    Slot.HEADER: "headerFields",
    Slot.PRIMARY: "primaryFields",
    Slot.SECONDARY: "secondaryFields",
    Slot.AUXILIARY: "auxiliaryFields",
    Slot.BACK: "backFields",
}


@dataclass(frozen=True, slots=True)
class AppleIdentity:
    """Who issues the passes: pass type and team, and the web service that updates them."""

    pass_type_id: str
    team_id: str
    web_service_url: str | None = None

    def __post_init__(self) -> None:
        if not self.pass_type_id or not self.team_id:
            raise ValueError("a pass needs its pass type identifier and team identifier")
        # Wallet only calls plain http when the device allows it for development.
        url = self.web_service_url
        if url is not None and not url.startswith(("https://", "http://")):
            raise ValueError(f"the web service URL must be https://, not {url!r}")


@dataclass(frozen=True, slots=True)
class PassDocument:
    """pass.json as a dict, and per language the {default text: translation} table."""

    pass_json: dict[str, Any]
    strings: dict[Language, dict[str, str]]


class _Texts:
    """Collects the localizable strings while pass.json is assembled."""

    def __init__(self) -> None:
        self._texts: dict[str, LocalizedText] = {}

    def put(self, text: LocalizedText) -> str:
        # One key has one translation per language; should two different texts share
        # a default form, the first placed (our labels come first) decides.
        self._texts.setdefault(text.default, text)
        return text.default

    def tables(self) -> dict[Language, dict[str, str]]:
        return {
            lang: {
                key: translated
                for key, text in self._texts.items()
                if (translated := text.text(lang)) != key
            }
            for lang in LANGUAGES
        }


def render_pass(
    content: PassContent, identity: AppleIdentity, authentication_token: str | None = None
) -> PassDocument:
    """Return pass.json and its translations for one pass."""
    texts = _Texts()
    program = content.program
    document: dict[str, Any] = {
        "formatVersion": 1,
        "passTypeIdentifier": identity.pass_type_id,
        "teamIdentifier": identity.team_id,
        "serialNumber": content.serial_number,
        "organizationName": texts.put(program.organization),
        "description": texts.put(program.description),
    }
    if program.logo_text is not None:
        document["logoText"] = texts.put(program.logo_text)
    document |= _colours(content)
    document["barcodes"] = [_barcode(content)]
    document["storeCard"] = _store_card(content, texts)
    document |= _web_service(identity, authentication_token)
    document |= _state(content, texts)
    return PassDocument(document, texts.tables())


def rgb(colour: Rgb) -> str:
    """Write a colour the way pass.json wants it: "rgb(r, g, b)"."""
    return f"rgb({colour.red}, {colour.green}, {colour.blue})"


def w3c_date(moment: datetime) -> str:
    """Write a time as a W3C date with its offset, e.g. "2026-05-01T10:00:00+02:00"."""
    if moment.utcoffset() is None:
        raise ValueError("pass dates need a time zone")
    return moment.replace(microsecond=0).isoformat()


def _colours(content: PassContent) -> dict[str, str]:
    colours = content.colours
    return {
        "backgroundColor": rgb(colours.background),
        "foregroundColor": rgb(colours.foreground),
        "labelColor": rgb(colours.label),
    }


def _barcode(content: PassContent) -> dict[str, str]:
    # iso-8859-1 is what Apple's own passes declare; our codes are plain ASCII.
    try:
        content.card_code.encode("iso-8859-1")
    except UnicodeEncodeError as error:
        raise ValueError(f"card code {content.card_code!r} is not ISO-8859-1 text") from error
    return {
        "format": "PKBarcodeFormatQR",
        "message": content.card_code,
        "messageEncoding": "iso-8859-1",
        "altText": content.grouped_code,
    }


def _store_card(content: PassContent, texts: _Texts) -> dict[str, list[dict[str, str]]]:
    lists: dict[str, list[dict[str, str]]] = {}
    fields = content.face.fields + _holder_fields(content) + content.back_fields
    for item in fields:
        lists.setdefault(_FIELD_LISTS[item.slot], []).append(_field(item, texts))
    return {name: lists[name] for name in _FIELD_LISTS.values() if name in lists}


def _holder_fields(content: PassContent) -> tuple[Field, ...]:
    holder, lang = content.holder, content.default_language
    fields = []
    if holder.name:
        member = say(Phrase.MEMBER, lang)
        fields.append(Field("member", member, LocalizedText(holder.name), Slot.AUXILIARY))
    if holder.company:
        company = say(Phrase.COMPANY, lang)
        fields.append(Field("company", company, LocalizedText(holder.company), Slot.AUXILIARY))
    return tuple(fields)


def _field(item: Field, texts: _Texts) -> dict[str, str]:
    entry = {"key": item.key, "label": texts.put(item.label)}
    if item.url is None:
        entry["value"] = texts.put(item.value)
    else:
        # The plain URL stays in value so data detectors still offer it as a link.
        entry["value"] = item.url
        entry["attributedValue"] = texts.put(_link(item.url, item.value))
    if item.change_message is not None:
        entry["changeMessage"] = texts.put(item.change_message)
    return entry


def _link(url: str, text: LocalizedText) -> LocalizedText:
    def anchor(label: str) -> str:
        return f'<a href="{escape(url)}">{escape(label, quote=False)}</a>'

    return LocalizedText(
        anchor(text.default), tuple((lang, anchor(label)) for lang, label in text.translations)
    )


def _web_service(identity: AppleIdentity, token: str | None) -> dict[str, str]:
    if identity.web_service_url is None and token is None:
        return {}
    if identity.web_service_url is None or token is None:
        raise ValueError("webServiceURL and authenticationToken go together: give both or neither")
    if len(token) < MIN_TOKEN_LENGTH:
        raise ValueError(f"the authentication token needs at least {MIN_TOKEN_LENGTH} characters")
    return {"webServiceURL": identity.web_service_url, "authenticationToken": token}


def _state(content: PassContent, texts: _Texts) -> dict[str, Any]:
    state: dict[str, Any] = {}
    if content.voided:
        state["voided"] = True
    if content.expires_at is not None:
        state["expirationDate"] = w3c_date(content.expires_at)
    if content.locations:
        state["locations"] = [_location(place, texts) for place in content.locations]
    if content.sharing_prohibited:
        state["sharingProhibited"] = True
    return state


def _location(place: Location, texts: _Texts) -> dict[str, Any]:
    entry: dict[str, Any] = {"latitude": place.latitude, "longitude": place.longitude}
    if place.relevant_text is not None:
        entry["relevantText"] = texts.put(place.relevant_text)
    return entry
