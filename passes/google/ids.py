"""Google Wallet class and object ids: ``<issuer id>.<suffix>``.

Google: "This value should follow the format issuer ID.identifier ... The unique identifier
should only include alphanumeric characters, '.', '_', or '-'" (walletobjects v1 discovery
document, ``LoyaltyClass.id`` and ``LoyaltyObject.id``; reference/wallet-protocols.md 4.1).
Objects and classes cannot be deleted, so an id, once used, stays taken.
"""

from __future__ import annotations

import re

_ISSUER_ID = re.compile(r"[0-9]+")
_SUFFIX = re.compile(r"[A-Za-z0-9._-]+")
# "_" is the escape character of safe_suffix, so it is not kept as itself.
_KEPT = re.compile(r"[A-Za-z0-9.-]")


def resource_id(issuer_id: str, suffix: str) -> str:
    """Return ``<issuerId>.<suffix>``, refusing ids Google would reject."""
    if not _ISSUER_ID.fullmatch(issuer_id):
        raise ValueError(f"a Google Wallet issuer id is numeric, not {issuer_id!r}")
    if not _SUFFIX.fullmatch(suffix):
        raise ValueError(f"id suffix {suffix!r} may only hold letters, digits, '.', '_' and '-'")
    return f"{issuer_id}.{suffix}"


def safe_suffix(text: str) -> str:
    """Turn any text into an id suffix; different texts always give different suffixes."""
    if not text:
        raise ValueError("an id suffix needs some text")
    # Each other character becomes _<hex code point>_, so the mapping is one-to-one:
    # "a b" and "a_b" stay apart ("a_20_b", "a_5f_b").
    return "".join(char if _KEPT.fullmatch(char) else f"_{ord(char):x}_" for char in text)


def require_issuer(issuer_id: str, resource: str) -> str:
    """Return ``resource`` if it is an id of this issuer's, else raise ValueError."""
    issuer, _, suffix = resource.partition(".")
    if issuer != issuer_id or not _SUFFIX.fullmatch(suffix):
        raise ValueError(f"{resource!r} is not an id of Google Wallet issuer {issuer_id}")
    return resource
