"""allOf extensions: a model that is exactly another model plus fields of its own
becomes a subclass of it (`Model.base`).

`allOf: [{$ref: Base}, {properties: ...}]` is built as one merged model holding every
field. It extends `Base` when that is faithful: exactly one of its own `allOf` parts
refers to a model, every field of that model is among its fields unchanged (type,
required, readOnly/writeOnly, default, description, pointer...), additional properties
are treated the same, and the base checks no required sets of its own. Anything else
(a base property redefined or made required, other `additionalProperties`, several
models in the allOf) stays one flattened dataclass, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from ..diagnostics import Where
from ..ir import Definition, Discriminator, Model, PyIdent
from ..typeindex import descends

__all__ = ["link_bases"]


def link_bases(
    definitions: tuple[Definition, ...],
    extends: Mapping[PyIdent, tuple[Where, ...]],
    named: Callable[[Where], PyIdent | None],
    discriminated: Mapping[PyIdent, Discriminator] = {},
) -> tuple[Definition, ...]:
    """`definitions` with `base` set on every faithful extension; `extends` gives the
    places a model's own allOf parts refer to, `named` the definition at a place.
    A base with a discriminator (`discriminated`) gets its `dispatch`: the tags of the
    models extending it (its mapping's, else each component schema's name)."""
    by_name = {d.name: d for d in definitions}
    bases: dict[PyIdent, PyIdent] = {}
    for name, places in extends.items():
        model = by_name.get(name)
        if not isinstance(model, Model):
            continue
        refs = {n for n in map(named, places) if n is not None}
        candidates = [n for n in refs if isinstance(by_name.get(n), Model) and n != name]
        if len(candidates) != 1:
            continue
        base = by_name[candidates[0]]
        assert isinstance(base, Model)
        if _extends(model, base):
            bases[name] = base.name
    # models extending each other (allOf cycles) cannot be classes: they stay flat
    for name in [n for n in bases if descends(n, n, bases)]:
        del bases[name]
    if not bases:
        return definitions
    dispatch: dict[PyIdent, Discriminator] = {}
    for name, disc in discriminated.items():
        dispatch.update(_dispatch(name, disc, bases, by_name))
    return tuple(
        replace(d, base=bases.get(d.name), dispatch=dispatch.get(d.name))
        if isinstance(d, Model) and (d.name in bases or d.name in dispatch)
        else d
        for d in definitions
    )


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
    out: dict[PyIdent, Discriminator] = {}
    for top in (name, *below):
        mine = tuple((t, m) for t, m in entries.items() if m != top and descends(m, top, bases))
        if mine:
            out[top] = Discriminator(disc.wire_name, mine)
    return out


def _extends(model: Model, base: Model) -> bool:
    """Whether `model` is `base` plus fields of its own, every field of `base` unchanged."""
    if model.extra != base.extra:
        return False
    if base.required_sets is not None and base.required_sets != model.required_sets:
        return False
    mine = {f.wire_name: f for f in model.fields}
    return all(mine.get(f.wire_name) == f for f in base.fields)
