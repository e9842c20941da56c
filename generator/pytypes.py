"""TypeExpr -> Python source: annotations, decoder callables and encoder expressions.

A `Types` is made per generated module. It knows every definition (to expand aliases
and tell models from enums), records the imports each expression it returns needs
(annotations, decoders, encoders: `imports`, `models_used`), and collects the private
decoder functions (`_d_*`) that composite types need, so that generated `from_dict`
bodies stay straight-line calls. A module's import block is what its `Types` recorded
plus what its planner recorded for the code it wrote itself: nothing searches the
rendered text.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import assert_never

from .imports import ImportSet
from .ir import (
    Alias,
    Definition,
    EnumDef,
    JsonScalar,
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
)  # fmt: skip
from .literals import (
    base_decoder,
    enum_needs_cast,
    enum_type,
    is_literal_enum,
    py_literal,
    py_tuple,
)
from .typeindex import JSON_NAMES, Definitions, describe, implied_discriminator
from .typeindex import members as _members

__all__ = ["DecoderDef", "Definitions", "Types"]

# builtin types an annotation may name (a method of the same name would hide them)
BUILTIN_TYPES = frozenset({"list", "dict", "tuple", "str", "int", "float", "bool", "bytes"})
_PRIM_ANNOTATION: dict[PrimKind, str] = {
    "str": "str", "int": "int", "float": "float", "bool": "bool", "any": "Any",
    "none": "None", "datetime": "datetime", "date": "date", "time": "time",
    "uuid": "UUID", "base64": "bytes", "binary": "bytes", "file": "FileTypes",
}  # fmt: skip
_PRIM_IMPORT: dict[PrimKind, tuple[str, str]] = {
    "any": ("typing", "Any"),
    "datetime": ("datetime", "datetime"),
    "date": ("datetime", "date"),
    "time": ("datetime", "time"),
    "uuid": ("uuid", "UUID"),
}
_PRIM_DECODER: dict[PrimKind, str] = {
    "str": "str_", "int": "int_", "float": "float_", "bool": "bool_", "any": "any_",
    "none": "none_", "datetime": "datetime_", "date": "date_", "time": "time_",
    "uuid": "uuid_", "base64": "bytes_", "binary": "bytes_", "file": "file_",
}  # fmt: skip


# Scalars decoded inline, and their Python types (JSON's names: `JSON_NAMES`).
_INLINE: dict[PrimKind | None, str] = {
    "str": "str", "int": "int", "bool": "bool", "float": "float", "any": "object",
}  # fmt: skip

_NO_MODELS: frozenset[PyIdent] = frozenset()

# enum decoders (`base_decoder`) whose check an inline one repeats exactly
_ENUM_INLINE: dict[str, PrimKind] = {"str_": "str", "bool_": "bool"}


@dataclass(frozen=True, slots=True)
class DecoderDef:
    """A private module-level decoder: `def name(value: object) -> returns: return body`."""

    name: str
    returns: str
    body: str


class Types:
    def __init__(
        self,
        definitions: Definitions | Iterable[Definition],
        *,
        model_prefix: str = "",
        shadowed: frozenset[str] = frozenset(),
    ) -> None:
        """`model_prefix` (`_models.`, the name the models package is imported as):
        model classes are reached through it, and only inside decoder functions, so a
        module can leave loading them to first use. `shadowed`: method names of the
        module's classes; builtins among them are spelled `builtins.list`."""
        index = definitions if isinstance(definitions, Definitions) else Definitions(definitions)
        self._prefix = model_prefix
        self._shadowed = shadowed & BUILTIN_TYPES
        self.defs = index.by_name
        self._recursive = index.recursive
        self.imports = ImportSet()
        self.models_used: set[str] = set()
        self._decoders: dict[str, DecoderDef] = {}

    @property
    def decoders(self) -> tuple[DecoderDef, ...]:
        return tuple(self._decoders[name] for name in sorted(self._decoders))

    def is_recursive_alias(self, name: str) -> bool:
        return name in self._recursive

    def _use_model(self, name: str) -> str:
        self.models_used.add(name)
        return name

    def builtin(self, name: str) -> str:
        """The builtin type `name` as an annotation may spell it here."""
        if name in self._shadowed:
            self.imports.add_module("builtins")
        return f"builtins.{name}" if name in self._shadowed else name

    def serde(self, name: str) -> str:
        """`_serde.<name>` (a runtime helper of `_serde.__all__`), importing `_serde`."""
        self.imports.add("..", "_serde")
        return f"_serde.{name}"

    def annotation(self, t: TypeExpr) -> str:
        """The annotation text of `t`; records the imports it needs."""
        if isinstance(t, Prim):  # isinstance tests, commonest first (not `match`)
            kind = t.kind
            if kind in _PRIM_IMPORT:
                self.imports.add(*_PRIM_IMPORT[kind])
            if kind == "file":
                self.imports.add(".._types", "FileTypes")
            return self.builtin(_PRIM_ANNOTATION[kind])
        if isinstance(t, Ref):
            target = self.defs[t.name]
            if isinstance(target, Alias) and t.name not in self._recursive:
                return self.annotation(target.target)
            return self._use_model(t.name)
        if isinstance(t, Nullable):
            text = self.annotation(t.inner)
            return text if text.endswith("| None") or text == "None" else f"{text} | None"
        if isinstance(t, ListOf):
            return f"{self.builtin('list')}[{self.annotation(t.item)}]"
        if isinstance(t, LiteralOf):
            return self.enum_annotation(t.values)
        if isinstance(t, MapOf):
            return f"{self.builtin('dict')}[{self.builtin('str')}, {self.annotation(t.value)}]"
        if isinstance(t, UnionOf):
            return " | ".join(dict.fromkeys(self.annotation(o) for o in t.options))
        if isinstance(t, TupleOf):
            if t.rest is not None:  # more items after the prefix: a list of any of them
                return self.annotation(_as_list(t))
            inside = ", ".join(self.annotation(i) for i in t.items)
            return f"{self.builtin('tuple')}[{inside}]"
        assert_never(t)

    def enum_annotation(self, values: tuple[JsonScalar, ...]) -> str:
        """The type of an enum of `values` (see `literals.enum_type`)."""
        text, uses_literal = enum_type(values)
        if uses_literal:
            self.imports.add("typing", "Literal")
        return self.builtin(text) if text in BUILTIN_TYPES else text

    def slug(self, t: TypeExpr) -> str:
        """A stable identifier fragment naming the shape of `t`."""
        match t:
            case Prim(kind=kind):
                return kind
            case ListOf(item=item):
                return f"list_{self.slug(item)}"
            case TupleOf(items=items, rest=rest, exact=exact):
                text = "|".join(self.slug(o) for o in items) + f"/{rest and self.slug(rest)}"
                return "tuple_" + _digest(text if exact else text + "/loose")
            case MapOf(value=value):
                return f"map_{self.slug(value)}"
            case Ref(name=name):
                return name  # PascalCase: never equal to a (lowercase) structural slug
            case UnionOf(options=options, discriminator=discriminator):
                # the discriminator decides decoding: unions differing only in it
                # must not share a decoder
                text = "|".join(self.slug(o) for o in options) + repr(discriminator)
                return "union_" + _digest(text)
            case LiteralOf(values=values):
                return "literal_" + _digest(repr(values))
            case Nullable(inner=inner):
                return f"nullable_{self.slug(inner)}"  # prefix form: unambiguous
            case _:
                assert_never(t)

    def decoder(self, t: TypeExpr) -> str:
        """An expression naming a callable that decodes a JSON value into `t`."""
        match t:
            case Prim(kind=kind):
                return self.serde(_PRIM_DECODER[kind])
            case Ref(name=name):
                return self._ref_decoder(name)
            case MapOf(value=Prim(kind="any")):
                return self.serde("object_")
            case ListOf(item=item):
                return self._helper(t, f"{self.serde('list_')}(value, {self.decoder(item)})")
            case MapOf(value=value):
                return self._helper(t, f"{self.serde('map_')}(value, {self.decoder(value)})")
            case TupleOf(items=items, rest=None, exact=exact):
                decoders = f"({', '.join(self.decoder(i) for i in items)},)"
                loose = "" if exact else ", exact=False"
                body = f"{self.serde('tuple_')}(value, {decoders}{loose})"
                return self._helper(
                    t, f"cast({py_literal(self.annotation(t))}, {body})", needs_cast=True
                )
            case TupleOf():  # decoded as what it is typed: a list of any of its types
                return self.decoder(_as_list(t))
            case UnionOf(options=options, discriminator=discriminator):
                ordered = sorted(options, key=self._specificity)
                decoders = ", ".join(self.decoder(o) for o in ordered)
                closed = tuple(map(self._closed, ordered))
                expected = py_literal(describe(t))
                if any(c is not None for c in closed):  # tuples of names: constants
                    names = ["None" if c is None else py_tuple(map(py_literal, c)) for c in closed]
                    expected += f", {py_tuple(names)}"
                body = f"{self.serde('union_')}(value, ({decoders},), {expected})"
                discriminator = implied_discriminator(self.defs, options, discriminator)
                if discriminator is not None and discriminator.mapping:
                    named: dict[str, list[PyIdent]] = {}  # a tag several options give: all
                    for tag, name in discriminator.mapping:
                        named.setdefault(tag, []).append(name)
                    tags = ", ".join(
                        f"{py_literal(tag)}: {self._ref_decoder(names[0])}"
                        if len(names) == 1
                        else f"{py_literal(tag)}: {self.decoder(UnionOf(tuple(map(Ref, names))))}"
                        for tag, names in named.items()
                    )
                    prop = py_literal(discriminator.wire_name)
                    tagged = self.serde("tagged_")
                    body = f"{tagged}(value, {prop}, {{{tags}}}, ({decoders},), {expected})"
                return self._helper(
                    t, f"cast({py_literal(self.annotation(t))}, {body})", needs_cast=True
                )
            case LiteralOf(values=values):
                base = f"{self.serde(base_decoder(values))}(value)"
                if not enum_needs_cast(values):  # typed `float`/`bool`: nothing to cast
                    return self._helper(t, base)
                annotation = py_literal(self.annotation(t))
                return self._helper(t, f"cast({annotation}, {base})", needs_cast=True)
            case Nullable(inner=inner):
                return self._helper(t, f"None if value is None else {self.decoder(inner)}(value)")
            case _:
                assert_never(t)

    def inline_decode(
        self, t: TypeExpr, key: str, *, required: bool, take: bool = False
    ) -> tuple[tuple[str, ...], str]:
        """Straight-line decoding of property `key` (a Python literal) of `d`: the
        lines to run and the expression of the value. Scalars are type-checked inline
        (no call on the happy path), everything else goes through its decoder.
        `take`: `d` is the model's own copy, and each property is taken out of it."""
        nullable = isinstance(t, Nullable)
        inner = t.inner if isinstance(t, Nullable) else t
        inline = self._inline_kind(inner)
        if inline is None:
            accessor = ("req" if required else "opt") + ("_pop" if take else "")
            return (), f"{self.serde(accessor)}(d, {key}, {self.decoder(t)})"
        kind, is_enum = inline
        self.imports.add(".._types", "UNSET")
        if kind != "any" or required:
            self.imports.add("..", "_serde")
        lines = _check_lines(kind, key, nullable, required, take)
        if not is_enum:
            return lines, "v"
        # an enum's Literal type: what the check above established, told to mypy
        self.imports.add("typing", "cast")
        annotation = self.annotation(t) + ("" if required else " | Unset")
        return lines, f"cast({py_literal(annotation)}, v)"

    def _inline_kind(self, t: TypeExpr) -> tuple[PrimKind, bool] | None:
        """The scalar kind whose inline type check decodes `t` exactly as its decoder
        would, and whether `t` is an enum: plain scalars, aliases of them, and enums
        (lenient: only the JSON type of a value is checked); None for the rest."""
        if isinstance(t, Prim):  # most fields
            return (t.kind, False) if t.kind in _INLINE else None
        values: tuple[JsonScalar, ...] | None = None
        if isinstance(t, Ref):
            target = self.defs[t.name]
            if isinstance(target, Alias) and t.name not in self._recursive:
                return self._inline_kind(target.target)
            if not isinstance(target, EnumDef):
                return None
            values = target.values
        elif isinstance(t, LiteralOf):
            values = t.values
        if values is not None:
            kind = _ENUM_INLINE.get(base_decoder(values))
            return None if kind is None else (kind, is_literal_enum(values))
        return None

    def _specificity(self, t: TypeExpr) -> int:
        """Union options are tried most specific first: models with more consts and
        required properties before those with fewer, then everything else in the
        spec's order (a model requiring nothing fits any object, as a free-form map
        does: the first listed of them is the one an object fits)."""
        target = self.defs.get(t.name) if isinstance(t, Ref) else None
        if isinstance(target, Model):
            required = sum(1 for f in target.fields if f.is_required and not f.is_write_only)
            consts = sum(
                1
                for f in target.fields
                if isinstance(f.type, LiteralOf) and len(f.type.values) == 1
            )
            return -(required + 100 * consts) if required or consts else 1
        return 1

    def _closed(self, t: TypeExpr) -> tuple[str, ...] | None:
        """The JSON names of a union option that allows no other properties: a model
        without additionalProperties, which no other model extends (None: any)."""
        target = self.defs.get(t.name) if isinstance(t, Ref) else None
        if isinstance(target, Model) and target.extra is None and target.dispatch is None:
            return tuple(f.wire_name for f in target.fields)
        return None

    def _ref_decoder(self, name: PyIdent) -> str:
        target = self.defs[name]
        if isinstance(target, Model):
            if self._prefix:
                self.imports.add("..", f"models as {self._prefix.removesuffix('.')}")
                return self._helper(Ref(name), f"{self._prefix}{name}.from_dict(value)")
            return f"{self._use_model(name)}.from_dict"
        if isinstance(target, EnumDef):
            annotation = self._use_model(name)
            base = f"{self.serde(base_decoder(target.values))}(value)"
            if not enum_needs_cast(target.values):  # typed `float`/`bool`: nothing to cast
                return self._helper(Ref(name), base)
            return self._helper(
                Ref(name), f"cast({py_literal(annotation)}, {base})", needs_cast=True
            )
        if name in self._recursive:
            helper = f"_d_{name}"
            if helper not in self._decoders:
                self._decoders[helper] = DecoderDef(
                    helper, name, ""
                )  # placeholder breaks the cycle
                self._decoders[helper] = DecoderDef(
                    helper, self._use_model(name), f"{self.decoder(target.target)}(value)"
                )
            return helper
        return self.decoder(target.target)

    def _helper(self, t: TypeExpr, body: str, *, needs_cast: bool = False) -> str:
        name = f"_d_{self.slug(t)}"
        if name not in self._decoders:
            if needs_cast:
                self.imports.add("typing", "cast")
            self._decoders[name] = DecoderDef(name, self.annotation(t), body)
        return name

    def encoder(self, t: TypeExpr, expr: str, depth: int = 0) -> str:
        """An expression turning the value of `expr` (typed `t`) into JSON-ready data."""
        # isinstance tests, the commonest types first (a `match` of class patterns
        # costs several times more on the path of every model field)
        if isinstance(t, Prim):
            kind = t.kind
            if kind in ("datetime", "date", "time"):
                return f"{expr}.isoformat()"
            if kind == "uuid":
                return f"str({expr})"
            if kind in ("base64", "binary"):
                return f"{self.serde('encode')}({expr})"
            return expr  # a file is sent as a multipart file part as it is
        if isinstance(t, Ref):
            target = self.defs[t.name]
            if isinstance(target, Model):
                return f"{expr}.to_dict()"
            if isinstance(target, Alias):
                if t.name in self._recursive:
                    return f"{self.serde('encode')}({expr})"
                return self.encoder(target.target, expr, depth)
            return expr
        if isinstance(t, Nullable):
            encoded = self.encoder(t.inner, expr, depth)
            return expr if encoded == expr else f"None if {expr} is None else {encoded}"
        if isinstance(t, LiteralOf):
            return expr
        if isinstance(t, ListOf):
            var = f"v{depth}"
            inner = self.encoder(t.item, var, depth + 1)
            return f"list({expr})" if inner == var else f"[{inner} for {var} in {expr}]"
        if isinstance(t, MapOf):
            key, var = f"k{depth}", f"v{depth}"
            inner = self.encoder(t.value, var, depth + 1)
            if inner == var:
                return f"dict({expr})"
            return f"{{{key}: {inner} for {key}, {var} in {expr}.items()}}"
        if isinstance(t, TupleOf):
            var = f"v{depth}"
            plain = all(self.encoder(o, var, depth + 1) == var for o in _members(t))
            return f"list({expr})" if plain else f"{self.serde('encode')}({expr})"
        if isinstance(t, UnionOf):  # a file among the options: kept for its part
            files = any(o == Prim("file") or o == Nullable(Prim("file")) for o in t.options)
            return f"{self.serde('encode_part' if files else 'encode')}({expr})"
        assert_never(t)

    def choices(self, t: TypeExpr) -> tuple[JsonScalar, ...] | None:
        """The allowed values when `t` is an enum or a const."""
        if isinstance(t, Prim):  # most fields (tested before any `match` pattern)
            return None
        match t:
            case LiteralOf(values=values):
                return values
            case Nullable(inner=inner):
                return self.choices(inner)
            case Ref(name=name):
                target = self.defs[name]
                if isinstance(target, EnumDef):
                    return target.values
                if isinstance(target, Alias) and name not in self._recursive:
                    return self.choices(target.target)
                return None
            case _:
                return None

    def models_in(self, t: TypeExpr) -> frozenset[PyIdent]:
        """The models whose instances values of `t` may hold directly (not inside
        another model): what validating a value of `t` may reach. Recursive aliases
        are not followed."""
        if isinstance(t, (Prim, LiteralOf)):  # most fields (tested before any pattern)
            return _NO_MODELS
        match t:
            case Ref(name=name):
                target = self.defs[name]
                if isinstance(target, Model):
                    return frozenset((name,))
                if isinstance(target, Alias) and name not in self._recursive:
                    return self.models_in(target.target)
                return frozenset()
            case ListOf(item=inner) | MapOf(value=inner) | Nullable(inner=inner):
                return self.models_in(inner)
            case UnionOf(options=options):
                return frozenset().union(*(self.models_in(o) for o in options))
            case TupleOf():
                return frozenset().union(*(self.models_in(o) for o in _members(t)))
            case _:
                return frozenset()

    def is_model(self, t: TypeExpr) -> bool:
        return isinstance(t, Ref) and isinstance(self.defs.get(t.name), Model)


