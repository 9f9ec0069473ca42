"""Reading program rules from JSON-like data, noting every problem under its field path."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from issuer.rules.errors import RulesInvalid
from issuer.rules.money import MAX_PERCENT, percent_text

MAX_PERCENT_PLACES = 2

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Problems:
    """The problems found so far, keyed by field path such as "tiers[1].threshold"."""

    errors: dict[str, str] = field(default_factory=dict)

    def add(self, path: str, message: str) -> None:
        """Note a problem; the first one noted for a path is kept."""
        self.errors.setdefault(path, message)

    def raise_if_any(self) -> None:
        """Raise RulesInvalid with every problem noted, if there is one."""
        if self.errors:
            raise RulesInvalid(self.errors)


@dataclass(frozen=True, slots=True)
class _Invalid:
    message: str


@dataclass(frozen=True, slots=True)
class Fields:
    """The fields of one JSON object, read with every problem noted under its path.

    A field set to null counts as absent.
    """

    values: Mapping[str, object]
    problems: Problems
    prefix: str = ""

    @classmethod
    def of(
        cls, data: object, known: Collection[str], problems: Problems, prefix: str = ""
    ) -> "Fields | None":
        """Return the fields of data, noting unknown ones; None when data is not an object."""
        if not isinstance(data, Mapping) or not all(isinstance(key, str) for key in data):
            problems.add(prefix or "rules", "must be an object")
            return None
        for key in data:
            if key not in known:
                problems.add(join_path(prefix, key), "is not a known field")
        return cls(data, problems, prefix)

    def has(self, name: str) -> bool:
        """Tell whether the named field is given."""
        return self.values.get(name) is not None

    def percent(self, name: str, default: Decimal | None = None) -> Decimal | None:
        """Return the named field as a valid percent, or note why it is not one."""
        value = self._given(name, required=default is None)
        return default if value is None else self._keep(name, check_percent(value))

    def integer(
        self, name: str, minimum: int, maximum: int | None = None, default: int | None = None
    ) -> int | None:
        """Return the named field as a whole number within bounds, or note why it is not one."""
        value = self._given(name, required=default is None)
        if value is None:
            return default
        return self._keep(name, check_integer(value, minimum, maximum))

    def text(self, name: str, max_length: int) -> str | None:
        """Return the named field as non-blank text with outer spaces removed, or note why not."""
        value = self._given(name, required=True)
        return None if value is None else self._keep(name, check_text(value, max_length))

    def items(self, name: str) -> list[object] | None:
        """Return the named field as a non-empty list, or note why it is not one."""
        value = self._given(name, required=True)
        return None if value is None else self._keep(name, check_items(value))

    def path(self, name: str) -> str:
        """Return the full path of the named field."""
        return join_path(self.prefix, name)

    def _given(self, name: str, *, required: bool) -> object:
        value = self.values.get(name)
        if value is None and required:
            self.problems.add(self.path(name), "is required")
        return value

    def _keep(self, name: str, result: T | _Invalid) -> T | None:
        if isinstance(result, _Invalid):
            self.problems.add(self.path(name), result.message)
            return None
        return result


def join_path(prefix: str, name: str) -> str:
    """Return the path of a field inside an object at prefix, e.g. "tiers[1].percent"."""
    return f"{prefix}.{name}" if prefix else name


def check_percent(value: object) -> Decimal | _Invalid:
    """Return value as an exact, normalized percent: 0 < p <= 100, at most two decimal places."""
    number = _as_decimal(value)
    if number is None:
        return _Invalid("must be a number")
    if not 0 < number <= MAX_PERCENT:
        return _Invalid("must be more than 0 and at most 100")
    if _decimal_places(number) > MAX_PERCENT_PLACES:
        return _Invalid(f"must have at most {MAX_PERCENT_PLACES} decimal places")
    return Decimal(percent_text(number))


def check_integer(value: object, minimum: int, maximum: int | None) -> int | _Invalid:
    """Return value as a whole number within bounds."""
    if isinstance(value, bool) or not isinstance(value, int):
        return _Invalid("must be a whole number")
    if value < minimum:
        return _Invalid(f"must be at least {minimum}")
    if maximum is not None and value > maximum:
        return _Invalid(f"must be at most {maximum}")
    return value


def check_text(value: object, max_length: int) -> str | _Invalid:
    """Return value as non-blank text without outer spaces, at most max_length characters."""
    if not isinstance(value, str) or not value.strip():
        return _Invalid("must be non-empty text")
    if len(value.strip()) > max_length:
        return _Invalid(f"must be at most {max_length} characters")
    return value.strip()


def check_items(value: object) -> list[object] | _Invalid:
    """Return value as a non-empty list."""
    if not isinstance(value, list | tuple) or not value:
        return _Invalid("must be a non-empty list")
    return list(value)


def _as_decimal(value: object) -> Decimal | None:
    # Floats go through str() so that 12.5 and 0.1 mean what they say, not their binary value.
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(value) if isinstance(value, int | Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _decimal_places(number: Decimal) -> int:
    # Read the digits exactly; normalize() or quantize() would round to the context's precision.
    _, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int):
        return 0
    text = "".join(map(str, digits))
    trailing_zeros = len(text) - len(text.rstrip("0"))
    return max(0, -(exponent + trailing_zeros))
