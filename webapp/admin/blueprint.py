"""The admin blueprint: one guard for every route under /admin, and the admin's navigation.

Each admin area (programs, people, staff, keys, messages, analytics, outbox, audit, settings)
lives in its own module and adds itself to the navigation with ``area``; the layout lists
only the areas that exist, in the order of ``AREAS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, current_app, request, url_for
from flask.typing import ResponseReturnValue

from issuer.db.models import Role
from webapp.auth import refusal_for

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def N_(text: str) -> str:
    """Marks a text for translation where it is defined; pages translate it when shown."""
    return text


@dataclass(frozen=True)
class Area:
    """One entry of the admin navigation; ``label`` is translated when the page is drawn."""

    endpoint: str
    label: str


AREAS = (
    Area("admin.home", N_("Overview")),
    Area("admin.programs", N_("Programs")),
    Area("admin.partners", N_("Partners")),
    Area("admin.members", N_("Members")),
    Area("admin.messages", N_("Messages")),
    Area("admin.analytics", N_("Analytics")),
    Area("admin.staff_users", N_("Staff")),
    Area("admin.api_keys", N_("API keys")),
    Area("admin.outbox", N_("Outbox")),
    Area("admin.audit_log", N_("Audit log")),
    Area("admin.settings", N_("Settings")),
)


@bp.before_request
def only_admins() -> ResponseReturnValue | None:
    """Every admin route is for logged-in admins only (its stylesheet is in the app's static)."""
    return refusal_for(Role.ADMIN)


@bp.after_request
def not_stored(response: Response) -> Response:
    """Admin pages hold people's data: no cache keeps them."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_context_processor
def admin_navigation() -> dict[str, object]:
    """The admin areas this build has, with the one being shown marked."""
    if request.blueprint != "admin":
        return {}
    present = [area for area in AREAS if area.endpoint in current_app.view_functions]
    current = next((a.endpoint for a in present if _is_within(a.endpoint)), None)
    return {"admin_areas": present, "admin_current": current}


def _is_within(endpoint: str) -> bool:
    if endpoint == "admin.home":
        return request.endpoint == endpoint
    return request.path.startswith(url_for(endpoint))