@functools.lru_cache(maxsize=4096)  # property names and kinds repeat across models
def _check_lines(
    kind: PrimKind, key: str, nullable: bool, required: bool, take: bool
) -> tuple[str, ...]:
    """`Types.inline_decode`'s lines for a scalar of `kind` (they use `_serde` unless
    `kind` is "any" and not `required`)."""
    lines = [f"v = d.{'pop' if take else 'get'}({key}, UNSET)"]
    guards = [] if required else ["v is not UNSET"]
    if nullable:
        guards.append("v is not None")
    if kind == "any":
        if required:
            lines += ["if v is UNSET:", f'    raise _serde.bad({key}, "a value", v)']
        return tuple(lines)
    python_type, json_type = _INLINE[kind], JSON_NAMES[kind]
    condition = " and ".join([*guards, f"type(v) is not {python_type}"])
    if kind == "float":  # an integer is a number too
        action = f"v = _serde.number_at({key}, v)"
    elif kind == "int":  # and 3.0 an integer
        action = f"v = _serde.integer_at({key}, v)"
    else:
        action = f"raise _serde.bad({key}, {py_literal(json_type)}, v)"
    return (*lines, f"if {condition}:", f"    {action}")


def _as_list(t: TupleOf) -> ListOf:
    """A tuple with more items after its prefix, as typed: a list of any of them."""
    members = tuple(dict.fromkeys(_members(t)))
    if Prim("any") in members:
        return ListOf(Prim("any"))
    return ListOf(members[0] if len(members) == 1 else UnionOf(members))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
