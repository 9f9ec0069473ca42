"""LocalizedText -> Google's ``LocalizedString`` and the paired plain/localized fields.

Google: ``LocalizedString {defaultValue: TranslatedString, translatedValues: [...]}``, each
``TranslatedString {language, value}`` with ``language`` "the BCP 47 language tag", e.g.
"en-US" or "de" (walletobjects v1 discovery document; reference/wallet-protocols.md 4.2).
Our languages are plain BCP 47 primary tags already: en, uk, ru, pl. Google shows
``defaultValue`` to a device whose language has no translation.
"""

from __future__ import annotations

from typing import Any

from passes.localized import Language, LocalizedText


def localized_string(text: LocalizedText, language: Language) -> dict[str, Any]:
    """Return a LocalizedString: the text in ``language`` plus every differing translation."""
    result: dict[str, Any] = {"defaultValue": {"language": language, "value": text.default}}
    # A translation equal to the default adds bytes to the save link and shows nothing new.
    translated = [
        {"language": lang, "value": value}
        for lang, value in text.translations
        if lang != language and value != text.default
    ]
    if translated:
        result["translatedValues"] = translated
    return result


def paired(name: str, text: LocalizedText | str, language: Language) -> dict[str, Any]:
    """Return ``{name: default}`` plus ``{localizedName: LocalizedString}`` when translated."""
    if isinstance(text, str):
        return {name: text}
    fields: dict[str, Any] = {name: text.default}
    localized = localized_string(text, language)
    if "translatedValues" in localized:
        fields["localized" + name[0].upper() + name[1:]] = localized
    return fields
