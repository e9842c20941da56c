"""OpenAPI 3.2 features oagen does not generate yet: each is an error at its line,
never silently left out (the `query` method, `additionalOperations`, `querystring`
parameters, `$self`, nested tags, multipart `itemEncoding`/`prefixEncoding`)."""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostics, Where

__all__ = ["check_unsupported"]

_NOT_YET = "is OpenAPI 3.2 that oagen cannot generate yet"


def check_unsupported(root: Any, where: Where, sink: Diagnostics) -> None:
    """Report the 3.2 constructs of `root` (a 3.2 document) that oagen cannot generate."""
    if not isinstance(root, dict) or not str(root.get("openapi", "")).startswith("3.2."):
        return
    if "$self" in root:
        sink.error(f"`$self` (the document's base URI) {_NOT_YET}", where.child("$self"))
    tags = root.get("tags")
    for index, tag in enumerate(tags if isinstance(tags, list) else []):
        if isinstance(tag, dict) and "parent" in tag:
            sink.error(f"a nested tag (`parent`) {_NOT_YET}", where.child("tags", index, "parent"))
    paths = root.get("paths")
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        if not isinstance(item, dict):
            continue
        item_where = where.child("paths", str(path))
        for key in ("query", "additionalOperations"):
            if key in item:
                sink.error(f"`{key}` {_NOT_YET}", item_where.child(key))
        _parameters(item, item_where, sink)
        for method, op in item.items():
            if isinstance(op, dict) and method in _METHODS:
                op_where = item_where.child(method)
                _parameters(op, op_where, sink)
                _encodings(op, op_where, sink)


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _parameters(node: dict[str, Any], where: Where, sink: Diagnostics) -> None:
    params = node.get("parameters")
    for index, param in enumerate(params if isinstance(params, list) else []):
        if isinstance(param, dict) and param.get("in") == "querystring":
            sink.error(
                f"an `in: querystring` parameter {_NOT_YET}",
                where.child("parameters", index, "in"),
            )


def _encodings(op: dict[str, Any], where: Where, sink: Diagnostics) -> None:
    body = op.get("requestBody")
    content = body.get("content") if isinstance(body, dict) else None
    for media, entry in (content if isinstance(content, dict) else {}).items():
        for key in ("itemEncoding", "prefixEncoding"):
            if isinstance(entry, dict) and key in entry:
                sink.error(
                    f"`{key}` {_NOT_YET}",
                    where.child("requestBody", "content", str(media), key),
                )
