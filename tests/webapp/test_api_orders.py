"""API: cards, quotes, orders, reversals and the ledger — including every kind of bad input."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api


def _card(api: Api, kind: str = "cashback", **member: Any) -> dict[str, Any]:
    _, program = api.call("POST", "/programs", body={"kind": kind, "name": kind, "slug": kind})
    api.call("POST", f"/programs/{program['id']}/publish")
    holder = {"name": "Olena Kovalenko", "email": "olena@example.com"} | member
    status, card = api.call("POST", f"/programs/{program['id']}/cards", body={"member": holder})
    assert status == 201
    return dict(card)


def _order(api: Api, card: dict[str, Any], body: Any, key: str = "k1") -> tuple[int, Any]:
    return api.call(
        "POST",
        f"/cards/{card['id']}/orders",
        key=api.pos_key,
        body=body,
        **{"Idempotency-Key": key},
    )


def test_issued_card_carries_code_urls_and_state(api: Api) -> None:
    card = _card(api, company="Acme", locale="uk")
    assert len(card["code"]) == 19
    assert card["code"].count("-") == 3
    assert card["card_url"].startswith("https://tessera.test/c/")
    assert card["state"] == {
        "total_spent": 0,
        "orders_count": 0,
        "cashback_balance": 0,
        "stamps": 0,
        "rewards_available": 0,
        "tier": None,
        "next_tier": None,
        "version": 0,
    }
    assert card["member"]["company"] == "Acme"


def test_the_same_email_gets_no_second_card(api: Api) -> None:
    card = _card(api)
    member = {"name": "Again", "email": "OLENA@example.com"}
    status, error = api.call(
        "POST", f"/programs/{card['program_id']}/cards", body={"member": member}
    )
    assert (status, error["error"]) == (409, "already_enrolled")


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "{spaced}", "{bare}"])
def test_lookup_by_code_ignores_case_spaces_and_hyphens(api: Api, typed: str) -> None:
    card = _card(api)
    code = card["code"]
    text = typed.format(
        code=code, lower=code.lower(), spaced=code.replace("-", " "), bare=code.replace("-", "")
    )
    status, found = api.call("GET", f"/cards?code={text}", key=api.pos_key)
    assert (status, found["id"]) == (200, card["id"])


def test_unknown_code_is_404_with_a_clear_message(api: Api) -> None:
    _card(api)
    status, error = api.call("GET", "/cards?code=AAAA-BBBB-CCCC-DDDD", key=api.pos_key)
    assert (status, error["error"], error["message"]) == (
        404,
        "unknown_code",
        "No card has this code.",
    )
    assert api.call("GET", "/cards", key=api.pos_key)[0] == 400


def test_quote_changes_nothing(api: Api) -> None:
    card = _card(api)
    status, quote = api.call(
        "POST", f"/cards/{card['id']}/quote", key=api.pos_key, body={"amount": 10_000}
    )
    assert (status, quote["payable"], quote["earned"]) == (200, 10_000, 500)
    assert quote["state_after"]["cashback_balance"] == 500
    assert api.call("GET", f"/cards/{card['id']}", key=api.pos_key)[1]["state"]["version"] == 0


def test_order_then_replay_then_reverse(api: Api) -> None:
    card = _card(api)
    status, entry = _order(api, card, {"amount": 10_000})
    assert (status, entry["earned"], entry["state"]["cashback_balance"]) == (201, 500, 500)
    status, replay = _order(api, card, {"amount": 10_000})
    assert (status, replay["id"]) == (200, entry["id"])
    status, error = _order(api, card, {"amount": 20_000})
    assert (status, error["error"]) == (422, "idempotency_key_reused")
    status, reversal = api.call(
        "POST", f"/transactions/{entry['id']}/reverse", key=api.pos_key,
        body={"reason": "wrong card"}, **{"Idempotency-Key": "r1"},
    )  # fmt: skip
    assert (status, reversal["kind"], reversal["state"]["cashback_balance"]) == (201, "reversal", 0)
    status, ledger = api.call("GET", f"/cards/{card['id']}/transactions", key=api.pos_key)
    assert [t["kind"] for t in ledger["transactions"]] == ["reversal", "order"]


def test_second_reversal_is_a_conflict(api: Api) -> None:
    card = _card(api)
    _, entry = _order(api, card, {"amount": 10_000})
    for key, expected in (("r1", 201), ("r2", 409)):
        status, _ = api.call(
            "POST", f"/transactions/{entry['id']}/reverse", key=api.pos_key, body={},
            **{"Idempotency-Key": key},
        )  # fmt: skip
        assert status == expected


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": 0}, "amount"),
        ({"amount": -100}, "amount"),
        ({"amount": 10**30}, "amount"),
        ({"amount": "100"}, "amount"),
        ({"amount": 10.5}, "amount"),
        ({"amount": True}, "amount"),
        ({}, "amount"),
        ({"amount": 100, "redeem": -1}, "redeem"),
        ({"amount": 100, "redeem": "all"}, "redeem"),
        ({"amount": 100, "redeem_reward": "yes"}, "redeem_reward"),
        ({"amount": 100, "currency": "USD"}, "currency"),
        ({"amount": 100, "tip": 5}, "tip"),
    ],
)
def test_bad_order_input_is_refused_and_changes_nothing(api: Api, body: Any, field: str) -> None:
    card = _card(api)
    status, error = _order(api, card, body)
    assert status == 422
    assert field in error["fields"]
    assert error["message"]
    assert api.call("GET", f"/cards/{card['id']}", key=api.pos_key)[1]["state"]["version"] == 0


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"", b"null"])
def test_malformed_bodies_are_answered_in_json(api: Api, raw: bytes) -> None:
    card = _card(api)
    response = api.client.post(
        f"/api/v1/cards/{card['id']}/orders",
        data=raw,
        headers={"Authorization": f"Bearer {api.pos_key}", "Idempotency-Key": "x"},
        content_type="application/json",
    )
    assert response.status_code in {400, 422}
    assert set(response.get_json()) >= {"error", "message"}


def test_orders_need_an_idempotency_key(api: Api) -> None:
    card = _card(api)
    status, error = api.call(
        "POST", f"/cards/{card['id']}/orders", key=api.pos_key, body={"amount": 100}
    )
    assert (status, error["error"]) == (400, "idempotency_key_required")


@pytest.mark.parametrize(
    ("kind", "body", "code"),
    [
        ("discount", {"amount": 100, "redeem": 10}, "redeem_not_allowed"),
        ("cashback", {"amount": 100, "redeem_reward": True}, "reward_not_allowed"),
        ("stamp", {"amount": 100, "redeem_reward": True}, "no_reward_available"),
        ("cashback", {"amount": 100, "redeem": 50}, "redeem_above_balance"),
    ],
)
def test_refused_redemptions_say_why(api: Api, kind: str, body: Any, code: str) -> None:
    card = _card(api, kind=kind)
    status, error = _order(api, card, body)
    assert (status, error["error"]) == (422, code)


def test_voided_card_refuses_orders(api: Api) -> None:
    card = _card(api)
    status, voided = api.call("POST", f"/cards/{card['id']}/void")
    assert (status, voided["status"]) == (200, "voided")
    status, error = _order(api, card, {"amount": 100})
    assert (status, error["error"]) == (409, "card_voided")


def test_void_needs_the_admin_scope_and_unknown_ids_are_404(api: Api) -> None:
    card = _card(api)
    assert api.call("POST", f"/cards/{card['id']}/void", key=api.pos_key)[0] == 403
    assert api.call("GET", "/cards/999999", key=api.pos_key)[0] == 404
    status, _ = api.call(
        "POST", "/transactions/999999/reverse", key=api.pos_key, body={}, **{"Idempotency-Key": "x"}
    )
    assert status == 404


def test_accumulative_card_shows_its_tier_and_the_next(api: Api) -> None:
    card = _card(api, kind="accumulative")
    tier = card["state"]["tier"]
    assert (tier["name"], tier["percent"], card["state"]["next_tier"]["name"]) == (
        "Bronze",
        "3",
        "Silver",
    )
    _, entry = _order(api, card, {"amount": 6_000_000})
    assert (entry["discount"], entry["state"]["tier"]["name"]) == (180_000, "Silver")


def test_unknown_api_paths_answer_json(api: Api) -> None:
    status, error = api.call("GET", "/nothing-here")
    assert (status, error["error"]) == (404, "not_found")
