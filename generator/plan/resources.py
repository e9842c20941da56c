"""Plans of the resource modules: endpoints, methods and their docstrings."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from ..imports import ImportSet
from ..ir import (
    Alias,
    Api,
    Body,
    ListOf,
    Nullable,
    Operation,
    Param,
    PartEncoding,
    Prim,
    Ref,
    Resource,
    Response,
    TupleOf,
    TypeExpr,
    UnionOf,
)
from ..literals import py_literal, py_tuple
from ..pytypes import DecoderDef, Definitions, Types
from .common import (
    _check_args,
    _doc,
    _module,
    _parameter,
    _resource_class_names,
    generic_opening,
    resource_doc,
    resource_ref,
)
from .contexts import (
    ArgContext,
    OperationContext,
    ResourceContext,
    ResourceRef,
)
from .pagination import pager_context
from .streams import stream_returns, with_stream

# How resource modules reach the models (in functions only: importing a resource
# module does not import the models of all its operations).
MAX_ALIASES = 64  # aliases followed to the type a body is (a cycle ends there)
_MODELS = "_models."


def _response_decoder(types: Types, response: Response) -> str:
    """How the endpoint reads `response` (a `_response` helper, imported here)."""
    if response.kind == "empty":
        name = "NO_CONTENT"
    elif response.kind == "raw" or response.type is None:
        name = "RAW"
    elif response.kind == "text" and response.type != Prim("str"):  # a scalar's text
        types.imports.add(".._response", "scalar_text_response")
        return f"scalar_text_response({types.decoder(response.type)})"
    elif response.kind == "text":
        name = "text_response"
    elif response.kind == "binary":
        name = "bytes_response"
    else:  # a string for any media type (`*/*`): a text answer is the string
        name = "json_response"
        if response.type == Prim("str") and "*" in (response.media_type or ""):
            name = "json_or_text_response"
        types.imports.add(".._response", name)
        return f"{name}({types.decoder(response.type)})"
    types.imports.add(".._response", name)
    return name


def _return_annotation(types: Types, successes: tuple[Response, ...]) -> str:
    parts: list[str] = []
    for r in successes or (Response("2XX", None, None, "raw", None),):
        if r.kind == "empty":
            text = "None"
        elif r.kind == "raw" or r.type is None:
            types.imports.add_module("httpx")
            text = "httpx.Response"
        else:
            text = types.annotation(r.type)
        parts.append(text)
    unique = list(dict.fromkeys(parts))
    if "None" in unique and len(unique) > 1:
        unique.remove("None")
        unique.append("None")
    return " | ".join(unique)


def _call(callee: str, arguments: Sequence[tuple[str, str]]) -> str:
    """`callee(name=value, ...)`: keyword arguments only, so that a declaration reads
    without its class's field order (no bare `False` or strings in a row)."""
    return f"{callee}({', '.join(f'{name}={value}' for name, value in arguments)})"


def _param_literal(p: Param, types: Types) -> str:
    arguments = [
        ("name", py_literal(p.wire_name)),
        ("location", py_literal(p.location)),
        ("style", py_literal(p.style)),
        ("explode", py_literal(p.explode)),
    ]
    if p.allow_reserved:
        arguments.append(("allow_reserved", "True"))
    if p.media_type is not None:
        arguments.append(("media_type", py_literal(p.media_type)))
    checks = _check_args(p.constraints, types.choices(p.type))
    if checks:
        arguments.append(("checks", f"dict({checks})"))
    arguments.append(("python_name", py_literal(p.python_name)))
    return _call("Param", arguments)


