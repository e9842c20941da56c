"""The template contexts: records (frozen dataclasses, see `records`) of prepared
values (an unstable API: `--templates` overrides may read them)."""

from __future__ import annotations

from ..pytypes import DecoderDef
from ..records import record


@record
class InitContext:
    docstring: str
    version: str
    client_names: tuple[str, ...]
    type_names: tuple[str, ...]
    all_names: tuple[str, ...]
    oauth2_names: tuple[str, ...] = ()


@record
class CredentialArg:
    name: str
    annotation: str
    doc: str


@record
class SchemeEntry:
    name: str
    constructor: str


@record
class ResourceRef:
    attribute: str
    module: str
    class_name: str
    doc: str


@record
class ClientContext:
    docstring: str
    imports: tuple[str, ...]
    type_checking_imports: tuple[str, ...]
    default_base_url: str
    user_agent: str
    schemes: tuple[SchemeEntry, ...]
    credentials: tuple[CredentialArg, ...]
    env_prefix: str
    resources: tuple[ResourceRef, ...]
    sync_doc: str
    async_doc: str
    sync_init_doc: str
    async_init_doc: str
    root_class: str | None
    root_methods: tuple[str, ...]


@record
class FieldContext:
    name: str
    wire_key: str
    annotation: str
    default: str | None
    doc: str | None
    decode: tuple[str, ...]  # lines run before `value` is read
    value: str
    encode: tuple[str, ...]  # lines adding the field to `out` (unset ones skipped)
    check: str | None
    nested: bool
    fmt_skip: str = ""  # after the declaration: see `common.FMT_SKIP`


@record
class ModelContext:
    name: str
    doc: str | None
    base: str | None  # the model its class extends (None: a class of its own)
    fields: tuple[FieldContext, ...]  # the fields it declares (a base's are not repeated)
    extra_annotation: str | None
    extra_decode: str | None
    extra_encode: str | None
    has_checks: bool  # constraints of its own: checked when an instance is made
    read: str  # the expression giving `d`, the JSON object, in from_dict
    # every field's `decode` lines and assignment / `encode` lines, as indented
    # blocks of from_dict and to_dict (one print instead of a loop per field)
    decode_body: str
    encode_body: str
    # the body of `validate`; None when the model has nothing to check (no constraint
    # of its own, no field holding a model that has one): no `validate` is generated
    validate_body: str | None
    # the start of from_dict that decodes a tagged object as the model extending this
    # one (see `models._dispatch`); None: none
    dispatch: str | None = None


@record
class AliasContext:
    name: str
    value: str
    doc: str | None
    fmt_skip: str = ""  # after the declaration: see `common.FMT_SKIP`


@record
class ModelsContext:
    docstring: str
    imports: tuple[str, ...]
    all_names: tuple[str, ...]
    enums: tuple[AliasContext, ...]
    models: tuple[ModelContext, ...]
    aliases: tuple[AliasContext, ...]
    decoders: tuple[DecoderDef, ...]
    # imports of the other definitions this module uses, after its own: modules that
    # refer to each other then import in either order
    late_imports: tuple[str, ...]


@record
class ModelExport:
    name: str
    module: str


@record
class ModelsInitContext:
    docstring: str
    names: tuple[ModelExport, ...]
    all_names: tuple[str, ...]


@record
class ArgContext:
    name: str
    annotation: str
    default: str | None


@record
class OperationContext:
    name: str
    constant: str
    # `_NAME: Endpoint[R] = Endpoint(`, R what `_request` decodes (see `generic_opening`)
    opening: str
    sync_returns: str  # the methods' (a stream's `Stream[T]` / `AsyncStream[T]`)
    async_returns: str
    positional: tuple[ArgContext, ...]
    keyword: tuple[ArgContext, ...]
    args_tuple: str
    body_arg: bool
    content_type_arg: bool  # the body has several media types: `content_type=`
    doc: str
    endpoint_fields: tuple[tuple[str, str], ...]
    is_deprecated: bool
    pager: PagerContext | None = None

    # streamed operations (`plan.streams`): the `Items` declaration and the wrapping
    # of the `_request` call
    stream_items: ItemsContext | None = None
    sync_open: str = ""
    async_open: str = ""
    call_close: str = ""
    body_expr: str = "body"


@record
class ItemsContext:
    """The `Items` of a streamed operation: how its events or lines are decoded."""

    opening: str  # `_NAME_ITEMS: Items[T] = Items(` (see `generic_opening`)
    items_fields: tuple[tuple[str, str], ...]


@record
class PagerContext:
    """The `name_iter` method of a paginated operation and its `Pager`."""

    name: str  # `list_for_org_iter`
    constant: str  # `_LIST_FOR_ORG_PAGER`
    opening: str  # `_LIST_FOR_ORG_PAGER: Pager[T] = Pager(` (see `generic_opening`)
    item_annotation: str
    pager_fields: tuple[tuple[str, str], ...]
    doc: str


@record
class ResourceContext:
    docstring: str
    imports: tuple[str, ...]
    type_checking_imports: tuple[str, ...]
    all_names: tuple[str, ...]
    decoders: tuple[DecoderDef, ...]
    class_name: str
    doc: str
    operations: tuple[OperationContext, ...]
    # 3.2 nested tags: the resources reached as attributes of this one
    children: tuple[ResourceRef, ...] = ()


@record
class SnippetContext:
    title: str
    code: str


@record
class SectionContext:
    heading: str
    snippets: tuple[SnippetContext, ...]


@record
class ReadmeContext:
    title: str
    summary: str
    package: str
    version: str
    setup: str
    # `(variable, keyword)`: what the clients read from the environment
    environment: tuple[tuple[str, str], ...]
    sections: tuple[SectionContext, ...]
    paginated: tuple[str, ...] = ()
    # "`name`: url (description)" per server, when the spec names them (3.2)
    servers: tuple[str, ...] = ()


@record
class PyprojectContext:
    distribution: str
    version: str
    description: str
    package: str
    subpackages: str
