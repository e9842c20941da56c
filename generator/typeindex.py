"""`Definitions`: every definition of an API by name, and which aliases are recursive
(what `pytypes.Types` of every generated module asks about)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import assert_never

from .ir import (
    Alias,
    Definition,
    Discriminator,
    ListOf,
    LiteralOf,
    MapOf,
    Model,
    Nullable,
    Prim,
    PrimKind,
    PyIdent,
    Ref,
    TupleOf,
    TypeExpr,
    UnionOf,
)

__all__ = [
    "JSON_NAMES",
    "Definitions",
    "ancestors",
    "definition_refs",
    "descends",
    "describe",
    "implied_discriminator",
    "inherited_discriminator",
    "members",
    "own_tag",
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
    return base in ancestors(name, bases.get)


def ancestors(name: PyIdent, base_of: Callable[[PyIdent], PyIdent | None]) -> Iterator[PyIdent]:
    """The models `name` extends, nearest first, following `base_of` (a model -> the
    one it extends, or None); each once, so an allOf cycle ends."""
    seen: set[PyIdent] = set()
    current = base_of(name)
    while current is not None and current not in seen:
        yield current
        seen.add(current)
        current = base_of(current)


def implied_discriminator(
    defs: Mapping[PyIdent, Definition],
    options: tuple[TypeExpr, ...],
    declared: Discriminator | None = None,
) -> Discriminator | None:
    """The discriminator a union of models decodes by. A `declared` one gets, beside
    its tags, the value each model option gives its property (a one-value enum or a
    const): an implicit mapping names schemas, a server sends those values (OpenAI's
    `role`, `type`). With none declared: the first property (in the models' order) that
    at least two model options give one string value each, their own
    (`type: {enum: [message]}`); None when there is no such property. An object whose
    tag is none of them is decoded by the first option it fits, as is one the mapping
    gives a schema that is no option, nor a model extending one (its value would not
    be of the union's type). A value several options give is mapped to each of them
    (in order: the object is decoded as the union of those, see `pytypes`)."""
    models = [m for o in options if isinstance(o, Ref) and isinstance(m := defs[o.name], Model)]
    declared = declared or inherited_discriminator(defs, options)
    if declared is not None:
        named = {o.name for o in options if isinstance(o, Ref)}
        mapping = {tag: [n] for tag, n in declared.mapping if _is_option(n, named, defs)}
        own: dict[str, list[PyIdent]] = {}
        for model in models:
            value = own_tag(model, declared.wire_name)
            if value is not None and value not in mapping:
                own.setdefault(value, []).append(model.name)
        pairs = ((tag, n) for tag, names in {**mapping, **own}.items() for n in names)
        return Discriminator(declared.wire_name, tuple(pairs))
    tags = [_tags(m) for m in models]
    if len(models) != sum(isinstance(o, Ref) for o in options):
        return None  # (a reference to another union: its objects are not told apart here)
    for wire_name in dict.fromkeys(name for own in tags for name in own):
        found = [
            (own[wire_name], m.name)
            for m, own in zip(models, tags, strict=True)
            if wire_name in own
        ]
        if len(found) >= 2 and len({value for value, _ in found}) == len(found):
            return Discriminator(wire_name, tuple(found))
    return None


def _tags(model: Model) -> dict[str, str]:
    """The properties of `model` with one scalar value: wire name -> the value as a
    tag (a string as it is, a number or boolean as its JSON text: `_serde.tag_of`)."""
    own: dict[str, str] = {}
    for f in model.fields:
        value = tag_text(_one_value(f.type))
        if value is not None:
            own[f.wire_name] = value
    return own


def tag_text(value: object) -> str | None:
    """A one-value enum's or const's value as a discriminator tag (None: no scalar)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, (int, float)) else None


def inherited_discriminator(
    defs: Mapping[PyIdent, Definition], options: tuple[TypeExpr, ...]
) -> Discriminator | None:
    """The discriminator a union without one of its own inherits: that of the nearest
    model every option is, or extends as a class, when it has one (`oneOf: [Cat, Dog]`
    where both are `allOf: [Pet, ...]` and Pet has the discriminator: Pet's tags name
    Cat and Dog). None when an option is no model."""

    base_of = functools.partial(_base_of, defs)

    def line(name: PyIdent) -> list[PyIdent]:
        found = defs.get(name)
        return [name, *ancestors(name, base_of)] if isinstance(found, Model) else []

    lines = [line(o.name) if isinstance(o, Ref) else [] for o in options]
    if not lines or not all(lines):
        return None
    for name in lines[0]:
        model = defs[name]
        assert isinstance(model, Model)
        if model.dispatch is not None and all(name in other for other in lines[1:]):
            return model.dispatch
    return None


def _is_option(name: PyIdent, options: set[PyIdent], defs: Mapping[PyIdent, Definition]) -> bool:
    """Whether the model `name` is one of `options` or extends one (as a class)."""
    return name in options or not options.isdisjoint(
        ancestors(name, functools.partial(_base_of, defs))
    )


def _base_of(defs: Mapping[PyIdent, Definition], model: PyIdent) -> PyIdent | None:
    """The model `model` extends as a class, if any."""
    found = defs.get(model)
    return found.base if isinstance(found, Model) else None


def own_tag(model: Model, wire_name: str) -> str | None:
    """The one string value `model` gives its property `wire_name`, if it gives one
    (an inline one-value enum or a const): the tag a server sends for it, which a
    discriminator's table adds to its mapping's and the schema names (a union's and a
    base model's alike)."""
    value = next((_one_value(f.type) for f in model.fields if f.wire_name == wire_name), None)
    return tag_text(value)


def _one_value(t: TypeExpr) -> object:
    """The one value `t` allows (an inline one-value enum or a const), else None. (A
    named one would be read from outside what a module's plan key covers.)"""
    return t.values[0] if isinstance(t, LiteralOf) and len(t.values) == 1 else None


# Each scalar in JSON's words, as decoding errors name what they expected (the
# runtime's own checks say "string", "integer", ...).
JSON_NAMES: dict[PrimKind, str] = {
    "str": "string", "int": "integer", "float": "number", "bool": "boolean",
    "any": "any value", "none": "null", "datetime": "date-time", "date": "date",
    "time": "time", "uuid": "uuid", "base64": "base64 string", "binary": "bytes",
    "file": "file",
}  # fmt: skip


def describe(t: TypeExpr) -> str:
    """What a value of `t` is, in JSON's words (`object | string`, a model by its
    name, an enum by its values): what a decoding error says was expected."""
    match t:
        case Prim(kind=kind):
            return JSON_NAMES[kind]
        case ListOf() | TupleOf():
            return "array"
        case MapOf():
            return "object"
        case Ref(name=name):
            return name
        case UnionOf(options=options):
            return " | ".join(dict.fromkeys(describe(o) for o in options))
        case LiteralOf(values=values):
            return " | ".join(json.dumps(v) for v in values)
        case Nullable(inner=inner):
            return f"{describe(inner)} | null"
        case _:
            assert_never(t)
