"""`oagen diff`: how the generated client's public Python API changes between two specs.

Both specs go through load -> validate -> upgrade (Swagger 2.0) -> build (nothing is
rendered); the two `Api`s are compared as a caller of the generated package sees them
(`client.sessions.get_session`, `models.SessionSummary.created_at`,
`Client(archal_token=...)`), and each change is classified breaking or not from that
caller's point of view.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from .diffreport import Change
from .ir import (
    Alias,
    Api,
    Definition,
    EnumDef,
    JsonScalar,
    LiteralOf,
    Model,
    Nullable,
    Operation,
    Param,
    Ref,
    SecurityScheme,
    TypeExpr,
    UnionOf,
)  # fmt: skip
from .literals import py_literal
from .plan.extensions import class_bases
from .plan.models import model_layout
from .pytypes import Types
from .typeindex import type_refs

__all__ = ["Change", "diff_apis"]

# Where a type is seen: "in" values the caller passes, "out" values it receives.
Usage = frozenset[Literal["in", "out"]]
_IN: Usage = frozenset({"in"})
_OUT: Usage = frozenset({"out"})
_BOTH: Usage = frozenset({"in", "out"})


# -- comparison -------------------------------------------------------------------------


def diff_apis(old: Api, new: Api) -> list[Change]:
    """Every change of the public API from `old` to `new`, unordered."""
    return list(_Differ(old, new).changes())


def _breaking_type_change(old: frozenset[str], new: frozenset[str], usage: Usage) -> bool:
    """A type change breaks callers unless it only widens what they pass in or only
    narrows what they get back."""
    if usage == _IN and old <= new:
        return False
    return not (usage == _OUT and new <= old)


class _Side:
    """One `Api` with what the comparison needs: annotations and where models are used."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.types = Types(api.definitions)
        self.defs: dict[str, Definition] = {d.name: d for d in api.definitions}
        # the base class each model is generated with (an allOf extension's)
        self.bases = class_bases({d.name: d for d in api.definitions}, model_layout(api).modules)
        self.operations: dict[str, Operation] = {}
        for resource in (*api.resources, *((api.root,) if api.root else ())):
            prefix = "client." + "".join(f"{name}." for name in resource.attribute_path)
            for op in resource.operations:
                self.operations[prefix + op.python_name] = op
        self.usage: dict[str, set[Literal["in", "out"]]] = {}
        for op in self.operations.values():
            for p in op.params:
                self._use(p.type, "in")
            for body in op.bodies:
                self._use(body.type, "in")
            for r in (*op.successes, *op.errors):
                if r.type is not None:
                    self._use(r.type, "out")

    def _use(self, t: TypeExpr, how: Literal["in", "out"]) -> None:
        for name in type_refs(t):
            seen = self.usage.setdefault(name, set())
            if how in seen:
                continue
            seen.add(how)
            match self.defs.get(name):
                case Model(fields=fields, extra=extra):
                    for f in fields:
                        self._use(f.type, how)
                    if extra is not None:
                        self._use(extra, how)
                case Alias(target=target):
                    self._use(target, how)
                case EnumDef() | None:
                    pass

    def annotation(self, t: TypeExpr) -> str:
        return self.types.annotation(t)

    def atoms(self, t: TypeExpr) -> frozenset[str]:
        """The alternatives a value of `t` can be: union members, `None`, each literal."""
        match t:
            case UnionOf(options=options):
                return frozenset().union(*(self.atoms(o) for o in options))
            case Nullable(inner=inner):
                return self.atoms(inner) | {"None"}
            case LiteralOf(values=values):
                return frozenset(f"Literal[{py_literal(v)}]" for v in values)
            case Ref(name=name) if isinstance(self.defs.get(name), Alias) and not (
                self.types.is_recursive_alias(name)
            ):
                alias = self.defs[name]
                assert isinstance(alias, Alias)
                return self.atoms(alias.target)
            case _:
                return frozenset({self.annotation(t)})

    def returns(self, op: Operation) -> tuple[str, frozenset[str]]:
        """The return annotation (as the generated method declares it) and its atoms."""
        if op.stream is not None:  # `Stream[T]`: any change of T or of streaming breaks
            item = self.annotation(op.stream.item)
            return f"Stream[{item}]", frozenset(
                {f"Stream[{a}]" for a in self.atoms(op.stream.item)}
            )
        parts: list[str] = []
        atoms: set[str] = set()
        for r in op.successes or ():
            if r.kind == "empty":
                text, more = "None", frozenset({"None"})
            elif r.kind == "raw" or r.type is None:
                text, more = "httpx.Response", frozenset({"httpx.Response"})
            else:
                text, more = self.annotation(r.type), self.atoms(r.type)
            parts.append(text)
            atoms |= more
        if not parts:
            parts, atoms = ["httpx.Response"], {"httpx.Response"}
        unique = list(dict.fromkeys(parts))
        if "None" in unique and len(unique) > 1:
            unique.remove("None")
            unique.append("None")
        return " | ".join(unique), frozenset(atoms)

    def body(self, op: Operation) -> tuple[str, frozenset[str]]:
        """What `body=` takes: the union over the body's media types, and its atoms."""
        texts: list[str] = []
        atoms: frozenset[str] = frozenset()
        for body in op.bodies:
            if body.kind == "binary":
                text, more = "bytes | IO[bytes]", frozenset({"bytes", "IO[bytes]"})
            elif body.kind == "text":
                text, more = "str", frozenset({"str"})
            else:
                text, more = self.annotation(body.type), self.atoms(body.type)
            texts.append(text)
            atoms |= more
        return " | ".join(dict.fromkeys(texts)), atoms


