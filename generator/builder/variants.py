"""Union variants: properties beside `oneOf`/`anyOf`, and discriminators.

`Pet: {properties: {name: ...}, oneOf: [Cat, Dog]}` (the OpenAPI specification's
own example) says that a Pet is a Cat or a Dog and has a `name` either way. Each
object variant becomes a model of its own, `PetCat` and `PetDog`: the schema's
properties, `required` and `additionalProperties` (the shared part), then the
variant's, merged as `allOf` parts are. A variant that is not an object (a string,
an array) is kept as it is: properties constrain objects only; so is one that already
declares them all (`Cat: allOf: [Pet, ...]`). The discriminator's tags then name the
merged models.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..diagnostics import Where
from ..ir import Discriminator, PyIdent, Ref, TypeExpr
from ..load import names_file, split_pointer
from ..resolve import Resolver
from .objects import as_list, required_sets, schema_types

__all__ = [
    "covers",
    "discriminator",
    "is_object_variant",
    "is_union",
    "mapped_files",
    "not_merged",
    "shared_part",
    "variant_hint",
]

# What the shared part leaves out: the union itself, and its null-ness (the union's).
_UNION_KEYS = frozenset({"oneOf", "anyOf", "discriminator", "nullable"})


def shared_part(schema: dict[str, Any]) -> dict[str, Any] | None:
    """What every object variant of `schema`'s union also is: the schema without
    its union, when it declares properties (None: nothing to merge)."""
    properties = schema.get("properties")
    if not isinstance(properties, dict) or not properties:
        return None
    return {key: value for key, value in schema.items() if key not in _UNION_KEYS}


def is_union(schema: Any) -> bool:
    """Whether `schema` is itself a union (branches that only require properties are
    a check of one object, not a union)."""
    return (
        isinstance(schema, dict)
        and ("oneOf" in schema or "anyOf" in schema)
        and required_sets(schema) is None
    )


def is_object_variant(schema: Any) -> bool:
    """Whether a union's variant (its `$ref` followed) is an object the shared part
    can be merged into: not an enum, a const or a union of its own."""
    if not isinstance(schema, dict) or "enum" in schema or "const" in schema or is_union(schema):
        return False
    types = schema_types(schema) - {"null"}
    if types:
        return types == {"object"}
    return any(key in schema for key in ("properties", "required", "allOf", "additionalProperties"))


def covers(shared: dict[str, Any], parts: list[tuple[dict[str, Any], Where]]) -> bool:
    """Whether a variant made of `parts` (its `allOf` merged) already declares every
    shared property and requires every shared required one (`Cat: allOf: [Pet, ...]`
    beside `Pet`'s `oneOf: [Cat, Dog]`): it is then used as it is, not merged."""
    declared: set[str] = set()
    required: set[str] = set()
    for part, _ in parts:
        properties = part.get("properties")
        declared.update(map(str, properties) if isinstance(properties, dict) else ())
        required.update(map(str, as_list(part.get("required"))))
    wanted = set(map(str, as_list(shared.get("required"))))
    return set(map(str, shared["properties"])) <= declared and wanted <= required


def not_merged(keyword: str) -> str:
    """The warning at a variant that is a union itself."""
    return (
        f"properties beside `{keyword}` are not merged into a variant that is a union"
        " itself: its values neither type nor check them"
    )


def variant_hint(hint: str, target: Where | None, index: int) -> str:
    """The name hint of a merged variant: `PetCat` for a `$ref` to `.../Cat` (its
    `target`) in `Pet`, `PetOption2` for the second variant written inline."""
    name = split_pointer(target.pointer)[-1:] if target is not None else []
    return f"{hint}_{name[0]}" if name else f"{hint}Option{index + 1}"


def mapped_files(schema: dict[str, Any], where: Where, resolver: Resolver) -> list[Where]:
    """The places in other files that the `discriminator` mapping of `schema` names
    (`dog: 'pets.yaml#/Dog'`) and that exist: a schema there that nothing else refers
    to must be built all the same, for its tag to decode to it."""
    disc = schema.get("discriminator")
    mapping = disc.get("mapping") if isinstance(disc, dict) else None
    if not isinstance(mapping, dict):
        return []
    at = where.child("discriminator", "mapping")
    targets = [resolver.target(v, at) for v in mapping.values() if names_file(v)]
    return [t for t in targets if t.document != where.document and resolver.exists(t)]


def discriminator(
    schema: dict[str, Any],
    options: tuple[TypeExpr, ...],
    where: Where,
    resolver: Resolver,
    by_place: Mapping[Where, PyIdent],
    merged: Mapping[PyIdent, Where] | None = None,
) -> Discriminator | None:
    """The `discriminator` of `schema` (None: it has none): the mapping's tags, then
    each other option's component schema name (OpenAPI's implicit mapping).
    `merged`: each merged variant -> the place of the schema it was merged from,
    which tags name it by."""
    disc = schema.get("discriminator")
    if not isinstance(disc, dict) or not isinstance(disc.get("propertyName"), str):
        return None
    merged = merged or {}
    merged_from = {place: name for name, place in merged.items()}
    mapping: dict[str, PyIdent] = {}
    raw = disc.get("mapping")
    if isinstance(raw, dict):
        for value, ref in raw.items():
            if isinstance(ref, str):
                target = resolver.mapping_target(
                    ref, where.child("discriminator", "mapping", str(value))
                )
                if target is None:
                    continue
                name = merged_from.get(target) or by_place.get(target)
                if name is not None:
                    mapping[str(value)] = name
    for option in options:
        if not isinstance(option, Ref) or option.name in mapping.values():
            continue
        if option.name in merged:
            places = [merged[option.name]]
        else:
            places = [place for place, name in by_place.items() if name == option.name]
        for place in places:
            mapping.setdefault((split_pointer(place.pointer) or [""])[-1], option.name)
    return Discriminator(disc["propertyName"], tuple(mapping.items()))
