"""Binary strings settled by where they are used: multipart file parts or plain text.

The schema builder types a binary string (`format: binary`, or a 3.1 `contentMediaType`
that is not text) `Prim("file")` without knowing where its schema is used. Only the
properties of a multipart body's schema (and their array items) are sent as file
parts; inside JSON and urlencoded forms a binary string is text like any other (JSON
has no bytes; base64 is `format: byte` / `contentEncoding: base64`, typed "base64").
This pass keeps "file" where a multipart body's models hold it directly and makes it
"str" everywhere else. A model used both as a multipart body and inside JSON keeps
its file fields; from JSON they hold the string as sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import assert_never

from ..ir import (
    Alias,
    Definition,
    ListOf,
    LiteralOf,
    MapOf,
    Model,
    Nullable,
    Operation,
    Prim,
    PyIdent,
    Ref,
    TupleOf,
    TypeExpr,
    UnionOf,
)
from .operations import DraftOperation

__all__ = ["settle_binary_strings"]

_FILE = Prim("file")
_STR = Prim("str")


def settle_binary_strings(
    definitions: tuple[Definition, ...], drafts: list[DraftOperation]
) -> tuple[tuple[Definition, ...], list[DraftOperation]]:
    """The definitions and operations with each binary string a file part or a str."""
    by_name = {d.name: d for d in definitions}
    bodies = [b for d in drafts for b in d.operation.bodies if b.kind == "multipart"]
    parts = _models_of((b.type for b in bodies), by_name)
    settled = tuple(_definition(d, d.name in parts, by_name) for d in definitions)
    return settled, [replace(d, operation=_operation(d.operation)) for d in drafts]


def _models_of(types: Iterable[TypeExpr], by_name: Mapping[PyIdent, Definition]) -> set[str]:
    """The models that are the schema of a body typed one of `types`."""
    found: set[str] = set()
    pending = list(types)
    while pending:
        t = pending.pop()
        match t:
            case Ref(name=name) if name not in found:
                target = by_name.get(name)
                if isinstance(target, Model):
                    found.add(name)
                elif isinstance(target, Alias):
                    found.add(name)  # visited (an alias is never a part model)
                    pending.append(target.target)
            case Nullable(inner=inner):
                pending.append(inner)
            case UnionOf(options=options):
                pending += options
            case _:
                pass
    return {name for name in found if isinstance(by_name[PyIdent(name)], Model)}


def _definition(d: Definition, is_part: bool, by_name: Mapping[PyIdent, Definition]) -> Definition:
    if isinstance(d, Model):
        fields = tuple(
            replace(f, type=_part(f.type, by_name, set()) if is_part else _plain(f.type))
            for f in d.fields
        )
        extra = None if d.extra is None else _plain(d.extra)
        return replace(d, fields=fields, extra=extra)
    if isinstance(d, Alias):
        return replace(d, target=_plain(d.target))
    return d


def _operation(op: Operation) -> Operation:
    return replace(
        op,
        params=tuple(replace(p, type=_plain(p.type)) for p in op.params),
        body=None if op.body is None else replace(op.body, type=_plain(op.body.type)),
        other_bodies=tuple(replace(b, type=_plain(b.type)) for b in op.other_bodies),
        successes=tuple(replace(r, type=_plain_or_none(r.type)) for r in op.successes),
        errors=tuple(replace(r, type=_plain_or_none(r.type)) for r in op.errors),
    )


def _plain_or_none(t: TypeExpr | None) -> TypeExpr | None:
    return None if t is None else _plain(t)


def _plain(t: TypeExpr) -> TypeExpr:
    """`t` with every binary string a str (models and aliases are settled on their own)."""
    match t:
        case Prim(kind="file"):
            return _STR
        case ListOf(item=item):
            return ListOf(_plain(item))
        case TupleOf(items=items, rest=rest):
            return TupleOf(tuple(_plain(i) for i in items), None if rest is None else _plain(rest))
        case MapOf(value=value):
            return MapOf(_plain(value))
        case Nullable(inner=inner):
            return Nullable(_plain(inner))
        case UnionOf(options=options, discriminator=discriminator):
            return UnionOf(tuple(_plain(o) for o in options), discriminator)
        case Prim() | Ref() | LiteralOf():
            return t
        case _:
            assert_never(t)


def _part(t: TypeExpr, by_name: Mapping[PyIdent, Definition], seen: set[str]) -> TypeExpr:
    """The type of a multipart body's property: binary strings (alone, in an array,
    nullable, or named by an alias) are file parts; anything else is sent as JSON
    or text and is plain."""
    match t:
        case Prim(kind="file"):
            return _FILE
        case ListOf(item=item):
            return ListOf(_part(item, by_name, seen))
        case Nullable(inner=inner):
            return Nullable(_part(inner, by_name, seen))
        case UnionOf(options=options, discriminator=discriminator):
            return UnionOf(tuple(_part(o, by_name, seen) for o in options), discriminator)
        case Ref(name=name) if name not in seen:
            target = by_name.get(name)
            if isinstance(target, Alias) and _plain(target.target) != target.target:
                return _part(target.target, by_name, seen | {name})  # the alias inlined
            return t
        case _:
            return _plain(t)