def _credentials(alternatives: tuple[tuple[str, ...], ...]) -> str:
    if not alternatives or () in alternatives:
        return "none"
    return " or ".join(" + ".join(alt) for alt in alternatives)


def _scheme_text(scheme: SecurityScheme) -> str:
    if scheme.kind == "api_key":
        return f"API key in {scheme.location} {scheme.param_name}"
    return f"HTTP {scheme.http_scheme or scheme.kind}"


_KIND = {Model: "model", EnumDef: "enum", Alias: "type alias"}


class _Differ:
    def __init__(self, old: Api, new: Api) -> None:
        self.old, self.new = _Side(old), _Side(new)

    def changes(self) -> Iterator[Change]:
        yield from self._client()
        yield from self._operations()
        yield from self._definitions()

    # -- Client(...) ----------------------------------------------------------------

    def _client(self) -> Iterator[Change]:
        old_api, new_api = self.old.api, self.new.api
        if old_api.base_url != new_api.base_url:
            yield Change(
                False,
                "changed default {}: {} -> {}",
                ("Client(base_url=...)", repr(old_api.base_url), repr(new_api.base_url)),
            )
        old = {s.python_name: s for s in old_api.security_schemes}
        new = {s.python_name: s for s in new_api.security_schemes}
        for name in old.keys() - new.keys():
            yield Change(True, "removed credential {}", (f"Client({name}=...)",))
        for name in new.keys() - old.keys():
            yield Change(False, "added credential {}", (f"Client({name}=...)",))
        for name in old.keys() & new.keys():
            before, after = _scheme_text(old[name]), _scheme_text(new[name])
            if before != after:
                # basic takes a (user, password) tuple, the others a string
                breaking = (old[name].kind == "basic") != (new[name].kind == "basic")
                yield Change(
                    breaking,
                    "changed credential {}: {} -> {}",
                    (f"Client({name}=...)", before, after),
                )

    # -- operations -----------------------------------------------------------------

    def _operations(self) -> Iterator[Change]:
        old, new = self.old.operations, self.new.operations
        for name in old.keys() - new.keys():
            op = old[name]
            yield Change(True, "removed operation {} ({})", (name, f"{op.method} {op.path}"))
        for name in new.keys() - old.keys():
            op = new[name]
            yield Change(False, "added operation {} ({})", (name, f"{op.method} {op.path}"))
        for name in old.keys() & new.keys():
            yield from self._operation(name, old[name], new[name])

    def _operation(self, name: str, old: Operation, new: Operation) -> Iterator[Change]:
        if (old.method, old.path) != (new.method, new.path):
            yield Change(
                True,
                "changed endpoint of {}: {} -> {}",
                (name, f"{old.method} {old.path}", f"{new.method} {new.path}"),
            )
        yield from self._params(name, old.params, new.params)
        yield from self._body(name, old, new)
        before, before_atoms = self.old.returns(old)
        after, after_atoms = self.new.returns(new)
        if before != after:
            yield Change(
                _breaking_type_change(before_atoms, after_atoms, _OUT),
                "changed return type of {}: {} -> {}",
                (name, before, after),
            )
        yield from self._security(name, old.security, new.security)
        if (old.pagination is None) != (new.pagination is None):
            if new.pagination is None:
                yield Change(True, "removed pagination of {}: no {}", (name, name + "_iter"))
            else:
                yield Change(False, "added pagination to {}: new {}", (name, name + "_iter"))

    def _params(
        self, op: str, old_params: tuple[Param, ...], new_params: tuple[Param, ...]
    ) -> Iterator[Change]:
        old = {p.python_name: p for p in old_params}
        new = {p.python_name: p for p in new_params}
        for key in old.keys() - new.keys():
            yield Change(True, "removed parameter {}", (f"{op}({key})",))
        for key in new.keys() - old.keys():
            p = new[key]
            required = p.is_required or p.location == "path"
            yield Change(
                required,
                f"added {'required' if required else 'optional'} parameter {{}}",
                (f"{op}({key}: {self.new.annotation(p.type)})",),
            )
        for key in old.keys() & new.keys():
            before, after = old[key], new[key]
            subject = f"{op}({key})"
            if before.location != after.location:
                positional = "path" in (before.location, after.location)
                yield Change(
                    positional,
                    "moved parameter {}: {} -> {}",
                    (subject, before.location, after.location),
                )
            if not before.is_required and after.is_required:
                yield Change(True, "made parameter {} required", (subject,))
            elif before.is_required and not after.is_required:
                yield Change(False, "made parameter {} optional", (subject,))
            yield from self._type("parameter", subject, before.type, after.type, frozenset({"in"}))
        before_order = [p.python_name for p in old_params if p.location == "path"]
        after_order = [p.python_name for p in new_params if p.location == "path"]
        if before_order != after_order and sorted(before_order) == sorted(after_order):
            yield Change(
                True,
                "reordered positional parameters of {}: {} -> {}",
                (op, ", ".join(before_order), ", ".join(after_order)),
            )

    def _body(self, name: str, old: Operation, new: Operation) -> Iterator[Change]:
        subject = f"{name}(body=...)"
        if old.body is None and new.body is None:
            return
        if old.body is None:
            assert new.body is not None
            required = new.body.is_required
            kind = "required" if required else "optional"
            text, _ = self.new.body(new)
            yield Change(required, f"added {kind} request body {{}}", (f"{name}(body: {text})",))
            return
        if new.body is None:
            yield Change(True, "removed request body {}", (subject,))
            return
        if not old.body.is_required and new.body.is_required:
            yield Change(True, "made request body {} required", (subject,))
        elif old.body.is_required and not new.body.is_required:
            yield Change(False, "made request body {} optional", (subject,))
        before, before_atoms = self.old.body(old)
        after, after_atoms = self.new.body(new)
        if before != after:
            yield Change(
                _breaking_type_change(before_atoms, after_atoms, _IN),
                "changed request body type of {}: {} -> {}",
                (name, before, after),
            )
        elif old.body.media_type != new.body.media_type:
            yield Change(
                False,
                "changed request body media type of {}: {} -> {}",
                (name, old.body.media_type, new.body.media_type),
            )
        if old.other_bodies or new.other_bodies:  # `content_type=`: its Literal
            before_media = {b.media_type for b in old.bodies}
            after_media = {b.media_type for b in new.bodies}
            for media in sorted(before_media - after_media):
                yield Change(True, "removed request body media type {} of {}", (media, name))
            for media in sorted(after_media - before_media):
                yield Change(False, "added request body media type {} of {}", (media, name))

    def _security(
        self,
        name: str,
        old: tuple[tuple[str, ...], ...],
        new: tuple[tuple[str, ...], ...],
    ) -> Iterator[Change]:
        before = [frozenset(alt) for alt in old] or [frozenset()]
        after = [frozenset(alt) for alt in new] or [frozenset()]
        if sorted(map(sorted, before)) == sorted(map(sorted, after)):
            return
        # a credential set that satisfied an old alternative must satisfy a new one
        lost = any(not any(alt <= accepted for alt in after) for accepted in before)
        yield Change(
            lost,
            "changed accepted credentials of {}: {} -> {}",
            (name, _credentials(old), _credentials(new)),
        )

    # -- models -----------------------------------------------------------------------

    def _definitions(self) -> Iterator[Change]:
        old, new = self.old.defs, self.new.defs
        for name in old.keys() - new.keys():
            yield Change(True, f"removed {_KIND[type(old[name])]} {{}}", (f"models.{name}",))
        for name in new.keys() - old.keys():
            yield Change(False, f"added {_KIND[type(new[name])]} {{}}", (f"models.{name}",))
        for name in old.keys() & new.keys():
            before, after = old[name], new[name]
            subject = f"models.{name}"
            if type(before) is not type(after):
                yield Change(
                    True,
                    "changed {} from a {} to a {}",
                    (subject, _KIND[type(before)], _KIND[type(after)]),
                )
                continue
            usage = self._usage(name)
            if isinstance(before, Model) and isinstance(after, Model):
                yield from self._model(subject, before, after, usage)
            elif isinstance(before, EnumDef) and isinstance(after, EnumDef):
                yield from _values(subject, before.values, after.values)
            elif isinstance(before, Alias) and isinstance(after, Alias):
                yield from self._type("type alias", subject, before.target, after.target, usage)

    def _usage(self, name: str) -> Usage:
        used = self.old.usage.get(name, set()) | self.new.usage.get(name, set())
        return frozenset(used) if used else _BOTH

    def _model(self, subject: str, old: Model, new: Model, usage: Usage) -> Iterator[Change]:
        was_base, base = self.old.bases.get(old.name), self.new.bases.get(new.name)
        if was_base is not None and was_base != base:  # `isinstance(x, Base)` turns False
            yield Change(True, "{} is no longer a subclass of {}", (subject, f"models.{was_base}"))
        if base is not None and was_base != base:
            yield Change(False, "{} is now a subclass of {}", (subject, f"models.{base}"))
        before = {f.python_name: f for f in old.fields}
        after = {f.python_name: f for f in new.fields}
        for key in before.keys() - after.keys():
            yield Change(True, "removed field {}", (f"{subject}.{key}",))
        for key in after.keys() - before.keys():
            f = after[key]
            kind = "required" if f.is_required else "optional"
            yield Change(
                f.is_required,
                f"added {kind} field {{}}",
                (f"{subject}.{key}: {self.new.annotation(f.type)}",),
            )
        for key in before.keys() & after.keys():
            was, now = before[key], after[key]
            field = f"{subject}.{key}"
            if not was.is_required and now.is_required:
                yield Change(True, "made field {} required", (field,))
            elif was.is_required and not now.is_required:
                # readers now get `T | Unset`
                yield Change(usage != _IN, "made field {} optional", (field,))
            yield from self._type("field", field, was.type, now.type, usage)

    def _type(
        self, what: str, subject: str, old: TypeExpr, new: TypeExpr, usage: Usage
    ) -> Iterator[Change]:
        before, after = self.old.annotation(old), self.new.annotation(new)
        if before == after:
            return
        old_atoms, new_atoms = self.old.atoms(old), self.new.atoms(new)
        old_other = {a for a in old_atoms if not a.startswith("Literal[")}
        new_other = {a for a in new_atoms if not a.startswith("Literal[")}
        if old_other == new_other and (old_other != old_atoms or new_other != new_atoms):
            # only literal values differ: an inline enum gained or lost values
            yield from _values(subject, _literals(old), _literals(new))
            return
        yield Change(
            _breaking_type_change(old_atoms, new_atoms, usage),
            f"changed type of {what} {{}}: {{}} -> {{}}",
            (subject, before, after),
        )


def _literals(t: TypeExpr) -> tuple[JsonScalar, ...]:
    match t:
        case LiteralOf(values=values):
            return values
        case UnionOf(options=options):
            return tuple(v for o in options for v in _literals(o))
        case Nullable(inner=inner):
            return _literals(inner)
        case _:
            return ()


def _values(subject: str, old: Iterable[JsonScalar], new: Iterable[JsonScalar]) -> Iterator[Change]:
    before = {py_literal(v) for v in old}
    after = {py_literal(v) for v in new}
    for text in before - after:
        yield Change(True, "removed enum value {} from {}", (text, subject), 1)
    for text in after - before:
        yield Change(False, "added enum value {} to {}", (text, subject), 1)
