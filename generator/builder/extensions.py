"""allOf extensions: a model that is exactly another model plus fields of its own
becomes a subclass of it (`Model.base`).

`allOf: [{$ref: Base}, {properties: ...}]` is built as one merged model holding every
field. It extends `Base` when that is faithful: exactly one of its own `allOf` parts
refers to a model, every field of that model is among its fields unchanged (type,
required, readOnly/writeOnly, default, description, pointer...), additional properties
are treated the same, and the base checks no required sets of its own. One change is
allowed: the property of a discriminator the base has (or inherits) pinned to one
string value it allows (`petType: {enum: [dog]}`), the model's own tag, which the
subclass declares again, or restated with its docs or default changed (Microsoft
Graph's `'@odata.type': {type: string, default: '#microsoft.graph.user'}`).
Anything else (another base property redefined or made required, other
`additionalProperties`, several models in the allOf) stays one flattened dataclass,
as before; a discriminator mapping naming such a model is warned of
(`check_mappings`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from ..diagnostics import Diagnostics, Where
from ..ir import (
    Alias,
    Definition,
    Discriminator,
    Field,
    ListOf,
    LiteralOf,
    MapOf,
    Model,
    Nullable,
    Prim,
    PyIdent,
    TupleOf,
    TypeExpr,
    UnionOf,
)
from ..typeindex import ancestors, descends, implied_discriminator, members, own_tag

__all__ = ["check_mappings", "link_bases", "mark_tags"]


def link_bases(
    definitions: tuple[Definition, ...],
    extends: Mapping[PyIdent, tuple[Where, ...]],
    named: Callable[[Where], PyIdent | None],
    discriminated: Mapping[PyIdent, Discriminator] = {},
) -> tuple[Definition, ...]:
    """`definitions` with `base` set on every faithful extension; `extends` gives the
    places a model's own allOf parts refer to, `named` the definition at a place.
    A base with a discriminator (`discriminated`) gets its `dispatch`: the tags of the
    models extending it (its mapping's, else each component schema's name, and the
    value each gives the property, `typeindex.own_tag`, as a union's variants)."""
    by_name = {d.name: d for d in definitions}
    candidates: dict[PyIdent, PyIdent] = {}
    for name, places in extends.items():
        if not isinstance(by_name.get(name), Model):
            continue
        refs = {n for n in map(named, places) if n is not None}
        found = [n for n in refs if isinstance(by_name.get(n), Model) and n != name]
        if len(found) == 1:
            candidates[name] = found[0]
    bases: dict[PyIdent, PyIdent] = {}
    for name, candidate in candidates.items():
        model, base = by_name[name], by_name[candidate]
        assert isinstance(model, Model) and isinstance(base, Model)
        if _extends(model, base, _tag_property(candidate, candidates, discriminated)):
            bases[name] = candidate
    # models extending each other (allOf cycles) cannot be classes: they stay flat
    for name in [n for n in bases if descends(n, n, bases)]:
        del bases[name]
    if not bases:
        return definitions
    dispatch: dict[PyIdent, Discriminator] = {}
    for name, disc in discriminated.items():
        dispatch.update(_dispatch(name, disc, bases, by_name))
    pinned = _pinned(discriminated, bases, by_name)
    return tuple(
        replace(
            d,
            fields=pinned.get(d.name, d.fields),
            base=bases.get(d.name),
            dispatch=dispatch.get(d.name),
        )
        if isinstance(d, Model) and (d.name in bases or d.name in dispatch)
        else d
        for d in definitions
    )


def check_mappings(
    definitions: tuple[Definition, ...],
    discriminated: Mapping[PyIdent, Discriminator],
    sink: Diagnostics,
    document: str,
) -> None:
    """Warn of the models a base's discriminator mapping names that are not classes
    extending it (after `link_bases`): decoding the base never gives them."""
    by_name = {d.name: d for d in definitions}
    bases = {d.name: d.base for d in definitions if isinstance(d, Model) and d.base}
    for name, disc in discriminated.items():
        base = by_name.get(name)
        if not isinstance(base, Model):
            continue
        targets = [t for _, t in disc.mapping if t != name and isinstance(by_name.get(t), Model)]
        lost = [t for t in dict.fromkeys(targets) if not descends(t, name, bases)]
        if lost:
            sink.warning(
                f"discriminator mapping names {', '.join(lost)}, which "
                f"{'is not a class' if len(lost) == 1 else 'are not classes'} "
                f"extending {name} (an allOf of several models, or one changing {name}'s "
                f"properties, is one flattened class): decoding a {name} never gives them",
                Where(document, base.pointer).child("discriminator", "mapping"),
            )


def mark_tags(
    definitions: tuple[Definition, ...],
    discriminated: Mapping[PyIdent, Discriminator],
    used: Iterable[TypeExpr] = (),
) -> tuple[Definition, ...]:
    """`definitions` with `is_tag` set on each model field fixed to one value (a const,
    a one-value enum) whose property a union or a base model tells models apart by
    (its discriminator, declared or implied): pydantic's `kind: Literal["cat"] = "cat"`
    is not required, yet its server needs it to decode the body. `used`: the types
    operations use (an inline union of a request body)."""
    by_name = {d.name: d for d in definitions}
    names = {disc.wire_name for disc in discriminated.values()}
    pending: list[TypeExpr] = list(used)
    for d in definitions:
        if isinstance(d, Model):
            pending.extend(f.type for f in d.fields)
        elif isinstance(d, Alias):
            pending.append(d.target)
    while pending:
        t = pending.pop()
        if isinstance(t, ListOf):
            pending.append(t.item)
        elif isinstance(t, MapOf):
            pending.append(t.value)
        elif isinstance(t, Nullable):
            pending.append(t.inner)
        elif isinstance(t, TupleOf):
            pending.extend(members(t))
        elif isinstance(t, UnionOf):
            pending.extend(t.options)
            found = implied_discriminator(by_name, t.options, t.discriminator)
            if found is not None:
                names.add(found.wire_name)
    if not names:
        return definitions
    return tuple(
        replace(d, fields=tuple(_tagged(f) if f.wire_name in names else f for f in d.fields))
        if isinstance(d, Model) and any(f.wire_name in names for f in d.fields)
        else d
        for d in definitions
    )


def _tagged(f: Field) -> Field:
    one = isinstance(f.type, LiteralOf) and len(f.type.values) == 1
    return replace(f, is_tag=True) if one else f


def _pinned(
    discriminated: Mapping[PyIdent, Discriminator],
    bases: Mapping[PyIdent, PyIdent],
    by_name: Mapping[PyIdent, Definition],
) -> dict[PyIdent, tuple[Field, ...]]:
    """The fields of each model extending a discriminated base whose mapping gives it
    one tag, its discriminator's pinned to that tag (`pet_type: Literal["dog"] = "dog"`,
    made and checked as such): the spec says which value it carries. Only a model
    no other extends (a subclass's own tag would not narrow its base's), and never
    by an implicit tag (a schema's name, often not what its server sends)."""
    extended = set(bases.values())
    out: dict[PyIdent, tuple[Field, ...]] = {}
    for name, disc in discriminated.items():
        tags: dict[PyIdent, list[str]] = {}
        for tag, target in disc.mapping:
            tags.setdefault(target, []).append(tag)
        for target, found in tags.items():
            model = by_name.get(target)
            if len(found) != 1 or target in extended or not isinstance(model, Model):
                continue
            if not descends(target, name, bases):
                continue
            pin = LiteralOf((found[0],))
            out[target] = tuple(
                replace(f, type=pin)
                if f.wire_name == disc.wire_name and _allows(f.type, found[0])
                else f
                for f in model.fields
            )
    return out


def _allows(t: TypeExpr, value: str) -> bool:
    """Whether a field typed `t` (not null) may hold the string `value`."""
    return t == Prim("str") or (isinstance(t, LiteralOf) and value in t.values)


def _dispatch(
    name: PyIdent,
    disc: Discriminator,
    bases: Mapping[PyIdent, PyIdent],
    by_name: Mapping[PyIdent, Definition],
) -> dict[PyIdent, Discriminator]:
    """The `dispatch` of `name` and of each model extending it (the discriminator is
    theirs too): the tags of the models below each, those of the mapping first, then
    each other one's component schema name (OpenAPI's implicit mapping)."""
    below = [n for n in by_name if n != name and descends(n, name, bases)]  # spec order
    entries = {tag: target for tag, target in disc.mapping if target in below}
    for model in below:
        place = by_name[model].pointer
        if model not in entries.values() and place.startswith("#/components/schemas/"):
            tag = place.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
            entries.setdefault(tag, model)
    for model in below:  # the value it gives the property itself, as a union's variants
        definition = by_name[model]
        assert isinstance(definition, Model)
        value = own_tag(definition, disc.wire_name)
        if value is not None:
            entries.setdefault(value, model)
    out: dict[PyIdent, Discriminator] = {}
    for top in (name, *below):
        mine = tuple((t, m) for t, m in entries.items() if m != top and descends(m, top, bases))
        if mine:
            out[top] = Discriminator(disc.wire_name, mine)
    return out


def _tag_property(
    name: PyIdent,
    candidates: Mapping[PyIdent, PyIdent],
    discriminated: Mapping[PyIdent, Discriminator],
) -> str | None:
    """The property of the discriminator `name` has or inherits (through the models it
    would extend), if any."""
    for model in (name, *ancestors(name, candidates.get)):
        if model in discriminated:
            return discriminated[model].wire_name
    return None


def _extends(model: Model, base: Model, tag_property: str | None) -> bool:
    """Whether `model` is `base` plus fields of its own, every field of `base` unchanged
    but the discriminator's (`tag_property`), which it may pin to its own tag."""
    if model.extra != base.extra:
        return False
    if base.required_sets is not None and base.required_sets != model.required_sets:
        return False
    mine = {f.wire_name: f for f in model.fields}
    return all(
        mine.get(f.wire_name) == f
        or (f.wire_name == tag_property and _pins(mine.get(f.wire_name), f))
        for f in base.fields
    )


def _pins(mine: Field | None, theirs: Field) -> bool:
    """Whether `mine` is `theirs`, its docs and default aside (Microsoft Graph's kinds
    restate `@odata.type` with their tag as its default), or narrowed to one string
    value that `theirs` allows (`petType: {enum: [dog]}` in Dog, of Pet's `petType:
    {type: string}`)."""
    if mine is None:
        return False
    narrowed = isinstance(mine.type, LiteralOf) and len(mine.type.values) == 1
    if narrowed:
        assert isinstance(mine.type, LiteralOf)
        value = mine.type.values[0]
        allowed = theirs.type.inner if isinstance(theirs.type, Nullable) else theirs.type
        if not isinstance(value, str) or not _allows(allowed, value):
            return False
    aside = replace(
        mine,
        type=theirs.type if narrowed else mine.type,
        constraints=theirs.constraints if narrowed else mine.constraints,
        has_default=theirs.has_default,
        default=theirs.default,
        description=theirs.description,
        pointer=theirs.pointer,
    )
    return aside == theirs
