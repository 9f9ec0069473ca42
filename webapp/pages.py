"""Answers of the pages people use: an HTML page, or JSON when the page's own script asked."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, render_template, request
from flask.typing import ResponseReturnValue

from webapp.errors import error_response


def wants_json() -> bool:
    """Whether the request came from a script (or the API) that reads JSON answers."""
    if request.path.startswith("/api/") or request.is_json:
        return True
    return request.accept_mimetypes.best == "application/json"


def refusal(
    status: int, code: str, title: str, message: str, fields: dict[str, str] | None = None
) -> ResponseReturnValue:
    """A refusal as JSON for scripts, or as a page with a way back for people."""
    if wants_json():
        return error_response(status, code, message, fields)
    page = render_template("message.html", title=title, message=message, back=_way_back())
    return Response(page, status=status, mimetype="text/html")


def local_target(target: str | None) -> str | None:
    """``target`` when it is a path on this site (never another host), else None."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    return target


def _way_back() -> str:
    """The page the visitor came from when it is one of ours, else the start page."""
    came_from = urlsplit(request.referrer or "")
    if came_from.netloc == request.host and came_from.path.startswith("/"):
        return came_from.path
    return "/"
