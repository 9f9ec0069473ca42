"""Card codes: 80 random bits in Crockford base32, grouped, read forgivingly."""

from __future__ import annotations

import pytest

from issuer import cardcodes


def test_codes_carry_at_least_80_bits_in_crockford_base32() -> None:
    code = cardcodes.new_card_code()
    assert len(code) * 5 >= 80
    assert set(code) <= set(cardcodes.ALPHABET)
    assert not set(code) & set("ILOU")


def test_codes_are_random() -> None:
    assert len({cardcodes.new_card_code() for _ in range(2000)}) == 2000


def test_codes_are_shown_in_groups_of_four() -> None:
    assert cardcodes.grouped("ABCDEFGHJKMNPQRS") == "ABCD-EFGH-JKMN-PQRS"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ABCD-EFGH-JKMN-PQRS", "ABCDEFGHJKMNPQRS"),
        ("abcd efgh jkmn pqrs", "ABCDEFGHJKMNPQRS"),
        (" abcd-efgh-jkmn-pqrs\t", "ABCDEFGHJKMNPQRS"),
        ("OOOO-IIII-LLLL-0000", "0000111111110000"),
    ],
)
def test_typed_codes_are_read_ignoring_case_spaces_hyphens(typed: str, stored: str) -> None:
    assert cardcodes.normalized(typed) == stored


@pytest.mark.parametrize(
    "typed", ["", "ABCD", "ABCD-EFGH-JKMN-PQRSX", "ABCD-EFGH-JKMN-PQR!", "UUUU"]
)
def test_what_cannot_be_a_code_is_none(typed: str) -> None:
    assert cardcodes.normalized(typed) is None


def test_page_token_auth_token_and_serial_are_separate_secrets() -> None:
    code, page, auth = (
        cardcodes.new_card_code(),
        cardcodes.new_page_token(),
        cardcodes.new_auth_token(),
    )
    assert len(page) >= 32
    assert len(auth) >= 32
    assert len({code, page, auth, cardcodes.new_serial()}) == 4
