"""`Definitions`: every definition of an API by name, and which aliases are recursive
(what `pytypes.Types` of every generated module asks about)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import assert_never

from .ir import (
    Alias,
    Definition,
    Discriminator,
    EnumDef,
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

__all__ = [
    "Definitions",
    "definition_refs",
    "descends",
    "implied_discriminator",
    "members",
    "type_refs",
]


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


def type_refs(t: TypeExpr) -> list[PyIdent]:
    """The names `t` refers to directly (not through another definition): its refs
    and the models its discriminator maps to."""
    found: list[PyIdent] = []
    _add_refs(t, found)
    return found


def _add_refs(t: TypeExpr, found: list[PyIdent]) -> None:
    # isinstance tests, the commonest types first: plan keys ask this of every field
    if isinstance(t, Prim):
        return
    if isinstance(t, Ref):
        found.append(t.name)
    elif isinstance(t, ListOf):
        _add_refs(t.item, found)
    elif isinstance(t, MapOf):
        _add_refs(t.value, found)
    elif isinstance(t, Nullable):
        _add_refs(t.inner, found)
    elif isinstance(t, UnionOf):
        for option in t.options:
            _add_refs(option, found)
        if t.discriminator is not None:
            found.extend(name for _, name in t.discriminator.mapping)
    elif isinstance(t, TupleOf):
        for member in members(t):
            _add_refs(member, found)
    elif not isinstance(t, LiteralOf):
        assert_never(t)


def definition_refs(d: Definition) -> list[PyIdent]:
    """Every definition that `d` names: what its types refer to, and a model's base."""
    found: list[PyIdent] = []
    if isinstance(d, Model):
        for f in d.fields:
            _add_refs(f.type, found)
        if d.extra is not None:
            _add_refs(d.extra, found)
        if d.base is not None:
            found.append(d.base)
    elif isinstance(d, Alias):
        _add_refs(d.target, found)
    return found


def descends(name: PyIdent, base: PyIdent, bases: Mapping[PyIdent, PyIdent]) -> bool:
    """Whether the model `name` extends `base`, directly or through others, following
    `bases` (model -> the model it extends); `descends(n, n, bases)`: an allOf cycle."""
    seen: set[PyIdent] = set()
    current = bases.get(name)
    while current is not None and current not in seen:
        if current == base:
            return True
        seen.add(current)
        current = bases.get(current)
    return False


def implied_discriminator(
    defs: Mapping[PyIdent, Definition], options: tuple[TypeExpr, ...]
) -> Discriminator | None:
    """The discriminator a union of models does not declare: a property every model
    option requires, each with one string value of its own (`type: {enum: [message]}`,
    `const`), the first such in the first model's order. Decoding dispatches on it, as
    on a declared one; None when the options have no such property."""
    models = [defs[o.name] for o in options if isinstance(o, Ref)]
    if len(models) < 2 or not all(isinstance(m, Model) for m in models):
        return None
    tags: list[dict[str, str]] = []
    for model in models:
        assert isinstance(model, Model)
        own: dict[str, str] = {}
        for f in model.fields:
            value = _one_value(defs, f.type) if f.is_required else None
            if isinstance(value, str):
                own[f.wire_name] = value
        tags.append(own)
    for wire_name in tags[0]:
        values = [t.get(wire_name) for t in tags]
        if None not in values and len(set(values)) == len(values):
            mapping = tuple((str(v), m.name) for v, m in zip(values, models, strict=True))
            return Discriminator(wire_name, mapping)
    return None


def _one_value(defs: Mapping[PyIdent, Definition], t: TypeExpr) -> object:
    """The one value `t` allows (a one-value enum or a const, named or not), else None."""
    if isinstance(t, Ref):
        target = defs[t.name]
        values = target.values if isinstance(target, EnumDef) else None
    else:
        values = t.values if isinstance(t, LiteralOf) else None
    return values[0] if values is not None and len(values) == 1 else None
