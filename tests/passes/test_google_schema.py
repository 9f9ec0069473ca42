"""The discovery-document validator has teeth: it finds each kind of mistake Google rejects."""

from __future__ import annotations

from typing import Any

import pytest

from tests.google_server import discovery_document, wallet_schemas

SCHEMAS = wallet_schemas()


def _object(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "3388000000022.card-1",
        "classId": "3388000000022.program-1",
        "state": "ACTIVE",
        "loyaltyPoints": {"label": "Balance", "balance": {"int": 5}},
    }
    return base | changes


def test_the_shipped_document_is_walletobjects_v1_with_loyalty_resources() -> None:
    document = discovery_document()
    assert (document["name"], document["version"]) == ("walletobjects", "v1")
    methods = document["resources"]["loyaltyobject"]["methods"]
    assert methods["patch"]["path"] == "walletobjects/v1/loyaltyObject/{resourceId}"
    assert methods["addmessage"]["path"] == "walletobjects/v1/loyaltyObject/{resourceId}/addMessage"


def test_a_minimal_object_conforms() -> None:
    assert SCHEMAS.problems(_object(), "LoyaltyObject") == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"acountName": "typo"}, "LoyaltyObject.acountName: unknown field"),
        ({"accountName": 7}, "LoyaltyObject.accountName: 7 is not a string"),
        ({"state": "GONE"}, "LoyaltyObject.state: 'GONE' is not one of"),
        ({"state": "active"}, "LoyaltyObject.state: 'active' is a deprecated alias"),
        ({"version": "3"}, "LoyaltyObject.version: deprecated field"),
        ({"hasUsers": "yes"}, "LoyaltyObject.hasUsers: 'yes' is not a boolean"),
        ({"textModulesData": {"header": "x"}}, "LoyaltyObject.textModulesData: {'header': 'x'}"),
        ({"textModulesData": [{"title": "x"}]}, "LoyaltyObject.textModulesData[0].title: unknown"),
        ({"loyaltyPoints": {"label": "Points"}}, "LoyaltyObject.loyaltyPoints.balance: required"),
        (
            {"loyaltyPoints": {"balance": {"int": 1, "string": "1"}}},
            "LoyaltyObject.loyaltyPoints.balance: exactly one of string, int, double, money",
        ),
        (
            {"loyaltyPoints": {"balance": {"int": 2**31}}},
            "LoyaltyObject.loyaltyPoints.balance.int: 2147483648 is not an int32",
        ),
        (
            {"loyaltyPoints": {"balance": {"money": {"micros": "12.5", "currencyCode": "EUR"}}}},
            "LoyaltyObject.loyaltyPoints.balance.money.micros: '12.5' is not an int64",
        ),
        ({"merchantLocations": [{"latitude": "50.4"}]}, "latitude: '50.4' is not a number"),
    ],
)
def test_each_kind_of_mistake_is_named(changes: dict[str, Any], problem: str) -> None:
    found = SCHEMAS.problems(_object(**changes), "LoyaltyObject")
    assert any(problem in item for item in found), found


def test_required_fields_are_demanded_of_whole_resources_only() -> None:
    body = {"state": "INACTIVE"}
    assert SCHEMAS.problems(body, "LoyaltyObject", partial=True) == []
    assert sorted(SCHEMAS.problems(body, "LoyaltyObject")) == [
        "LoyaltyObject.classId: required",
        "LoyaltyObject.id: required",
    ]


def test_int64_may_travel_as_a_string_or_a_number() -> None:
    money = {"micros": "12500000", "currencyCode": "EUR"}
    assert SCHEMAS.problems(money, "Money") == []
    assert SCHEMAS.problems(money | {"micros": 12500000}, "Money") == []


def test_lenient_mode_accepts_what_google_still_accepts() -> None:
    body = _object(state="active", kind="walletobjects#loyaltyObject")
    assert SCHEMAS.problems(body, "LoyaltyObject", strict=False) == []
    assert len(SCHEMAS.problems(body, "LoyaltyObject")) == 2
