"""Plans of the `name_iter` methods of paginated operations: their `Pager`s."""

from __future__ import annotations

from ..ir import Api, Operation, Pagination
from ..literals import py_literal
from ..pytypes import Types
from .common import _doc, generic_opening
from .contexts import PagerContext

__all__ = ["pager_context", "paginated"]

_HOW = {
    "cursor": "a cursor",
    "offset": "an offset",
    "page": "a page number",
    "next_link": "the next page's link",
}


def _path(value: tuple[str, ...]) -> str:
    return "(" + "".join(f"{py_literal(p)}, " for p in value).rstrip(" ") + ")"


def _fields(types: Types, p: Pagination) -> tuple[tuple[str, str], ...]:
    fields = [("style", py_literal(p.style)), ("decode_item", types.decoder(p.item_type))]
    if p.items:
        fields.append(("items", _path(p.items)))
    for key, value in (("param", p.param), ("size_param", p.size_param)):
        if value is not None:
            fields.append((key, py_literal(value)))
    if p.first is not None:
        fields.append(("first", py_literal(p.first)))
    if p.cursor_item_field is not None:
        fields.append(("cursor_item_field", py_literal(p.cursor_item_field)))
    for key, path in (("cursor", p.cursor), ("has_more", p.has_more), ("next_url", p.next_url)):
        if path is not None:
            fields.append((key, _path(path)))
    return tuple(fields)


def pager_context(types: Types, op: Operation, constant: str) -> PagerContext | None:
    """The `name_iter` method of `op` (None when `op` is not paginated)."""
    p = op.pagination
    if p is None:
        return None
    types.imports.add(".._pagination", "Pager")
    item = types.annotation(p.item_type)
    where = "the response" if not p.items else f"`{'.'.join(p.items)}`"
    origin = "declared by `x-oagen-pagination`" if not p.is_inferred else "recognised"
    doc = "\n".join(
        [
            f"Iterate over the items of `{op.python_name}`, page after page.",
            "",
            f"Pages follow {_HOW[p.style]} ({origin}: {p.reason}); the items are {where}.",
            "Lazy: the first request is sent for the first item, the next one when the",
            "items of a page run out; every page goes through the same retries and errors.",
            "",
            "Args:",
            f"    (the arguments of `{op.python_name}`)",
            "    max_items: Stop after this many items (no page is requested beyond them).",
            "",
            "Raises:",
            "    PaginationError: A page repeats an earlier cursor or next link.",
        ]
    )
    pager = constant + "_PAGER"
    return PagerContext(
        name=f"{op.python_name}_iter",
        constant=pager,
        opening=generic_opening(pager, "Pager", item),
        item_annotation=item,
        pager_fields=_fields(types, p),
        doc=_doc(doc, 8),
    )


def paginated(api: Api) -> tuple[str, ...]:
    """`repos.list_for_org_iter: recognised: a `Link` header` per paginated operation."""
    lines: list[str] = []
    for resource in (*api.resources, *filter(None, [api.root])):
        for op in resource.operations:
            if op.pagination is not None:
                owner = f"{resource.python_name}." if resource.tag is not None else ""
                how = "recognised" if op.pagination.is_inferred else "declared"
                lines.append(f"{owner}{op.python_name}_iter: {how}: {op.pagination.reason}")
    return tuple(lines)
