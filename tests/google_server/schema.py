"""Checks JSON against the walletobjects v1 discovery document shipped in google-api-python-client.

The document (googleapiclient/discovery_cache/documents/walletobjects.v1.json; G-DISC in
reference/wallet-protocols.md) describes every field: its type, its ``$ref``, its int64 or
int32 format, its enum values and which of them are deprecated aliases, and which fields
are deprecated. A field whose description starts with "Required." must be present. Two
one-of rules live only in descriptions, so they are listed here.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DOCUMENT = Path("discovery_cache") / "documents" / "walletobjects.v1.json"
# "Only one of these subtypes (string, int, double, money) should be populated";
# Image: "Either this or source_uri should be set. Requests setting both or neither will be
# rejected."
_EXACTLY_ONE = {
    "LoyaltyPointsBalance": ("string", "int", "double", "money"),
    "Image": ("sourceUri", "privateImageId"),
}
# LoyaltyPoints.balance: "This is a required field of loyaltyPoints and secondaryLoyaltyPoints."
_ALSO_REQUIRED = {"LoyaltyPoints": ("balance",)}
_INTEGER_TEXT = {"int64": re.compile(r"-?[0-9]+"), "uint64": re.compile(r"[0-9]+")}
_INTEGER_RANGE = {"int32": (-(2**31), 2**31 - 1), "uint32": (0, 2**32 - 1)}


def discovery_document() -> dict[str, Any]:
    """Return the walletobjects v1 discovery document google-api-python-client ships."""
    spec = importlib.util.find_spec("googleapiclient")
    if spec is None or spec.origin is None:
        raise RuntimeError("google-api-python-client is not installed (a dev dependency)")
    document: dict[str, Any] = json.loads((Path(spec.origin).parent / DOCUMENT).read_text())
    return document


@cache
def wallet_schemas() -> WalletSchemas:
    """Return the schemas of the shipped document, loaded once."""
    document = discovery_document()
    return WalletSchemas(document["schemas"], document["revision"])


@dataclass(frozen=True)
class WalletSchemas:
    """The discovery document's schemas, and the checks of a value against one of them."""

    schemas: dict[str, Any]
    revision: str

    def problems(
        self, value: Any, schema: str, *, partial: bool = False, strict: bool = True
    ) -> list[str]:
        """Return every way ``value`` breaks ``schema`` (partial: a PATCH body)."""
        checker = _Checker(self.schemas, strict=strict)
        checker.resource(value, schema, schema, partial=partial)
        return checker.found


class _Checker:
    def __init__(self, schemas: dict[str, Any], *, strict: bool) -> None:
        self.schemas, self.strict = schemas, strict
        self.found: list[str] = []

    def resource(self, value: Any, name: str, path: str, *, partial: bool = False) -> None:
        schema = self.schemas[name]
        if not isinstance(value, dict):
            self.found.append(f"{path}: {name} must be an object, not {type(value).__name__}")
            return
        fields = schema.get("properties", {})
        for key, item in value.items():
            self.field(item, fields.get(key), f"{path}.{key}")
        if not partial:
            self.presence(value, name, fields, path)

    def field(self, value: Any, spec: dict[str, Any] | None, path: str) -> None:
        if spec is None:
            self.found.append(f"{path}: unknown field")
        elif self.strict and spec.get("deprecated"):
            self.found.append(f"{path}: deprecated field")
        else:
            self.value(value, spec, path)

    def presence(self, value: dict[str, Any], name: str, fields: dict[str, Any], path: str) -> None:
        required = [
            key
            for key, spec in fields.items()
            if spec.get("description", "").startswith("Required.")
        ]
        for key in [*required, *_ALSO_REQUIRED.get(name, ())]:
            if key not in value:
                self.found.append(f"{path}.{key}: required")
        choices = _EXACTLY_ONE.get(name)
        if choices and sum(key in value for key in choices) != 1:
            self.found.append(f"{path}: exactly one of {', '.join(choices)}")

    def value(self, value: Any, spec: dict[str, Any], path: str) -> None:
        if "$ref" in spec:
            self.resource(value, spec["$ref"], path)
            return
        kind = spec.get("type")
        check = {
            "string": self.string,
            "integer": self.integer,
            "number": self.number,
            "boolean": self.boolean,
            "array": self.array,
        }.get(kind or "")
        if check is None:
            self.found.append(f"{path}: the document has no check for type {kind!r}")
        else:
            check(value, spec, path)

    def string(self, value: Any, spec: dict[str, Any], path: str) -> None:
        pattern = _INTEGER_TEXT.get(spec.get("format", ""))
        if pattern is not None:
            # int64 travels as a JSON string; Google's parser takes a bare number too.
            text = str(value) if _is_int(value) else value
            if not isinstance(text, str) or not pattern.fullmatch(text):
                self.found.append(f"{path}: {value!r} is not an {spec['format']}")
            return
        if not isinstance(value, str):
            self.found.append(f"{path}: {value!r} is not a string")
        elif "enum" in spec:
            self.enum(value, spec, path)

    def enum(self, value: str, spec: dict[str, Any], path: str) -> None:
        values: list[str] = spec["enum"]
        if value not in values:
            self.found.append(f"{path}: {value!r} is not one of {values}")
        elif self.strict and spec.get("enumDeprecated", [False] * len(values))[values.index(value)]:
            self.found.append(f"{path}: {value!r} is a deprecated alias")

    def integer(self, value: Any, spec: dict[str, Any], path: str) -> None:
        bounds = _INTEGER_RANGE.get(spec.get("format", ""))
        if not _is_int(value) or (bounds is not None and not bounds[0] <= value <= bounds[1]):
            self.found.append(f"{path}: {value!r} is not an {spec.get('format', 'integer')}")

    def number(self, value: Any, spec: dict[str, Any], path: str) -> None:
        if not (_is_int(value) or isinstance(value, float)):
            self.found.append(f"{path}: {value!r} is not a number")

    def boolean(self, value: Any, spec: dict[str, Any], path: str) -> None:
        if not isinstance(value, bool):
            self.found.append(f"{path}: {value!r} is not a boolean")

    def array(self, value: Any, spec: dict[str, Any], path: str) -> None:
        if not isinstance(value, list):
            self.found.append(f"{path}: {value!r} is not an array")
            return
        for index, item in enumerate(value):
            self.value(item, spec["items"], f"{path}[{index}]")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
