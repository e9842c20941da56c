"""Stage 5a, plan: the `Api` IR -> one prepared context per generated file.

Everything a template prints is decided here: identifiers (already final in the IR),
annotations, decoder and encoder expressions, literals, docstrings and imports. The
contexts are frozen dataclasses; templates only loop over them and print.
Template contexts are an unstable API (`--templates` overrides may read them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files

from .imports import ImportSet
from .ir import (
    Api,
    Constraints,
    Definition,
    EnumDef,
    Field,
    JsonScalar,
    MapOf,
    Model,
    Operation,
    Param,
    PyIdent,
    Resource,
    Response,
    TypeExpr,
)
from .literals import docblock, py_literal, toml_string
from .load import split_pointer
from .names import NameTable, snake
from .pytypes import DecoderDef, Definitions, Types

__all__ = ["RUNTIME_FILES", "FilePlan", "plan", "runtime_sources"]

RUNTIME_FILES = (
    "_auth.py",
    "_base_client.py",
    "_bodies.py",
    "_params.py",
    "_response.py",
    "_serde.py",
    "_types.py",
    "errors.py",
)


@dataclass(frozen=True, slots=True)
class FilePlan:
    """One output file: a template and its context, or static source."""

    path: str
    template: str | None
    context: object
    source: str | None = None


# -- contexts ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InitContext:
    docstring: str
    version: str
    client_names: tuple[str, ...]
    type_names: tuple[str, ...]
    all_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CredentialArg:
    name: str
    annotation: str
    doc: str


@dataclass(frozen=True, slots=True)
class SchemeEntry:
    name: str
    constructor: str


@dataclass(frozen=True, slots=True)
class ResourceRef:
    attribute: str
    module: str
    class_name: str
    doc: str


@dataclass(frozen=True, slots=True)
class ClientContext:
    docstring: str
    imports: tuple[str, ...]
    type_checking_imports: tuple[str, ...]
    default_base_url: str
    user_agent: str
    schemes: tuple[SchemeEntry, ...]
    credentials: tuple[CredentialArg, ...]
    resources: tuple[ResourceRef, ...]
    sync_doc: str
    async_doc: str
    sync_init_doc: str
    async_init_doc: str
    root_class: str | None
    root_methods: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FieldContext:
    name: str
    wire_key: str
    annotation: str
    default: str | None
    doc: str | None
    decode: tuple[str, ...]  # lines run before `value` is read
    value: str
    encode: str
    is_required: bool
    check: str | None
    nested: bool


@dataclass(frozen=True, slots=True)
class ModelContext:
    name: str
    doc: str | None
    fields: tuple[FieldContext, ...]
    keys: str
    extra_annotation: str | None
    extra_decode: str | None
    extra_encode: str | None
    has_checks: bool


@dataclass(frozen=True, slots=True)
class AliasContext:
    name: str
    value: str
    doc: str | None


@dataclass(frozen=True, slots=True)
class ModelsContext:
    docstring: str
    imports: tuple[str, ...]
    all_names: tuple[str, ...]
    enums: tuple[AliasContext, ...]
    models: tuple[ModelContext, ...]
    aliases: tuple[AliasContext, ...]
    decoders: tuple[DecoderDef, ...]
    # imports of the other models this module uses, after its own definitions:
    # modules that refer to each other then import in either order
    late_imports: tuple[str, ...]
    type_checking_imports: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ModelExport:
    name: str
    module: str


@dataclass(frozen=True, slots=True)
class ModelsInitContext:
    docstring: str
    names: tuple[ModelExport, ...]
    all_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ArgContext:
    name: str
    annotation: str
    default: str | None


@dataclass(frozen=True, slots=True)
class OperationContext:
    name: str
    constant: str
    return_annotation: str
    positional: tuple[ArgContext, ...]
    keyword: tuple[ArgContext, ...]
    args_tuple: str
    body_arg: bool
    doc: str
    endpoint_fields: tuple[tuple[str, str], ...]
    is_deprecated: bool


@dataclass(frozen=True, slots=True)
class ResourceContext:
    docstring: str
    imports: tuple[str, ...]
    type_checking_imports: tuple[str, ...]
    all_names: tuple[str, ...]
    decoders: tuple[DecoderDef, ...]
    class_name: str
    doc: str
    operations: tuple[OperationContext, ...]


# -- planning ---------------------------------------------------------------------


def runtime_sources() -> dict[str, str]:
    """The static runtime modules, as shipped in `templates/runtime/`."""
    folder = files("generator.templates").joinpath("runtime")
    return {name: folder.joinpath(name).read_text(encoding="utf-8") for name in RUNTIME_FILES}


def plan(api: Api, *, meta: tuple[str, ...] = ()) -> list[FilePlan]:
    """Every file of the package, in a fixed order.

    With `meta` containing "pyproject", the folder becomes an installable project:
    `pyproject.toml` and `README.md` at its root, the package below it.
    """
    index = Definitions(api.definitions)
    files = _package_files(api, index)
    if "pyproject" not in meta:
        return [*files, FilePlan("README.md", "README.md.jinja", _readme(api, index))]
    prefix = api.package_name.replace(".", "/") + "/"
    return [
        *(FilePlan(prefix + f.path, f.template, f.context, f.source) for f in files),
        FilePlan("README.md", "README.md.jinja", _readme(api, index)),
        FilePlan("pyproject.toml", "pyproject.toml.jinja", _pyproject(api)),
    ]


def _package_files(api: Api, index: Definitions) -> list[FilePlan]:
    out = [
        FilePlan("__init__.py", "__init__.py.jinja", _init(api)),
        FilePlan("_client.py", "_client.py.jinja", _client(api)),
        *_models(api, index),
        FilePlan("resources/__init__.py", "resources_init.py.jinja", _resources_init(api)),
    ]
    resources = [*api.resources, *([api.root] if api.root is not None else [])]
    for resource in resources:
        out.append(
            FilePlan(
                f"resources/{_module(resource)}.py",
                "resource.py.jinja",
                _resource(api, index, resource),
            )
        )
    for name, source in runtime_sources().items():
        out.append(FilePlan(name, None, None, source))
    out.append(FilePlan("py.typed", None, None, ""))
    return out


def _module(resource: Resource) -> str:
    return resource.python_name


def _doc(text: str, indent: int) -> str:
    return docblock(text, indent)


def _title(api: Api) -> str:
    return api.title


def _init(api: Api) -> InitContext:
    clients = ("AsyncClient", "Client")
    types = ("UNSET", "Unset")
    doc = f"Python client of the {_title(api)} (version {api.version})."
    if api.summary:
        doc += "\n\n" + api.summary
    return InitContext(
        docstring=_doc(doc, 0),
        version=py_literal(api.version),
        client_names=clients,
        type_names=types,
        all_names=tuple(sorted((*clients, *types, "__version__"))),
    )


def _scheme_constructor(api: Api, name: str) -> str:
    scheme = next(s for s in api.security_schemes if s.python_name == name)
    if scheme.kind == "bearer":
        return "HttpBearer()"
    if scheme.kind == "basic":
        return "HttpBasic()"
    return f"ApiKey({py_literal(scheme.location)}, {py_literal(scheme.param_name)})"


def _client(api: Api) -> ClientContext:
    imports = ImportSet()
    imports.add("functools", "cached_property")
    imports.add("typing", "TYPE_CHECKING")
    imports.add_module("httpx")
    imports.add("._types", "Headers", "Timeout")
    imports.add("._base_client", "AsyncAPIClient", "SecurityScheme", "SyncAPIClient")
    schemes: list[SchemeEntry] = []
    credentials: list[CredentialArg] = []
    for scheme in api.security_schemes:
        constructor = _scheme_constructor(api, scheme.python_name)
        imports.add("._base_client", constructor.split("(")[0])
        schemes.append(SchemeEntry(py_literal(scheme.python_name), constructor))
        annotation = "tuple[str, str] | None" if scheme.kind == "basic" else "str | None"
        what = {
            "bearer": "sent as `Authorization: Bearer <value>`",
            "basic": "a `(user, password)` tuple for HTTP basic authentication",
            "api_key": f"sent in the {scheme.location} `{scheme.param_name}`",
        }[scheme.kind]
        doc = f"Credential of the `{scheme.wire_name}` security scheme, {what}."
        if scheme.description:
            doc += " " + scheme.description
        credentials.append(CredentialArg(scheme.python_name, annotation, doc))
    checking = ImportSet()
    refs: list[ResourceRef] = []
    for resource in api.resources:
        module = f".resources.{_module(resource)}"
        names = _resource_class_names(resource.class_name)
        checking.add(module, *names)
        refs.append(
            ResourceRef(
                resource.python_name,
                module,
                resource.class_name,
                _doc(resource.description or f"Operations tagged `{resource.tag}`.", 8),
            )
        )
    root_class = root_methods = None
    if api.root is not None:
        module = f".resources.{_module(api.root)}"
        imports.add(module, *_resource_class_names(api.root.class_name))
        root_class = api.root.class_name
        root_methods = tuple(op.python_name for op in api.root.operations)
    args_doc = "\n".join(
        [
            "Args:",
            "    base_url: The server URL; defaults to the spec's first server"
            + (f" ({api.base_url})." if api.base_url else "."),
            *(f"    {c.name}: {c.doc}" for c in credentials),
            "    timeout: Seconds (or an `httpx.Timeout`) per request; default 60.",
            "    max_retries: Retries of connection errors, 408, 429 and 5xx responses.",
            "    default_headers: Headers sent with every request.",
            "    http_client: An `httpx` client to send requests with (transport, proxies,"
            " event hooks); base URL, credentials, timeout and retries still apply.",
        ]
    )
    return ClientContext(
        docstring=_doc(f"The clients of the {_title(api)}.", 0),
        imports=imports.lines(),
        type_checking_imports=checking.lines(),
        default_base_url=py_literal(api.base_url),
        # a header value: printable ASCII only, whatever `info.version` holds
        user_agent=py_literal(
            re.sub(r"[^\x21-\x7e]", "_", f"{api.package_name}/{api.version}") + " (oagen)"
        ),
        schemes=tuple(schemes),
        credentials=tuple(credentials),
        resources=tuple(refs),
        sync_doc=_doc(f"Synchronous client of the {_title(api)}.", 4),
        async_doc=_doc(f"Asynchronous client of the {_title(api)}.", 4),
        sync_init_doc=_doc(f"Create a client.\n\n{args_doc}", 8),
        async_init_doc=_doc(f"Create an async client.\n\n{args_doc}", 8),
        root_class=root_class,
        root_methods=root_methods or (),
    )


def _resource_class_names(class_name: str) -> tuple[str, ...]:
    return (
        class_name,
        f"Async{class_name}",
        f"{class_name}WithRawResponse",
        f"Async{class_name}WithRawResponse",
    )


def _resources_init(api: Api) -> InitContext:
    return InitContext(
        docstring=_doc(
            f"Resources of the {_title(api)}: one module per tag, imported on first use.", 0
        ),
        version="",
        client_names=(),
        type_names=(),
        all_names=(),
    )


# -- README and pyproject -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SnippetContext:
    title: str
    code: str


@dataclass(frozen=True, slots=True)
class SectionContext:
    heading: str
    snippets: tuple[SnippetContext, ...]


@dataclass(frozen=True, slots=True)
class ReadmeContext:
    title: str
    summary: str
    package: str
    version: str
    setup: str
    sections: tuple[SectionContext, ...]


@dataclass(frozen=True, slots=True)
class PyprojectContext:
    distribution: str
    version: str
    description: str
    package: str
    subpackages: str


_PEP440 = re.compile(r"\d+(\.\d+)*")


def _markdown_text(text: str) -> str:
    """Spec text as one line of Markdown prose (no markup, no HTML, no control or
    bidi characters: those are written as escapes)."""
    flat = "".join(
        ch if ch.isprintable() and unicodedata.category(ch) != "Cf" else f"\\u{ord(ch):04x}"
        for ch in " ".join(text.split())
    )
    for char, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        flat = flat.replace(char, escaped)
    return re.sub(r"([\\`*_\[\]#|])", r"\\\1", flat)


def _placeholder(types: Types, t: TypeExpr, name: str) -> str:
    annotation = types.annotation(t)
    if annotation == "str":
        return py_literal(name)
    if annotation in ("int", "float"):
        return "1"
    if annotation == "bool":
        return "True"
    return "..."


def _snippet(types: Types, api: Api, resource: Resource, op: Operation) -> SnippetContext:
    args = [_placeholder(types, p.type, p.python_name) for p in op.params if p.location == "path"]
    args += [
        f"{p.python_name}={_placeholder(types, p.type, p.python_name)}"
        for p in op.params
        if p.location != "path" and p.is_required
    ]
    if op.body is not None and op.body.is_required:
        body = f"{types.annotation(op.body.type)}(...)" if types.is_model(op.body.type) else "..."
        args.append(f"body={body}")
    target = "client" if resource.tag is None else f"client.{resource.python_name}"
    code = f"result = {target}.{op.python_name}({', '.join(args)})"
    title = f"`{op.python_name}`: `{op.method} {_markdown_text(op.path)}`"
    if op.summary:
        title += " " + _markdown_text(op.summary)
    return SnippetContext(title, code)


def _readme(api: Api, index: Definitions) -> ReadmeContext:
    types = Types(index)
    credentials = ", ".join(f'{s.python_name}="..."' for s in api.security_schemes)
    base = "" if api.base_url else 'base_url="https://...", '
    setup = f"from {api.package_name} import Client\n\n"
    setup += f"client = Client({base}{credentials})".replace(", )", ")")
    sections: list[SectionContext] = []
    resources = [*api.resources, *([api.root] if api.root is not None else [])]
    for resource in resources:
        heading = "client" if resource.tag is None else f"client.{resource.python_name}"
        snippets = tuple(_snippet(types, api, resource, op) for op in resource.operations)
        sections.append(SectionContext(heading, snippets))
    return ReadmeContext(
        title=_markdown_text(api.title),
        summary=_markdown_text(api.summary or api.description or ""),
        package=api.package_name,
        version=_markdown_text(api.version),
        setup=setup,
        sections=tuple(sections),
    )


def _pyproject(api: Api) -> PyprojectContext:
    version = api.version if _PEP440.fullmatch(api.version) else "0.0.0"
    return PyprojectContext(
        distribution=toml_string(api.package_name.replace(".", "-").replace("_", "-")),
        version=toml_string(version),
        description=toml_string(" ".join(f"Python client of the {api.title}".split())),
        package=toml_string(api.package_name),
        subpackages=toml_string(api.package_name + ".*"),
    )


# -- models -----------------------------------------------------------------------


def _check_args(constraints: Constraints, choices: tuple[JsonScalar, ...] | None) -> str:
    """`min_items=1, maximum=5` for `_serde.check`, or "" when nothing is checked."""
    parts: list[str] = []
    for name in Constraints.__slots__:
        value = getattr(constraints, name)
        if value is None or value is False:
            continue
        parts.append(f"{name}={py_literal(value)}")
    if choices is not None:
        parts.append(f"choices=({', '.join(py_literal(c) for c in choices)},)")
    return ", ".join(parts)


def _field_doc(f: Field) -> str | None:
    parts: list[str] = []
    if f.description:
        parts.append(f.description)
    if f.has_default and not f.is_required:
        parts.append(f"Server default: `{py_literal(f.default)}`.")
    if f.is_read_only:
        parts.append("Read-only: set by the server.")
    if f.is_deprecated:
        parts.append("Deprecated.")
    parts.append(f"JSON name: `{f.wire_name}`.")
    return _doc("\n\n".join(parts), 4)


def _model(types: Types, model: Model) -> ModelContext:
    fields: list[FieldContext] = []
    has_checks = False
    for f in model.fields:
        annotation = types.annotation(f.type)
        choices = types.choices(f.type)
        default: str | None = None
        if choices is not None and len(choices) == 1 and f.is_required:
            default = py_literal(choices[0])  # a const: its only value
        if not f.is_required:
            annotation += " | Unset"
            default = "UNSET"
        check_args = _check_args(f.constraints, choices)
        decode_lines, value = types.inline_decode(
            f.type, py_literal(f.wire_name), required=f.is_required
        )
        field_path = f'f"{{path}}.{f.python_name}"'
        has_checks = has_checks or bool(check_args)
        fields.append(
            FieldContext(
                name=f.python_name,
                wire_key=py_literal(f.wire_name),
                annotation=annotation,
                default=default,
                doc=_field_doc(f),
                decode=decode_lines,
                value=value,
                encode=types.encoder(f.type, f"self.{f.python_name}"),
                is_required=f.is_required,
                check=f"_serde.check(self.{f.python_name}, {field_path}, {check_args})"
                if check_args
                else None,
                nested=types.has_models(f.type),
            )
        )
    extra_annotation = extra_decode = extra_encode = None
    if model.extra is not None:
        extra_annotation = types.annotation(model.extra)
        is_any = extra_annotation == "Any"
        extra_decode = (
            "_serde.extra(d, cls._KEYS)"
            if is_any
            else f"_serde.extra(d, cls._KEYS, {types.decoder(model.extra)})"
        )
        extra_encode = types.encoder(MapOf(model.extra), "self.additional_properties")
    keys = (
        "frozenset({" + ", ".join(py_literal(f.wire_name) for f in model.fields) + "})"
        if model.fields
        else "frozenset[str]()"
    )
    return ModelContext(
        name=model.name,
        doc=_doc(model.description or f"The `{model.name}` object.", 4),
        fields=tuple(fields),
        keys=keys,
        extra_annotation=extra_annotation,
        extra_decode=extra_decode,
        extra_encode=extra_encode,
        has_checks=has_checks,
    )


def _models(api: Api, index: Definitions) -> list[FilePlan]:
    """The `models` package: a module per component schema (holding the inline models
    named after it too), the enums in one, and an `__init__` that imports a model's
    module on first use (PEP 562)."""
    modules = _model_modules(api)
    title = _title(api)
    groups: dict[str, list[Definition]] = {}
    for d in api.definitions:
        groups.setdefault(modules[d.name], []).append(d)
    out: list[FilePlan] = []
    for module, members in groups.items():
        if module == "_enums":
            doc = f"Enumerations of the {title}."
        else:
            kind = "model" if isinstance(members[0], Model) else "type"
            doc = f"The `{members[0].name}` {kind} of the {title}"
            doc += " and the models inside it." if len(members) > 1 else "."
        out.append(
            FilePlan(
                f"models/{module}.py",
                "models.py.jinja",
                _model_module(api, index, members, modules, doc),
            )
        )
    names = tuple(sorted(modules.items()))
    init = ModelsInitContext(
        docstring=_doc(
            f"Data models of the {title}.\n\nEach schema's models live in a module of their "
            "own, imported the first time one is used: `from <package>.models import Name` "
            "works as usual.",
            0,
        ),
        names=tuple(ModelExport(name, module) for name, module in names),
        all_names=tuple(name for name, _ in names),
    )
    return [FilePlan("models/__init__.py", "models_init.py.jinja", init), *out]


def _group_key(pointer: str) -> tuple[str, str] | None:
    """What a definition belongs with: its component schema, or the path it is
    inline in; None for a definition on its own."""
    segments = split_pointer(pointer)
    if len(segments) >= 3 and segments[:2] == ["components", "schemas"]:
        return ("schema", segments[2])
    if len(segments) >= 2 and segments[0] == "paths":
        return ("path", segments[1])
    return None


def _model_modules(api: Api) -> dict[str, str]:
    """Definition name -> module name: `_session_summary` for `SessionSummary` and the
    inline models inside its schema, `_enums` for every enum."""
    table = NameTable({"_enums", "__init__"})
    modules: dict[str, str] = {}
    by_group: dict[tuple[str, str], str] = {}
    for d in api.definitions:
        if isinstance(d, EnumDef):
            modules[d.name] = "_enums"
            continue
        key = _group_key(d.pointer)
        module = by_group.get(key) if key is not None else None
        if module is None:
            module = table.claim("_" + snake(d.name, "model"))
            if key is not None:
                by_group[key] = module
        modules[d.name] = module
    return modules


def _model_module(
    api: Api,
    index: Definitions,
    definitions: Sequence[Definition],
    modules: dict[str, str],
    doc: str,
) -> ModelsContext:
    types = Types(index)
    if any(not isinstance(d, Model) for d in definitions):
        types.imports.add("typing", "TypeAlias")
    enums: list[AliasContext] = []
    models: list[ModelContext] = []
    aliases: list[AliasContext] = []
    for d in definitions:
        if isinstance(d, EnumDef):
            types.imports.add("typing", "Literal")
            value = f"Literal[{', '.join(py_literal(v) for v in d.values)}]"
            enums.append(
                AliasContext(d.name, value, _doc(d.description, 0) if d.description else None)
            )
        elif isinstance(d, Model):
            types.imports.add("dataclasses", "dataclass", "field")
            types.imports.add("typing", "Any")
            types.imports.add("..", "_serde")
            types.imports.add(".._types", "UNSET", "Unset")
            models.append(_model(types, d))
        else:
            # quoted: evaluated by type checkers only, so the models it names (imported
            # after the definitions, to allow cycles) need not exist yet at import time
            value = py_literal(types.annotation(d.target))
            aliases.append(
                AliasContext(d.name, value, _doc(d.description, 0) if d.description else None)
            )
    decoders = types.decoders
    if any("_serde." in dec.body for dec in decoders):
        types.imports.add("..", "_serde")
    own = {d.name for d in definitions}
    late = ImportSet()  # models: their `from_dict` runs, so they are imported
    checking = ImportSet()  # enums and aliases: only annotations name them
    for name in sorted(types.models_used - own):
        target = late if isinstance(index.by_name[PyIdent(name)], Model) else checking
        target.add("." + modules[name], name)
    if checking.lines():
        types.imports.add("typing", "TYPE_CHECKING")
    return ModelsContext(
        docstring=_doc(doc, 0),
        imports=types.imports.lines(),
        all_names=tuple(sorted(own)),
        enums=tuple(enums),
        models=tuple(models),
        aliases=tuple(aliases),
        decoders=decoders,
        late_imports=late.lines(),
        type_checking_imports=checking.lines(),
    )


# -- resources --------------------------------------------------------------------


def _response_decoder(types: Types, response: Response) -> str:
    if response.kind == "empty":
        return "NO_CONTENT"
    if response.kind == "raw" or response.type is None:
        return "RAW"
    if response.kind == "text":
        return "text_response"
    if response.kind == "binary":
        return "bytes_response"
    return f"json_response({types.decoder(response.type)})"


def _return_annotation(types: Types, successes: tuple[Response, ...]) -> str:
    parts: list[str] = []
    for r in successes or (Response("2XX", None, None, "raw", None),):
        if r.kind == "empty":
            text = "None"
        elif r.kind == "raw" or r.type is None:
            text = "httpx.Response"
        else:
            text = types.annotation(r.type)
        parts.append(text)
    unique = list(dict.fromkeys(parts))
    if "None" in unique and len(unique) > 1:
        unique.remove("None")
        unique.append("None")
    return " | ".join(unique)


def _param_literal(p: Param, types: Types) -> str:
    args = [
        py_literal(p.wire_name),
        py_literal(p.location),
        py_literal(p.style),
        py_literal(p.explode),
    ]
    if p.allow_reserved:
        args.append("allow_reserved=True")
    checks = _check_args(p.constraints, types.choices(p.type))
    if checks:
        args.append(f"checks=dict({checks})")
    args.append(f"python_name={py_literal(p.python_name)}")
    return f"Param({', '.join(args)})"


def _tuple(items: Sequence[str]) -> str:
    """A tuple display: `()`, `(a,)` or `(a, b)` (no magic trailing comma)."""
    if len(items) == 1:
        return f"({items[0]},)"
    return "(" + ", ".join(items) + ")"


def _operation_doc(op: Operation, types: Types, returns: str) -> str:
    lines: list[str] = []
    lines.append(op.summary or f"{op.method} {op.path}")
    if op.description and op.description != op.summary:
        lines += ["", op.description]
    if op.is_deprecated:
        lines += ["", "Deprecated."]
    lines += [
        "",
        f"`{op.method} {op.path}`"
        + (f" (operationId `{op.operation_id}`)" if op.operation_id else "")
        + ".",
    ]
    arg_lines: list[str] = []
    for p in op.params:
        text = p.description or f"The {p.location} parameter `{p.wire_name}`."
        if p.has_default:
            text += f" Server default: `{py_literal(p.default)}`."
        if p.description:
            text += f" ({p.location} `{p.wire_name}`)"
        arg_lines.append(f"    {p.python_name}: {' '.join(text.split())}")
    if op.body is not None:
        text = op.body.description or f"The request body ({op.body.media_type})."
        arg_lines.append(f"    body: {' '.join(text.split())}")
    arg_lines += [
        "    extra_headers: Headers added to the request (they win over all others).",
        "    extra_query: Query parameters added to the request.",
        "    timeout: Overrides the client's timeout for this call.",
    ]
    lines += ["", "Args:", *arg_lines]
    success = "; ".join(
        f"{r.status}: {' '.join(r.description.split())}" for r in op.successes if r.description
    )
    lines += ["", "Returns:", f"    `{returns}`" + (f" ({success})" if success else "")]
    raises = ["    APIStatusError: A non-2xx response (a subclass per status)."]
    if op.errors:
        codes = ", ".join(r.status for r in op.errors)
        raises[0] = f"    APIStatusError: A non-2xx response; the spec declares {codes}."
    raises += [
        "    APIConnectionError: The server could not be reached.",
        "    RequestValidationError: An argument breaks the spec's constraints (nothing sent).",
    ]
    lines += ["", "Raises:", *raises]
    return _doc("\n".join(lines), 8)


def _body_annotation(types: Types, op: Operation) -> str:
    assert op.body is not None
    body = op.body
    if body.kind in ("binary",):
        types.imports.add("typing", "IO")
        return "bytes | IO[bytes]"
    if body.kind == "text":
        return "str"
    annotation = types.annotation(body.type)
    if body.kind in ("json", "form", "multipart") and types.accepts_dict(body.type):
        types.imports.add("typing", "Any")
        annotation += " | dict[str, Any]"
    return annotation


def _operation(types: Types, op: Operation, base_url: str | None) -> OperationContext:
    constant = "_" + op.python_name.upper().lstrip("_")
    returns = _return_annotation(types, op.successes)
    positional: list[ArgContext] = []
    keyword: list[ArgContext] = []
    for p in op.params:
        annotation = types.annotation(p.type)
        if p.location == "path":
            positional.append(ArgContext(p.python_name, annotation, None))
        elif p.is_required:
            keyword.append(ArgContext(p.python_name, annotation, None))
        else:
            keyword.append(ArgContext(p.python_name, annotation + " | Unset", "UNSET"))
    if op.body is not None:
        annotation = _body_annotation(types, op)
        if op.body.is_required:
            keyword.insert(0, ArgContext("body", annotation, None))
        else:
            keyword.append(ArgContext("body", annotation + " | Unset", "UNSET"))
    keyword.sort(key=lambda a: a.default is not None)  # stable: required ones first
    names = [p.python_name for p in op.params]
    args_tuple = _tuple(names)
    fields: list[tuple[str, str]] = [
        ("method", py_literal(op.method)),
        ("path", py_literal(op.path)),
        (
            "responses",
            "{"
            + ", ".join(
                f"{py_literal(r.status)}: {_response_decoder(types, r)}" for r in op.successes
            )
            + "}",
        ),
    ]
    if not op.successes:
        fields[2] = ("responses", '{"2XX": RAW}')
    if op.params:
        fields.append(("params", _tuple([_param_literal(p, types) for p in op.params])))
    if op.body is not None:
        body_args = [py_literal(op.body.media_type), py_literal(op.body.kind)]
        if op.body.kind != "binary" and types.is_model(op.body.type):
            body_args.append(f"decode={types.decoder(op.body.type)}")
        fields.append(("body", f"Body({', '.join(body_args)})"))
    if op.security:
        alternatives = [_tuple([py_literal(n) for n in alt]) for alt in op.security]
        fields.append(("security", _tuple(alternatives)))
    error_decoders = [
        f"{py_literal(r.status)}: {types.decoder(r.type)}"
        for r in op.errors
        if r.kind == "json" and r.type is not None
    ]
    if error_decoders:
        fields.append(("errors", "{" + ", ".join(error_decoders) + "}"))
    if op.idempotency_header:
        fields.append(("idempotency_header", py_literal(op.idempotency_header)))
    if op.server_url is not None and op.server_url != base_url:
        fields.append(("server", py_literal(op.server_url)))
    return OperationContext(
        name=op.python_name,
        constant=constant,
        return_annotation=returns,
        positional=tuple(positional),
        keyword=tuple(keyword),
        args_tuple=args_tuple,
        body_arg=op.body is not None,
        doc=_operation_doc(op, types, returns),
        endpoint_fields=tuple(fields),
        is_deprecated=op.is_deprecated,
    )


def _resource(api: Api, index: Definitions, resource: Resource) -> ResourceContext:
    # models are reached as `_models.Name` inside decoder functions: importing a
    # resource module does not import the models of all its operations
    types = Types(index, model_prefix="_models.")
    operations = tuple(_operation(types, op, api.base_url) for op in resource.operations)
    imports = types.imports
    text = " ".join(v for op in operations for _, v in op.endpoint_fields)
    text += " ".join(op.return_annotation for op in operations)
    imports.add("functools", "cached_property")
    if "_serde." in text or any("_serde." in d.body for d in types.decoders):
        imports.add("..", "_serde")
    imports.add(".._base_client", "AsyncResource", "Endpoint", "SyncResource")
    for name in ("Param", "Body"):
        if f"{name}(" in text:
            imports.add(".._base_client", name)
    response_names = ["async_to_raw_response_wrapper", "to_raw_response_wrapper"]
    response_names += [
        n
        for n in ("NO_CONTENT", "RAW", "bytes_response", "json_response", "text_response")
        if n in text
    ]
    imports.add(".._response", *response_names)
    imports.add(".._types", "UNSET", "Headers", "Query", "Timeout", "Unset")
    if "httpx." in text:
        imports.add_module("httpx")
    checking = ImportSet()
    if types.models_used:
        checking.add("..models", *sorted(types.models_used))
        imports.add("typing", "TYPE_CHECKING")
    if any("_models." in d.body for d in types.decoders):
        imports.add("..", "models as _models")
    doc = resource.description or (
        f"Operations tagged `{resource.tag}`." if resource.tag else "Operations without a tag."
    )
    names = _resource_class_names(resource.class_name)
    return ResourceContext(
        docstring=_doc(
            f"{resource.tag or 'Untagged operations'}: {doc}" if resource.tag else doc, 0
        ),
        imports=imports.lines(),
        type_checking_imports=checking.lines(),
        all_names=tuple(sorted(names)),
        decoders=types.decoders,
        class_name=resource.class_name,
        doc=_doc(doc, 4),
        operations=operations,
    )