def _body_literal(
    body: Body, types: Types, is_model: str | None = None, takes_list: bool = False
) -> str:
    arguments = [
        ("media_type", py_literal(body.media_type)),
        ("kind", py_literal(body.kind)),
    ]
    model = body.type.inner if isinstance(body.type, Nullable) else body.type
    if body.kind != "binary" and types.is_model(model):
        # a model checks itself; a dict is decoded into it (null: nothing to check)
        arguments.append(("decode", types.decoder(model)))
    elif checks := _check_args(body.constraints, types.choices(body.type)):
        arguments.append(("checks", f"dict({checks})"))
    if is_model is not None:
        arguments.append(("is_model", is_model))
    if takes_list:
        arguments.append(("takes_list", "True"))
    if body.parts:
        types.imports.add(".._bodies", "Part")
        parts = (f"{py_literal(p.name)}: {_part_literal(p)}" for p in body.parts)
        arguments.append(("parts", "{" + ", ".join(parts) + "}"))
    if body.is_positional:
        arguments.append(("positional", "True"))
    if body.prefix_parts:
        types.imports.add(".._bodies", "Part")
        arguments.append(("prefix", py_tuple([_part_literal(p) for p in body.prefix_parts])))
    if body.item_part is not None:
        types.imports.add(".._bodies", "Part")
        arguments.append(("items", _part_literal(body.item_part)))
    if body.media_range is not None:
        arguments.append(("media_range", py_literal(body.media_range)))
    return _call("Body", arguments)


def _part_literal(part: PartEncoding) -> str:
    """`Part(...)`: how one property or item of a form or multipart body is written."""
    arguments: list[tuple[str, str]] = []
    if part.content_type is not None:
        arguments.append(("content_type", py_literal(part.content_type)))
    if part.is_json:
        arguments.append(("json", "True"))
    if part.headers:
        pairs = [py_tuple([py_literal(k), py_literal(v)]) for k, v in part.headers]
        arguments.append(("headers", py_tuple(pairs)))
    if part.style is not None:
        arguments.append(("style", py_literal(part.style)))
        arguments.append(("explode", py_literal(bool(part.explode))))
    if part.allow_reserved:
        arguments.append(("allow_reserved", "True"))
    return _call("Part", arguments)


def _other_bodies(op: Operation, types: Types, checkers: dict[str, DecoderDef]) -> str:
    """`other_bodies=`: the body's other media types. A body given without
    `content_type=` goes to the first whose kind or model its type matches (a list: the
    first taking one), else to the default (`_choose_body`): the first media type of
    each other model names its `_is_<Model>` check (added to `checkers`)."""
    assert op.body is not None
    claimed = {op.body.type}
    literals: list[str] = []
    for body in op.other_bodies:
        check = None
        if isinstance(body.type, Ref) and types.is_model(body.type) and body.type not in claimed:
            claimed.add(body.type)
            check = f"_is_{body.type.name}"
            # the decoder named in `decode=` imported the models package as `_MODELS`
            model = f"{_MODELS}{body.type.name}"
            checkers[check] = DecoderDef(check, "bool", f"isinstance(value, {model})")
        literals.append(_body_literal(body, types, check, _takes_list(types, body)))
    return py_tuple(literals)


def _accepts_dict(types: Types, t: TypeExpr) -> bool:
    """Whether a body of type `t` is a model (or a union of models) that a plain dict
    may stand for."""
    if isinstance(t, UnionOf):
        return any(types.is_model(o) for o in t.options)
    return types.is_model(t.inner if isinstance(t, Nullable) else t)


def _takes_list(types: Types, body: Body) -> bool:
    """Whether a JSON body of this media type is an array (through null and aliases):
    of several media types, a list goes to the first such one."""
    t: TypeExpr = body.type
    for _ in range(MAX_ALIASES):
        t = t.inner if isinstance(t, Nullable) else t
        target = types.defs.get(t.name) if isinstance(t, Ref) else None
        if not isinstance(target, Alias):
            break
        t = target.target
    return body.kind == "json" and isinstance(t, (ListOf, TupleOf))


