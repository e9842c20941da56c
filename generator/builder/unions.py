"""Unions decoding cannot tell apart: reported as warnings where they are defined."""

from __future__ import annotations

from collections.abc import Iterable

from ..diagnostics import Diagnostics, Where
from ..ir import (
    Alias,
    Definition,
    ListOf,
    LiteralOf,
    MapOf,
    Model,
    Nullable,
    PyIdent,
    Ref,
    TupleOf,
    TypeExpr,
    UnionOf,
)
from ..typeindex import inherited_discriminator

__all__ = ["check_unions"]


def check_unions(definitions: Iterable[Definition], sink: Diagnostics, document: str) -> None:
    """Warn about union variants that decoding cannot tell apart."""
    defs = {d.name: d for d in definitions}
    for definition in defs.values():
        types: list[TypeExpr] = []
        if isinstance(definition, Alias):
            types.append(definition.target)
        elif isinstance(definition, Model):
            types.extend(f.type for f in definition.fields)
        for t in types:
            for union in _unions(t):
                _check_union(defs, sink, union, Where(document, definition.pointer))


def _check_union(
    defs: dict[PyIdent, Definition], sink: Diagnostics, union: UnionOf, where: Where
) -> None:
    declared = union.discriminator or inherited_discriminator(defs, union.options)
    if declared is not None and declared.mapping:
        return
    seen: dict[tuple[frozenset[str], frozenset[str]], PyIdent] = {}
    for option in union.options:
        model = defs.get(option.name) if isinstance(option, Ref) else None
        if not isinstance(model, Model):
            continue
        required = frozenset(
            f.wire_name for f in model.fields if f.is_required and not f.is_write_only
        )
        consts = frozenset(
            f"{f.wire_name}={f.type.values[0]!r}"
            for f in model.fields
            if isinstance(f.type, LiteralOf) and len(f.type.values) == 1
        )
        other = seen.get((required, consts))
        if other is not None:
            sink.warning(
                f"union variants {other} and {model.name} cannot be told apart "
                "(same required properties, no discriminator); the first that "
                "decodes is used",
                where,
            )
        seen.setdefault((required, consts), model.name)


def _unions(t: TypeExpr) -> list[UnionOf]:
    match t:
        case UnionOf(options=options):
            return [t, *(u for o in options for u in _unions(o))]
        case ListOf(item=inner) | MapOf(value=inner) | Nullable(inner=inner):
            return _unions(inner)
        case TupleOf(items=items, rest=rest):
            return [u for o in (*items, *([] if rest is None else [rest])) for u in _unions(o)]
        case _:
            return []
