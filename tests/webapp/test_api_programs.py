"""API: programs — create, change, publish, and every kind of bad input."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api


def _create(api: Api, **fields: Any) -> tuple[int, Any]:
    body = {"kind": "discount", "name": "Partner discount", "slug": "partner"} | fields
    return api.call("POST", "/programs", body=body)


def test_create_program_starts_from_the_kinds_starter_design(api: Api) -> None:
    status, program = _create(api, kind="stamp", slug="stamps")
    assert status == 201
    assert program["status"] == "draft"
    assert program["rules"]["stamps_required"] == 10
    assert set(program["design"]["texts"]) == {"en", "uk", "ru", "pl"}


def test_publish_freezes_a_version_and_patch_changes_only_the_draft(api: Api) -> None:
    _, program = _create(api, rules={"percent": 10})
    status, published = api.call("POST", f"/programs/{program['id']}/publish")
    assert (status, published["status"], published["published_version"]) == (200, "published", 1)
    status, patched = api.call(
        "PATCH", f"/programs/{program['id']}", body={"rules": {"percent": "12.5"}}
    )
    assert (status, patched["rules"], patched["published_version"]) == (200, {"percent": "12.5"}, 1)
    _, again = api.call("POST", f"/programs/{program['id']}/publish")
    assert again["published_version"] == 2


def test_list_and_get_programs(api: Api) -> None:
    _, first = _create(api, slug="first")
    _create(api, slug="second")
    status, listed = api.call("GET", "/programs")
    assert status == 200
    assert [p["slug"] for p in listed["programs"]] == ["second", "first"]
    assert api.call("GET", f"/programs/{first['id']}")[1]["slug"] == "first"


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        ({"currency": "ABC"}, "currency", "Unknown currency"),
        ({"rules": {"percent": 101}}, "rules.percent", ""),
        ({"rules": {"percent": "0"}}, "rules.percent", ""),
        ({"rules": {"percent": "1.005"}}, "rules.percent", ""),
        ({"slug": "Not A Slug"}, "slug", "lowercase"),
        ({"kind": "lottery"}, "kind", ""),
        ({"name": ""}, "name", ""),
        ({"name": 7}, "name", ""),
        ({"pooling": "everyone"}, "pooling", ""),
        ({"surprise": True}, "surprise", "Unknown field"),
        ({"design": {"colors": {"background": "red"}}}, "design.colors.background", "colour"),
    ],
)
def test_bad_program_fields_are_refused_with_the_field_named(
    api: Api, fields: dict[str, Any], field: str, fragment: str
) -> None:
    status, error = _create(api, **fields)
    assert status == 422
    assert error["error"] in {"invalid_request", "invalid_rules"}
    assert field in error["fields"]
    assert fragment in error["fields"][field]
    assert api.call("GET", "/programs")[1]["programs"] == []


def test_tiers_out_of_order_and_percent_above_100_are_reported_together(api: Api) -> None:
    tiers = [
        {"threshold": 0, "percent": "5", "name": "Bronze"},
        {"threshold": 0, "percent": "150", "name": "Silver"},
    ]
    status, error = _create(api, kind="accumulative", rules={"tiers": tiers})
    assert status == 422
    assert {"rules.tiers[1].threshold", "rules.tiers[1].percent"} <= set(error["fields"])


def test_all_field_errors_are_reported_at_once(api: Api) -> None:
    status, error = _create(api, name="", slug="BAD", kind="nope", pooling=1)
    assert status == 422
    assert {"name", "kind", "pooling"} <= set(error["fields"])


def test_slug_already_taken_is_a_conflict(api: Api) -> None:
    _create(api, slug="taken")
    status, error = _create(api, slug="taken")
    assert (status, error["error"]) == (409, "slug_taken")


def test_patch_refuses_nulls_and_unknown_programs(api: Api) -> None:
    _, program = _create(api)
    status, error = api.call("PATCH", f"/programs/{program['id']}", body={"name": None})
    assert (status, error["fields"]) == (422, {"name": "Cannot be null."})
    assert api.call("PATCH", "/programs/999", body={"name": "x"})[0] == 404


def test_programs_need_the_admin_scope(api: Api) -> None:
    status, error = api.call("GET", "/programs", key=api.pos_key)
    assert (status, error["error"]) == (403, "forbidden")


def test_missing_and_wrong_keys_are_401(api: Api) -> None:
    response = api.client.get("/api/v1/programs")
    assert response.status_code == 401
    assert response.get_json()["error"] == "missing_api_key"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    status, error = api.call("GET", "/programs", key="tsk_nope_nope")
    assert (status, error["error"]) == (401, "invalid_api_key")
