"""Texts in the four pass languages, falling back to the program's default language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeGuard, get_args

Language = Literal["en", "uk", "ru", "pl"]
LANGUAGES: tuple[Language, ...] = get_args(Language)


def is_language(code: str) -> TypeGuard[Language]:
    """Tell whether a code is one of the languages passes are written in."""
    return code in LANGUAGES


def language(code: str) -> Language:
    """Return the code as a Language, or raise ValueError naming the supported ones."""
    if is_language(code):
        return code
    raise ValueError(f"unsupported language {code!r}; passes speak {', '.join(LANGUAGES)}")


@dataclass(frozen=True, slots=True)
class LocalizedText:
    """A text in its default-language form plus translations.

    A language without a translation shows the default form, so a program that was
    only written in Polish still shows Polish to an English-speaking holder.
    """

    default: str
    translations: tuple[tuple[Language, str], ...] = ()

    @classmethod
    def from_mapping(cls, texts: Mapping[str, str], default_language: Language) -> LocalizedText:
        """Build from {language: text}; the default language must be present."""
        unknown = sorted(set(texts) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"unsupported languages {unknown}; passes speak {LANGUAGES}")
        default = texts.get(default_language, "")
        if not default:
            raise ValueError(f"the text has no {default_language!r} version (the default)")
        others = tuple(
            (lang, texts[lang])
            for lang in LANGUAGES
            if lang != default_language and texts.get(lang)
        )
        return cls(default, others)

    @classmethod
    def build(cls, default_language: Language, make: Callable[[Language], str]) -> LocalizedText:
        """Build a text in every language from a function of the language."""
        others = tuple((lang, make(lang)) for lang in LANGUAGES if lang != default_language)
        return cls(make(default_language), others)

    def text(self, language: Language) -> str:
        """Return the text in a language, or the default form when it has no translation."""
        for lang, text in self.translations:
            if lang == language:
                return text
        return self.default

    def all_texts(self) -> tuple[str, ...]:
        """Return the default form followed by every translation."""
        return (self.default, *(text for _, text in self.translations))
