"""A printable poster of each program: its name, its enrollment QR code and short address.

The page prints on one A4 sheet; the PNG is the same poster for printers and chat apps.
"""

from __future__ import annotations

from flask import Response, abort, render_template
from flask.typing import ResponseReturnValue

from issuer import programs
from issuer.db.models import Program, ProgramStatus
from issuer.errors import NotFound
from passes.poster import Poster, poster_png
from webapp.admin.blueprint import bp
from webapp.database import session
from webapp.enroll.cardpage import program_colour, qr_svg
from webapp.i18n import gettext
from webapp.settings import current_settings
from webapp.staff.cardview import program_name


@bp.get("/programs/<int:program_id>/poster")
def program_poster(program_id: int) -> ResponseReturnValue:
    """The poster as a page to print."""
    program = _program(program_id)
    poster = _poster(program)
    return render_template(
        "admin/posters/poster.html",
        program_id=program_id,
        poster=poster,
        qr=qr_svg(poster.url),
        is_open=program.status == ProgramStatus.PUBLISHED,
    )


@bp.get("/programs/<int:program_id>/poster.png")
def program_poster_png(program_id: int) -> ResponseReturnValue:
    """The poster as an A4 picture at 150 dpi."""
    program = _program(program_id)
    response = Response(poster_png(_poster(program)), mimetype="image/png")
    response.headers["Content-Disposition"] = f'inline; filename="poster-{program.slug}.png"'
    return response


def _program(program_id: int) -> Program:
    try:
        return programs.get_program(session(), program_id)
    except NotFound:
        abort(404)


def _poster(program: Program) -> Poster:
    url = f"{current_settings().public_url.rstrip('/')}/join/{program.slug}"
    return Poster(
        name=program_name(program),
        headline=gettext("Get your loyalty card"),
        instructions=gettext("Scan the code with your phone's camera, or type the address:"),
        url=url,
        short_url=url.split("://", 1)[-1],
        background=program_colour(program, "background"),
        foreground=program_colour(program, "foreground"),
    )
