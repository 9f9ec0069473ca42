"""``xx.lproj/pass.strings``: the translation tables of a pass.

Apple reference: section 1.10 of reference/wallet-protocols.md;
https://developer.apple.com/library/archive/documentation/UserExperience/Conceptual/PassKit_PG/Creating.html
(localizing passes) and the .strings format in
https://developer.apple.com/library/archive/documentation/Cocoa/Conceptual/LoadingResources/Strings/Strings.html.
Apple documents pass.strings as UTF-16; we write UTF-16 little-endian with a byte-order
mark, the form the reference recommends. Lines read ``"key" = "value";`` with
backslash escapes for quotes, backslashes and control characters.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

from passes.localized import Language

_ESCAPES = {
    ord("\\"): "\\\\",
    ord('"'): '\\"',
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
}
_ESCAPES |= {code: f"\\U{code:04X}" for code in (*range(0x20), 0x7F) if code not in _ESCAPES}
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
_ENTRY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*=\s*"((?:[^"\\]|\\.)*)"\s*;', re.DOTALL)
_UNESCAPE = re.compile(r"\\(U[0-9A-Fa-f]{4}|.)", re.DOTALL)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t"}


def strings_path(language: Language) -> str:
    """Return the archive path of a language's table: "uk.lproj/pass.strings"."""
    return f"{language}.lproj/pass.strings"


def encode_strings(entries: Mapping[str, str]) -> bytes:
    """Encode a {key: translation} table as a UTF-16LE .strings file with BOM."""
    lines = "".join(f'"{_escape(key)}" = "{_escape(value)}";\n' for key, value in entries.items())
    return codecs.BOM_UTF16_LE + lines.encode("utf-16-le")


def strings_files(tables: Mapping[Language, Mapping[str, str]]) -> dict[str, bytes]:
    """Return the pass.strings file of every language, keyed by archive path."""
    return {strings_path(lang): encode_strings(table) for lang, table in tables.items()}


def decode_strings(data: bytes) -> dict[str, str]:
    """Read a .strings file (UTF-16 with BOM, or UTF-8) back into a table."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        text = data.decode("utf-8-sig")
    return {_unescape(key): _unescape(value) for key, value in _ENTRY.findall(text)}


def _escape(text: str) -> str:
    # Most texts need no escaping, and the search is far cheaper than translate().
    return text.translate(_ESCAPES) if _NEEDS_ESCAPE.search(text) else text


def _unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith("U") and len(code) == 5:
            return chr(int(code[1:], 16))
        return _SIMPLE.get(code, code)

    return _UNESCAPE.sub(replace, text)
