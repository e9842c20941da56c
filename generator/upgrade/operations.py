"""Swagger 2.0 -> OpenAPI 3.0 for paths: parameters, request bodies (`in: body`,
`in: formData`), responses and their headers, per-operation `consumes`/`produces`.

Each new node whose place differs from its 2.0 source is recorded in `Context.sources`
(new pointer -> 2.0 pointer, same document), which is how findings about the upgraded
document point at the 2.0 file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..builder.media import json_media
from ..diagnostics import pointer_join
from .schemas import VALUE_KEYS, convert_schema, items_schema, rewrite_ref

__all__ = ["Context", "convert_param", "convert_response", "upgrade_paths"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_FORM = "application/x-www-form-urlencoded"
_MOVING = ("body", "formData")
_MULTIPART = "multipart/form-data"
# `$ref` of a parameter -> (the parameter, its pointer when in this document)
Resolve = Callable[[dict[str, Any]], tuple[Any, str | None]]


@dataclass
class Context:
    consumes: list[str]
    produces: list[str]
    resolve: Resolve
    on_ref: Callable[[str], None] | None = None
    sources: dict[str, str] = field(default_factory=dict)
    # the servers of the spec's `host` and `basePath` with these `schemes`
    servers: Callable[[Any], list[dict[str, Any]]] | None = None
    # what the upgrade leaves out, to warn of: (pointer in the 2.0 document, message)
    dropped: list[tuple[str, str]] = field(default_factory=list)


def upgrade_paths(paths: dict[str, Any], where: str, ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, item in paths.items():
        item_where = pointer_join(where, path)
        out[path] = _path_item(item, item_where, ctx) if isinstance(item, dict) else item
    return out


def _path_item(item: dict[str, Any], where: str, ctx: Context) -> dict[str, Any]:
    ref = item.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):  # 2.0: a path item in another file
        found, _ = ctx.resolve(item)  # upgraded here, as 2.0 (that file may hold no more)
        if isinstance(found, dict):
            item = {**found, **{k: v for k, v in item.items() if k != "$ref"}}
    shared: list[Any] = item["parameters"] if isinstance(item.get("parameters"), list) else []
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key in METHODS and isinstance(value, dict):
            out[key] = _operation(value, pointer_join(where, key), shared, where, ctx)
        elif key == "parameters" and isinstance(value, list):
            kept = _plain_params(list(enumerate(value)), where, ctx)
            if kept:
                out[key] = kept
        elif key == "$ref":
            out[key] = rewrite_ref(value)
        else:
            out[key] = value
    return out


def _media(value: Any, fallback: list[str]) -> list[str]:
    if isinstance(value, list):
        return list(dict.fromkeys(v for v in value if isinstance(v, str)))
    return fallback


def _identity(param: dict[str, Any]) -> tuple[str, str]:
    """What tells parameters apart (name and location), as text: a list given as a
    name (validation says what is wrong) is one as well."""
    return str(param.get("name")), str(param.get("in"))


def _operation(
    op: dict[str, Any], where: str, shared: list[Any], item_where: str, ctx: Context
) -> dict[str, Any]:
    own: list[Any] = op["parameters"] if isinstance(op.get("parameters"), list) else []
    consumes = _media(op.get("consumes"), ctx.consumes)
    produces = _media(op.get("produces"), ctx.produces)
    payload: list[tuple[dict[str, Any], str]] = []  # body or formData parameters
    plain: list[tuple[int, Any]] = []
    overridden: set[tuple[str, str]] = set()
    for index, raw in enumerate(own):
        param, pointer = _deref(raw, where, index, ctx)
        if isinstance(param, dict):
            overridden.add(_identity(param))
            if param.get("in") in ("body", "formData"):
                payload.append((param, pointer))
                continue
        plain.append((index, raw))
    for index, raw in enumerate(shared):
        param, pointer = _deref(raw, item_where, index, ctx)
        if (
            isinstance(param, dict)
            and param.get("in") in ("body", "formData")
            and _identity(param) not in overridden
        ):
            payload.append((param, pointer))
    out: dict[str, Any] = {}
    body = _request_body(payload, consumes, where, ctx)
    for key, value in op.items():
        if key == "schemes" and ctx.servers is not None and (own := ctx.servers(value)):
            out["servers"] = own  # swagger2openapi: the operation's own servers
            ctx.sources[pointer_join(where, "servers")] = pointer_join(where, key)
        if key in ("consumes", "produces", "schemes"):
            continue
        if key == "parameters":
            kept = _plain_params(plain, where, ctx)
            if kept:
                out[key] = kept
        elif key == "responses" and isinstance(value, dict):
            out[key] = _responses(value, pointer_join(where, key), produces, ctx)
        else:
            out[key] = value
        if key == "parameters" and body is not None:
            out["requestBody"] = body
    if body is not None and "requestBody" not in out:
        out["requestBody"] = body
    if "responses" not in out:
        out["responses"] = {"default": {"description": "Default response"}}
    return out


def _deref(raw: Any, where: str, index: int, ctx: Context) -> tuple[Any, str]:
    """Parameter `index` of `where`, following its `$ref`, and the pointer to report
    it at (spelled out only for body and formData parameters, which move)."""
    if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
        found, pointer = ctx.resolve(raw)
        if pointer is None and isinstance(found, dict) and found.get("in") in _MOVING:
            pointer = pointer_join(where, "parameters", index)
        return found, pointer or ""
    if isinstance(raw, dict) and raw.get("in") in _MOVING:
        return raw, pointer_join(where, "parameters", index)
    return raw, ""


def _plain_params(entries: list[tuple[int, Any]], where: str, ctx: Context) -> list[Any]:
    """Query, header, path and cookie parameters (body and formData ones left out)."""
    out: list[Any] = []
    for old_index, raw in entries:
        moved = old_index != len(out)
        old = pointer_join(where, "parameters", old_index) if moved else ""
        new = pointer_join(where, "parameters", len(out)) if moved else ""
        if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
            target, _ = ctx.resolve(raw)
            if isinstance(target, dict) and target.get("in") in ("body", "formData"):
                continue
            out.append({**raw, "$ref": rewrite_ref(raw["$ref"])})
        elif isinstance(raw, dict):
            if raw.get("in") in ("body", "formData"):
                continue
            out.append(convert_param(raw))
        else:
            out.append(raw)
        if moved:
            ctx.sources[new] = old
    return out


def convert_param(param: dict[str, Any]) -> dict[str, Any]:
    """A 2.0 query, header or path parameter: its type keys become `schema`,
    `collectionFormat` becomes `style`/`explode`, `x-example` the `example`."""
    out: dict[str, Any] = {}
    for key, value in param.items():
        if key in VALUE_KEYS or key in ("collectionFormat", "x-nullable", "schema"):
            continue
        out["example" if key == "x-example" else key] = value
    location = param.get("in")
    if location == "path":
        out["required"] = True
    schema = items_schema(param if "type" in param else {**param, "type": "string"})
    if param.get("type") == "array":
        out.update(_style(param.get("collectionFormat") or "csv", location))
    out["schema"] = schema  # `.../schema` is placed by `UpgradedDocument`'s rules
    return out


def _style(collection_format: Any, location: Any) -> dict[str, Any]:
    if collection_format == "csv":
        if location in ("query", "cookie"):
            return {"style": "form", "explode": False}
        return {"style": "simple"}
    if collection_format == "multi":
        return {"explode": True}
    if collection_format in ("ssv", "pipes", "tsv"):  # in path and header too (builder)
        style = {"ssv": "spaceDelimited", "pipes": "pipeDelimited", "tsv": "tabDelimited"}
        return {"style": style[collection_format]}
    return {}


def _request_body(
    payload: list[tuple[dict[str, Any], str]], consumes: list[str], where: str, ctx: Context
) -> dict[str, Any] | None:
    if not payload:
        return None
    body_where = pointer_join(where, "requestBody")
    first, first_where = payload[0]
    ctx.sources[body_where] = first_where
    kind = first.get("in")
    for param, param_where in payload[1:]:  # 2.0: one body, or form fields, not both
        own = param.get("in")
        if kind == "body" or own == "body":
            what = "a second `body` parameter"
            if own != kind:
                what = f"a `{own}` parameter beside a `{kind}` one"
            message = f"{what} (Swagger 2.0: one body, or form fields): left out"
            ctx.dropped.append((param_where, message))
    if kind == "body":
        return _json_body(first, first_where, consumes, body_where, ctx)
    form = [(p, w) for p, w in payload if p.get("in") == "formData"]
    has_file = any(p.get("type") == "file" for p, _ in form)
    media = _MULTIPART if has_file or _MULTIPART in consumes else _FORM
    properties: dict[str, Any] = {}
    required: list[str] = []
    encoding: dict[str, Any] = {}  # an urlencoded array's collectionFormat (csv: a,b)
    schema_where = pointer_join(body_where, "content", media, "schema")
    for param, param_where in form:
        name = str(param.get("name"))
        properties[name] = _form_property(param)
        if media == _FORM and param.get("type") == "array":
            encoding[name] = _style(param.get("collectionFormat") or "csv", "query")
        ctx.sources[pointer_join(schema_where, "properties", name)] = param_where
        if param.get("required") is True and name not in required:
            required.append(name)
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    body: dict[str, Any] = {"content": {media: {"schema": schema}}}
    if any(encoding.values()):
        body["content"][media]["encoding"] = {k: v for k, v in encoding.items() if v}
    if required:
        schema["required"] = required
        body["required"] = True
    return body


def _form_property(param: dict[str, Any]) -> dict[str, Any]:
    prop: dict[str, Any] = {}
    if isinstance(param.get("description"), str):
        prop["description"] = param["description"]
    if "x-example" in param:
        prop["example"] = param["x-example"]
    prop.update(items_schema(param))
    prop.update({k: v for k, v in param.items() if k.startswith("x-") and k != "x-example"})
    return prop


def _json_body(
    param: dict[str, Any], param_where: str, consumes: list[str], where: str, ctx: Context
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if isinstance(param.get("description"), str):
        body["description"] = param["description"]
    if param.get("required"):
        body["required"] = param["required"]
    content: dict[str, Any] = {}
    for media in consumes or ["application/json"]:
        content[media] = {"schema": convert_schema(param.get("schema") or {}, ctx.on_ref)}
        ctx.sources[pointer_join(where, "content", media, "schema")] = pointer_join(
            param_where, "schema"
        )
    body["content"] = content
    body.update({k: v for k, v in param.items() if k.startswith("x-")})
    return body


def _responses(
    responses: dict[str, Any], where: str, produces: list[str], ctx: Context
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for code, given in responses.items():
        here = pointer_join(where, code)
        resp, old = given, here
        if isinstance(given, dict) and "$ref" in given and produces != ctx.produces:
            # a shared response written for the spec's `produces`: this operation's
            # own `produces` overrides it, so it is converted here, for those types
            found, pointer = ctx.resolve(given)
            if isinstance(found, dict) and "$ref" not in found:
                resp, old = found, pointer or here
        out[code] = convert_response(resp, here, old, produces, ctx)
    return out


def convert_response(resp: Any, where: str, old: str, produces: list[str], ctx: Context) -> Any:
    """`schema` -> `content` per produced media type (`*/*` when none is declared),
    `examples` -> each media type's example, headers' types -> their `schema`."""
    if not isinstance(resp, dict):
        return resp
    if isinstance(resp.get("$ref"), str):
        return {**resp, "$ref": rewrite_ref(resp["$ref"])}
    out: dict[str, Any] = {}
    for key, value in resp.items():
        if key == "headers" and isinstance(value, dict):
            out[key] = _headers(value, pointer_join(where, key), pointer_join(old, key), ctx)
        elif key not in ("schema", "examples"):
            out[key] = value
    if out.get("description") is None:
        out["description"] = ""
    examples: dict[str, Any] = resp["examples"] if isinstance(resp.get("examples"), dict) else {}
    content: dict[str, Any] = {}
    if "schema" in resp:
        for media in _produced(resp["schema"], produces):
            entry: dict[str, Any] = {"schema": convert_schema(resp["schema"], ctx.on_ref)}
            if media in examples:
                entry["examples"] = {"response": {"value": examples[media]}}
            content[media] = entry
    for media, example in examples.items():
        content.setdefault(media, {"examples": {"response": {"value": example}}})
    if content:
        out["content"] = content
    return out


def _produced(schema: Any, produces: list[str]) -> list[str]:
    """The media types a response of `schema` comes in: those produced (`*/*` when
    none is declared); a `type: file` one (a download) in those that are not JSON,
    else `application/octet-stream` (a global `produces: [application/json]` does not
    make a file JSON)."""
    if isinstance(schema, dict) and schema.get("type") == "file":
        files = [m for m in produces if not json_media(m)]
        return files or ["application/octet-stream"]
    return produces or ["*/*"]


def _headers(headers: dict[str, Any], where: str, old: str, ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, header in headers.items():
        if str(name).lower() == "status code" or not isinstance(header, dict):
            continue
        converted = {
            k: v for k, v in header.items() if k not in VALUE_KEYS and k != "collectionFormat"
        }
        converted["schema"] = items_schema(header)
        out[name] = converted
    return out
