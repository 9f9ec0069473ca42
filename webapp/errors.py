"""One table from refusals to HTTP: JSON under /api, plain pages elsewhere. Never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from issuer.errors import Conflict, IdempotencyMismatch, Invalid, IssuerError, NotFound
from issuer.rules import OrderRefused, ReversalRefused, RulesError, RulesInvalid
from webapp.api.problems import ApiProblem

log = logging.getLogger(__name__)

STATUS: dict[type[Exception], int] = {
    NotFound: 404,
    Invalid: 422,
    Conflict: 409,
    IdempotencyMismatch: 422,
    RulesInvalid: 422,
    OrderRefused: 422,
    ReversalRefused: 409,
}


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(ApiProblem, _api_problem)
    app.register_error_handler(IssuerError, _refusal)
    app.register_error_handler(RulesError, _refusal)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def error_response(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> Response:
    """The JSON body every API error has."""
    body: dict[str, object] = {"error": code, "message": message}
    if fields:
        body["fields"] = fields
    response = jsonify(body)
    response.status_code = status
    return response


def _api_problem(problem: ApiProblem) -> Response:
    response = error_response(problem.status, problem.code, problem.message)
    if problem.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tessera"'
    return response


def _refusal(error: IssuerError | RulesError) -> Response:
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)
    fields = getattr(error, "errors", None)
    if isinstance(error, RulesInvalid):
        fields = {f"rules.{path}": text for path, text in error.errors.items()}
    return error_response(status, error.code, error.message, fields)


def _http_error(error: HTTPException) -> Response | HTTPException:
    if not request.path.startswith("/api/"):
        return error
    code = (error.name or "error").lower().replace(" ", "_")
    return error_response(error.code or 500, code, error.description or error.name)


def _unexpected(error: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.path)
    return error_response(500, "internal_error", "Something went wrong on our side; it is logged.")
