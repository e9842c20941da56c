"""Which model and resource modules a regeneration may take unplanned.

A `models` module is planned from a few inputs only: its own definitions, the
definitions its types refer to (and, through aliases, what those refer to; and the
models those extend), where those live, which of them are validated or recursive,
and base classes. A resource module likewise: its resource (operations included),
the base URL, its nested resources, and the definitions its operations' types refer
to. A module's *plan key* is a digest of exactly those inputs, recorded in the
manifest. A later run whose key for the module is the same plans the same context,
so it takes the file as the previous run left it (when it is on disk as recorded)
and skips planning, rendering and formatting it. That is what makes regenerating
after a one-schema edit cheap.

A definition a module only refers to counts without its documentation (the
`description` and `pointer` of the definition and of its fields): a module prints
the docs of its own definitions only, so editing a schema's descriptions replans
that schema's module, not every module that refers to the schema.

Planning reads definitions through a `Watched` view that notes any read outside the
inputs the key covers; such a module gets no key and is always planned, so a key can
only ever stand for what the plan really read.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import fields, replace
from operator import attrgetter
from typing import Any

from ..ir import (
    Alias,
    Definition,
    Field,
    Model,
    Operation,
    PyIdent,
    TypeExpr,
)  # fmt: skip
from ..manifest import sha256
from ..typeindex import Definitions, definition_refs, type_refs
from .common import FilePlan

__all__ = ["PlanKeys", "Reusable", "Watched", "by_context", "text_digest"]

# (output path, plan key) -> whether the previous output of that path may be taken
Reusable = Callable[[str, str], bool]


class Watched(Definitions):
    """The definitions as one module's planning sees them: reads outside `allowed`
    set `escaped` (they would not be covered by the module's key)."""

    def __init__(self, index: Definitions, allowed: frozenset[PyIdent]) -> None:
        self._map = _WatchedMap(index.by_name, allowed)
        self.by_name = self._map
        self.recursive = index.recursive

    @property
    def escaped(self) -> bool:
        return self._map.escaped


class _WatchedMap(Mapping[PyIdent, Definition]):
    def __init__(self, defs: Mapping[PyIdent, Definition], allowed: frozenset[PyIdent]) -> None:
        self._defs = defs
        self._allowed = allowed
        self.escaped = False

    def __getitem__(self, name: PyIdent) -> Definition:
        if name not in self._allowed:
            self.escaped = True
        return self._defs[name]

    def __iter__(self) -> Iterator[PyIdent]:
        self.escaped = True  # a read of every definition
        return iter(self._defs)

    def __len__(self) -> int:
        self.escaped = True
        return len(self._defs)


class PlanKeys:
    """Plan keys of the model and resource modules of one API (see the module
    docstring)."""

    def __init__(
        self,
        index: Definitions,
        modules: Mapping[str, str],
        validated: frozenset[PyIdent],
        bases: Mapping[PyIdent, PyIdent],
    ) -> None:
        self.index = self._index = index
        self._modules = modules
        self.validated = self._validated = validated
        self.bases = bases  # a model's base class (see `extensions.class_bases`)
        self._lines: dict[PyIdent, tuple[bytes, bytes, bytes]] = {}

    def model_inputs(self, members: Sequence[Definition]) -> frozenset[PyIdent]:
        """The definitions planning `members` may read: themselves, their base
        classes, what their types refer to, and, through aliases, what those refer
        to (a model referred to is read, not what is inside it)."""
        found = {d.name for d in members}
        pending = [name for d in members for name in definition_refs(d)]
        pending += [
            n for d in members if isinstance(d, Model) and d.dispatch for _, n in d.dispatch.mapping
        ]
        return self._closure(found, pending)

    def operation_inputs(self, operations: Sequence[Operation]) -> frozenset[PyIdent]:
        """The definitions planning `operations` may read: what the types of their
        parameters, bodies, responses, pages and streams refer to, and, through
        aliases, what those refer to."""
        types = [t for op in operations for t in _operation_types(op)]
        return self._closure(set(), [name for t in types for name in type_refs(t)])

    def key(
        self,
        path: str,
        text: str,
        inputs: frozenset[PyIdent],
        own: frozenset[PyIdent] = frozenset(),
    ) -> str:
        """The plan key of the module at `path`, planned from `text` (its docstring:
        what it reads besides definitions) and the definitions `inputs`, of which it
        declares (and documents) those in `own`."""
        parts = [f"{path}\0{text}\0".encode("utf-8", "surrogatepass")]
        for name in sorted(inputs):
            head, docs, tail = self._line(name)
            parts += (head, docs, tail) if name in own else (head, tail)
        return hashlib.sha256(b"".join(parts)).hexdigest()

    def _closure(self, found: set[PyIdent], pending: list[PyIdent]) -> frozenset[PyIdent]:
        """`found` and the `pending` names, and, through aliases, what they refer to,
        and the models the models among them extend (a union of them may decode by
        the discriminator of one: `typeindex.inherited_discriminator`)."""
        by_name = self._index.by_name
        while pending:
            name = pending.pop()
            if name not in found:
                found.add(name)
                target = by_name.get(name)
                if isinstance(target, Alias):
                    pending.extend(type_refs(target.target))
                elif isinstance(target, Model) and target.base is not None:
                    pending.append(target.base)
        return frozenset(found)

    def _line(self, name: PyIdent) -> tuple[bytes, bytes, bytes]:
        """What a key says of the definition `name`, made once: its name and the
        digest of it without its docs; the digest of its docs (for a module declaring
        it); its module, whether it is validated or recursive, and its base class."""
        found = self._lines.get(name)
        if found is None:
            shape, docs = _split(self._index.by_name.get(name))
            tail = (
                f"\0{self._modules.get(name)}\0{name in self._validated}\0"
                f"{name in self._index.recursive}\0{self.bases.get(name)}\n"
            )
            found = self._lines[name] = (
                f"{name}\0{sha256(shape)}\0".encode("utf-8", "surrogatepass"),
                sha256(docs).encode("ascii"),
                tail.encode("utf-8", "surrogatepass"),
            )
        return found


# The attributes that only document a definition or a field (see the module docstring).
_DOCS = frozenset({"description", "pointer"})
_Getter = Callable[[object], Any]
_GETTERS: dict[type, tuple[_Getter, _Getter]] = {}


def _getters(cls: type) -> tuple[_Getter, _Getter]:
    """Getters of the tuples of `cls`'s other attributes and of its docs (a model's
    fields apart: see `_FIELD_*`)."""
    found = _GETTERS.get(cls)
    if found is None:
        names = [f.name for f in fields(cls) if not (cls is Model and f.name == "fields")]
        found = _GETTERS[cls] = (
            attrgetter(*(n for n in names if n not in _DOCS), "__class__.__name__"),
            attrgetter(*(n for n in names if n in _DOCS), "__class__.__name__"),
        )
    return found


# A field's attributes that hold records (written as their reprs), its other ones
# (strings, booleans and JSON values, which `marshal` writes as they are), its docs.
_RECORD_NAMES = ("type", "constraints")
_FIELD_RECORDS: tuple[_Getter, ...] = tuple(attrgetter(n) for n in _RECORD_NAMES)
_FIELD_NAMES = [f.name for f in fields(Field)]
_FIELD_PLAIN: _Getter = attrgetter(
    *(n for n in _FIELD_NAMES if n not in _DOCS and n not in _RECORD_NAMES)
)
_FIELD_DOCS: _Getter = attrgetter(*(n for n in _FIELD_NAMES if n in _DOCS))


def _split(definition: Definition | None) -> tuple[bytes, bytes]:
    """A serialization of everything in `definition` but its docs, and one of its
    docs, the same from run to run. The IR is frozen dataclasses of strings,
    numbers, tuples and JSON values: their reprs are all of it. A model's fields
    (GitHub's: 38,000) go through `marshal` (format 2: values only, no references),
    twice as fast as their reprs: their records (type, constraints) as reprs, the
    rest as it is."""
    if definition is None:
        return b"None", b""
    shape, docs = _getters(type(definition))
    shapes, texts = repr(shape(definition)), repr(docs(definition))
    if not isinstance(definition, Model):
        return shapes.encode("utf-8", "surrogatepass"), texts.encode("utf-8", "surrogatepass")
    items = definition.fields
    records = (tuple(map(repr, map(get, items))) for get in _FIELD_RECORDS)
    return (
        marshal.dumps((shapes, tuple(map(_FIELD_PLAIN, items)), *records), 2),
        marshal.dumps((texts, tuple(map(_FIELD_DOCS, items))), 2),
    )


def by_context(file: FilePlan, reusable: Reusable | None) -> FilePlan:
    """`file`, planned from the API as a whole (the README, the client, the
    `__init__`s), keyed by its context: rendering a context gives the same text each
    time, so when it is the one recorded the previous output of the file is taken
    without rendering it. Contexts are records of strings and tuples: their repr is
    all of them."""
    key = text_digest(f"{file.path}\0{file.template}\0{file.context!r}")
    if reusable is not None and reusable(file.path, key):
        return FilePlan(file.path, None, None, key=key, reused=True)
    return replace(file, key=key)


def text_digest(text: str) -> str:
    return sha256(text.encode("utf-8", "surrogatepass"))


def _operation_types(op: Operation) -> Iterator[TypeExpr]:
    yield from (p.type for p in op.params)
    yield from (b.type for b in op.bodies)
    yield from (r.type for r in (*op.successes, *op.errors) if r.type is not None)
    if op.pagination is not None:
        yield op.pagination.item_type
    if op.stream is not None:
        yield op.stream.item
