"""Card codes, page tokens, Apple authentication tokens and serial numbers.

The card code is what the QR code and the printed short code carry: 80 random bits in
Crockford base32, shown as four groups of four. It is never the serial number or a database
id, and the card-page token is a second, separate secret.
"""

from __future__ import annotations

import secrets
import uuid

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 symbols x 5 bits = 80 bits
GROUP = 4
# Crockford base32 reads the letters people confuse with digits as those digits.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -\t")


def new_card_code() -> str:
    """A fresh random card code, stored ungrouped."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def grouped(code: str) -> str:
    """The code as people see it: ``ABCD-EFGH-JKMN-PQRS``."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalized(typed: str) -> str | None:
    """The stored form of a typed or scanned code, or None if it cannot be a card code."""
    code = typed.upper().translate(_SEPARATORS).translate(_READ_AS)
    if len(code) != CODE_LENGTH or any(symbol not in ALPHABET for symbol in code):
        return None
    return code


def new_page_token() -> str:
    """The secret in a card page's URL (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def new_auth_token() -> str:
    """Apple's authenticationToken for the pass web service (at least 32 characters)."""
    return secrets.token_urlsafe(32)


def new_serial() -> str:
    """A pass serial number: unique, unguessable, unrelated to the code or the id."""
    return str(uuid.uuid4())
