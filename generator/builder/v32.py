"""OpenAPI 3.2 features oagen does not generate yet: each is an error at its line,
never silently left out (multipart `itemEncoding`/`prefixEncoding`)."""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostics, Where
from .operations import path_operations

__all__ = ["check_unsupported"]

_NOT_YET = "is OpenAPI 3.2 that oagen cannot generate yet"


def check_unsupported(root: Any, where: Where, sink: Diagnostics) -> None:
    """Report the 3.2 constructs of `root` (a 3.2 document) that oagen cannot generate."""
    if not isinstance(root, dict) or not str(root.get("openapi", "")).startswith("3.2."):
        return
    paths = root.get("paths")
    for path, item in (paths if isinstance(paths, dict) else {}).items():
        if not isinstance(item, dict):
            continue
        item_where = where.child("paths", str(path))
        for _, op, op_where in path_operations(item, item_where):
            _encodings(op, op_where, sink)


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
