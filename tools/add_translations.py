"""Add page texts with their translations to the catalogues and compile them.

    .venv/bin/python tools/add_translations.py texts.json

``texts.json`` maps each English text (as written in the code) to its uk, ru and pl
translations: ``{"Programs": {"uk": "Програми", "ru": "Программы", "pl": "Programy"}}``.
New texts go to the end of each catalogue, so parallel work merges without conflicts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

TRANSLATIONS = Path(__file__).resolve().parents[1] / "webapp" / "translations"
LANGUAGES = ("uk", "ru", "pl")


def add(texts: dict[str, dict[str, str]]) -> None:
    """Add or replace ``texts`` in every catalogue, then compile each."""
    for language in LANGUAGES:
        path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as file:
            catalogue = read_po(file, locale=language)
        for text, translations in texts.items():
            catalogue.add(text, translations[language])
        with path.open("wb") as file:
            write_po(file, catalogue, width=100)
        with path.with_suffix(".mo").open("wb") as file:
            write_mo(file, catalogue)


if __name__ == "__main__":
    add(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
