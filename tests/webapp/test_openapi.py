"""The OpenAPI document covers every API route and is generated from the validating models."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient


def _document(client: FlaskClient) -> dict[str, object]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, object] = response.get_json()
    return document


def test_every_api_route_is_in_the_document(app: Flask, client: FlaskClient) -> None:
    paths = _document(client)["paths"]
    assert isinstance(paths, dict)
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi":
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            assert method.lower() in paths.get(path, {}), f"{method} {path} is not documented"


def test_request_schemas_are_the_validating_models(client: FlaskClient) -> None:
    components = _document(client)["components"]
    assert isinstance(components, dict)
    order = components["schemas"]["OrderIn"]
    assert order["additionalProperties"] is False
    assert order["properties"]["amount"]["minimum"] == 1
    assert order["required"] == ["amount"]


def test_orders_document_the_idempotency_header(client: FlaskClient) -> None:
    paths = _document(client)["paths"]
    assert isinstance(paths, dict)
    params = paths["/api/v1/cards/{card_id}/orders"]["post"]["parameters"]
    header = next(p for p in params if p["name"] == "Idempotency-Key")
    assert (header["in"], header["required"]) == ("header", True)
