"""The intermediate representation: frozen, slotted dataclasses only.

`build` produces an `Api`; `plan` and `pytypes` read it. Names are final here
(decided once by `names`), order is spec order, and nothing knows about templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NewType, TypeAlias, Union

__all__ = [
    "NO_CONSTRAINTS",
    "Alias",
    "Api",
    "Body",
    "BodyKind",
    "Constraints",
    "Definition",
    "Discriminator",
    "EnumDef",
    "Field",
    "ItemStream",
    "JsonScalar",
    "JsonValue",
    "ListOf",
    "LiteralOf",
    "MapOf",
    "Model",
    "Nullable",
    "Operation",
    "Param",
    "ParamLocation",
    "Prim",
    "PrimKind",
    "PyIdent",
    "Ref",
    "Resource",
    "Response",
    "ResponseKind",
    "SecurityScheme",
    "TypeExpr",
    "UnionOf",
]

PyIdent = NewType("PyIdent", str)
JsonScalar: TypeAlias = Union[str, int, float, bool, None]
JsonValue: TypeAlias = Union[JsonScalar, list["JsonValue"], dict[str, "JsonValue"]]

PrimKind = Literal[
    "str", "int", "float", "bool", "any", "none",
    "datetime", "date", "time", "uuid", "base64", "binary", "file",
]  # fmt: skip
# "binary": raw bytes of a whole body or response; "file": a `format: binary`
# property (a multipart part): bytes, a file object or a (name, content, type) tuple.


@dataclass(frozen=True, slots=True)
class Prim:
    kind: PrimKind


@dataclass(frozen=True, slots=True)
class ListOf:
    item: TypeExpr


@dataclass(frozen=True, slots=True)
class MapOf:
    value: TypeExpr


@dataclass(frozen=True, slots=True)
class Ref:
    """A named definition (`Model`, `EnumDef` or `Alias`) of `Api.definitions`."""

    name: PyIdent


@dataclass(frozen=True, slots=True)
class Discriminator:
    wire_name: str
    mapping: tuple[tuple[str, PyIdent], ...]


@dataclass(frozen=True, slots=True)
class UnionOf:
    options: tuple[TypeExpr, ...]
    discriminator: Discriminator | None = None


@dataclass(frozen=True, slots=True)
class LiteralOf:
    values: tuple[JsonScalar, ...]


@dataclass(frozen=True, slots=True)
class Nullable:
    inner: TypeExpr


TypeExpr: TypeAlias = Union[Prim, ListOf, MapOf, Ref, UnionOf, LiteralOf, Nullable]


@dataclass(frozen=True, slots=True)
class Constraints:
    """JSON Schema validation keywords that requests are checked against."""

    minimum: int | float | None = None
    maximum: int | float | None = None
    exclusive_minimum: int | float | None = None
    exclusive_maximum: int | float | None = None
    multiple_of: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    min_properties: int | None = None
    max_properties: int | None = None


NO_CONSTRAINTS = Constraints()  # what most schemas have: shared, compared by identity


@dataclass(frozen=True, slots=True)
class Field:
    wire_name: str
    python_name: PyIdent
    type: TypeExpr
    is_required: bool
    has_default: bool
    default: JsonValue
    description: str | None
    constraints: Constraints
    is_read_only: bool
    is_write_only: bool
    is_deprecated: bool
    pointer: str


@dataclass(frozen=True, slots=True)
class Model:
    """An object schema: one dataclass. `extra` types additional properties
    (None: they are ignored)."""

    name: PyIdent
    fields: tuple[Field, ...]
    extra: TypeExpr | None
    description: str | None
    pointer: str


@dataclass(frozen=True, slots=True)
class EnumDef:
    """An `enum`: a `Literal[...]` alias."""

    name: PyIdent
    values: tuple[JsonScalar, ...]
    description: str | None
    pointer: str


@dataclass(frozen=True, slots=True)
class Alias:
    """Any other named schema (`JsonObject = dict[str, Any]`)."""

    name: PyIdent
    target: TypeExpr
    description: str | None
    pointer: str


Definition: TypeAlias = Union[Model, EnumDef, Alias]
ParamLocation = Literal["path", "query", "header", "cookie"]
BodyKind = Literal["json", "form", "multipart", "binary", "text"]
ResponseKind = Literal["json", "text", "binary", "empty", "raw"]


@dataclass(frozen=True, slots=True)
class Param:
    wire_name: str
    python_name: PyIdent
    location: ParamLocation
    type: TypeExpr
    is_required: bool
    style: str
    explode: bool
    allow_reserved: bool
    constraints: Constraints
    has_default: bool
    default: JsonValue
    description: str | None
    is_deprecated: bool
    pointer: str


@dataclass(frozen=True, slots=True)
class Body:
    media_type: str
    kind: BodyKind
    type: TypeExpr
    is_required: bool
    description: str | None


@dataclass(frozen=True, slots=True)
class Response:
    status: str
    description: str | None
    media_type: str | None
    kind: ResponseKind
    type: TypeExpr | None


@dataclass(frozen=True, slots=True)
class ItemStream:
    """A streamed 2xx response: `framing` "sse", "jsonl" or "json-seq"; `item` types one
    item. For SSE, `is_event`: an item is the event (3.2 `itemSchema`), else the
    decoded `data`; `data_json`: `data` is parsed as JSON first. `sets_stream_flag`:
    the request's JSON body gets `"stream": true`."""

    media_type: str
    framing: Literal["sse", "jsonl", "json-seq"]
    item: TypeExpr
    is_event: bool
    data_json: bool
    sets_stream_flag: bool


@dataclass(frozen=True, slots=True)
class Operation:
    python_name: PyIdent
    operation_id: str | None
    method: str
    path: str
    summary: str | None
    description: str | None
    is_deprecated: bool
    params: tuple[Param, ...]
    body: Body | None
    successes: tuple[Response, ...]
    errors: tuple[Response, ...]
    security: tuple[tuple[PyIdent, ...], ...]
    idempotency_header: str | None
    pointer: str
    # An operation- or path-level `servers` entry (absolute URL), or None.
    server_url: str | None = None
    stream: ItemStream | None = None


@dataclass(frozen=True, slots=True)
class Resource:
    """The operations of one tag (`tag` None: the untagged ones, on the client)."""

    tag: str | None
    python_name: PyIdent
    class_name: PyIdent
    description: str | None
    operations: tuple[Operation, ...]


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    wire_name: str
    python_name: PyIdent
    kind: Literal["bearer", "basic", "api_key"]
    location: Literal["header", "query", "cookie"] | None
    param_name: str | None
    description: str | None


@dataclass(frozen=True, slots=True)
class Api:
    title: str
    version: str
    summary: str | None
    description: str | None
    package_name: str
    spec_name: str
    base_url: str | None
    security_schemes: tuple[SecurityScheme, ...]
    definitions: tuple[Definition, ...]
    resources: tuple[Resource, ...]
    root: Resource | None