def _operation_doc(op: Operation, types: Types, returns: str) -> str:
    """The method's docstring; `returns`: what it returns, as the docstring shows it."""
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
    if op.body is not None and op.other_bodies:
        text = (op.body.description or "The request body.") + _media_choice(types, op.bodies)
        arg_lines.append(
            textwrap.fill(
                " ".join(text.split()), 80, initial_indent="    body: ", subsequent_indent=" " * 8
            )
        )
    elif op.body is not None:
        text = op.body.description or f"The request body ({op.body.media_type})."
        arg_lines.append(f"    body: {' '.join(text.split())}")
    if op.other_bodies:
        arg_lines.append(
            "    content_type: The media type to send `body` as (default: chosen by its type)."
        )
    arg_lines += [
        "    extra_headers: Headers added to the request (they win over all others).",
        "    extra_query: Query parameters added to the request.",
        "    timeout: Overrides the client's timeout for this call.",
    ]
    lines += ["", "Args:", *arg_lines]
    success = "; ".join(
        f"{r.status}: {' '.join(r.description.split())}" for r in op.successes if r.description
    )
    lines += ["", "Returns:", f"    {returns}" + (f" ({success})" if success else "")]
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


def _body_members(types: Types, body: Body) -> list[str]:
    """What a body of one media type takes: the members of its annotation."""
    if body.kind in ("binary",):
        types.imports.add("typing", "IO")
        raw = types.builtin("bytes")
        return [raw, f"IO[{raw}]"]
    members = [types.annotation(body.type)]  # a text body: its scalar's (`str`, `UUID`)
    if body.kind in ("json", "form", "multipart") and _accepts_dict(types, body.type):
        types.imports.add("typing", "Any")
        members.append(f"{types.builtin('dict')}[{types.builtin('str')}, Any]")
    return members


def _media_choice(types: Types, bodies: Sequence[Body]) -> str:
    """How the media type of a body is chosen, as the runtime does (`_choose_body`)."""
    ways: dict[str, str] = {}
    for body in bodies[1:]:
        if body.kind == "binary":
            ways.setdefault("bytes or a file", body.media_type)
        elif body.kind == "text":
            ways.setdefault("a str", body.media_type)
        elif _takes_list(types, body) and not _takes_list(types, bodies[0]):
            ways.setdefault("a list", body.media_type)
        elif (
            isinstance(body.type, Ref) and types.is_model(body.type) and body.type != bodies[0].type
        ):
            ways.setdefault(f"a `{body.type.name}`", body.media_type)
    chosen = "".join(f" {value}: {media};" for value, media in ways.items())
    return (
        f" Its media type follows its type:{chosen} anything else:"
        f" {bodies[0].media_type}. `content_type` chooses one explicitly."
    )


def _bodies_annotation(types: Types, bodies: Sequence[Body]) -> str:
    """What `body=` takes: the union of what its media types take, in their order."""
    members = (member for body in bodies for member in _body_members(types, body))
    return " | ".join(dict.fromkeys(members))


def _content_type_annotation(types: Types, bodies: Sequence[Body]) -> str:
    types.imports.add("typing", "Literal")
    return f"Literal[{', '.join(py_literal(b.media_type) for b in bodies)}] | Unset"


