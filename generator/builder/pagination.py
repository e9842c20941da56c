"""Pagination of operations: the `x-oagen-pagination` extension, else the common
patterns recognised (GitHub's `Link` header, Stripe's `has_more` + `starting_after`,
Slack's `next_cursor`, a next-page URL in the body, `offset`/`limit`, `page`/`per_page`).

Runs after the operations and models are built: it reads the spec's extension and
response headers, and the IR's types to find where the items are.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..diagnostics import Diagnostics, Where
from ..ir import (
    Alias,
    Definition,
    ListOf,
    Model,
    Nullable,
    Operation,
    Pagination,
    PaginationStyle,
    Ref,
    TypeExpr,
)
from ..resolve import Resolver
from .operations import DraftOperation, path_operations

__all__ = ["EXTENSION", "add_pagination"]

EXTENSION = "x-oagen-pagination"
_STYLES: tuple[PaginationStyle, ...] = ("cursor", "offset", "page", "next_link")
_ITEM_FIELDS = ("data", "items", "results", "values", "entries", "records", "objects")
_CURSOR_PARAMS = ("cursor", "page_token", "pagetoken", "next_token", "continuation_token")
_CURSOR_FIELDS = ("next_cursor", "nextcursor", "next_page_token", "nextpagetoken")
_CURSOR_HOLDERS = ("response_metadata", "meta", "metadata", "pagination", "paging")
_NEXT_URL_FIELDS = ("next", "next_url", "nexturl", "next_page_url", "nextpageurl")
_SIZE_PARAMS = ("per_page", "page_size", "pagesize", "perpage", "size", "limit")
_KEYS = ("style", "items", "param", "size_param", "cursor", "cursor_from_item", "has_more")
_KEYS_ALL = (*_KEYS, "next_url")


def add_pagination(
    drafts: list[DraftOperation],
    root: dict[str, Any],
    resolver: Resolver,
    definitions: tuple[Definition, ...],
    sink: Diagnostics,
    paths_where: Where,
    *,
    infer: bool = True,
) -> list[DraftOperation]:
    """`drafts`, each operation with its `pagination` when it has one."""
    raw_ops = _raw_operations(root, resolver, paths_where)
    by_name: dict[str, Definition] = {d.name: d for d in definitions}
    defaults = root.get(EXTENSION)
    defaults = defaults if isinstance(defaults, dict) else {}
    out: list[DraftOperation] = []
    for draft in drafts:
        op = draft.operation
        found = raw_ops.get((op.path, op.method))
        if found is None:
            out.append(draft)
            continue
        raw, where, headers = found
        declared = raw.get(EXTENSION)
        pagination: Pagination | None = None
        if declared is True or isinstance(declared, dict):
            config = {**defaults, **(declared if isinstance(declared, dict) else {})}
            pagination = _declared(op, config, by_name, sink, where.child(EXTENSION))
        elif declared is None and infer:
            pagination = _inferred(op, headers, by_name)
        if pagination is not None:
            out.append(replace(draft, operation=replace(op, pagination=pagination)))
        else:
            out.append(draft)
    return out


def _raw_operations(
    root: dict[str, Any], resolver: Resolver, paths_where: Where
) -> dict[tuple[str, str], tuple[dict[str, Any], Where, set[str]]]:
    """(path, METHOD) -> the operation object, where it is, and the lower-cased names
    of the headers its 2xx responses declare."""
    out: dict[tuple[str, str], tuple[dict[str, Any], Where, set[str]]] = {}
    paths = root.get("paths")
    if not isinstance(paths, dict):
        return out
    for path, raw_item in paths.items():
        got = resolver.deref(raw_item, paths_where.child(str(path)))
        if got is None or not isinstance(got[0], dict):
            continue
        item, item_where = got
        for method, op, where in path_operations(item, item_where):
            out[(str(path), method)] = (op, where, _headers(op, resolver, where))
    return out


def _headers(op: dict[str, Any], resolver: Resolver, where: Where) -> set[str]:
    names: set[str] = set()
    responses = op.get("responses")
    if not isinstance(responses, dict):
        return names
    for status, response in responses.items():
        if not str(status).startswith("2"):
            continue
        got = resolver.deref(response, where.child("responses", str(status)))
        if got is None or not isinstance(got[0], dict):
            continue
        headers = got[0].get("headers")
        if isinstance(headers, dict):
            names |= {str(k).lower() for k in headers}
    return names


# -- the extension -----------------------------------------------------------------


def _path(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return tuple(p for p in value.split(".") if p)
    if isinstance(value, list) and all(isinstance(p, str) for p in value):
        return tuple(value)
    return None


def _declared(
    op: Operation,
    config: dict[str, Any],
    by_name: dict[str, Definition],
    sink: Diagnostics,
    where: Where,
) -> Pagination | None:
    style = config.get("style")
    if style not in _STYLES:
        sink.error(f"{EXTENSION}: `style` must be one of {', '.join(_STYLES)}", where)
        return None
    unknown = sorted(str(k) for k in config if k not in _KEYS_ALL)
    if unknown:
        sink.warning(f"{EXTENSION}: unknown keys {', '.join(unknown)} are ignored", where)
    body = _success_type(op)
    items_path = _path(config.get("items", ""))
    found = _items(body, items_path, by_name) if body is not None else None
    if found is None:
        sink.error(
            f"{EXTENSION}: the 2xx JSON response has no array of items"
            + (f" at `{'.'.join(items_path)}`" if items_path else " (set `items`)"),
            where,
        )
        return None
    items, item_type = found
    params = {p.wire_name for p in op.params if p.location == "query"}
    for key in ("param", "size_param"):
        value = config.get(key)
        if value is not None and value not in params:
            sink.error(f"{EXTENSION}: `{key}` {value!r} is not a query parameter", where)
            return None
    if style in ("cursor", "offset", "page") and not isinstance(config.get("param"), str):
        sink.error(f"{EXTENSION}: style {style} needs `param`", where)
        return None
    cursor = _path(config.get("cursor"))
    from_item = config.get("cursor_from_item")
    if style == "cursor" and not cursor and not isinstance(from_item, str):
        sink.error(f"{EXTENSION}: style cursor needs `cursor` or `cursor_from_item`", where)
        return None
    return Pagination(
        style=style,
        items=items,
        item_type=item_type,
        param=config.get("param"),
        size_param=config.get("size_param"),
        cursor=cursor or None,
        cursor_item_field=from_item if isinstance(from_item, str) else None,
        has_more=_path(config.get("has_more")) or None,
        next_url=_path(config.get("next_url")) or None,
        first=_first(op, style, config.get("param")),
        reason=f"{EXTENSION} ({style})",
    )


def _first(op: Operation, style: PaginationStyle, param: object) -> int | None:
    """The offset or page number the server starts at when the call gives none (the
    first request leaves `param` out): the parameter's integer `default`, else its
    integer `minimum` (pages numbered from 0: openapi-generator's issue_24719.yaml),
    else 0 for an offset and 1 for a page. None for the other styles."""
    if style not in ("offset", "page"):
        return None
    for p in op.params:
        if p.location == "query" and p.wire_name == param:
            for value in (p.default if p.has_default else None, p.constraints.minimum):
                if isinstance(value, int) and not isinstance(value, bool):
                    return value
    return 0 if style == "offset" else 1


# -- recognised patterns -----------------------------------------------------------


def _inferred(
    op: Operation, headers: set[str], by_name: dict[str, Definition]
) -> Pagination | None:
    if op.method != "GET":
        return None
    body = _success_type(op)
    found = _items(body, None, by_name) if body is not None else None
    if found is None:
        return None
    items, item_type = found
    fields = _fields(body, by_name) if body is not None else {}
    query = {p.wire_name.lower(): p.wire_name for p in op.params if p.location == "query"}
    size = next((query[n] for n in _SIZE_PARAMS if n in query), None)

    def make(style: PaginationStyle, reason: str, **kw: Any) -> Pagination:
        first = _first(op, style, kw.get("param"))
        return Pagination(
            style, items, item_type, first=first, is_inferred=True, reason=reason, **kw
        )

    if "link" in headers:
        return make("next_link", "a `Link` response header (rel=next)")
    if "starting_after" in query and "has_more" in fields:
        return make(
            "cursor",
            "`starting_after` from the last item's `id`, `has_more`",
            param=query["starting_after"],
            size_param=size,
            cursor_item_field="id",
            has_more=("has_more",),
        )
    cursor_param = next((query[n] for n in _CURSOR_PARAMS if n in query), None)
    cursor = _cursor_field(fields, by_name)
    if cursor_param is not None and cursor is not None:
        return make(
            "cursor",
            f"`{cursor_param}` from `{'.'.join(cursor)}`",
            param=cursor_param,
            size_param=size,
            cursor=cursor,
        )
    next_url = next((f for f in fields if f.lower() in _NEXT_URL_FIELDS), None)
    if items and next_url is not None:
        return make("next_link", f"the next page's URL in `{next_url}`", next_url=(next_url,))
    if "offset" in query and "limit" in query:
        return make(
            "offset", "`offset` + `limit`", param=query["offset"], size_param=query["limit"]
        )
    if "page" in query and size is not None and size != query.get("limit"):
        return make("page", f"`page` + `{size}`", param=query["page"], size_param=size)
    return None


def _cursor_field(
    fields: dict[str, TypeExpr], by_name: dict[str, Definition]
) -> tuple[str, ...] | None:
    for name in fields:
        if name.lower() in _CURSOR_FIELDS:
            return (name,)
    for name, ftype in fields.items():
        if name.lower() in _CURSOR_HOLDERS:
            for inner in _fields(ftype, by_name):
                if inner.lower() in _CURSOR_FIELDS:
                    return (name, inner)
    return None


# -- where the items are -----------------------------------------------------------


def _success_type(op: Operation) -> TypeExpr | None:
    for response in op.successes:
        if response.kind == "json" and response.type is not None:
            return response.type
    return None


def _model(t: TypeExpr, by_name: dict[str, Definition]) -> Model | None:
    while isinstance(t, Nullable):
        t = t.inner
    if isinstance(t, Ref):
        target = by_name.get(t.name)
        if isinstance(target, Model):
            return target
        if isinstance(target, Alias):
            return _model(target.target, by_name)
    return None


def _fields(t: TypeExpr, by_name: dict[str, Definition]) -> dict[str, TypeExpr]:
    model = _model(t, by_name)
    return {f.wire_name: f.type for f in model.fields} if model is not None else {}


def _list_item(t: TypeExpr, by_name: dict[str, Definition]) -> TypeExpr | None:
    while isinstance(t, Nullable):
        t = t.inner
    if isinstance(t, ListOf):
        return t.item
    if isinstance(t, Ref):
        target = by_name.get(t.name)
        if isinstance(target, Alias):
            return _list_item(target.target, by_name)
    return None


def _items(
    body: TypeExpr, path: tuple[str, ...] | None, by_name: dict[str, Definition]
) -> tuple[tuple[str, ...], TypeExpr] | None:
    """Where the items are (`()`: the body is the array) and their type. With no
    `path`, the body itself, else a field of the envelope named like items, else
    its only array field."""
    if path:
        t: TypeExpr | None = body
        for part in path:
            fields = _fields(t, by_name) if t is not None else {}
            t = fields.get(part)
        item = _list_item(t, by_name) if t is not None else None
        return (path, item) if item is not None else None
    item = _list_item(body, by_name)
    if item is not None:
        return (), item
    if path is not None:  # `items: ""` declared: the body must be the array
        return None
    arrays = {
        name: item
        for name, ftype in _fields(body, by_name).items()
        if (item := _list_item(ftype, by_name)) is not None
    }
    for name, item in arrays.items():
        if name.lower() in _ITEM_FIELDS:
            return (name,), item
    if len(arrays) == 1:
        name = next(iter(arrays))
        return (name,), arrays[name]
    return None
