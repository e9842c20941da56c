"""Parameters whose style cannot write their values: arrays and objects nested in an
array or object parameter (objects in a `form` array, an array in a `simple` header
object), which OpenAPI gives no serialisation. The client sends each such nested
value as its compact JSON text; the build warns where the parameter is declared. A
`deepObject` writes them in brackets (`filter[ids][0]=a`, as qs, Rails and Stripe
read it): no warning.

One case is written the way a urlencoded form writes it: an array of scalars in
an exploded `form` object in the query repeats its key (`ids=1&ids=2`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..diagnostics import Diagnostics, Where
from ..ir import ParamLocation
from ..resolve import Resolver
from .objects import MAX_NESTING

__all__ = ["check_nesting"]

_COMBINATIONS = ("allOf", "oneOf", "anyOf")
_STRUCTURED = frozenset({"array", "object"})


def check_nesting(
    param: tuple[ParamLocation, str, str, bool],
    schema: tuple[Any, Where],
    where: Where,
    resolver: Resolver,
    sink: Diagnostics,
) -> None:
    """Warn at `where` (the parameter) when the parameter `(location, name, style,
    explode)` is an array or object whose items or properties may be arrays or
    objects (but arrays of scalars in an exploded `form` object in the query).
    Parameters serialised by their content (JSON text already, or a whole query
    string) are not affected."""
    location, name, style, explode = param
    if style in ("json", "querystring", "deepObject"):
        return  # (`deepObject` writes what is nested in brackets: `a[b][0]=x`)
    spread = location == "query" and style == "form" and explode
    what = next(
        (
            w
            for m, at, w in _members(*schema, resolver, set())
            if _is_structured(m, at, resolver, set())
            and not (spread and w != "its items" and _scalar_array(m, at, resolver))
        ),
        None,
    )
    if what is None:
        return
    message = (
        f"{location} parameter {name!r}: OpenAPI defines no {style!r} serialisation for the"
        f" arrays and objects nested in it ({what}); they are sent as compact JSON text"
    )
    if location == "cookie":
        message += (
            " (a call is refused when that text holds a quote, comma, space or backslash,"
            " which a cookie cannot carry)"
        )
    sink.warning(message, where)


def _branches(
    schema: Any, where: Where, resolver: Resolver, seen: set[Where], depth: int = 0
) -> Iterator[tuple[dict[str, Any], Where]]:
    """`schema` (its `$ref` followed) and the schemas of its allOf/oneOf/anyOf (as
    deep as types are built: deeper is an error of the build's own)."""
    found = resolver.deref(schema, where)
    if found is None or not isinstance(found[0], dict) or found[1] in seen or depth == MAX_NESTING:
        return
    schema, where = found
    seen.add(where)
    yield schema, where
    for key in _COMBINATIONS:
        options = schema.get(key)
        for index, option in enumerate(options if isinstance(options, list) else []):
            yield from _branches(option, where.child(key, index), resolver, seen, depth + 1)


def _members(
    schema: Any, where: Where, resolver: Resolver, seen: set[Where]
) -> Iterator[tuple[Any, Where, str]]:
    """The schemas of an array's items and an object's property values, with what
    they are in words."""
    for branch, at in _branches(schema, where, resolver, seen):
        properties = branch.get("properties")
        for key, value in (properties if isinstance(properties, dict) else {}).items():
            yield value, at.child("properties", str(key)), f"property {str(key)!r}"
        for key in ("additionalProperties", "items"):
            if isinstance(branch.get(key), dict):
                what = "its items" if key == "items" else "its additional properties"
                yield branch[key], at.child(key), what
        prefix = branch.get("prefixItems")
        for index, value in enumerate(prefix if isinstance(prefix, list) else []):
            yield value, at.child("prefixItems", index), "its items"


def _scalar_array(schema: Any, where: Where, resolver: Resolver) -> bool:
    """Whether a value of `schema` is an array of scalars, nothing else."""
    found = resolver.deref(schema, where)
    if found is None or not isinstance(found[0], dict):
        return False
    branch, at = found
    items = branch.get("items")
    return (
        branch.get("type") == "array"
        and not any(key in branch for key in ("prefixItems", *_COMBINATIONS))
        and isinstance(items, dict)
        and not _is_structured(items, at.child("items"), resolver, set())
    )


def _is_structured(schema: Any, where: Where, resolver: Resolver, seen: set[Where]) -> bool:
    """Whether a value of `schema` may be an array or an object (by its `type`, or
    without one, by array or object keywords)."""
    for branch, _ in _branches(schema, where, resolver, seen):
        declared = branch.get("type")
        types = declared if isinstance(declared, list) else [declared]
        if _STRUCTURED.intersection(t for t in types if isinstance(t, str)):
            return True
        if declared is None and any(
            key in branch for key in ("properties", "items", "prefixItems")
        ):
            return True
    return False