def _operation(
    types: Types, op: Operation, base_url: str | None, checkers: dict[str, DecoderDef]
) -> OperationContext:
    # what the template prints for every operation: its `Endpoint`, the arguments every
    # method has, and its raw-response wrappers
    types.imports.add(".._base_client", "Endpoint")
    types.imports.add(".._types", "UNSET", "Headers", "Query", "Timeout", "Unset")
    types.imports.add(".._response", "async_to_raw_response_wrapper", "to_raw_response_wrapper")
    constant = "_" + op.python_name.upper().lstrip("_")
    returns = _return_annotation(types, op.successes)
    positional: list[ArgContext] = []
    keyword: list[ArgContext] = []
    for p in op.params:
        annotation = types.annotation(p.type)
        if p.location == "path":
            positional.append(_parameter(p.python_name, annotation, None))
        elif p.is_required:
            keyword.append(_parameter(p.python_name, annotation, None))
        else:
            keyword.append(_parameter(p.python_name, annotation + " | Unset", "UNSET"))
    bodies = op.bodies
    if op.body is not None:
        annotation = _bodies_annotation(types, bodies)
        if op.body.is_required:
            keyword.insert(0, _parameter("body", annotation, None))
        else:
            keyword.append(_parameter("body", annotation + " | Unset", "UNSET"))
    if op.other_bodies:
        annotation = _content_type_annotation(types, bodies)
        keyword.append(_parameter("content_type", annotation, "UNSET"))
    keyword.sort(key=lambda a: a.default is not None)  # stable: required ones first
    names = [p.python_name for p in op.params]
    args_tuple = py_tuple(names)
    fields: list[tuple[str, str]] = [
        ("method", py_literal(op.method)),
        ("path", py_literal(op.path)),
        *([("accept", py_literal(", ".join(op.accept)))] if op.accept else []),
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
        types.imports.add(".._response", "RAW")
        fields[-1] = ("responses", '{"2XX": RAW}')
    if op.params:
        types.imports.add(".._base_client", "Param")
        fields.append(("params", py_tuple([_param_literal(p, types) for p in op.params])))
    if op.body is not None:
        types.imports.add(".._base_client", "Body")
        first = _takes_list(types, op.body) and bool(op.other_bodies)
        fields.append(("body", _body_literal(op.body, types, takes_list=first)))
    if op.other_bodies:
        fields.append(("other_bodies", _other_bodies(op, types, checkers)))
    if op.security:
        alternatives = [py_tuple([py_literal(n) for n in alt]) for alt in op.security]
        fields.append(("security", py_tuple(alternatives)))
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
    streamed = stream_returns(types, op)
    sync_returns, async_returns = streamed or (returns, returns)
    shown = f"`{sync_returns}`" + (
        f" (`{async_returns}` from the async client)" if streamed else ""
    )
    return OperationContext(
        name=op.python_name,
        constant=constant,
        opening=generic_opening(constant, "Endpoint", returns),
        sync_returns=sync_returns,
        async_returns=async_returns,
        positional=tuple(positional),
        keyword=tuple(keyword),
        args_tuple=args_tuple,
        body_arg=op.body is not None,
        content_type_arg=bool(op.other_bodies),
        doc=_operation_doc(op, types, shown),
        endpoint_fields=tuple(fields),
        is_deprecated=op.is_deprecated,
        pager=pager_context(types, op, constant),
    )


def _resource(api: Api, index: Definitions, resource: Resource) -> ResourceContext:
    # models are reached as `_models.Name` inside decoder functions: importing a
    # resource module does not import the models of all its operations
    methods = frozenset(op.python_name for op in resource.operations)
    types = Types(index, model_prefix=_MODELS, shadowed=methods)
    checkers: dict[str, DecoderDef] = {}  # `_is_<Model>`: bodies chosen by type
    operations = tuple(
        with_stream(types, op, _operation(types, op, api.base_url, checkers))
        for op in resource.operations
    )
    # what the template prints around the operations: the resource classes (their
    # `with_raw_response` is a cached property)
    imports = types.imports
    imports.add("functools", "cached_property")
    imports.add(".._base_client", "AsyncResource", "SyncResource")
    if any(op.pager is not None for op in operations):
        imports.add(".._pagination", "aiterate", "iterate")
        imports.add("collections.abc", "AsyncIterator", "Iterator")
    checking = ImportSet()  # models and nested resources named by annotations only
    if types.models_used:
        checking.add("..models", *sorted(types.models_used))
    children: list[ResourceRef] = []
    for child in (r for r in api.resources if r.python_name in resource.children):
        module = f".{_module(child)}"
        checking.add(module, *_resource_class_names(child.class_name))
        children.append(resource_ref(child, module))
    if checking.lines():
        imports.add("typing", "TYPE_CHECKING")
    doc = resource_doc(resource)
    names = _resource_class_names(resource.class_name)
    return ResourceContext(
        docstring=_doc(
            f"{resource.tag or 'Untagged operations'}: {doc}" if resource.tag else doc, 0
        ),
        imports=imports.lines(),
        type_checking_imports=checking.lines(),
        all_names=tuple(sorted(names)),
        decoders=types.decoders + tuple(checkers[name] for name in sorted(checkers)),
        class_name=resource.class_name,
        doc=_doc(doc, 4),
        operations=operations,
        children=tuple(children),
    )
