"""Enrollment: a person applies for a card of a published program with every field checked."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import phonenumbers
from sqlalchemy.orm import Session

from issuer.cards import Holder, issue_card
from issuer.db.models import Card, Enrollment, Invite, Program, ProgramStatus
from issuer.errors import Invalid, NotAuthorized, NotFound

LANGUAGES = ("en", "uk", "ru", "pl")
# Where a phone number written without a country code is most likely from.
HOME_REGIONS = {"uk": "UA", "ru": None, "pl": "PL", "en": None}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
TAX_ID = re.compile(r"^[A-Z0-9-]{5,20}$")
LIMITS = {"name": 120, "email": 254, "company": 200, "position": 120}
OLDEST_BIRTHDAY = dt.date(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class Application:
    """The enrollment form as the person filled it in, before any check."""

    name: str = ""
    email: str = ""
    phone: str = ""
    company: str = ""
    tax_id: str = ""
    position: str = ""
    language: str = "en"
    birthday: str = ""
    consent: bool = False


@dataclass(frozen=True, slots=True)
class Applicant:
    """A checked application: the card's holder and their optional birthday."""

    holder: Holder
    birthday: dt.date | None


def published_program(program: Program | None) -> Program:
    """The program when it is published (open to the public or by invitation).

    :raises NotFound: when there is no published program.
    """
    if program is None or program.status != ProgramStatus.PUBLISHED:
        raise NotFound("No such program.")
    return program


def open_program(program: Program | None) -> Program:
    """The program when people may enroll in it on their own.

    :raises NotFound: when there is no published program.
    :raises NotAuthorized: when the program takes members by invitation only.
    """
    published = published_program(program)
    if published.enrollment != Enrollment.OPEN:
        raise NotAuthorized("This program takes members by invitation.", code="invite_only")
    return published


def enroll(
    session: Session,
    program: Program,
    application: Application,
    now: dt.datetime,
    invite: Invite | None = None,
) -> Card:
    """Issue a card to the applicant, invited or on their own; the caller commits.

    An invitation for a company makes the applicant a member of that partner company (one
    shared account when the program pools per partner); the caller checked the invitation.

    :raises Invalid: naming every field that is wrong, all at once.
    :raises Conflict: ``already_enrolled`` when the email already has a card in the program.
    """
    applicant = checked(application, now.date())
    if invite is None:
        card = issue_card(session, open_program(program), applicant.holder, now)
    else:
        admitted = published_program(program)
        card = issue_card(session, admitted, applicant.holder, now, partner=invite.partner)
        invite.uses = Invite.uses + 1  # in SQL: people joining at once all count
    card.member.birthday = applicant.birthday
    return card


def checked(application: Application, today: dt.date) -> Applicant:
    """The applicant, or :class:`Invalid` naming every wrong field."""
    errors: dict[str, str] = {}
    _check_texts(application, errors)
    phone = _phone(application.phone, application.language, errors)
    tax_id = _tax_id(application.tax_id, errors)
    birthday = _birthday(application.birthday, today, errors)
    if application.language not in LANGUAGES:
        errors["language"] = "Choose one of en, uk, ru, pl."
    if not application.consent:
        errors["consent"] = "Consent is needed to issue a card."
    if errors:
        raise Invalid(errors)
    return Applicant(_holder(application, phone, tax_id), birthday)


def _holder(application: Application, phone: str | None, tax_id: str | None) -> Holder:
    return Holder(
        name=application.name.strip(),
        email=application.email.strip().lower(),
        company=application.company.strip(),
        tax_id=tax_id,
        phone=phone,
        position=application.position.strip() or None,
        locale=application.language,
    )


def _check_texts(application: Application, errors: dict[str, str]) -> None:
    for field in ("name", "email", "company", "position"):
        value = getattr(application, field).strip()
        if field != "position" and not value:
            errors[field] = "Required."
        elif len(value) > LIMITS[field]:
            errors[field] = f"At most {LIMITS[field]} characters."
    if "email" not in errors and not EMAIL.match(application.email.strip()):
        errors["email"] = "Not an email address."


def _phone(typed: str, language: str, errors: dict[str, str]) -> str | None:
    """The number in E.164 (+380441234567), or an error when it is not a real number."""
    try:
        number = phonenumbers.parse(typed.strip(), HOME_REGIONS.get(language))
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        errors["phone"] = "Not a phone number; include the country code, e.g. +380 44 123 4567."
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _tax_id(typed: str, errors: dict[str, str]) -> str | None:
    """The company's tax id in capitals without spaces (optional)."""
    compact = re.sub(r"\s+", "", typed).upper()
    if compact and not TAX_ID.match(compact):
        errors["tax_id"] = "5 to 20 letters and digits."
    return compact or None


def _birthday(typed: str, today: dt.date, errors: dict[str, str]) -> dt.date | None:
    if not typed.strip():
        return None
    try:
        day = dt.date.fromisoformat(typed.strip())
    except ValueError:
        errors["birthday"] = "Not a date (YYYY-MM-DD)."
        return None
    if not OLDEST_BIRTHDAY <= day < today:
        errors["birthday"] = "Not a possible birthday."
        return None
    return day
