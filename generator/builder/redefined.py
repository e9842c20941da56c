"""What a schema's `allOf` parts say together: which definition types a property
several parts define, what the merged model leaves out (names `required` lists that
no part defines, parts that are unions), and parts that allow no common type.

`allOf: [{$ref: Base}, {properties: {status: {description: ...}}}]` narrows Base's
`status`; it does not retype it. A value must meet every part, so a definition that
only annotates or constrains (`{description: ...}`, `{maximum: 5}`, `{}`) adds its
keywords to the one that types the property, which keeps its type; so does one that
only restates the JSON type the earlier definition already has (`{type: object}` after
`{$ref: Detail}`). A later definition that types the property otherwise replaces the
earlier ones (the builder warns when the two give it different JSON types).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..diagnostics import Diagnostics, Where
from ..ir import Constraints
from .constraints import merge_constraints
from .objects import ANNOTATIONS, VALIDATION_KEYWORDS, allows_null, as_list, schema_types
from .variants import is_union

__all__ = [
    "Defined",
    "conflicting",
    "forbids_null",
    "narrowed",
    "no_common_type",
    "own_model",
    "refines_only",
    "restates",
    "unexpressed",
]

Defined = tuple[Any, Where]  # a property's schema, where it is
Deref = Callable[[Any, Where], tuple[Any, Where] | None]


def refines_only(schema: Any) -> bool:
    """Whether `schema` only annotates or constrains: no type, no `$ref`, nothing nested."""
    return isinstance(schema, dict) and all(
        k in ANNOTATIONS or k in VALIDATION_KEYWORDS or str(k).startswith("x-") for k in schema
    )


def restates(first: Defined, second: Defined, deref: Deref) -> bool:
    """Whether `second` gives nothing but a `type` (and refinements) that `first`'s
    type already meets, and for an array `items` that restate (or refine) `first`'s
    items (`{type: array, items: {type: object}}` after an array of `Item`): an
    intersection that is `first`, whichever comes first in `allOf`."""
    schema = second[0]
    if not isinstance(schema, dict) or "type" not in schema:
        return False
    if not refines_only({k: v for k, v in schema.items() if k not in ("type", "items")}):
        return False
    found = deref(*first)
    if found is None or not isinstance(found[0], dict):
        return False
    if "items" in schema:
        items, theirs = schema["items"], found[0].get("items")
        if theirs is None or not (
            refines_only(items)
            or restates((theirs, found[1].child("items")), (items, second[1].child("items")), deref)
        ):
            return False
    mine, allowed = schema_types(found[0]) - {"null"}, schema_types(schema)
    if "number" in allowed:
        allowed.add("integer")
    return bool(mine) and mine <= allowed


def forbids_null(definitions: Sequence[Defined], typing: Defined) -> bool:
    """Whether a definition after `typing` (one restating its type: see `restates`)
    leaves null out, which a value meeting them all then is not."""
    after = definitions[[d == typing for d in definitions].index(True) + 1 :]
    return any(isinstance(s, dict) and "type" in s and not allows_null(s) for s, _ in after)


def conflicting(first: Defined, second: Defined, deref: Deref) -> bool:
    """Whether two definitions of a property give it different JSON types."""
    if first[0] == second[0]:
        return False
    a, b = deref(*first), deref(*second)
    if a is None or b is None or not isinstance(a[0], dict) or not isinstance(b[0], dict):
        return False
    types_a, types_b = _kinds(schema_types(a[0])), _kinds(schema_types(b[0]))
    return bool(types_a and types_b and types_a != types_b)


def _kinds(types: set[str]) -> set[str]:
    """JSON types as far as a conflict goes: null aside, and an integer is a number
    (`number` then `integer` narrows)."""
    return {"number" if t == "integer" else t for t in types if t != "null"}


def narrowed(
    definitions: Sequence[Defined],
    typing: Defined,
    deref: Deref,
    read: Callable[[Any, Where], Constraints],
) -> tuple[dict[str, Any], Constraints]:
    """The keywords (description, default, readOnly, ...) and the constraints of a
    property typed by `typing` and refined by the other `definitions` that only refine
    (or, after it, only restate its type), each in allOf order (a later one wins a
    keyword both give). Definitions `typing` replaced give nothing: their keywords were
    written for another type."""
    keywords: dict[str, Any] = {}
    found: Constraints | None = None
    typed = False  # whether `typing` has been met
    for schema, where in definitions:
        typed = typed or (schema, where) == typing
        if (
            (schema, where) != typing
            and not refines_only(schema)
            and not (typed and restates(typing, (schema, where), deref))
        ):
            continue
        resolved = deref(schema, where)
        if resolved is not None and isinstance(resolved[0], dict):
            keywords.update(resolved[0])
        more = read(schema, where)
        found = more if found is None else merge_constraints(found, more)
    assert found is not None  # `typing` is among the definitions
    return keywords, found


def unexpressed(
    parts: Sequence[tuple[dict[str, Any], Where]],
    properties: Mapping[str, Defined],
    sink: Diagnostics,
    model: Where,
    is_open: bool = True,
) -> None:
    """Warn of what the merged model (at `model`) of `parts` leaves out: each name a
    part's `required` lists that no part declares among its `properties` (the model
    gets no field for it: a typo, or a property left to `additional_properties` when
    it `is_open`, so nothing makes a request carry it), and each part that is a union
    (a value is also one of its variants, whose properties the model does not
    declare)."""
    for part, where in parts:
        if is_union(part):
            what = (
                "its oneOf/anyOf beside allOf is a union"
                if where == model  # (the schema itself, not one of its parts)
                else f"allOf part {where.pointer} is a union (oneOf/anyOf)"
            )
            sink.warning(
                f"{what}, which the model does not express: its variants' properties "
                "are no fields (received, they are kept in `additional_properties`)",
                model,
            )
        for index, name in enumerate(as_list(part.get("required"))):
            if str(name) not in properties:
                near = [p for p in properties if p.lower() == str(name).lower()]
                hint = f" (the properties have {near[0]!r})" if near else ""
                way = (
                    "give it in `additional_properties`"
                    if is_open
                    else "`additionalProperties: false`: a request cannot carry it"
                )
                sink.warning(
                    f"required property {str(name)!r} is not among the properties{hint}: "
                    f"the model has no field for it ({way})",
                    where.child("required", index),
                )


def no_common_type(parts: list[Any], where: Where, deref: Deref, sink: Diagnostics) -> None:
    """Warn when the `allOf` parts of a schema at `where` (the others: the model's)
    give types no value has together (`[{type: string}, {type: integer}]`): nothing
    is valid, and the schema is typed `Any`."""
    common: set[str] | None = None
    for index, part in enumerate(parts):
        found = deref(part, where.child("allOf", index))
        types = schema_types(found[0]) - {"null"} if found and isinstance(found[0], dict) else set()
        if "number" in types:
            types.add("integer")  # an integer is a number
        if types:
            common = types if common is None else common & types
    if common is not None and not common:
        sink.warning(
            "the allOf parts allow no common type: no value meets them all (typed Any)",
            where.child("allOf"),
        )


def own_model(schema: dict[str, Any], where: Where, deref: Deref) -> bool:
    """Whether `allOf: [X]` (at `where`) is a model of its own, not a reference to X:
    it requires properties X does not, or X has a `discriminator` (it is one of X's
    kinds, which decoding X dispatches to by its name or mapping)."""
    required = {str(r) for r in as_list(schema.get("required"))}
    found = deref(as_list(schema["allOf"])[0], where.child("allOf", 0))
    if found is None or not isinstance(found[0], dict):
        return bool(required)
    if "discriminator" in found[0]:
        return True
    return not required <= {str(r) for r in as_list(found[0].get("required"))}
