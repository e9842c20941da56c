"""JSON Schema validation keywords -> `Constraints` (what request checks enforce).

`constraints` reads the keywords of one schema; `ConstraintReader` also follows
`$ref`s into array items, tuple items and anyOf/oneOf branches (the shape pydantic,
Litestar and drf-spectacular give every optional field: `anyOf: [X, {type: 'null'}]`).
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping
from dataclasses import fields, replace
from functools import cache
from typing import Any, TypeGuard

from ..diagnostics import Diagnostics, Where
from ..ir import NO_CONSTRAINTS, Branch, Constraints, JsonValue
from ..resolve import Resolver
from .objects import (
    MAX_NESTING,
    VALIDATION_KEYWORDS,
    as_list,
    distinct_values,
    from_openapi_31,
    json_distinct,
    json_value,
    untyped_part,
)

__all__ = [
    "ConstraintReader",
    "constraints",
    "is_null_schema",
    "merge_constraints",
    "pattern_error",
    "tuple_closed",
    "tuple_form",
    "tuple_length",
]

_CONSTRAINT_KEYS = {
    "minimum": "minimum", "maximum": "maximum", "multipleOf": "multiple_of",
    "minLength": "min_length", "maxLength": "max_length", "pattern": "pattern",
    "minItems": "min_items", "maxItems": "max_items", "uniqueItems": "unique_items",
    "minProperties": "min_properties", "maxProperties": "max_properties",
}  # fmt: skip
_ANY_CONSTRAINT = VALIDATION_KEYWORDS
_NESTED = frozenset(
    {
        "items",
        "prefixItems",
        "additionalProperties",
        "anyOf",
        "oneOf",
        "allOf",
        "enum",
        "const",
        "$ref",
    }
)
# what `_read` follows into: other schemas (a property's own `enum` or `const` is its
# type's business, not a constraint of it)
_INSIDE = _NESTED - {"enum", "const"}
_NOTHING_TO_READ = _NESTED | _ANY_CONSTRAINT  # a schema with none of them has no constraints
_KIND_OF: dict[type, str] = {
    str: "string", bool: "boolean", int: "integer", float: "number", dict: "object", list: "array",
}  # fmt: skip


def constraints(schema: Mapping[str, Any]) -> Constraints:
    """The validation keywords of `schema` itself that requests are checked against."""
    if _ANY_CONSTRAINT.isdisjoint(schema.keys()) and _structured(schema) is None:
        return NO_CONSTRAINTS  # most schemas: no keyword to look at
    values: dict[str, Any] = {}
    for key, attr in _CONSTRAINT_KEYS.items():
        value = schema.get(key)
        if key == "pattern":
            if isinstance(value, str) and pattern_error(value) is None:
                values[attr] = value
        elif key == "uniqueItems":
            values[attr] = value is True
        elif _is_number(value) and (key != "multipleOf" or value > 0):
            values[attr] = value  # (JSON Schema: multipleOf > 0; 0 divides nothing)
    for key, attr in (
        ("exclusiveMinimum", "exclusive_minimum"),
        ("exclusiveMaximum", "exclusive_maximum"),
    ):
        value = schema.get(key)
        if _is_number(value):
            values[attr] = value  # 3.1: a number
        elif value is True:  # 3.0: a flag on minimum/maximum
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if bound in values:
                values[attr] = values.pop(bound)
    return Constraints(**values, choices=_structured(schema))


def _is_number(value: object) -> TypeGuard[int | float]:
    """A finite JSON number (YAML's `.inf` and `.nan` bound or divide nothing; an
    integer is one however large: no float holds 10**309, Python's int does)."""
    return type(value) is int or (type(value) is float and math.isfinite(value))


@cache
def pattern_error(pattern: str) -> str | None:
    """Why Python's `re`, which the generated checks use, cannot read `pattern`
    (None when it can). ECMA-262 has what `re` lacks: `\\p{Han}` (Unicode properties)
    in Amadeus's specs, `(?<name>...)` groups; such a pattern is left unchecked."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "possible nested set" (`[[A-Z]`): still read
        try:
            re.compile(pattern)
        except (re.error, RecursionError, OverflowError) as exc:
            return str(exc)
    return None


def is_null_schema(schema: Any) -> bool:
    """`{type: 'null'}`, `enum: [null]` or `const: null` (drf-spectacular's NullEnum)."""
    if not isinstance(schema, dict):
        return schema is False
    if schema.get("type") == "null" or ("const" in schema and schema["const"] is None):
        return True
    enum = schema.get("enum")
    return isinstance(enum, list) and bool(enum) and all(v is None for v in enum)


def tuple_form(schema: Mapping[str, Any]) -> tuple[str, list[Any], str] | None:
    """The keyword of a tuple array's positional item schemas, those schemas, and the
    keyword of the schema of any items after them: 3.1's `prefixItems` (then `items`),
    or JSON Schema draft 4's list form of `items` (then `additionalItems`), which
    OpenAPI does not allow but pydantic 1 (FastAPI's older specs) wrote for tuples.
    None when the array is not a tuple."""
    prefix = schema.get("prefixItems")
    if isinstance(prefix, list) and prefix:
        return "prefixItems", prefix, "items"
    items = schema.get("items")
    if isinstance(items, list) and items:
        return "items", items, "additionalItems"
    return None


def tuple_length(schema: Mapping[str, Any], rest: str, count: int) -> str | None:
    """How a tuple array of `count` positional items (`rest`: the keyword of the items
    after them, see `tuple_form`) is typed: "exact" when its length keywords pin that
    many (`minItems` at least `count`; `maxItems` at most, or `rest` false), "assumed"
    when it has none and nothing may follow but the `rest` schema's absence (the
    tuples of Litestar and pydantic 1 at their loosest: `tuple[...]` all the same),
    None when it is a list: items may follow, or its length keywords let it be
    shorter or longer."""
    low, high = schema.get("minItems"), schema.get("maxItems")
    if low is None and high is None:
        return "assumed" if schema.get(rest, False) is False else None
    at_least = _is_number(low) and low >= count
    return "exact" if at_least and tuple_closed(schema, rest, count) else None


def tuple_closed(schema: Mapping[str, Any], rest: str, count: int) -> bool:
    """Whether no item may follow a tuple array's `count` positional ones: the `rest`
    schema false, or `maxItems` at most `count`."""
    high = schema.get("maxItems")
    return schema.get(rest, True) is False or (_is_number(high) and high <= count)


class ConstraintReader:
    """Constraints of a schema and of what is inside it, through `$ref`s."""

    def __init__(self, resolver: Resolver, sink: Diagnostics) -> None:
        self._resolver = resolver
        self._sink = sink
        # what `_read` found at a place (big specs refer to the same schemas, their
        # items and branches, thousands of times): it depends on nothing else
        self._found: dict[tuple[Where, bool, frozenset[Where]], Constraints] = {}
        self._siblings = from_openapi_31(resolver.spec.root.data)  # beside a `$ref` (3.1)

    def read(self, schema: Any, where: Where) -> Constraints:
        """The constraints of a property's or parameter's schema. Its own `enum` is
        not among them (the type says it); the enums of items and branches are."""
        if isinstance(schema, dict):
            keys = schema.keys()
            if _NOTHING_TO_READ.isdisjoint(keys):
                return NO_CONSTRAINTS  # most properties: no keyword, no $ref, nothing inside
            if _NESTED.isdisjoint(keys):
                return self._own(schema, where)
            if _INSIDE.isdisjoint(keys):  # an enum or a const: what `_read` gives it
                own = self._own(schema, where)
                return NO_CONSTRAINTS if own == NO_CONSTRAINTS else own
        found = self._read(schema, where, nested=False, seen=frozenset())
        if self._siblings and isinstance(schema, dict) and "$ref" in schema and len(schema) > 1:
            return merge_constraints(found, self._own(schema, where))  # both apply (3.1)
        return found

    def _own(self, schema: dict[str, Any], where: Where) -> Constraints:
        """`constraints(schema)`, saying when its `pattern` is left unchecked."""
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and (error := pattern_error(pattern)) is not None:
            self._sink.warning(
                f"`pattern` {pattern!r} is not a regular expression Python's `re` reads "
                f"({error}): requests are not checked against it",
                where.child("pattern"),
            )
        return constraints(schema)

    def _read(self, schema: Any, where: Where, nested: bool, seen: frozenset[Where]) -> Constraints:
        found = self._resolver.deref(schema, where) if isinstance(schema, dict) else None
        if found is None or not isinstance(found[0], dict) or found[1] in seen:
            return NO_CONSTRAINTS  # a recursive schema is checked down to where it recurs
        if len(seen) == MAX_NESTING:
            return NO_CONSTRAINTS  # nested too deep to be typed (the builder says so)
        schema, where = found
        if _NESTED.isdisjoint(schema.keys()):
            return self._own(schema, where)
        key = (where, nested, seen)
        known = self._found.get(key)
        if known is None:
            known = self._found[key] = self._nested(schema, where, nested, seen)
        return known

    def _nested(
        self, schema: dict[str, Any], where: Where, nested: bool, seen: frozenset[Where]
    ) -> Constraints:
        own = self._own(schema, where)
        seen = seen | {where}
        updates: dict[str, Any] = {}
        choices = _choices(schema)
        if nested and choices is not None:
            updates["choices"] = choices
        parts = as_list(schema.get("allOf"))
        typed = [i for i, p in enumerate(parts) if not untyped_part(p)]
        if len(typed) <= 1 and not schema.get("properties"):  # the others refine it
            for index in (i for i in range(len(parts)) if i not in typed):
                own = merge_constraints(own, self._own(parts[index], where.child("allOf", index)))
            if typed:
                at = where.child("allOf", typed[0])
                own = merge_constraints(self._read(parts[typed[0]], at, nested, seen), own)
        updates.update(self._array(schema, where, own, seen))
        values = schema.get("additionalProperties")
        if isinstance(values, dict) and values and not schema.get("properties"):  # a map
            each = self._read(values, where.child("additionalProperties"), True, seen)
            if each is not NO_CONSTRAINTS:
                updates["values"] = each
        for keyword in ("oneOf", "anyOf"):
            if isinstance(schema.get(keyword), list):
                own = merge_constraints(
                    own, self._union(schema[keyword], where.child(keyword), nested, seen)
                )
        result = replace(own, **updates) if updates else own
        return NO_CONSTRAINTS if result == NO_CONSTRAINTS else result

    def _array(
        self, schema: dict[str, Any], where: Where, own: Constraints, seen: frozenset[Where]
    ) -> dict[str, Any]:
        updates: dict[str, Any] = {}
        form = tuple_form(schema)
        rest = "items" if form is None else form[2]
        items = schema.get(rest)
        if isinstance(items, dict):
            item = self._read(items, where.child(rest), True, seen)
            if item is not NO_CONSTRAINTS:
                updates["items"] = item
        if form is not None:
            keyword, prefix, rest = form
            at = where.child
            read = [self._read(p, at(keyword, i), True, seen) for i, p in enumerate(prefix)]
            if any(c is not NO_CONSTRAINTS for c in read):
                updates["prefix_items"] = tuple(read)
            count = len(prefix)
            if tuple_length(schema, rest, count) == "assumed":  # typed `tuple[...]`
                updates["min_items"] = updates["max_items"] = count
            elif schema.get(rest) is False and (own.max_items is None or own.max_items > count):
                updates["max_items"] = count  # nothing after the positional items
        return updates

    def _union(
        self, options: list[Any], where: Where, nested: bool, seen: frozenset[Where]
    ) -> Constraints:
        """What anyOf/oneOf `options` ask of a value: the constraints of its one
        non-null branch, the enums of all branches together, or `branches`."""
        present: list[tuple[Any, Where, tuple[str, ...]]] = []
        for index, option in enumerate(options):
            found = self._resolver.deref(option, where.child(index))
            if found is not None and not is_null_schema(found[0]):
                kinds = _kinds(found[0]) if isinstance(found[0], dict) else ()
                present.append((option, where.child(index), kinds))
        if len(present) == 1:  # `anyOf: [X, {type: 'null'}]`: X's constraints
            return self._read(present[0][0], present[0][1], nested, seen)
        branches = [Branch(kinds, self._read(o, w, True, seen)) for o, w, kinds in present]
        if not branches:
            return NO_CONSTRAINTS
        enums = [b.constraints.choices for b in branches]
        if all(c is not None for c in enums) and all(
            replace(b.constraints, choices=None) == NO_CONSTRAINTS for b in branches
        ):  # enums only (drf-spectacular: `oneOf: [LevelEnum, BlankEnum, NullEnum]`)
            return Constraints(choices=json_distinct(v for c in enums if c is not None for v in c))
        if _vacuous(branches):
            return NO_CONSTRAINTS
        return Constraints(branches=tuple(branches))


def _vacuous(branches: list[Branch]) -> bool:
    """Whether every value passes some branch: one without constraints accepts any
    JSON type, or the types of all the constrained ones."""
    free = [b for b in branches if b.constraints is NO_CONSTRAINTS]
    if any(not b.kinds for b in free):
        return True
    covered = {k for b in free for k in b.kinds}
    if "number" in covered:
        covered.add("integer")
    constrained = [b for b in branches if b.constraints is not NO_CONSTRAINTS]
    return all(b.kinds and set(b.kinds) <= covered for b in constrained)


def _structured(schema: Mapping[str, Any]) -> tuple[JsonValue, ...] | None:
    """The values of a `const` or `enum` with objects or arrays: no type tells them."""
    if ("const" in schema and not _scalar(schema["const"])) or (
        isinstance(schema.get("enum"), list) and not all(map(_scalar, schema["enum"]))
    ):
        return _choices(schema)
    return None


def _choices(schema: Mapping[str, Any]) -> tuple[JsonValue, ...] | None:
    """The values `const` or `enum` allows (null aside: the type says it), objects and
    arrays included (checked as JSON compares them, though no type expresses them)."""
    if "const" in schema and schema["const"] is not None:
        return (json_value(schema["const"]),)
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        if all(map(_scalar, enum)):
            return distinct_values(enum) or None
        return json_distinct(json_value(v) for v in enum if v is not None) or None
    return None


def _kinds(schema: dict[str, Any]) -> tuple[str, ...]:
    """The JSON types a branch accepts (empty: any, or not known)."""
    t = schema.get("type")
    if isinstance(t, str):
        return () if t == "null" else (t,)
    if isinstance(t, list):
        return tuple(str(x) for x in t if x != "null")
    choices = _choices(schema)
    if choices is not None:
        return tuple(dict.fromkeys(_KIND_OF[type(v)] for v in choices))
    if "properties" in schema or "additionalProperties" in schema:
        return ("object",)
    if "items" in schema or "prefixItems" in schema:
        return ("array",)
    return ()


def merge_constraints(base: Constraints, more: Constraints) -> Constraints:
    """`base` with the keywords `more` sets (both apply; `more` wins a clash)."""
    if more is NO_CONSTRAINTS:
        return base
    if base is NO_CONSTRAINTS:
        return more
    given = {
        f.name: getattr(more, f.name)
        for f in fields(Constraints)
        if getattr(more, f.name) != getattr(NO_CONSTRAINTS, f.name)
    }
    return replace(base, **given)


def _scalar(value: object) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))
