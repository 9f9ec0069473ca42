"""The admin's program designer: start from a starter, check a draft, preview it, publish it.

Nothing here commits. A preview is drawn from fields that are not saved: a problem in one
part of the form (a half-typed colour, an unfinished tier) keeps that part as last saved, so
the picture follows the admin's typing without ever failing.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from issuer import media, programs
from issuer.db.models import Account, Card, CardStatus, DesignVersion, Member, Partner, Program
from issuer.designs import design_errors, starter
from issuer.errors import Conflict, Invalid
from issuer.pass_content import content_for
from issuer.rules import Kind, RulesInvalid, parse_rules
from passes.content import PassContent
from passes.localized import Language, is_language
from passes.preview import PreviewImages

SAMPLE_CODE = "PREVIEW0CARD0000"
SAMPLE_URL = "https://example.com/c/preview"


@dataclass(frozen=True, slots=True)
class Preview:
    """What the previews draw: the pass content, the images and the language to show."""

    content: PassContent
    images: PreviewImages
    language: Language


@dataclass(frozen=True, slots=True)
class Draft:
    """The designer form's current fields (name, rules, design) and any unsaved uploads."""

    name: str
    rules: Mapping[str, Any]
    design: Mapping[str, Any]
    uploads: Mapping[str, bytes] = field(default_factory=dict)


def start_program(
    session: Session, kind: str, name: str, slug: str, actor: str, now: dt.datetime
) -> Program:
    """A draft program made from the kind's starter design, named as the admin chose."""
    design = None
    if kind in set(Kind) and name.strip():
        design = copy.deepcopy(dict(starter(Kind(kind)).design))
        for texts in design["texts"].values():  # the admin translates the new name later
            texts |= {"name": name.strip()[:60], "logo_text": name.strip()[:30]}
    fields = programs.ProgramFields(kind=kind, name=name.strip(), slug=slug.strip(), design=design)
    return programs.create_program(session, fields, actor, now)


def draft_errors(session: Session, program: Program, changes: Mapping[str, Any]) -> dict[str, str]:
    """Every problem ``changes`` would have, all at once; changes nothing."""
    errors: dict[str, str] = {}
    try:
        programs.checked_changes(session, program, changes)
    except Invalid as problem:
        errors |= problem.errors
    except Conflict as problem:
        errors["slug"] = problem.message
    if changes.get("pooling", program.pooling) != program.pooling and cards_to_update(
        session, program
    ):
        errors["pooling"] = "Cards are already issued; who shares an account cannot change now."
    slug = changes.get("slug")
    holder = programs.find_program_by_slug(session, slug) if isinstance(slug, str) else None
    if holder is not None and holder.id != program.id:
        errors["slug"] = f"Another program already uses the slug {slug!r}."
    return errors


def starter_preview(kind: Kind, language: str) -> Preview:
    """The pass the starter design of ``kind`` makes."""
    base = starter(kind)
    name = base.design["texts"][base.design["default_locale"]]["name"]
    program = Program(
        kind=kind.value, currency=base.currency, name=name, rules=base.rules, design=base.design
    )
    return preview(None, program, Draft(name, base.rules, base.design), language)


def preview(session: Session | None, program: Program, draft: Draft, language: str) -> Preview:
    """The pass a new partner would get if the draft were published, in ``language``."""
    rules = _valid_rules(program, draft.rules)
    design = _valid_design(program.design, draft.design)
    version = DesignVersion(name=draft.name or program.name, rules=rules, design=design)
    content = content_for(_sample_card(program, rules), version, None, SAMPLE_URL)
    shown = language if is_language(language) else content.default_language
    return Preview(
        content, media.preview_images(session, program.kind, design, draft.uploads), shown
    )


def cards_to_update(session: Session, program: Program) -> int:
    """How many issued cards publishing the program will update."""
    query = select(func.count()).select_from(Card).where(Card.program_id == program.id)
    return int(session.scalar(query) or 0)


def has_unpublished_changes(program: Program) -> bool:
    """Whether the working copy differs from what the issued passes show."""
    published = program.current_version
    if published is None:
        return True
    return (program.name, program.rules, program.design) != (
        published.name,
        published.rules,
        published.design,
    )


def _valid_rules(program: Program, rules: Mapping[str, Any]) -> dict[str, Any]:
    try:
        parse_rules(program.kind, rules)
    except RulesInvalid:
        return dict(program.rules)
    return dict(rules)


def _valid_design(saved: Mapping[str, Any], draft: Mapping[str, Any]) -> dict[str, Any]:
    """The draft design, with every section that has a problem taken from the saved one."""
    errors = design_errors(dict(draft))
    design: dict[str, Any] = {}
    for key, value in draft.items():
        if not any(_within(path, f"design.{key}") for path in errors):
            design[key] = value
        elif key in saved:
            design[key] = saved[key]
    return design if not design_errors(design) else dict(saved)


def _within(path: str, section: str) -> bool:
    return path == section or path.startswith((f"{section}.", f"{section}["))


def _sample_card(program: Program, rules: Mapping[str, Any]) -> Card:
    """A card that is never saved: a new partner's, a few stamps in."""
    sample = Program(kind=program.kind, currency=program.currency, expires_at=program.expires_at)
    required = int(rules.get("stamps_required", 0) or 0)
    account = Account(total_spent=0, cashback_balance=0, stamps=required // 3, rewards_available=0)
    member = Member(name="Olena Kovalenko", partner=Partner(name="Kovalenko & Sons LLC"))
    return Card(
        serial="preview",
        code=SAMPLE_CODE,
        status=CardStatus.ACTIVE,
        program=sample,
        account=account,
        member=member,
    )
