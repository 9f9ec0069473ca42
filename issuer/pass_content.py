"""From a card, its account and its program's published design to what its pass shows.

This is the one bridge between the business (cards, accounts, rules) and the pass formats:
``passes`` never sees a model or a rule, only the neutral ``PassContent`` made here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer import cardcodes
from issuer.db.models import Card, DesignVersion, Message, Transaction, TransactionKind
from issuer.rules import (
    AccumulativeRules,
    CashbackRules,
    DiscountRules,
    Rules,
    StampRules,
    next_tier,
    parse_rules,
    tier_index,
)
from passes.content import (
    CardFace,
    Colours,
    Field,
    Holder,
    Location,
    PassContent,
    Program,
    Rgb,
)
from passes.faces import (
    LastOrder,
    accumulative_face,
    back_fields,
    cashback_face,
    discount_face,
    message_field,
    stamp_face,
)
from passes.localized import Language, LocalizedText, language
from passes.money_display import Money


def content_for(
    card: Card,
    version: DesignVersion,
    last_order: Transaction | None,
    card_url: str,
    message: Message | None = None,
) -> PassContent:
    """What the card's pass shows now, built from the design version it is issued under.

    ``message`` is the latest message to the holder; Apple passes show it on their back
    (Google objects get messages through addMessage instead, see issuer.message_delivery).
    """
    design = version.design
    lang = language(design["default_locale"])
    texts = _Texts(design["texts"], lang)
    return PassContent(
        serial_number=card.serial,
        card_code=card.code,
        grouped_code=cardcodes.grouped(card.code),
        holder=_holder(card),
        program=_program(texts, version.name),
        colours=_colours(design["colors"]),
        face=_labelled(
            _face(card, parse_rules(card.program.kind, version.rules), texts, lang), texts
        ),
        card_url=card_url,
        default_language=lang,
        back_fields=_message(message) + _back(card, design, texts, last_order, card_url, lang),
        voided=card.is_voided,
        expires_at=card.program.expires_at,
        locations=tuple(_location(place, lang) for place in design.get("locations", ())),
        sharing_prohibited=bool(design.get("sharing_prohibited", False)),
    )


class _Texts:
    """A design's texts per language, read as localized texts with the default as fallback."""

    def __init__(self, texts: Mapping[str, Mapping[str, str]], default: Language) -> None:
        self.texts = texts
        self.default = default

    def get(self, name: str) -> LocalizedText | None:
        found = {lang: values[name] for lang, values in self.texts.items() if values.get(name)}
        if self.default not in found:
            return None
        return LocalizedText.from_mapping(found, self.default)


def _holder(card: Card) -> Holder:
    partner = card.member.partner
    return Holder(name=card.member.name, company=partner.name if partner else None)


def _program(texts: _Texts, fallback_name: str) -> Program:
    name = texts.get("name") or LocalizedText(fallback_name)
    return Program(
        name=name,
        organization=name,
        description=texts.get("description") or name,
        logo_text=texts.get("logo_text"),
    )


def _colours(colors: Mapping[str, str]) -> Colours:
    return Colours(
        background=Rgb.from_hex(colors["background"]),
        foreground=Rgb.from_hex(colors["foreground"]),
        label=Rgb.from_hex(colors["label"]),
    )


def _face(card: Card, rules: Rules, texts: _Texts, lang: Language) -> CardFace:
    account, currency = card.account, card.program.currency
    if isinstance(rules, DiscountRules):
        return discount_face(percent=rules.percent, language=lang)
    if isinstance(rules, AccumulativeRules):
        return _accumulative(rules, Money(account.total_spent, currency), lang)
    if isinstance(rules, CashbackRules):
        balance = Money(account.cashback_balance, currency)
        return cashback_face(balance=balance, percent=rules.percent, language=lang)
    return _stamps(rules, card, texts, lang)


def _labelled(face: CardFace, texts: _Texts) -> CardFace:
    """The face with the design's own labels over its main and second figures, if it has them."""
    main, second = texts.get("main_label"), texts.get("secondary_label")
    if main is not None:
        face = replace(
            face,
            fields=_relabel(face.fields, face.main_value.label, main),
            main_value=replace(face.main_value, label=main),
        )
    if second is not None and face.secondary_value is not None:
        face = replace(
            face,
            fields=_relabel(face.fields, face.secondary_value.label, second),
            secondary_value=replace(face.secondary_value, label=second),
        )
    return face


def _relabel(
    fields: tuple[Field, ...], old: LocalizedText, new: LocalizedText
) -> tuple[Field, ...]:
    return tuple(replace(field, label=new) if field.label == old else field for field in fields)


def _accumulative(rules: AccumulativeRules, spent: Money, lang: Language) -> CardFace:
    tier = rules.tiers[tier_index(rules, spent.minor)]
    upcoming = next_tier(rules, spent.minor)
    return accumulative_face(
        tier=LocalizedText(tier.name),
        percent=tier.percent,
        total_spent=spent,
        to_next_tier=Money(upcoming[1], spent.currency) if upcoming else None,
        language=lang,
    )


def _stamps(rules: StampRules, card: Card, texts: _Texts, lang: Language) -> CardFace:
    # After a reversal the count can stand at or above N until the next order wraps it.
    collected = min(card.account.stamps, rules.stamps_required)
    return stamp_face(
        collected=collected,
        required=rules.stamps_required,
        rewards_ready=card.account.rewards_available,
        reward=texts.get("reward") or LocalizedText(rules.reward),
        language=lang,
    )


def _back(
    card: Card,
    design: Mapping[str, Any],
    texts: _Texts,
    last_order: Transaction | None,
    card_url: str,
    lang: Language,
) -> tuple[Any, ...]:
    support = design.get("support", {})
    contact = " · ".join(value for value in (support.get("email"), support.get("phone")) if value)
    return back_fields(
        card_url=card_url,
        last_order=_last_order(last_order, card.program.currency),
        language=lang,
        terms=texts.get("terms"),
        about=texts.get("description"),
        support=contact or None,
    )


def _message(message: Message | None) -> tuple[Field, ...]:
    return () if message is None else (message_field(message.title, message.body),)


def _last_order(entry: Transaction | None, currency: str) -> LastOrder | None:
    if entry is None:
        return None
    return LastOrder(Money(entry.amount, currency), entry.created_at)


def _location(place: Mapping[str, Any], lang: Language) -> Location:
    text = place.get("relevant_text")
    return Location(
        latitude=float(place["latitude"]),
        longitude=float(place["longitude"]),
        relevant_text=LocalizedText(text) if text else None,
    )


def last_order(session: Session, account_id: int) -> Transaction | None:
    """The account's most recent order, shown on the back of its passes."""
    query = (
        select(Transaction)
        .where(Transaction.account_id == account_id, Transaction.kind == TransactionKind.ORDER)
        .order_by(Transaction.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()
