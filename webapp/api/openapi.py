"""The OpenAPI 3.1 document, generated from the operation registry and its pydantic models."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from webapp.api import schemas
from webapp.api.blueprint import api, bp
from webapp.api.operations import Operation

_REF = "#/components/schemas/{model}"
_ERRORS = {
    "400": "Malformed request",
    "401": "Missing or invalid API key",
    "403": "The key's scope does not allow this",
    "404": "Not found",
    "409": "The current state does not allow this",
    "422": "Invalid fields or a refused order",
}


def document(operations: list[Operation]) -> dict[str, Any]:
    """The whole OpenAPI document for ``operations``."""
    models = _models(operations)
    _, definitions = models_json_schema(
        [(model, "validation") for model in models], ref_template=_REF
    )
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault("/api/v1" + op.path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Tessera API", "version": "1"},
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"apiKey": []}],
        "paths": paths,
    }


def _models(operations: list[Operation]) -> list[type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {"Error": schemas.Error}
    for op in operations:
        for model in (op.body, op.response):
            if model is not None:
                found[model.__name__] = model
    return list(found.values())


def _operation(op: Operation) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "operationId": op.rule.strip("/").replace("/", "_") + "_" + op.method.lower(),
        "summary": op.summary,
        "description": f"Scope: `{op.scope}`.",
        "parameters": _parameters(op),
        "responses": {str(op.status): _content(op.response.__name__, "Success")}
        | {status: _content("Error", text) for status, text in _ERRORS.items()},
    }
    if op.body is not None:
        spec["requestBody"] = {"required": True} | _content(op.body.__name__, "")
    return spec


def _parameters(op: Operation) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}
        for name in _path_names(op)
    ]
    params += [
        {"name": name, "in": "query", "required": True, "schema": {"type": "string"}}
        for name in op.query
    ]
    params += [
        {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
        for name in op.optional_query
    ]
    if op.idempotent:
        params.append(
            {"name": "Idempotency-Key", "in": "header", "required": True,
             "schema": {"type": "string", "maxLength": 255}}
        )  # fmt: skip
    return params


def _path_names(op: Operation) -> list[str]:
    return [part[1:-1] for part in op.path.split("/") if part.startswith("{")]


def _content(model: str, description: str) -> dict[str, Any]:
    schema = {"$ref": _REF.format(model=model)}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """Serve the OpenAPI document (no key needed)."""
    return jsonify(document(api.operations))
