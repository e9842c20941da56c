"""Object-schema helpers of the schema builder: keyword lists, required properties
and the JSON values of defaults."""

from __future__ import annotations

from typing import Any

from ..ir import JsonScalar, JsonValue, RequiredSets

__all__ = [
    "LOOSE_KEYWORDS",
    "SCALAR_KEYS",
    "as_list",
    "distinct_values",
    "is_json_scalar",
    "json_value",
    "required_sets",
    "strip_null",
]

# A schema with only these keys and a scalar `type` (the shape of most properties)
# takes the short way through `type_of`: none of them makes it a model, an enum, a
# union or loosely typed.
SCALAR_KEYS = frozenset(
    {
        "type", "format", "description", "title", "example", "examples", "default",
        "readOnly", "writeOnly", "deprecated", "nullable", "externalDocs",
        "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "multipleOf", "contentEncoding", "contentMediaType",
    }
)  # fmt: skip

LOOSE_KEYWORDS = (
    "not", "if", "patternProperties", "dependentSchemas",
    "unevaluatedProperties", "contains",
)  # fmt: skip

# Keys a branch that only requires properties may have besides `required`.
_DOC_KEYS = frozenset({"required", "description", "title"})


def required_sets(schema: dict[str, Any]) -> RequiredSets | None:
    """The request check of an object whose anyOf/oneOf branches only require some
    of its properties (GitHub's "either `id`, or `owner`, `repo` and `number`");
    None for any other schema."""
    keywords = [k for k in ("oneOf", "anyOf") if k in schema]
    properties = schema.get("properties")
    if len(keywords) != 1 or not isinstance(properties, dict) or not properties:
        return None
    branches = schema[keywords[0]]
    if not isinstance(branches, list) or not branches:
        return None
    sets: list[list[str]] = []  # JSON names
    for branch in branches:
        if not isinstance(branch, dict) or not branch.keys() <= _DOC_KEYS:
            return None
        names = branch.get("required")
        if not isinstance(names, list) or not names:
            return None
        if not all(isinstance(n, str) for n in names):
            return None  # (a name not declared may still be sent: an extra property)
        sets.append(list(dict.fromkeys(names)))
    return RequiredSets(tuple(tuple(names) for names in sets), keywords[0] == "oneOf")


def strip_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` without its null-ness (the definition is the non-null type)."""
    out = dict(schema)
    out.pop("nullable", None)
    t = out.get("type")
    if isinstance(t, list):
        rest = [x for x in t if x != "null"]
        out["type"] = rest[0] if len(rest) == 1 else rest
    enum = out.get("enum")
    if isinstance(enum, list):
        out["enum"] = [v for v in enum if v is not None]
    return out


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def is_json_scalar(value: object) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def json_value(value: Any) -> JsonValue:
    if is_json_scalar(value):
        scalar: JsonScalar = value
        return scalar
    if isinstance(value, list):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return str(value)


def distinct_values(values: list[Any]) -> tuple[JsonScalar, ...]:
    """The scalar `values` of an enum once each, in order, null left out."""
    found = dict.fromkeys(values)
    found.pop(None, None)
    return tuple(found)
