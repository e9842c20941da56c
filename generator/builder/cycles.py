"""Aliases that are, through aliases only, one of their own alternatives.

`Pet: {oneOf: [Pet, Node]}` is a Node (a Pet that is a Pet adds nothing), and
`A: {$ref: B}` with `B: {anyOf: [A]}` says nothing at all. Python cannot type either
(mypy: "Invalid recursive alias"), and decoding a value of one would recurse without
end. Such a reference is left out, with a warning; an alias left with nothing is
`Any`. A reference through a model, a list, a map or a tuple is recursion that holds
(`Tree: {type: array, items: {$ref: Tree}}`) and is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace

from ..diagnostics import Diagnostics, Where
from ..ir import Alias, Definition, Discriminator, Nullable, Prim, PyIdent, Ref, TypeExpr, UnionOf

__all__ = ["settle_alias_cycles"]


def settle_alias_cycles(
    definitions: Iterable[Definition], sink: Diagnostics, document: str
) -> tuple[Definition, ...]:
    """`definitions`, each alias without the references that lead back to it through
    aliases only (warned about at the alias)."""
    definitions = tuple(definitions)
    aliases = {d.name: d.target for d in definitions if isinstance(d, Alias)}
    out: list[Definition] = []
    for d in definitions:
        if isinstance(d, Alias):
            looping = {name for name in _bare(d.target) if _reaches(aliases, name, d.name)}
            if looping:
                target = _without(d.target, looping) or Prim("any")
                through = ", ".join(f"`{name}`" for name in sorted(looping))
                message = f"`{d.name}` is one of its own alternatives with nothing in between"
                message += f" (through {through}): that reference adds nothing and is left out"
                if target == Prim("any"):
                    message += "; nothing else is left, so any value is accepted"
                sink.warning(message, Where(document, d.pointer))
                out.append(replace(d, target=target))
                continue
        out.append(d)
    return tuple(out)


def _bare(t: TypeExpr) -> Iterator[PyIdent]:
    """The names `t` is, with no model or container in between."""
    match t:
        case Ref(name=name):
            yield name
        case Nullable(inner=inner):
            yield from _bare(inner)
        case UnionOf(options=options):
            for option in options:
                yield from _bare(option)
        case _:
            pass


def _reaches(aliases: Mapping[PyIdent, TypeExpr], start: PyIdent, goal: PyIdent) -> bool:
    """Whether alias `goal` is among what `start` barely is, through aliases."""
    seen: set[PyIdent] = set()
    pending = [start]
    while pending:
        name = pending.pop()
        if name == goal:
            return True
        if name not in seen and name in aliases:
            seen.add(name)
            pending.extend(_bare(aliases[name]))
    return False


def _without(t: TypeExpr, names: set[PyIdent]) -> TypeExpr | None:
    """`t` without its bare references to `names` (None: nothing is left)."""
    match t:
        case Ref(name=name) if name in names:
            return None
        case Nullable(inner=inner):
            rest = _without(inner, names)
            return Prim("none") if rest is None else Nullable(rest)
        case UnionOf(options=options, discriminator=disc):
            kept = [o for o in (_without(option, names) for option in options) if o is not None]
            if len(kept) <= 1:
                return kept[0] if kept else None
            if disc is not None:
                mapping = tuple((tag, name) for tag, name in disc.mapping if name not in names)
                disc = Discriminator(disc.wire_name, mapping)
            return UnionOf(tuple(kept), disc)
        case _:
            return t
