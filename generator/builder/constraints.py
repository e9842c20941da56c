"""JSON Schema validation keywords -> `Constraints` (what request checks enforce)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..ir import NO_CONSTRAINTS, Constraints

__all__ = ["constraints"]

_CONSTRAINT_KEYS = {
    "minimum": "minimum", "maximum": "maximum", "multipleOf": "multiple_of",
    "minLength": "min_length", "maxLength": "max_length", "pattern": "pattern",
    "minItems": "min_items", "maxItems": "max_items", "uniqueItems": "unique_items",
    "minProperties": "min_properties", "maxProperties": "max_properties",
}  # fmt: skip
_ANY_CONSTRAINT = frozenset({*_CONSTRAINT_KEYS, "exclusiveMinimum", "exclusiveMaximum"})


def constraints(schema: Mapping[str, Any]) -> Constraints:
    """The validation keywords of `schema` that requests are checked against."""
    if _ANY_CONSTRAINT.isdisjoint(schema.keys()):
        return NO_CONSTRAINTS  # most schemas: no keyword to look at
    values: dict[str, Any] = {}
    for key, attr in _CONSTRAINT_KEYS.items():
        value = schema.get(key)
        if key == "pattern":
            if isinstance(value, str):
                values[attr] = value
        elif key == "uniqueItems":
            values[attr] = value is True
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            values[attr] = value
    for key, attr in (
        ("exclusiveMinimum", "exclusive_minimum"),
        ("exclusiveMaximum", "exclusive_maximum"),
    ):
        value = schema.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            values[attr] = value  # 3.1: a number
        elif value is True:  # 3.0: a flag on minimum/maximum
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if bound in values:
                values[attr] = values.pop(bound)
    return Constraints(**values)
