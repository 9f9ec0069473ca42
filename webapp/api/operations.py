"""API operations: one decorator registers the route, validates the body and documents it.

The OpenAPI document is built from the same registry and the same pydantic models that
validate requests, so the two cannot drift apart.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Blueprint, Response, jsonify, request
from pydantic import BaseModel, ValidationError

from issuer.access import AuthorizedKey
from issuer.errors import Invalid, IssuerError, KeyRevoked
from webapp.api.auth import REFUSED, authorize, confirm_live, identify
from webapp.api.problems import ApiProblem

View = Callable[..., tuple[BaseModel, int] | BaseModel]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Operation:
    """One documented API operation."""

    method: str
    rule: str
    summary: str
    scope: str
    response: type[BaseModel]
    status: int
    body: type[BaseModel] | None
    idempotent: bool
    query: tuple[str, ...]
    optional_query: tuple[str, ...] = ()
    # The use case confirms in its own statements that the key is live (see auth.identify).
    key_confirmed_by_use_case: bool = False

    @property
    def path(self) -> str:
        """The OpenAPI path: ``/cards/<int:card_id>`` becomes ``/cards/{card_id}``."""
        return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", self.rule)


class Api:
    """A blueprint plus the list of operations registered on it."""

    def __init__(self, blueprint: Blueprint) -> None:
        self.blueprint = blueprint
        self.operations: list[Operation] = []

    def operation(self, method: str, rule: str, **spec: Any) -> Callable[[View], View]:
        """Register ``view`` for ``method rule``; see :class:`Operation` for ``spec``."""
        op = Operation(
            method=method,
            rule=rule,
            summary=spec["summary"],
            scope=spec["scope"],
            response=spec["response"],
            status=spec.get("status", 200),
            body=spec.get("body"),
            idempotent=spec.get("idempotent", False),
            query=spec.get("query", ()),
            optional_query=spec.get("optional_query", ()),
            key_confirmed_by_use_case=spec.get("key_confirmed_by_use_case", False),
        )

        def decorate(view: View) -> View:
            wrapped = _wrap(view, op)
            self.blueprint.add_url_rule(rule, view.__name__, wrapped, methods=[method])
            self.operations.append(op)
            return view

        return decorate


def _wrap(view: View, op: Operation) -> Callable[..., Response]:
    @functools.wraps(view)
    def handle(**kwargs: Any) -> Response:
        if op.key_confirmed_by_use_case:
            return _confirming_key(view, op, identify(op.scope), kwargs)
        return _run(view, op, authorize(op.scope), kwargs)

    return handle


def _run(view: View, op: Operation, key: AuthorizedKey, kwargs: dict[str, Any]) -> Response:
    kwargs["key"] = key
    if op.body is not None:
        kwargs["body"] = parse_body(op.body)
    if op.idempotent:
        kwargs["idempotency_key"] = _idempotency_key()
    result = view(**kwargs)
    model, status = result if isinstance(result, tuple) else (result, op.status)
    response = jsonify(model.model_dump(mode="json"))
    response.status_code = status
    return response


def _confirming_key(
    view: View, op: Operation, key: AuthorizedKey, kwargs: dict[str, Any]
) -> Response:
    """Run a view whose use case confirms ``key`` is live; a revoked key always gets 401."""
    try:
        return _run(view, op, key, kwargs)
    except KeyRevoked:
        raise ApiProblem(401, "invalid_api_key", REFUSED) from None
    except (ApiProblem, IssuerError):
        confirm_live(key)  # refused before the use case looked at the key: look now
        raise


def parse_body(model: type[M]) -> M:
    """The request body validated against ``model``; every field problem is reported at once."""
    raw = request.get_data(cache=True)
    try:
        return model.model_validate_json(raw or b"")
    except ValidationError as error:
        if any(problem["type"] == "json_invalid" for problem in error.errors()):
            raise ApiProblem(400, "malformed_json", "The request body is not valid JSON.") from None
        raise Invalid(field_errors(error)) from None


def field_errors(error: ValidationError) -> dict[str, str]:
    """Pydantic's errors as ``{"field.path": "what is wrong"}``."""
    found: dict[str, str] = {}
    for problem in error.errors():
        path = ".".join(str(part) for part in problem["loc"]) or "body"
        message = "Unknown field." if problem["type"] == "extra_forbidden" else problem["msg"]
        message = message.removeprefix("Value error, ")
        found.setdefault(path, message)
    return found


def _idempotency_key() -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 255:
        raise ApiProblem(
            400,
            "idempotency_key_required",
            "Send an Idempotency-Key header of 1 to 255 characters.",
        )
    return key
