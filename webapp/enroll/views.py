"""/join/<slug>: the enrollment form and the card link resent; /c/<token>: the card page."""

from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from issuer import cards, clock, enrollment, invites, media, programs
from issuer.db.models import Card, Invite, Program
from issuer.enrollment import Application
from issuer.errors import Conflict, Invalid, NotAuthorized, NotFound
from issuer.pass_content import content_for, last_order
from passes.preview import preview_png
from webapp.card_mail import card_mail
from webapp.database import session
from webapp.enroll.blueprint import bp
from webapp.enroll.cardpage import card_page
from webapp.enroll.forms import application_from, field_messages
from webapp.i18n import current_language, gettext
from webapp.links import apple_pass_url, card_url, google_save_url
from webapp.mail import deliver
from webapp.pages import refusal
from webapp.security import limiter
from webapp.settings import current_settings
from webapp.staff.cardview import program_name

ENROLL_LIMIT = "10 per minute;50 per hour"
RESEND_LIMIT = "5 per minute;20 per hour"
MAX_EMAIL = 254
MAX_TOKEN = 200


@bp.route("/join/<slug>", methods=["GET", "POST"])
@limiter.limit(ENROLL_LIMIT, methods=["POST"])
def join(slug: str) -> ResponseReturnValue:
    """The enrollment form (``?invite=`` for invite-only programs); a good one gets a card."""
    program, invite = _admitted(slug)
    if request.method == "GET":
        blank = Application(language=current_language())
        return _form(program, _invited(blank, invite), {}, invite)
    application = _invited(application_from(request.form, current_language()), invite)
    try:
        card = enrollment.enroll(session(), program, application, clock.now(), invite)
    except Invalid as error:
        return _form(program, application, field_messages(error.errors), invite, status=422)
    except Conflict as error:
        session().rollback()
        if error.code != "already_enrolled":
            raise
        return _already(program, application.email.strip(), status=409)
    session().commit()
    deliver(card_mail(card))
    return redirect(url_for("enroll.card", page_token=card.page_token), code=303)


@bp.post("/join/<slug>/resend")
@limiter.limit(RESEND_LIMIT)
def resend(slug: str) -> ResponseReturnValue:
    """Email the card link again; the answer is the same whether the email has a card or not."""
    program = enrollment.published_program(programs.find_program_by_slug(session(), slug))
    email = request.form.get("email", "").strip()[:MAX_EMAIL]
    found = cards.find_card_by_email(session(), program, email) if email else None
    if found is not None:
        deliver(card_mail(found))
    name = program_name(program)
    return render_template("enroll/resent.html", program=program, name=name, email=email)


@bp.get("/c/<page_token>")
def card(page_token: str) -> ResponseReturnValue:
    """The card page: its token is the only key to it."""
    found = _card(page_token)
    settings = current_settings()
    return render_template(
        "enroll/card.html",
        page=card_page(found, request.headers.get("User-Agent", "")),
        apple_url=apple_pass_url(found, settings),
        google_url=google_save_url(found, settings),
    )


@bp.get("/c/<page_token>/preview.png")
def preview(page_token: str) -> ResponseReturnValue:
    """A picture of the card's pass in the visitor's language."""
    found = _card(page_token)
    version = found.program.current_version
    if version is None:
        abort(404)
    url = card_url(found, current_settings())
    content = content_for(found, version, last_order(session(), found.account_id), url)
    images = media.preview_images(session(), found.program.kind, version.design)
    return Response(preview_png(content, current_language(), images), mimetype="image/png")


@bp.errorhandler(NotFound)
def not_found(error: NotFound) -> ResponseReturnValue:
    """No such program (or not one open to the public yet)."""
    message = gettext("There is no such program, or it is not open yet.")
    return refusal(404, error.code, gettext("Not found"), message)


@bp.errorhandler(NotAuthorized)
def invite_only(error: NotAuthorized) -> ResponseReturnValue:
    """The program takes members by invitation only, and this visitor has no working one."""
    messages = {
        "invite_invalid": gettext(
            "This invitation link is not valid. Open the whole link you were sent, or ask for"
            " a new one."
        ),
        "invite_expired": gettext(
            "This invitation has expired. Ask whoever sent it for a new one."
        ),
        "invite_revoked": gettext(
            "This invitation was withdrawn. Ask whoever sent it for a new one."
        ),
    }
    message = messages.get(error.code, gettext("This program takes members by invitation only."))
    return refusal(403, error.code, gettext("By invitation"), message)


def _admitted(slug: str) -> tuple[Program, Invite | None]:
    """The program, and the invitation the visitor came with (needed when invite-only)."""
    program = programs.find_program_by_slug(session(), slug)
    token = request.args.get("invite")
    if token is None:
        return enrollment.open_program(program), None
    program = enrollment.published_program(program)
    secret = current_settings().secret_key
    return program, invites.admitting_invite(
        session(), program, token[:MAX_TOKEN], secret, clock.now()
    )


def _invited(application: Application, invite: Invite | None) -> Application:
    return application if invite is None else invites.for_company(application, invite)


def _card(page_token: str) -> Card:
    found = cards.find_card_by_page_token(session(), page_token)
    if found is None:
        abort(404)
    return found


def _form(
    program: Program,
    application: Application,
    errors: dict[str, str],
    invite: Invite | None,
    status: int = 200,
) -> ResponseReturnValue:
    page = render_template(
        "enroll/join.html",
        program=program,
        company=invite.partner if invite else None,
        name=program_name(program),
        privacy=_privacy_text(program),
        form=application,
        errors=errors,
    )
    return page, status


def _already(program: Program, email: str, status: int) -> ResponseReturnValue:
    name = program_name(program)
    return render_template("enroll/already.html", program=program, name=name, email=email), status


def _privacy_text(program: Program) -> str:
    version = program.current_version
    texts = version.design.get("texts", {}) if version else {}
    own = texts.get(current_language(), {}).get("privacy")
    fallback = gettext(
        "We keep your name, email, phone and company to run this loyalty program and to contact"
        " you about your card. We share them with no one."
    )
    return str(own or fallback)
