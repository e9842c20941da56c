"""Path items -> operations: parameters, bodies, responses and security, named once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostics, Where
from ..ir import (
    NO_CONSTRAINTS,
    Body,
    ListOf,
    Operation,
    Param,
    ParamLocation,
    Prim,
    PyIdent,
    Response,
    ResponseKind,
    TypeExpr,
)
from ..names import PARAM_RESERVED, NameTable, pascal, snake
from ..resolve import Resolver
from .docs import described, doc_text
from .encoding import body_encoding, named_parts
from .media import (
    accept_list,
    binary_schema,
    body_hints,
    body_kind,
    is_json,
    pick_media,
    returned,
    sent_as,
)
from .nesting import check_nesting
from .objects import json_value, schema_types
from .routes import TEMPLATE_VAR, Route, route
from .schemas import SchemaBuilder
from .security import requirements
from .servers import check_servers, server_url
from .streams import StreamBuilder

__all__ = ["HTTP_METHODS", "DraftOperation", "OperationBuilder", "path_operations"]

# The fixed operation fields of a path item (3.2 adds `query`); any other method is
# under `additionalOperations`, keyed by the method as it is sent.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
_LOCATIONS: tuple[ParamLocation, ...] = ("path", "query", "header", "cookie", "querystring")
_DEFAULT_STYLE: dict[ParamLocation, str] = {
    "path": "simple", "query": "form", "header": "simple", "cookie": "form",
    "querystring": "querystring",
}  # fmt: skip
# Each location's styles (others: its default); 2.0's delimited ones in path and header too
_DELIMITED = ("spaceDelimited", "pipeDelimited", "tabDelimited")
_STYLES: dict[ParamLocation, tuple[str, ...]] = {
    "path": ("simple", "label", "matrix", *_DELIMITED), "header": ("simple", *_DELIMITED),
    "cookie": ("form",), "query": ("form", *_DELIMITED, "deepObject"),
}  # fmt: skip
_FORM = "application/x-www-form-urlencoded"
# An operation's parameters (its path item's too), by location and name.
_Declared = dict[tuple[ParamLocation, str], tuple[dict[str, Any], Where]]
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token (header, cookie names)
_STATUS_KEY = re.compile(r"[1-5](?:[0-9][0-9]|XX)|DEFAULT")  # upper-cased response keys
_EMPTY_STATUSES = frozenset({"204", "205", "304"})
_IDEMPOTENCY_HEADER = "idempotency-key"
_RESERVED_KEPT = ("allowReserved", "x-oagen-allow-reserved", "x-ms-skip-url-encoding")  # Azure's


@dataclass(frozen=True, slots=True)
class DraftOperation:
    """An operation whose method name is not claimed yet (`python_name` is empty):
    names are unique per resource, and resources are only known once all are built."""

    tag: str | None
    name_hint: str
    operation: Operation


class OperationBuilder:
    def __init__(
        self,
        base_url: str | None,
        resolver: Resolver,
        schemas: SchemaBuilder,
        sink: Diagnostics,
        global_security: Any,
        scheme_names: dict[str, PyIdent | None],
    ) -> None:
        self._base_url = base_url
        self._resolver = resolver
        # 2.0 has no such rule: springfox's specs declare `Authorization` so, to be sent
        kept = ("authorization",) if resolver.spec.root.is_upgraded else ()
        self._ignored_headers = {"accept", "content-type", "authorization"} - set(kept)
        self._schemas = schemas
        self._sink = sink
        self._global_security = global_security
        self._scheme_names = scheme_names
        self._streams = StreamBuilder(resolver, schemas)

    def build_all(self, paths: Any, where: Where) -> list[DraftOperation]:
        if not isinstance(paths, dict):
            return []
        drafts: list[DraftOperation] = []
        ids: dict[str, str] = {}  # operationId -> the first operation that has it
        for path, raw_item in paths.items():
            found = self._resolver.deref(raw_item, where.child(path))
            if found is None or not isinstance(found[0], dict):
                continue
            item, item_where = found
            check_servers(item.get("servers"), item_where.child("servers"), self._sink)
            extra = item.get("additionalOperations")
            for key in (str(k) for k in (extra if isinstance(extra, dict) else ())):
                if key != key.upper():  # HTTP methods are case-sensitive
                    message = f"method {key!r} is sent as {key.upper()!r} (httpx upper-cases"
                    where_key = item_where.child("additionalOperations", key)
                    self._sink.warning(message + " every method)", where_key)
            for method, op, op_where in path_operations(item, item_where):
                self._check_id(op.get("operationId"), f"{method} {path}", ids, op_where)
                draft = self.build(str(path), method, item, item_where, op, op_where)
                if draft is not None:
                    drafts.extend(self._streams.drafts(draft, op, op_where))
        return drafts

    def _check_id(self, op_id: Any, here: str, ids: dict[str, str], where: Where) -> None:
        """Warn at an operationId that an earlier operation has too (OpenAPI requires
        them unique; the methods still get names of their own)."""
        if isinstance(op_id, str) and ids.setdefault(op_id, here) != here:
            message = f"operationId {op_id!r} is not unique: {ids[op_id]} has it too"
            message += " (the generated methods are named apart all the same)"
            self._sink.warning(message, where.child("operationId"))

    def build(
        self,
        path: str,
        method: str,
        item: dict[str, Any],
        item_where: Where,
        op: dict[str, Any],
        where: Where,
    ) -> DraftOperation | None:
        """The operation `op` (at `where`) of `item`, sent with the HTTP `method`."""
        check_servers(op.get("servers"), where.child("servers"), self._sink)
        op_id = op.get("operationId") if isinstance(op.get("operationId"), str) else None
        raw = self._declared(item, item_where, op, where)
        sent = route(path, raw.keys(), where, self._sink)
        path = sent.path
        hint = op_id or f"{method.lower()} {path}"
        op_name = pascal(hint, "Operation")
        bodies = self._bodies(op.get("requestBody"), where.child("requestBody"), op_name)
        # several media types: the methods take `content_type=` too
        reserved = PARAM_RESERVED | {"content_type"} if len(bodies) > 1 else PARAM_RESERVED
        params = self._params(sent, raw, where, op_name, reserved)
        tags = op.get("tags")
        tag = tags[0] if isinstance(tags, list) and tags and isinstance(tags[0], str) else None
        successes, errors, accept = self._responses(
            op.get("responses"), where.child("responses"), op_name
        )
        security = requirements(
            op.get("security", self._global_security), where, self._scheme_names, self._sink
        )
        idempotency = next(
            (
                p.wire_name
                for p in params
                if p.location == "header" and p.wire_name.lower() == _IDEMPOTENCY_HEADER
            ),
            None,
        )
        operation = Operation(
            python_name=PyIdent(""),
            operation_id=op_id,
            method=method,
            path=path,
            summary=doc_text(op, "summary"),
            description=doc_text(op, "description"),
            is_deprecated=op.get("deprecated") is True,
            params=params,
            body=bodies[0] if bodies else None,
            successes=successes,
            errors=errors,
            security=security,
            idempotency_header=idempotency,
            pointer=where.pointer,
            server_url=server_url(op.get("servers") or item.get("servers"), self._base_url),
            accept=accept,
            other_bodies=bodies[1:],
        )
        return DraftOperation(tag, hint, operation)

    # -- parameters ---------------------------------------------------------------

    def _declared(
        self, item: dict[str, Any], item_where: Where, op: dict[str, Any], where: Where
    ) -> _Declared:
        """The parameters of the operation `op` and of its path item `item`, by
        location and name (the operation's override the path item's)."""
        raw: _Declared = {}
        for source, source_where in ((item, item_where), (op, where)):
            values = source.get("parameters")
            if not isinstance(values, list):
                continue
            for index, value in enumerate(values):
                found = self._resolver.deref(value, source_where.child("parameters", index))
                if found is None or not isinstance(found[0], dict):
                    continue
                param, param_where = described(found[0], value), found[1]
                name, location = param.get("name"), _location(param.get("in"))
                if not isinstance(name, str) or location is None:
                    self._sink.error(
                        "a parameter needs a string `name` and a valid `in`", param_where
                    )
                    continue
                if location == "header" and name.lower() in self._ignored_headers:
                    continue  # OpenAPI 3: these header parameters are ignored
                if location in ("header", "cookie") and not _TOKEN.fullmatch(name):
                    self._sink.warning(
                        f"{location} parameter name {name!r} is not a valid HTTP token "
                        "(RFC 9110: no spaces, quotes or separators): every call that "
                        "sends it will be refused by the client",
                        param_where.child("name"),
                    )
                raw[(location, name)] = (param, param_where)
        return raw

    def _params(
        self, sent: Route, raw: _Declared, where: Where, op_name: str, reserved: frozenset[str]
    ) -> tuple[Param, ...]:
        # the path parameters its query string sends: their own names, by new keys
        declared = sent.relocate(raw)
        self._check_querystring(raw)
        template_vars = TEMPLATE_VAR.findall(sent.path)
        declared_path = {name for (loc, name) in raw if loc == "path"}
        for var in template_vars:
            if var not in declared_path:
                self._sink.error(f"path template variable {{{var}}} has no path parameter", where)
        for (loc, name), (_, param_where) in raw.items():
            if loc == "path" and name not in template_vars:
                self._sink.error(
                    f"path parameter {name!r} is not in the path template", param_where
                )
        order = {name: i for i, name in enumerate(template_vars)}
        entries = sorted(
            raw.items(),
            key=lambda e: (0, order.get(e[0][1], 0)) if e[0][0] == "path" else (1, 0),
        )
        table = NameTable(reserved)
        params: list[Param] = []
        for (location, name), (param, param_where) in entries:
            schema, schema_where = param.get("schema"), param_where.child("schema")
            content = param.get("content")
            json_encoded = False
            media_type = _FORM if location == "querystring" else None
            if schema is None and isinstance(content, dict) and content:
                media = next(iter(content))
                media_type = str(media) if location == "querystring" else None
                entry, media_where = self._media(content, media, param_where)
                schema, schema_where = entry.get("schema"), media_where.child("schema")
                json_encoded = is_json(str(media).lower())
            own = declared.get((location, name), name)
            hint = op_name + pascal(own, "Param")
            ptype = self._schemas.type_of(schema if schema is not None else {}, schema_where, hint)
            found = self._resolver.deref(schema, schema_where) if isinstance(schema, dict) else None
            resolved = found[0] if found is not None and isinstance(found[0], dict) else {}
            style = param.get("style")
            if location == "querystring":
                style = "querystring"  # the media type says how (`media_type`)
            elif json_encoded:
                style = "json"  # `content: {application/json: ...}`: the value as JSON text
            elif not isinstance(style, str):
                # a path parameter a path key's query string sends: expanded as the
                # template would (`simple`: `a,b`), encoded as a query value
                style = _DEFAULT_STYLE["path" if (location, name) in declared else location]
            elif style not in _STYLES.get(location, (style,)):
                self._sink.warning(
                    f"{location} parameter {name!r}: style {style!r} is not one of a "
                    f"{location} parameter's ({', '.join(_STYLES[location])}): it is "
                    f"written as {_DEFAULT_STYLE[location]!r}",
                    param_where.child("style"),
                )
                style = _DEFAULT_STYLE[location]
            explode = param.get("explode")
            explode = explode if isinstance(explode, bool) else style == "form"
            if param.get("schema") is not None:  # not `content`: the style writes it
                check_nesting(
                    (location, name, style, explode), (schema, schema_where), param_where,
                    self._resolver, self._sink,
                )  # fmt: skip
            params.append(
                Param(
                    wire_name=name,
                    python_name=table.claim(snake(own, "param")),
                    location=location,
                    type=ptype,
                    is_required=location == "path" or param.get("required") is True,
                    style=style,
                    explode=explode,
                    allow_reserved=any(param.get(key) is True for key in _RESERVED_KEPT),
                    constraints=self._schemas.constraints.read(schema, schema_where),
                    has_default="default" in resolved,
                    default=json_value(resolved.get("default")),
                    description=doc_text(param, "description"),
                    is_deprecated=param.get("deprecated") is True,
                    pointer=param_where.pointer,
                    media_type=media_type,
                )
            )
        return tuple(params)

    def _check_querystring(self, raw: _Declared) -> None:
        """3.2: at most one `in: querystring` parameter, and none beside `in: query`
        ones (both would write the query string)."""
        whole = [where for (loc, _), (_, where) in raw.items() if loc == "querystring"]
        if len(whole) > 1:
            for where in whole[1:]:
                self._sink.error(
                    "an operation has at most one `in: querystring` parameter",
                    where.child("in"),
                )
        if whole and any(loc == "query" for loc, _ in raw):
            self._sink.error(
                "an `in: querystring` parameter (the whole query string) cannot be combined"
                " with `in: query` parameters",
                whole[0].child("in"),
            )

    # -- bodies and responses -----------------------------------------------------

    def _bodies(self, value: Any, where: Where, op_name: str) -> tuple[Body, ...]:
        """A `Body` per media type of the request body: the default one first (JSON,
        else a form, else multipart, else the first), then the others in spec order."""
        if value is None:
            return ()
        found = self._resolver.deref(value, where)
        if found is None or not isinstance(found[0], dict):
            return ()
        body, where = described(found[0], value), found[1]
        content = body.get("content")
        if not isinstance(content, dict) or not content:
            return ()
        default = pick_media(content)
        medias = [default, *(str(m) for m in content if str(m) != default)]
        bodies: dict[str, Body] = {}  # by the media type sent: a range's, once
        for media, hint in zip(medias, body_hints(op_name, medias), strict=True):
            built = self._body(body, *self._media(content, media, where), media, hint)
            bodies.setdefault(built.media_type, built)
        return tuple(bodies.values())

    def _body(
        self, body: dict[str, Any], entry: Any, media_where: Where, media: str, hint: str
    ) -> Body:
        schema = entry.get("schema") if isinstance(entry, dict) else None
        kind = body_kind(media, self._target(schema, media_where))
        btype: TypeExpr
        if kind == "binary":
            if schema is not None and "xml" in media.lower():
                self._sink.warning(
                    f"request body {media} has no generated model: it is sent as raw bytes",
                    media_where,
                )
            btype = Prim("binary")
        elif kind == "text":
            btype = self._text_type(schema, media_where.child("schema"), hint)
        elif schema is None and kind == "multipart" and "itemSchema" in entry:
            # 3.2: each part of a positional multipart body (`multipart/mixed`)
            item = entry["itemSchema"]
            btype = ListOf(
                self._schemas.type_of(item, media_where.child("itemSchema"), f"{hint}Item")
            )
        else:
            btype = self._schemas.type_of(
                schema if schema is not None else {}, media_where.child("schema"), hint
            )
        btype = named_parts(kind, media, btype, media_where, self._sink)
        enc = body_encoding(entry, kind, media, media_where, btype, self._resolver, self._sink)
        required, text = body.get("required") is True, doc_text(body, "description")
        checked = NO_CONSTRAINTS  # bytes, forms and multipart: nothing, or a model's
        if schema is not None and kind in ("json", "text"):
            checked = self._schemas.constraints.read(schema, media_where.child("schema"))
        sent = sent_as(media, kind)  # a range: the type of its kind
        parts = enc.parts, enc.prefix, enc.item, enc.is_positional
        in_range = media if kind == "binary" and sent != media else None  # `image/*`
        return Body(sent, kind, btype, required, text, *parts, checked, in_range)

    def _text_type(self, schema: Any, where: Where, hint: str) -> TypeExpr:
        """A text body's type (sent or received): its schema's when that is a scalar
        (a `uuid`, a number, an enum: the body is its text), else `str`."""
        found = self._resolver.deref(schema, where) if schema is not None else None
        scalars = {"string", "integer", "number", "boolean"}
        if found is None or not isinstance(found[0], dict):
            return Prim("str")
        types = schema_types(found[0]) - {"null"}
        if not types or not types <= scalars:
            return Prim("str")
        return self._schemas.type_of(schema, where, hint)

    def _responses(
        self, value: Any, where: Where, op_name: str
    ) -> tuple[tuple[Response, ...], tuple[Response, ...], tuple[str, ...]]:
        """Success and error responses, and the media types they declare (`Accept`)."""
        if not isinstance(value, dict):
            return (), (), ()
        successes: list[Response] = []
        errors: list[Response] = []
        medias: list[str] = []
        for status, response in value.items():
            code = str(status).upper()
            response_where = where.child(str(status))
            if code.startswith("X-"):
                continue  # a specification extension (the Responses Object allows them)
            if not _STATUS_KEY.fullmatch(code):
                self._sink.warning(
                    f"response key {str(status)!r} is not a status code (200), a range (2XX) "
                    "or `default`: the response is left out",
                    response_where,
                )
                continue
            found = self._resolver.deref(response, response_where)
            if found is None or not isinstance(found[0], dict):
                continue
            resp, resp_where = described(found[0], response), found[1]
            built = self._response(code, resp, resp_where, op_name)
            if isinstance(resp.get("content"), dict):  # what this response is read as
                medias += (str(m) for m in resp["content"] if returned(built.kind, str(m)))
            if code.startswith("2"):
                successes.append(built)
            elif code == "DEFAULT":
                errors.append(
                    Response("default", built.description, built.media_type, built.kind, built.type)
                )
            else:
                errors.append(built)
        if not successes:
            default = next((e for e in errors if e.status == "default"), None)
            if default is not None:
                successes.append(
                    Response(
                        "2XX", default.description, default.media_type, default.kind, default.type
                    )
                )
        return tuple(successes), tuple(errors), accept_list(medias)

    def _response(self, code: str, resp: dict[str, Any], where: Where, op_name: str) -> Response:
        description = doc_text(resp, "description")
        content = resp.get("content")
        if not isinstance(content, dict) or not content:
            kind: ResponseKind = "empty" if code in _EMPTY_STATUSES else "raw"
            return Response(code, description, None, kind, None)
        media = pick_media(content)
        entry, media_where = self._media(content, media, where)
        schema = entry.get("schema")
        target = self._target(schema, media_where)
        hint = op_name + "Response" + ("" if code == "200" else code.title())
        if body_kind(media, target) == "json":
            if schema is None:
                return Response(code, description, media, "raw", None)
            rtype = self._schemas.type_of(schema, media_where.child("schema"), hint)
            return Response(code, description, media, "json", rtype)
        if media.startswith("text/") and not binary_schema(target):  # binary: a file
            rtype = self._text_type(schema, media_where.child("schema"), hint)
            return Response(code, description, media, "text", rtype)
        return Response(code, description, media, "binary", Prim("binary"))

    def _media(self, content: dict[str, Any], media: str, where: Where) -> tuple[Any, Where]:
        """The Media Type Object of `media` in `content` (of the object at `where`) and
        its place: 3.2 may refer to one in `components.mediaTypes`."""
        found = self._resolver.deref(content[media], where.child("content", media))
        if found is None or not isinstance(found[0], dict):
            return {}, where.child("content", media)
        return found

    def _target(self, schema: Any, media_where: Where) -> Any:
        """A media type's schema, dereferenced (None when it has none)."""
        found = self._resolver.deref(schema, media_where.child("schema"))
        return None if found is None else found[0]


def path_operations(
    item: dict[str, Any], item_where: Where
) -> Iterator[tuple[str, dict[str, Any], Where]]:
    """The operations of a path item in spec order of kind: `(method, operation, where)`
    with `method` as sent (`GET`, ..., `QUERY`, then each `additionalOperations` key,
    e.g. `LINK`, upper-cased as httpx sends it)."""
    for field in HTTP_METHODS:
        op = item.get(field)
        if isinstance(op, dict):
            yield field.upper(), op, item_where.child(field)
    extra = item.get("additionalOperations")
    for method, op in (extra if isinstance(extra, dict) else {}).items():
        if isinstance(op, dict) and _TOKEN.fullmatch(str(method)):
            at = item_where.child("additionalOperations", str(method))
            yield str(method).upper(), op, at


def _location(value: Any) -> ParamLocation | None:
    return next((location for location in _LOCATIONS if value == location), None)
