"""What a pass shows, independent of Apple Wallet or Google Wallet.

The issuer maps a card, its account and its program into one ``PassContent``; the
Apple builder turns it into pass.json + pass.strings, the Google builder into a
LoyaltyClass/LoyaltyObject. Nothing here knows either format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from passes.localized import Language, LocalizedText
from passes.money_display import Money

MAX_LOCATIONS = 10
CHANGE_PLACEHOLDER = "%@"
# Keys the platform builders use for the holder's own fields.
HOLDER_FIELD_KEYS = frozenset({"member", "company"})


class CardKind(StrEnum):
    """The four kinds of loyalty card."""

    DISCOUNT = "discount"
    ACCUMULATIVE = "accumulative"
    CASHBACK = "cashback"
    STAMP = "stamp"


class Slot(StrEnum):
    """Where a field sits: header, the big primary value, the detail rows, or the back."""

    HEADER = "header"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    AUXILIARY = "auxiliary"
    BACK = "back"


@dataclass(frozen=True, slots=True)
class Rgb:
    """A colour as 0-255 red, green and blue."""

    red: int
    green: int
    blue: int

    def __post_init__(self) -> None:
        if not all(0 <= channel <= 255 for channel in (self.red, self.green, self.blue)):
            raise ValueError(f"colour channels must be 0-255, not {self!r}")

    @classmethod
    def from_hex(cls, text: str) -> Rgb:
        """Parse "#rrggbb"."""
        digits = text.removeprefix("#")
        if len(digits) != 6:
            raise ValueError(f"{text!r} is not a #rrggbb colour")
        return cls(int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))

    def as_tuple(self) -> tuple[int, int, int]:
        """Return (red, green, blue)."""
        return (self.red, self.green, self.blue)

    def hex(self) -> str:
        """Return "#rrggbb"."""
        return f"#{self.red:02x}{self.green:02x}{self.blue:02x}"


@dataclass(frozen=True, slots=True)
class Colours:
    """The pass colours: background, values (foreground) and field labels."""

    background: Rgb
    foreground: Rgb
    label: Rgb


@dataclass(frozen=True, slots=True)
class Field:
    """One labelled value on the pass; the key is stable and unique across the pass."""

    key: str
    label: LocalizedText
    value: LocalizedText
    slot: Slot
    change_message: LocalizedText | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("a field needs a key")
        if self.change_message is not None:
            missing = [t for t in self.change_message.all_texts() if CHANGE_PLACEHOLDER not in t]
            if missing:
                raise ValueError(f"change message of {self.key!r} lacks %@: {missing}")


@dataclass(frozen=True, slots=True)
class Points:
    """A headline figure (Google's loyaltyPoints); money or count when it is one."""

    label: LocalizedText
    value: LocalizedText
    money: Money | None = None
    count: int | None = None


@dataclass(frozen=True, slots=True)
class StampProgress:
    """Stamps collected towards the next reward."""

    collected: int
    required: int

    def __post_init__(self) -> None:
        if self.required < 1 or not 0 <= self.collected <= self.required:
            raise ValueError(f"cannot show {self.collected} of {self.required} stamps")


@dataclass(frozen=True, slots=True)
class CardFace:
    """The kind-specific front of a card: its fields and its headline figures."""

    kind: CardKind
    fields: tuple[Field, ...]
    main_value: Points
    secondary_value: Points | None = None
    stamps: StampProgress | None = None


@dataclass(frozen=True, slots=True)
class Holder:
    """The person the card belongs to, and their company."""

    name: str
    company: str | None = None


@dataclass(frozen=True, slots=True)
class Program:
    """The program's own texts: its name, the issuing organization, a description."""

    name: LocalizedText
    organization: LocalizedText
    description: LocalizedText
    logo_text: LocalizedText | None = None


@dataclass(frozen=True, slots=True)
class Location:
    """A place near which the pass is shown on the lock screen."""

    latitude: float
    longitude: float
    relevant_text: LocalizedText | None = None

    def __post_init__(self) -> None:
        if not (-90 <= self.latitude <= 90 and -180 <= self.longitude <= 180):
            raise ValueError(f"no such place: {self.latitude}, {self.longitude}")


@dataclass(frozen=True, slots=True)
class PassContent:
    """Everything one pass shows, in every language it speaks."""

    serial_number: str
    card_code: str
    grouped_code: str
    holder: Holder
    program: Program
    colours: Colours
    face: CardFace
    card_url: str
    default_language: Language
    back_fields: tuple[Field, ...] = ()
    voided: bool = False
    expires_at: datetime | None = None
    locations: tuple[Location, ...] = ()
    sharing_prohibited: bool = False

    def __post_init__(self) -> None:
        for name in ("serial_number", "card_code", "grouped_code", "card_url"):
            if not getattr(self, name):
                raise ValueError(f"a pass needs a {name.replace('_', ' ')}")
        if len(self.locations) > MAX_LOCATIONS:
            raise ValueError(f"at most {MAX_LOCATIONS} locations, not {len(self.locations)}")
        if self.expires_at is not None and self.expires_at.utcoffset() is None:
            raise ValueError("the expiration time needs a time zone")
        _check_unique_keys(self.fields)

    @property
    def fields(self) -> tuple[Field, ...]:
        """Return the front fields followed by the back fields."""
        return self.face.fields + self.back_fields


def _check_unique_keys(fields: tuple[Field, ...]) -> None:
    # Apple requires keys unique across the whole pass, not just within one field list.
    seen: set[str] = set(HOLDER_FIELD_KEYS)
    for item in fields:
        if item.key in seen:
            raise ValueError(f"field key {item.key!r} is used twice (or is reserved)")
        seen.add(item.key)
