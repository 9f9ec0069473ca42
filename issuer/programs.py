"""Programs: create, change and publish them. Publishing freezes a design version."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from issuer import audit, media
from issuer.currencies import is_currency
from issuer.db.models import Card, DesignVersion, Enrollment, Pooling, Program, ProgramStatus
from issuer.designs import design_errors, starter
from issuer.errors import Conflict, Invalid, NotFound
from issuer.rules import Kind, Rules, RulesInvalid, parse_rules, rules_to_json

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
EDITABLE = ("name", "slug", "currency", "rules", "design", "pooling", "enrollment", "expires_at")


@dataclass(frozen=True, slots=True)
class ProgramFields:
    """What a new program is made of; rules and design default to the kind's starter."""

    kind: str
    name: str
    slug: str
    currency: str | None = None
    rules: Mapping[str, Any] | None = None
    design: Mapping[str, Any] | None = None
    pooling: str = Pooling.MEMBER
    enrollment: str = Enrollment.OPEN
    expires_at: dt.datetime | None = None


def list_programs(session: Session) -> list[Program]:
    """Every program, newest first."""
    return list(session.scalars(select(Program).order_by(Program.id.desc())))


def get_program(session: Session, program_id: int) -> Program:
    """The program with this id.

    :raises NotFound: when there is none.
    """
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound("No such program.")
    return program


def find_program_by_slug(session: Session, slug: str) -> Program | None:
    """The program with this slug, if any."""
    return session.scalars(select(Program).where(Program.slug == slug)).one_or_none()


def create_program(
    session: Session, fields: ProgramFields, actor: str, now: dt.datetime
) -> Program:
    """Add a draft program after checking every field at once."""
    if fields.kind not in set(Kind):
        raise Invalid({"kind": "Must be one of discount, accumulative, cashback, stamp."})
    base = starter(Kind(fields.kind))
    values: dict[str, Any] = {
        "kind": fields.kind,
        "name": fields.name,
        "slug": fields.slug,
        "currency": fields.currency or base.currency,
        "rules": dict(fields.rules if fields.rules is not None else base.rules),
        "design": dict(fields.design if fields.design is not None else base.design),
        "pooling": fields.pooling,
        "enrollment": fields.enrollment,
        "expires_at": fields.expires_at,
    }
    checked = _checked(session, values, program_id=None)
    program = Program(**checked, status=ProgramStatus.DRAFT, created_at=now, updated_at=now)
    session.add(program)
    session.flush()
    audit.record(session, actor, "program.create", f"program:{program.id}", now, slug=program.slug)
    return program


def update_program(
    session: Session, program: Program, changes: Mapping[str, Any], actor: str, now: dt.datetime
) -> Program:
    """Change the program's working copy; cards change only when it is published again."""
    checked = checked_changes(session, program, changes)
    for name in changes:
        setattr(program, name, checked[name])
    program.updated_at = now
    audit.record(
        session, actor, "program.update", f"program:{program.id}", now, fields=sorted(changes)
    )
    return program


def checked_changes(
    session: Session, program: Program, changes: Mapping[str, Any]
) -> dict[str, Any]:
    """The program's fields as they would be after ``changes``; changes nothing.

    :raises Invalid: with every field error at once.
    :raises Conflict: when another program uses the slug.
    """
    nulls = {name: "Cannot be null." for name, value in changes.items() if value is None}
    nulls.pop("expires_at", None)
    if nulls:
        raise Invalid(nulls)
    values = {name: getattr(program, name) for name in EDITABLE} | dict(changes)
    values["kind"] = program.kind
    return _checked(session, values, program_id=program.id)


def archive_program(session: Session, program: Program, actor: str, now: dt.datetime) -> None:
    """Close the program: no new enrollments or orders; issued passes stay as they are."""
    program.status = ProgramStatus.ARCHIVED
    program.updated_at = now
    audit.record(session, actor, "program.archive", f"program:{program.id}", now)


def publish_program(
    session: Session, program: Program, actor: str, now: dt.datetime
) -> DesignVersion:
    """Freeze the working copy as a new design version and mark every issued card for update."""
    if program.status == ProgramStatus.ARCHIVED:
        raise Conflict("An archived program cannot be published.", code="program_archived")
    version = DesignVersion(
        program_id=program.id,
        number=_next_version_number(session, program.id),
        name=program.name,
        rules=program.rules,
        design=program.design,
        created_at=now,
    )
    session.add(version)
    session.flush()
    program.current_version = version
    program.status = ProgramStatus.PUBLISHED
    program.updated_at = now
    _mark_cards_changed(session, program.id, version.id, now)
    audit.record(
        session, actor, "program.publish", f"program:{program.id}", now, version=version.number
    )
    return version


def published_rules(program: Program) -> Rules:
    """The rules orders follow: those of the program's published design version.

    :raises Conflict: when the program has never been published or is archived.
    """
    version = program.current_version
    if version is None or program.status != ProgramStatus.PUBLISHED:
        raise Conflict("This program is not published.", code="program_not_published")
    return parse_rules(program.kind, version.rules)


def _checked(session: Session, values: dict[str, Any], program_id: int | None) -> dict[str, Any]:
    errors = _field_errors(values) | design_errors(values["design"])
    errors |= _missing_images(session, values["design"])
    try:
        values["rules"] = rules_to_json(parse_rules(values["kind"], values["rules"]))
    except RulesInvalid as problem:
        errors |= {f"rules.{path}": message for path, message in problem.errors.items()}
    if errors:
        raise Invalid(errors)
    _check_slug_free(session, values["slug"], program_id)
    return values


def _field_errors(values: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not str(values["name"]).strip() or len(values["name"]) > 120:
        errors["name"] = "Must be 1 to 120 characters."
    if not _SLUG.match(values["slug"]):
        errors["slug"] = "Use lowercase letters, digits and hyphens (at most 64)."
    if not is_currency(values["currency"]):
        errors["currency"] = f"Unknown currency {values['currency']!r}; use an ISO 4217 code."
    if values["pooling"] not in set(Pooling):
        errors["pooling"] = "Must be member or partner."
    if values["enrollment"] not in set(Enrollment):
        errors["enrollment"] = "Must be open or invite."
    return errors


def _missing_images(session: Session, design: object) -> dict[str, str]:
    images = design.get("images") if isinstance(design, dict) else None
    if not isinstance(images, dict):
        return {}
    return {
        f"design.images.{role}": "No such image; upload it first."
        for role, digest in images.items()
        if not isinstance(digest, str) or media.image_by_digest(digest, session) is None
    }


def _check_slug_free(session: Session, slug: str, program_id: int | None) -> None:
    holder = find_program_by_slug(session, slug)
    if holder is not None and holder.id != program_id:
        raise Conflict(f"Another program already uses the slug {slug!r}.", code="slug_taken")


def _next_version_number(session: Session, program_id: int) -> int:
    query = select(func.coalesce(func.max(DesignVersion.number), 0))
    return int(session.scalar(query.where(DesignVersion.program_id == program_id)) or 0) + 1


def _mark_cards_changed(
    session: Session, program_id: int, version_id: int, now: dt.datetime
) -> None:
    session.execute(
        update(Card)
        .where(Card.program_id == program_id)
        .values(version=Card.version + 1, design_version_id=version_id, updated_at=now)
        .execution_options(synchronize_session="fetch")
    )
