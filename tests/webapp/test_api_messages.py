"""API: messages to a program's holders — 201 with counts, and every kind of bad input."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from issuer.db.models import AuditEntry, Card, Message
from tests.conftest import Api


def _program(api: Api, kind: str = "accumulative", holders: int = 2) -> dict[str, Any]:
    _, program = api.call("POST", "/programs", body={"kind": kind, "name": kind, "slug": kind})
    api.call("POST", f"/programs/{program['id']}/publish")
    for number in range(holders):
        member = {"name": f"Member {number}", "email": f"m{number}@example.com"}
        api.call("POST", f"/programs/{program['id']}/cards", body={"member": member})
    return dict(program)


def _state(app: Flask) -> tuple[int, int, int]:
    with app.extensions["tessera.database"].read() as session:
        stored = session.scalar(select(func.count()).select_from(Message))
        versions = session.scalar(select(func.sum(Card.version)))
        audits = session.scalar(select(func.count()).select_from(AuditEntry))
    return int(stored or 0), int(versions or 0), int(audits or 0)


def test_a_message_to_a_tier_is_sent_listed_and_audited(api: Api, app: Flask) -> None:
    program = _program(api)
    body = {
        "title": "Bronze week",
        "body": "Double points.",
        "segment": {"kind": "tier", "value": 0},
    }
    status, sent = api.call("POST", f"/programs/{program['id']}/messages", body=body)
    assert status == 201
    assert sent["recipients"] == 2
    assert sent["segment"] == {"kind": "tier", "value": 0}
    assert sent["delivery"]["apple_pushed"] == 0
    assert sent["created_by"].startswith("apikey:")
    status, listed = api.call("GET", f"/programs/{program['id']}/messages")
    assert status == 200
    assert [m["id"] for m in listed["messages"]] == [sent["id"]]
    with app.extensions["tessera.database"].read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "message.send")).one()
        assert entry.target == f"program:{program['id']}"


def test_the_segment_defaults_to_every_holder(api: Api) -> None:
    program = _program(api, kind="discount", holders=3)
    body = {"title": "Hello", "body": "A new price list."}
    status, sent = api.call("POST", f"/programs/{program['id']}/messages", body=body)
    assert (status, sent["recipients"], sent["segment"]["kind"]) == (201, 3, "all")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {"title": " ", "body": "x" * 501, "segment": {"kind": "tier", "value": 9}},
            {"title", "body", "segment"},
        ),
        ({"title": "A", "body": "B", "segment": {"kind": "abc"}}, {"segment"}),
        ({"title": "A", "body": "B", "segment": {"kind": "inactive", "value": 0}}, {"segment"}),
        ({"title": "A", "body": "B", "segment": {"kind": "inactive"}}, {"segment"}),
        ({"title": 5, "surprise": True}, {"title", "body", "surprise"}),
        ({"title": "A", "body": "B", "segment": {"kind": "tier", "value": "1"}}, {"segment.value"}),
    ],
)
def test_bad_messages_get_422_with_every_problem_and_change_nothing(
    api: Api, app: Flask, body: dict[str, Any], fields: set[str]
) -> None:
    program = _program(api)
    before = _state(app)
    status, answer = api.call("POST", f"/programs/{program['id']}/messages", body=body)
    assert status == 422
    assert answer["error"] == "invalid_request"
    assert set(answer["fields"]) == fields
    assert _state(app) == before


def test_a_draft_program_cannot_be_messaged(api: Api) -> None:
    _, draft = api.call("POST", "/programs", body={"kind": "stamp", "name": "S", "slug": "s"})
    body = {"title": "A", "body": "B"}
    status, answer = api.call("POST", f"/programs/{draft['id']}/messages", body=body)
    assert (status, set(answer["fields"])) == (422, {"program"})


def test_unknown_program_malformed_json_and_the_wrong_key(api: Api) -> None:
    body = {"title": "A", "body": "B"}
    assert api.call("POST", "/programs/999/messages", body=body)[0] == 404
    program = _program(api, holders=1)
    path = f"/programs/{program['id']}/messages"
    assert api.call("POST", path, body=body, key=api.pos_key)[0] == 403
    assert api.call("GET", path, key=api.pos_key)[0] == 403
    headers = {"Authorization": f"Bearer {api.admin_key}", "Content-Type": "application/json"}
    response = api.client.post(f"/api/v1{path}", data=b"{", headers=headers)
    assert (response.status_code, response.get_json()["error"]) == (400, "malformed_json")
