"""The intermediate representation: records only (frozen, slotted dataclasses: see
`records`).

`build` produces an `Api`; `plan` and `pytypes` read it. Names are final here
(decided once by `names`), order is spec order, and nothing knows about templates.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Literal, TypeAlias, Union

from .names import PyIdent
from .records import record

__all__ = [
    "NO_CONSTRAINTS",
    "Alias",
    "Api",
    "Body",
    "BodyKind",
    "Branch",
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
    "Pagination",
    "PaginationStyle",
    "Param",
    "ParamLocation",
    "PartEncoding",
    "Prim",
    "PrimKind",
    "PyIdent",
    "Ref",
    "RequiredSets",
    "Resource",
    "Response",
    "ResponseKind",
    "SecurityScheme",
    "Server",
    "TupleOf",
    "TypeExpr",
    "UnionOf",
]

JsonScalar: TypeAlias = Union[str, int, float, bool, None]
JsonValue: TypeAlias = Union[JsonScalar, list["JsonValue"], dict[str, "JsonValue"]]

PrimKind = Literal[
    "str", "int", "float", "bool", "any", "none",
    "datetime", "date", "time", "uuid", "base64", "binary", "file",
]  # fmt: skip
# "binary": raw bytes of a whole body or response; "file": a file part of a multipart
# body (a `format: binary` property of its schema): bytes, a file object or a
# (name, content, type) tuple. Anywhere else (JSON, forms) `format: binary` is a "str".


# The commonest type expressions spell out their reprs (the dataclass ones, without
# the recursion guard: the IR has no cycles): plan keys digest the IR's repr.


@record
class Prim:
    kind: PrimKind

    def __repr__(self) -> str:
        return f"Prim(kind={self.kind!r})"


@record
class ListOf:
    item: TypeExpr

    def __repr__(self) -> str:
        return f"ListOf(item={self.item!r})"


@record
class TupleOf:
    """A 3.1 `prefixItems` array: `tuple[A, B]` (`rest` None), or with `rest` (the type
    of the items after them) a list of any of the types. `exact`: the schema pins the
    length (`minItems` and `maxItems`, or `items: false`), so a response of another
    length is a mismatch; else (Litestar's tuples say no length) what arrives is
    decoded, as long as it is (JSON Schema lets such an array be shorter or longer)."""

    items: tuple[TypeExpr, ...]
    rest: TypeExpr | None = None
    exact: bool = True


@record
class MapOf:
    value: TypeExpr

    def __repr__(self) -> str:
        return f"MapOf(value={self.value!r})"


@record
class Ref:
    """A named definition (`Model`, `EnumDef` or `Alias`) of `Api.definitions`."""

    name: PyIdent

    def __repr__(self) -> str:
        return f"Ref(name={self.name!r})"


@record
class Discriminator:
    wire_name: str
    mapping: tuple[tuple[str, PyIdent], ...]


@record
class UnionOf:
    options: tuple[TypeExpr, ...]
    discriminator: Discriminator | None = None


@record
class LiteralOf:
    values: tuple[JsonScalar, ...]


@record
class Nullable:
    inner: TypeExpr

    def __repr__(self) -> str:
        return f"Nullable(inner={self.inner!r})"


TypeExpr: TypeAlias = Union[Prim, ListOf, TupleOf, MapOf, Ref, UnionOf, LiteralOf, Nullable]


@record
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
    # The allowed values (`enum`, `const`) where the type does not tell them: inside
    # arrays and anyOf/oneOf branches, a float enum typed `float`, objects and arrays.
    choices: tuple[JsonValue, ...] | None = None
    items: Constraints | None = None  # each array item (after `prefix_items`)
    prefix_items: tuple[Constraints, ...] = ()  # the items of a tuple, by position
    values: Constraints | None = None  # each value of a map (`additionalProperties`)
    # anyOf/oneOf: a value must meet the constraints of one branch of its JSON type
    branches: tuple[Branch, ...] = ()

    def __repr__(self) -> str:
        """`Constraints()` for the shared empty one (most fields': plan keys digest
        the IR's repr, see `plan.reuse`), else every field."""
        if self is NO_CONSTRAINTS:
            return "Constraints()"
        return (
            f"Constraints({', '.join(f'{f.name}={getattr(self, f.name)!r}' for f in fields(self))})"
        )


@record
class Branch:
    """One anyOf/oneOf option of a value: the JSON types it accepts (empty: any) and
    the constraints such a value must meet."""

    kinds: tuple[str, ...]
    constraints: Constraints


NO_CONSTRAINTS = Constraints()  # what most schemas have: shared, compared by identity


@record
class Field:
    """`is_required`: required when sending (a readOnly property never is; a
    writeOnly one, absent from responses, is decoded as optional all the same)."""

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
    # the property a union (or a base model) tells its models apart by, fixed to one
    # value in this model: sent with it unless given, required or not
    is_tag: bool = False


@record
class RequiredSets:
    """anyOf/oneOf branches that only require properties (GitHub: "either `id`, or
    `owner`, `repo` and `number`"): a request must set all the fields of at least one
    set (`exactly_one`, oneOf: of exactly one). The sets hold JSON names."""

    sets: tuple[tuple[str, ...], ...]
    exactly_one: bool


@record
class Model:
    """An object schema: one dataclass. `extra` types additional properties
    (None: they are ignored).

    `base`: the model it extends (`allOf: [$ref: Base, {...}]`) when it is a faithful
    extension of it: `fields` still holds every field, the base's included, unchanged
    but for the discriminator's property, which a subclass may pin to its own tag."""

    name: PyIdent
    fields: tuple[Field, ...]
    extra: TypeExpr | None
    description: str | None
    pointer: str
    required_sets: RequiredSets | None = None
    base: PyIdent | None = None
    # a base model's `discriminator`: the tags of the models extending it, whose
    # `from_dict` decodes an object carrying that tag (the 3.0 inheritance pattern)
    dispatch: Discriminator | None = None


@record
class EnumDef:
    """An `enum`: a `Literal[...]` alias."""

    name: PyIdent
    values: tuple[JsonScalar, ...]
    description: str | None
    pointer: str


@record
class Alias:
    """Any other named schema (`JsonObject = dict[str, Any]`)."""

    name: PyIdent
    target: TypeExpr
    description: str | None
    pointer: str


Definition: TypeAlias = Union[Model, EnumDef, Alias]
ParamLocation = Literal["path", "query", "header", "cookie", "querystring"]
BodyKind = Literal["json", "form", "multipart", "binary", "text"]
ResponseKind = Literal["json", "text", "binary", "empty", "raw"]


@record
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
    # `in: querystring` (3.2): the media type the whole query string is written as
    media_type: str | None = None


@record
class PartEncoding:
    """An Encoding Object of a form or multipart body: how one property (`name`),
    or one item of a 3.2 positional multipart body (`name` ""), is written."""

    name: str
    content_type: str | None  # the part's `Content-Type` (None: by the value's type)
    is_json: bool  # written as JSON text whatever the value's type
    is_file: bool  # a string of it is a file part (its content type is not text)
    headers: tuple[tuple[str, str], ...] = ()  # extra part headers, values fixed by the spec
    style: str | None = None  # urlencoded bodies: as a query parameter's
    explode: bool | None = None
    allow_reserved: bool = False


@record
class Body:
    """One media type of a request body (`is_required` and `description` are the
    request body's: the same for each of its media types).

    `parts` are the `encoding` of a form or multipart body's properties; a 3.2
    multipart body whose schema is an array (`multipart/mixed`) is a sequence of
    parts encoded by position: `prefix_parts` first, then `item_part` for the rest.
    `constraints`: those of a body that is no model (a model checks itself)."""

    media_type: str
    kind: BodyKind
    type: TypeExpr
    is_required: bool
    description: str | None
    parts: tuple[PartEncoding, ...] = ()
    prefix_parts: tuple[PartEncoding, ...] = ()
    item_part: PartEncoding | None = None
    is_positional: bool = False
    constraints: Constraints = NO_CONSTRAINTS
    media_range: str | None = None  # a binary body declared under a range (`image/*`)


@record
class Response:
    status: str
    description: str | None
    media_type: str | None
    kind: ResponseKind
    type: TypeExpr | None


@record
class ItemStream:
    """A streamed 2xx response: `framing` "sse", "jsonl" or "json-seq"; `item` types one
    item. For SSE, `is_event`: an item is the event (3.2 `itemSchema`), else the
    decoded `data`; `data_json`: `data` is parsed as JSON first (`json_events`: only
    that of these events); `integer_id`: the event's `id` (text on the wire) is
    typed an integer. `sets_stream_flag`: the request's JSON body gets
    `"stream": true`."""

    media_type: str
    framing: Literal["sse", "jsonl", "json-seq"]
    item: TypeExpr
    is_event: bool
    data_json: bool
    sets_stream_flag: bool
    json_events: tuple[str, ...] = ()
    integer_id: bool = False


@record
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
    pagination: Pagination | None = None
    # The media types the responses declare (success and error), JSON first: `Accept`.
    accept: tuple[str, ...] = ()
    # The request body's other media types (spec order); `body` is the default one.
    other_bodies: tuple[Body, ...] = ()

    stream: ItemStream | None = None

    @property
    def bodies(self) -> tuple[Body, ...]:
        """The request body's media types, the default first (none: no body)."""
        return ((self.body,) if self.body is not None else ()) + self.other_bodies


PaginationStyle = Literal["cursor", "offset", "page", "next_link"]


@record
class Pagination:
    """How an operation's pages follow each other (`x-oagen-pagination`, or a
    recognised pattern when `is_inferred`). Field paths are JSON names from the body."""

    style: PaginationStyle
    items: tuple[str, ...]  # where the items are: () the body is the array
    item_type: TypeExpr
    param: str | None = None  # cursor / offset / page parameter (wire name)
    size_param: str | None = None  # limit / page size parameter (wire name)
    cursor: tuple[str, ...] | None = None  # the next cursor in the body
    cursor_item_field: str | None = None  # ... or this field of the last item
    has_more: tuple[str, ...] | None = None  # a boolean: false on the last page
    next_url: tuple[str, ...] | None = None  # next_link: a URL field (else `Link`)
    # offset / page: the offset or page number the server starts at when `param` is
    # not sent (the parameter's default, else its minimum, else 0 / 1); else None
    first: int | None = None
    is_inferred: bool = False
    reason: str = ""


@record
class Resource:
    """The operations of one tag (`tag` None: the untagged ones, on the client).

    A 3.2 nested tag (`parent`) is a resource reached through its parent's:
    `attribute_path` is the chain of attributes from the client (`("pets", "toys")`),
    `children` the `python_name`s of the resources nested in this one."""

    tag: str | None
    python_name: PyIdent
    class_name: PyIdent
    description: str | None
    operations: tuple[Operation, ...]
    summary: str | None = None
    attribute_path: tuple[PyIdent, ...] = ()
    children: tuple[PyIdent, ...] = ()


@record
class SecurityScheme:
    wire_name: str
    python_name: PyIdent
    kind: Literal["bearer", "basic", "api_key", "http"]
    location: Literal["header", "query", "cookie"] | None
    param_name: str | None
    description: str | None
    # oauth2 (kind "bearer"): the token endpoints of its flows, and their scopes
    token_url: str | None = None
    refresh_url: str | None = None
    has_client_credentials: bool = False
    # kind "http": the scheme as the spec writes it (`Authorization: <scheme> <value>`)
    http_scheme: str | None = None
    # oauth2 (3.2): the `deviceAuthorization` flow's endpoint, the authorization
    # server's metadata (RFC 8414) URL; and whether the scheme is deprecated
    device_authorization_url: str | None = None
    metadata_url: str | None = None
    is_deprecated: bool = False


@record
class Server:
    """A top-level server: its URL as written, and its 3.2 `name`."""

    url: str
    name: str | None
    description: str | None


@record
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
    servers: tuple[Server, ...] = ()
