"""The admin's message form: read as typed, turned into a draft, its errors in the page language."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from issuer import messages, segments
from issuer.db.models import Message, Program
from issuer.messages import MAX_BODY, MAX_TITLE, Draft
from issuer.segments import MAX_INACTIVE_DAYS, Segment
from webapp.i18n import gettext

MAX_TYPED = 2000  # longer input is cut before it is shown again
DEFAULTS = ("days", "abc")  # fields that keep their default when left empty


@dataclass(frozen=True, slots=True)
class MessageForm:
    """The form as typed, kept so that it can be shown again beside its errors."""

    program: str = ""
    segment: str = "all"
    tier: str = ""  # "<program id>:<tier>", so a tier of another program is never taken
    days: str = "30"
    abc: str = "0"  # 0 = class A, 1 = B, 2 = C
    title: str = ""
    body: str = ""

    @classmethod
    def from_form(cls, form: MultiDict[str, str]) -> MessageForm:
        """Read the submitted fields."""
        names = ("program", "segment", "tier", "days", "abc", "title", "body")
        typed = {name: form.get(name, "")[:MAX_TYPED] for name in names}
        kept = {name: value for name, value in typed.items() if value or name not in DEFAULTS}
        return cls(**kept)

    @property
    def program_id(self) -> int | None:
        """The chosen program's id, if one was chosen."""
        return int(self.program) if self.program.isdigit() else None

    def draft(self, program: Program | None) -> Draft:
        """The message this form asks for (its segment checked by the use case)."""
        return Draft(self.title, self.body, Segment(self.segment, self._value(program)))

    def _value(self, program: Program | None) -> int | None:
        if self.segment == "inactive":
            return int(self.days) if self.days.strip().isdigit() else None
        if self.segment == "abc":
            return int(self.abc) if self.abc.isdigit() else None
        if self.segment == "tier" and program is not None:
            owner, _, tier = self.tier.partition(":")
            return int(tier) if owner == str(program.id) and tier.isdigit() else None
        return None


def page_errors(errors: dict[str, str]) -> dict[str, str]:
    """What each wrong field's message says on the page."""
    texts = {
        "title": gettext("Give a title of 1 to %(count)s characters.", count=MAX_TITLE),
        "body": gettext("Give a text of 1 to %(count)s characters.", count=MAX_BODY),
        "program": gettext("Choose a published program."),
        "segment": _segment_text(errors.get("segment", "")),
    }
    if errors.get("body") == messages.REPEATED:
        texts["body"] = gettext(
            "Some of these cards show this very text already; change the wording."
        )
    return {name: texts.get(name, message) for name, message in errors.items()}


def _segment_text(problem: str) -> str:
    texts = {
        messages.NOBODY: gettext("No card is in this segment."),
        segments.BAD_DAYS: gettext(
            "Give a number of days from 1 to %(count)s.", count=MAX_INACTIVE_DAYS
        ),
        segments.NO_TIERS: gettext("Only accumulative programs have tiers."),
        segments.BAD_TIER: gettext("Choose one of the chosen program's tiers."),
        segments.BAD_CLASS: gettext("Choose class A, B or C."),
    }
    return texts.get(problem, gettext("Choose who the message goes to."))


def segment_label(program: Program, kind: str, value: int | None) -> str:
    """A segment as the pages name it."""
    if kind == "all":
        return gettext("Every holder")
    if kind == "tier":
        names = segments.tier_names(program)
        name = names[value] if value is not None and 0 <= value < len(names) else str(value)
        return gettext("Tier %(name)s", name=name)
    if kind == "inactive":
        return gettext("Days without an order: %(days)s", days=value)
    if kind == "abc" and value is not None and 0 <= value < len(segments.ABC_CLASSES):
        return gettext("Partners of class %(name)s", name=segments.ABC_CLASSES[value])
    return kind


def message_segment(message: Message) -> str:
    """The segment a sent message went to, as the pages name it."""
    return segment_label(message.program, message.segment, message.segment_value)
