"""Which models are generated as subclasses of the model they extend (`Model.base`).

A subclass's module imports its base at the top (a base class must exist when the
class statement runs), while models otherwise import each other at the bottom of
their modules, after their own definitions, so that modules referring to each other
import in either order. A top import is safe unless the base's module imports, at
run time and maybe through others, the subclass's module: importing the subclass's
module first would then meet it half-initialised. Such an extension keeps every field
of its own (flattened, as if it had no base). The module graph is over-approximated
from the IR (every definition a module's definitions name), so that it is known
before any module is planned.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..ir import Definition, Model, PyIdent
from ..typeindex import definition_refs

__all__ = ["class_bases"]


def class_bases(
    definitions: Mapping[PyIdent, Definition], modules: Mapping[str, str]
) -> dict[PyIdent, PyIdent]:
    """Model -> the base class it is generated with (models without one are absent)."""
    bases = {
        d.name: d.base
        for d in definitions.values()
        if isinstance(d, Model) and d.base is not None and d.base in definitions
    }
    graph: dict[str, set[str]] = {}
    for d in definitions.values():
        graph.setdefault(modules[d.name], set()).update(
            modules[name] for name in definition_refs(d) if name in modules
        )
    reached: dict[str, set[str]] = {}
    safe: dict[PyIdent, PyIdent] = {}
    for name, base in bases.items():
        own, theirs = modules[name], modules[base]
        if own != theirs:
            if theirs not in reached:
                reached[theirs] = _reach(graph, theirs)
            if own in reached[theirs]:
                continue
        safe[name] = base
    return safe


def _reach(graph: Mapping[str, set[str]], start: str) -> set[str]:
    """The modules `start` imports, directly or through others."""
    seen: set[str] = set()
    pending = [start]
    while pending:
        for target in graph.get(pending.pop(), ()):
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return seen
