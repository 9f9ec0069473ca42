"""The card page as a home-screen app: its web app manifest and its icons.

Each card page is its own little app: the manifest starts at that page and stays within it,
so a partner whose phone has no wallet keeps the card one tap away.
"""

from __future__ import annotations

from flask import Response, abort, jsonify, url_for
from flask.typing import ResponseReturnValue

from passes.home_icon import SIZES, home_icon_png
from webapp.enroll.blueprint import bp
from webapp.enroll.cardpage import found_card, program_colour
from webapp.i18n import current_language
from webapp.staff.cardview import program_name

MANIFEST_TYPE = "application/manifest+json"
MANIFEST_SIZES = (192, 512)  # 180 is the apple-touch-icon the page links to
MASKABLE = 512


@bp.get("/c/<page_token>/manifest.webmanifest")
def manifest(page_token: str) -> ResponseReturnValue:
    """The web app manifest of one card page."""
    card = found_card(page_token)
    page = url_for("enroll.card", page_token=page_token)
    name = program_name(card.program)
    document = {
        "id": page,
        "name": name,
        "short_name": name,
        "lang": current_language(),
        "start_url": page,
        "scope": page,
        "display": "standalone",
        "theme_color": program_colour(card.program, "background").hex(),
        "background_color": program_colour(card.program, "background").hex(),
        "icons": [
            *(_icon(page_token, size, "any") for size in MANIFEST_SIZES),
            _icon(page_token, MASKABLE, "maskable"),
        ],
    }
    response = jsonify(document)
    response.mimetype = MANIFEST_TYPE
    return response


@bp.get("/c/<page_token>/icon-<int:size>.png")
def home_icon(page_token: str, size: int) -> ResponseReturnValue:
    """The card page's home-screen icon at one of the sizes phones ask for."""
    if size not in SIZES:
        abort(404)
    program = found_card(page_token).program
    picture = home_icon_png(
        program_name(program),
        program_colour(program, "background"),
        program_colour(program, "foreground"),
        size,
    )
    return Response(picture, mimetype="image/png")


def _icon(page_token: str, size: int, purpose: str) -> dict[str, str]:
    return {
        "src": url_for("enroll.home_icon", page_token=page_token, size=size),
        "sizes": f"{size}x{size}",
        "type": "image/png",
        "purpose": purpose,
    }
