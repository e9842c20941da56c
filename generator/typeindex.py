"""`Definitions`: every definition of an API by name, and which aliases are recursive
(what `pytypes.Types` of every generated module asks about)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import assert_never

from .ir import (
    Alias,
    Definition,
    ListOf,
    LiteralOf,
    MapOf,
    Model,
    Nullable,
    Prim,
    PyIdent,
    Ref,
    TupleOf,
    TypeExpr,
    UnionOf,
)

__all__ = ["Definitions", "definition_refs", "members", "type_refs"]


class Definitions:
    """Every definition by name, and which aliases are recursive: computed once per
    API and shared by the `Types` of all its modules."""

    by_name: Mapping[PyIdent, Definition]
    recursive: frozenset[PyIdent]

    def __init__(self, definitions: Iterable[Definition]) -> None:
        by_name = self.by_name = {d.name: d for d in definitions}
        self.recursive = frozenset(
            name
            for name, d in by_name.items()
            if isinstance(d, Alias) and _refers_to(by_name, d.target, name, set())
        )


def _refers_to(defs: dict[PyIdent, Definition], t: TypeExpr, name: str, seen: set[str]) -> bool:
    match t:
        case Ref(name=ref):
            if ref == name:
                return True
            target = defs.get(ref)
            if isinstance(target, Alias) and ref not in seen:
                seen.add(ref)
                return _refers_to(defs, target.target, name, seen)
            return False
        case ListOf(item=inner) | MapOf(value=inner) | Nullable(inner=inner):
            return _refers_to(defs, inner, name, seen)
        case UnionOf(options=options):
            return any(_refers_to(defs, o, name, seen) for o in options)
        case TupleOf():
            return any(_refers_to(defs, o, name, seen) for o in members(t))
        case Prim() | LiteralOf():
            return False
        case _:
            assert_never(t)


def members(t: TupleOf) -> tuple[TypeExpr, ...]:
    """The types of a tuple's items, its further items' type (if any) last."""
    return t.items if t.rest is None else (*t.items, t.rest)


def type_refs(t: TypeExpr) -> Iterator[PyIdent]:
    """The names `t` refers to directly (not through another definition): its refs
    and the models its discriminator maps to."""
    match t:
        case Ref(name=name):
            yield name
        case ListOf(item=inner) | MapOf(value=inner) | Nullable(inner=inner):
            yield from type_refs(inner)
        case UnionOf(options=options, discriminator=discriminator):
            for option in options:
                yield from type_refs(option)
            if discriminator is not None:
                yield from (name for _, name in discriminator.mapping)
        case TupleOf():
            for member in members(t):
                yield from type_refs(member)
        case Prim() | LiteralOf():
            pass
        case _:
            assert_never(t)


def definition_refs(d: Definition) -> Iterator[PyIdent]:
    """Every definition that `d` names: what its types refer to, and a model's base."""
    if isinstance(d, Model):
        for f in d.fields:
            yield from type_refs(f.type)
        if d.extra is not None:
            yield from type_refs(d.extra)
        if d.base is not None:
            yield d.base
    elif isinstance(d, Alias):
        yield from type_refs(d.target)
