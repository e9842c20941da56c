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
from typing import TypeVar, assert_never

from ..ir import (
    Alias,
    Body,
    Definition,
    Field,
    ListOf,
    LiteralOf,
    MapOf,
    Model,
    Nullable,
    Operation,
    Param,
    PartEncoding,
    Prim,
    PyIdent,
    Ref,
    Response,
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
    bodies = [
        b
        for d in drafts
        for b in d.operation.bodies
        if b.kind == "multipart" and not b.is_positional
    ]
    parts = _models_of((b.type for b in bodies), by_name)
    files = _file_fields(bodies, by_name)
    settled = tuple(
        _definition(d, d.name in parts, by_name, files.get(d.name, set())) for d in definitions
    )
    return settled, [_draft(d, by_name) for d in drafts]


def _file_fields(bodies: list[Body], by_name: Mapping[PyIdent, Definition]) -> dict[str, set[str]]:
    """Model name -> the properties its bodies' `encoding` sends as files (a string
    with a `contentType` that is not text)."""
    found: dict[str, set[str]] = {}
    for body in bodies:
        names = {p.name for p in body.parts if p.is_file}
        t = body.type
        while isinstance(t, Ref) and isinstance(alias := by_name.get(t.name), Alias):
            t = alias.target
        if names and isinstance(t, Ref):
            found.setdefault(t.name, set()).update(names)
    return found


def _as_file(t: TypeExpr) -> TypeExpr:
    """`t` with a plain string (alone, in an array, nullable) made a file part."""
    match t:
        case Prim(kind="str"):
            return _FILE
        case ListOf(item=item):
            return ListOf(_as_file(item))
        case Nullable(inner=inner):
            return Nullable(_as_file(inner))
        case _:
            return t


def _positional(body: Body, by_name: Mapping[PyIdent, Definition]) -> Body:
    """A positional multipart body (`multipart/mixed`): each item a part, a binary
    string (or a string its encoding gives a file content type) a file part."""

    def item(t: TypeExpr, part: PartEncoding | None) -> TypeExpr:
        return _part(_as_file(t) if part is not None and part.is_file else t, by_name, set())

    def settle(t: TypeExpr) -> TypeExpr:
        match t:
            case Nullable(inner=inner):
                return Nullable(settle(inner))
            case ListOf(item=one):  # a file when any position's encoding makes it one
                every = (*body.prefix_parts, body.item_part)
                return ListOf(item(one, next((p for p in every if p and p.is_file), None)))
            case TupleOf(items=items, rest=rest):
                prefix = body.prefix_parts
                return replace(
                    t,
                    items=tuple(
                        item(one, prefix[i] if i < len(prefix) else body.item_part)
                        for i, one in enumerate(items)
                    ),
                    rest=None if rest is None else item(rest, body.item_part),
                )
            case _:
                return _plain(t)

    return _typed(body, settle(body.type))


def _draft(draft: DraftOperation, by_name: Mapping[PyIdent, Definition]) -> DraftOperation:
    operation = _operation(draft.operation, by_name)
    return draft if operation is draft.operation else replace(draft, operation=operation)


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


def _definition(
    d: Definition, is_part: bool, by_name: Mapping[PyIdent, Definition], files: set[str]
) -> Definition:
    if isinstance(d, Model):
        fields: list[Field] | None = None  # a copy, made at the first field that changes
        for index, f in enumerate(d.fields):
            t = _part(_field_type(f, files), by_name, set()) if is_part else _plain(f.type)
            if t is not f.type:
                fields = fields or list(d.fields)
                fields[index] = replace(f, type=t)
        extra = None if d.extra is None else _plain(d.extra)
        if fields is None and extra is d.extra:
            return d  # nothing binary in it: the same object (most models)
        return replace(d, fields=d.fields if fields is None else tuple(fields), extra=extra)
    if isinstance(d, Alias):
        target = _plain(d.target)
        return d if target is d.target else replace(d, target=target)
    return d


def _field_type(f: Field, files: set[str]) -> TypeExpr:
    return _as_file(f.type) if f.wire_name in files else f.type


_Typed = TypeVar("_Typed", Field, Param, Body)


def _typed(item: _Typed, t: TypeExpr) -> _Typed:
    """`item` with the type `t` (itself when `t` is its type already)."""
    return item if t is item.type else replace(item, type=t)


def _response(r: Response) -> Response:
    t = _plain_or_none(r.type)
    return r if t is r.type else replace(r, type=t)


def _body(body: Body, by_name: Mapping[PyIdent, Definition]) -> Body:
    if body.kind == "multipart" and body.is_positional:
        return _positional(body, by_name)
    return _typed(body, _plain(body.type))


def _operation(op: Operation, by_name: Mapping[PyIdent, Definition]) -> Operation:
    params = tuple(_typed(p, _plain(p.type)) for p in op.params)
    body = None if op.body is None else _body(op.body, by_name)
    others = tuple(_body(b, by_name) for b in op.other_bodies)
    successes = tuple(_response(r) for r in op.successes)
    errors = tuple(_response(r) for r in op.errors)
    same = body is op.body and all(
        a is b
        for new, old in (
            (params, op.params),
            (others, op.other_bodies),
            (successes, op.successes),
            (errors, op.errors),
        )
        for a, b in zip(new, old, strict=True)
    )
    if same:
        return op
    return replace(
        op, params=params, body=body, other_bodies=others, successes=successes, errors=errors
    )


def _plain_or_none(t: TypeExpr | None) -> TypeExpr | None:
    return None if t is None else _plain(t)


def _plain(t: TypeExpr) -> TypeExpr:
    """`t` with every binary string a str (models and aliases are settled on their own);
    `t` itself when it holds none."""
    if isinstance(t, (Ref, LiteralOf)) or (isinstance(t, Prim) and t.kind != "file"):
        return t  # most types (tested before any pattern)
    match t:
        case Prim(kind="file"):
            return _STR
        case ListOf(item=item):
            new = _plain(item)
            return t if new is item else ListOf(new)
        case TupleOf(items=items, rest=rest):
            new_items = tuple(_plain(i) for i in items)
            new_rest = None if rest is None else _plain(rest)
            same = new_rest is rest and all(a is b for a, b in zip(new_items, items, strict=True))
            return t if same else replace(t, items=new_items, rest=new_rest)
        case MapOf(value=value):
            new = _plain(value)
            return t if new is value else MapOf(new)
        case Nullable(inner=inner):
            new = _plain(inner)
            return t if new is inner else Nullable(new)
        case UnionOf(options=options, discriminator=discriminator):
            new_options = tuple(_plain(o) for o in options)
            if all(a is b for a, b in zip(new_options, options, strict=True)):
                return t
            return UnionOf(new_options, discriminator)
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
