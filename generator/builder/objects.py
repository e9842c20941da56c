"""Object-schema helpers of the schema builder: keyword lists, required properties
and the JSON values of defaults."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from ..diagnostics import Diagnostics, Where
from ..ir import JsonScalar, JsonValue, Nullable, PrimKind, RequiredSets, TypeExpr

__all__ = [
    "ANNOTATIONS",
    "FORMATS",
    "KNOWN_TYPES",
    "LOOSE_KEYWORDS",
    "MAX_NESTING",
    "SCALAR_KEYS",
    "SCALAR_TYPES",
    "SIMPLE_TYPES",
    "VALIDATION_KEYWORDS",
    "allof_parts",
    "allows_null",
    "annotation_only",
    "as_list",
    "distinct_types",
    "distinct_values",
    "from_openapi_31",
    "implied_types",
    "is_json_scalar",
    "json_distinct",
    "json_value",
    "note_loose",
    "ref_annotated",
    "ref_applied",
    "required_sets",
    "schema_types",
    "strip_null",
    "untyped_part",
    "with_null",
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

# `type` (and `format`) -> the kind of `Prim` a value of it is.
FORMATS: dict[tuple[str, str], PrimKind] = {
    ("string", "date-time"): "datetime",
    ("string", "date"): "date",
    ("string", "time"): "time",
    ("string", "uuid"): "uuid",
    ("string", "byte"): "base64",
    ("string", "binary"): "file",
}
SIMPLE_TYPES: dict[str, PrimKind] = {
    "string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "none",
}  # fmt: skip
KNOWN_TYPES = frozenset({*SIMPLE_TYPES, "array", "object"})
SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})

# Inline schemas (arrays, maps, unions in one another) are typed and checked this
# deep at most: deeper, the generated code would not compile (Python's parser reads
# at most 200 nested brackets) and the builder's walks would exhaust the stack.
MAX_NESTING = 64

LOOSE_KEYWORDS = (
    "not", "if", "patternProperties", "dependentSchemas", "dependentRequired",
    "dependencies", "propertyNames", "unevaluatedProperties", "unevaluatedItems",
    "contains", "$dynamicRef", "$recursiveRef",
)  # fmt: skip
_LOOSE = frozenset(LOOSE_KEYWORDS)

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


# Keywords that only annotate a schema: an `allOf` part with nothing else adds no
# type to the others (`allOf: [{$ref: Code}, {description: ...}]` is a Code).
ANNOTATIONS = frozenset(
    {"description", "title", "summary", "example", "examples", "default", "deprecated",
     "readOnly", "writeOnly", "nullable", "$comment", "externalDocs", "xml"}
)  # fmt: skip


# The validation keywords requests are checked against (`constraints`): with
# annotations, what a schema may hold and still not type a value.
VALIDATION_KEYWORDS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
     "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "minProperties",
     "maxProperties"}
)  # fmt: skip


def annotation_only(part: Any) -> bool:
    return isinstance(part, dict) and all(k in ANNOTATIONS or str(k).startswith("x-") for k in part)


def untyped_part(part: Any) -> bool:
    """Whether an `allOf` part only documents or constrains (`{minLength: 2}`): it types
    no value, the part beside it does."""
    return isinstance(part, dict) and all(
        k in ANNOTATIONS or k in VALIDATION_KEYWORDS or str(k).startswith("x-") for k in part
    )


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


def distinct_values(
    values: list[Any], schema: dict[str, Any] | None = None
) -> tuple[JsonScalar, ...]:
    """The scalar `values` of an enum once each, in order, null left out; of a
    `type: number` `schema`, whole numbers as floats (`2.5` has the type: no integer
    type for it)."""
    if schema is not None and schema_types(schema) - {"null"} == {"number"}:
        values = [float(v) if type(v) is int else v for v in values]
    return json_distinct(v for v in values if v is not None)


def distinct_types(types: Iterable[TypeExpr]) -> tuple[TypeExpr, ...]:
    """`types` once each, in order; told apart by their reprs (`Literal[0]` and
    `Literal[False]` are equal records, as `0 == False`)."""
    found: dict[str, TypeExpr] = {}
    for t in types:
        found.setdefault(repr(t), t)
    return tuple(found.values())


def json_distinct(values: Iterable[Any]) -> tuple[Any, ...]:
    """`values` once each as JSON tells them apart, in order: `1` and `1.0` are one
    number, `true` and `1` (equal in Python) are two values; objects and arrays by
    their JSON text."""
    found: dict[tuple[bool, Any], Any] = {}
    for value in values:
        key = value if is_json_scalar(value) else json.dumps(value, sort_keys=True)
        found.setdefault((type(value) is bool, key), value)
    return tuple(found.values())


def note_loose(schema: dict[str, Any], where: Where, sink: Diagnostics) -> None:
    """Report keywords the generated types cannot express (typed more loosely)."""
    if _LOOSE.isdisjoint(schema.keys()):
        return  # most schemas
    for keyword in LOOSE_KEYWORDS:
        if keyword in schema:
            sink.warning(
                f"`{keyword}` is not expressed in the generated types (typed from "
                "the rest of the schema, not checked)",
                where.child(keyword),
            )


# Keywords beside a 3.1 `$ref` that shape the schema (JSON Schema 2020-12 applies them
# with the reference); annotations (`description`, `readOnly`...) only document it.
_SHAPING = frozenset(
    {"properties", "required", "allOf", "anyOf", "oneOf", "items", "prefixItems",
     "additionalProperties"}
)  # fmt: skip


def from_openapi_31(document: Any) -> bool:
    """Whether the root `document` is OpenAPI 3.1 or later: keywords beside a schema's
    `$ref` apply (JSON Schema 2020-12), as do the `style` of multipart/form-data parts;
    3.0 ignores both."""
    return isinstance(document, dict) and not str(document.get("openapi")).startswith("3.0")


def ref_applied(schema: Any) -> dict[str, Any] | None:
    """A schema whose `$ref` has keywords beside it that shape it, as `allOf` would
    write it (the reference as the last part, so the others keep their places); None
    for a reference with annotations at most."""
    if not isinstance(schema, dict) or "$ref" not in schema or _SHAPING.isdisjoint(schema):
        return None
    applied = {key: value for key, value in schema.items() if key != "$ref"}
    applied["allOf"] = [*as_list(schema.get("allOf")), {"$ref": schema["$ref"]}]
    return applied


def ref_annotated(target: dict[str, Any], schema: Any) -> dict[str, Any]:
    """A property's dereferenced schema `target` with the keywords written beside its
    `$ref` (`readOnly`, `default`, `description`...), which 3.1 applies: theirs win."""
    if not isinstance(schema, dict) or "$ref" not in schema or len(schema) == 1:
        return target
    return target | {key: value for key, value in schema.items() if key != "$ref"}


def allof_parts(
    deref: Callable[[Any, Where], tuple[Any, Where] | None],
    schema: dict[str, Any],
    where: Where,
    seen: set[Where],
) -> list[tuple[dict[str, Any], Where]]:
    """`schema` and, depth first, every `allOf` part it includes (`$ref`s followed by
    `deref`), each place once: those in `seen` are left out, and added to it."""
    if where in seen:
        return []
    seen.add(where)
    parts: list[tuple[dict[str, Any], Where]] = []
    for index, part in enumerate(as_list(schema.get("allOf"))):
        found = deref(part, where.child("allOf", index))
        if found is not None and isinstance(found[0], dict):
            parts.extend(allof_parts(deref, found[0], found[1], seen))
    parts.append((schema, where))
    return parts


def implied_types(schema: dict[str, Any]) -> list[str]:
    """The type a schema without `type` implies by its keywords (none: [])."""
    if "items" in schema or "prefixItems" in schema:
        return ["array"]
    if "properties" in schema or "additionalProperties" in schema:
        return ["object"]
    return []


def schema_types(schema: dict[str, Any]) -> set[str]:
    """The names in a schema's `type` (one that names no type: as text, unknown)."""
    t = schema.get("type")
    if isinstance(t, str):
        return {t}
    if isinstance(t, list):
        return {_type_text(x) for x in t}
    return set() if "type" not in schema else {_type_text(t)}


def _type_text(value: Any) -> str:
    """A `type` entry as messages show it: a string as it is, an object as JSON."""
    if isinstance(value, str) or value is None:
        return str(value)  # (`None`: YAML's unquoted null, said so where it is refused)
    return json.dumps(value, ensure_ascii=False, default=str)


def with_null(schema: dict[str, Any], t: TypeExpr) -> TypeExpr:
    """`t`, nullable when `schema` says null is a value (see `allows_null`)."""
    return Nullable(t) if allows_null(schema) else t


def allows_null(schema: dict[str, Any]) -> bool:
    """Whether `schema` says null is a value: 3.0 `nullable`, a `null` type, `null`
    among the enum's values."""
    kind = schema.get("type")
    enum = schema.get("enum")
    return (
        schema.get("nullable") is True
        or "null" in (kind if isinstance(kind, list) else (kind,))
        or (isinstance(enum, list) and None in enum)
    )
