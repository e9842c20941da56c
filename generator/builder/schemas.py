"""Schemas -> TypeExprs and named definitions (models, enums, aliases).

Named schemas (`#/components/schemas/X`, and any other `$ref` target) become
definitions named once, in spec order, through the one name sanitizer. Inline
objects and enums become definitions named `<Parent><Field>`. Definitions are built
from a queue, so recursive and mutually recursive schemas only ever meet `Ref`s.
"""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostics, Where
from ..ir import (
    Alias,
    Definition,
    Discriminator,
    EnumDef,
    Field,
    ListOf,
    LiteralOf,
    MapOf,
    Model,
    Nullable,
    PyIdent,
    Ref,
    TupleOf,
    TypeExpr,
    UnionOf,
)  # fmt: skip
from ..names import FIELD_RESERVED, MODEL_RESERVED, NameTable, pascal, snake
from ..resolve import Resolver
from . import redefined, variants
from .constraints import ConstraintReader, tuple_closed, tuple_form, tuple_length
from .docs import schema_doc
from .objects import (
    KNOWN_TYPES,
    MAX_NESTING,
    SCALAR_KEYS,
    SCALAR_TYPES,
    allof_parts,
    as_list,
    distinct_types,
    distinct_values,
    from_openapi_31,
    implied_types,
    is_json_scalar,
    json_value,
    note_loose,
    ref_annotated,
    ref_applied,
    required_sets,
    schema_types,
    strip_null,
    untyped_part,
    with_null,
)  # fmt: skip
from .refnames import ref_hint, referred_place
from .scalars import PRIMS, ScalarTypes, prim_of

__all__ = ["SchemaBuilder", "json_value"]

_NULL = PRIMS["none"]
_ANY = PRIMS["any"]


class SchemaBuilder:
    """Turns schemas into TypeExprs, collecting the named definitions they need."""

    def __init__(self, resolver: Resolver, sink: Diagnostics) -> None:
        self._resolver = resolver
        self._sink = sink
        self.constraints = ConstraintReader(resolver, sink)
        self._names = NameTable(MODEL_RESERVED, reserved_suffix="Model")
        self._by_place: dict[Where, PyIdent] = {}
        self._pending: list[tuple[PyIdent, Any, Where]] = []
        self._defs: dict[PyIdent, Definition] = {}
        self._order: list[PyIdent] = []
        # model -> the places its own `allOf` parts `$ref` (the models it may extend)
        self.extends: dict[PyIdent, tuple[Where, ...]] = {}
        self.discriminated: dict[PyIdent, Discriminator] = {}  # a model's `discriminator`
        # a merged union variant -> the shared part merged into it (see `variants`)
        self._shared: dict[PyIdent, tuple[dict[str, Any], Where]] = {}
        self._nesting = 0  # the `_shape`s being typed, one in another
        self._types: dict[TypeExpr, TypeExpr] = {}  # one object per equal type: `_one`
        self._scalars = ScalarTypes(self._types)
        self._classes: dict[Where, bool] = {}  # see `_is_class`
        self._refs: dict[Where, TypeExpr] = {}  # the type of a `$ref` to a place
        self._siblings = from_openapi_31(resolver.spec.root.data)  # beside a `$ref` (3.1)

    # -- naming ---------------------------------------------------------------

    def declare(self, where: Where, hint: str) -> PyIdent:
        """The definition name of the schema at `where` (named on first sight)."""
        name = self._by_place.get(where)
        if name is None:
            name = self._names.claim(pascal(hint))
            self._by_place[where] = name
            self._order.append(name)
            self._pending.append((name, self._resolver.lookup(where), where))
        return name

    def _one(self, t: TypeExpr) -> TypeExpr:
        """`t`, or the equal type met before (GitHub's IR: 8,000 objects fewer)."""
        return self._types.setdefault(t, t)

    def named(self, where: Where) -> PyIdent | None:
        """The definition name of the schema at `where`, if it has one."""
        return self._by_place.get(where)

    def declare_components(self) -> None:
        """Name every `#/components/schemas` entry of the root, in spec order."""
        root = self._resolver.spec.root
        data = root.data if isinstance(root.data, dict) else {}
        schemas = (c if isinstance(c := data.get("components"), dict) else {}).get("schemas")
        if isinstance(schemas, dict):
            for key in schemas:
                self.declare(Where(root.key, "#/components/schemas").child(key), key)

    def definitions(self) -> tuple[Definition, ...]:
        """Build everything declared so far (and what that needs), in naming order."""
        while self._pending:
            name, schema, where = self._pending.pop(0)
            self._defs[name] = self._definition(name, schema, where)
        return tuple(self._defs[name] for name in self._order)

    # -- definitions ------------------------------------------------------------

    def _definition(self, name: PyIdent, schema: Any, where: Where) -> Definition:
        place = where
        applied = ref_applied(schema) if self._siblings else None
        found = (applied, where) if applied is not None else self._resolver.deref(schema, where)
        if found is None:
            return Alias(name, _ANY, None, where.pointer)
        schema, where = found
        if name in self._shared:  # a union variant, named where it is in the union
            shared = self._shared[name]
            return self._model(name, strip_null(schema), where, schema_doc(schema), shared, place)
        if not isinstance(schema, dict):
            return Alias(name, self.type_of(schema, where, name), None, where.pointer)
        note_loose(schema, where, self._sink)  # (inline ones: also in `type_of`)
        description = schema_doc(schema)
        if self._is_model(schema, where):
            return self._model(name, strip_null(schema), where, description)
        enum = schema.get("enum")
        if isinstance(enum, list) and enum and all(map(is_json_scalar, enum)):
            values = distinct_values(enum, schema)
            if values and not isinstance(enum[0], (list, dict)):
                return EnumDef(name, values, description, where.pointer)
        target = self._shape(schema, where, name)
        return Alias(name, target, description, where.pointer)

    def _is_model(self, schema: dict[str, Any], where: Where) -> bool:
        if "enum" in schema or "const" in schema:
            return False
        if "allOf" in schema:
            if (
                len(as_list(schema["allOf"])) == 1
                and not schema.get("properties")
                and not redefined.own_model(schema, where, self._resolver.deref)
            ):
                return False  # `allOf: [$ref]`: a (nullable, documented) reference
            parts = [self._resolver.deref(p, where) for p in as_list(schema["allOf"])]
            return any(p is not None and self._is_object(p[0]) for p in parts) or bool(
                schema.get("properties")
            )
        if ("oneOf" in schema or "anyOf" in schema) and not required_sets(schema):
            return False  # a union (branches that only require properties: a check)
        return bool(schema.get("properties")) and schema_types(schema) - {"null"} <= {"object"}

    def _is_object(self, schema: Any) -> bool:
        return isinstance(schema, dict) and (bool(schema.get("properties")) or "allOf" in schema)

    def _model(
        self,
        name: PyIdent,
        schema: dict[str, Any],
        where: Where,
        description: str | None,
        shared: tuple[dict[str, Any], Where] | None = None,
        place: Where | None = None,
    ) -> Model:
        """The model of `schema`, its `allOf` parts merged (after the `shared` part of
        the union it is a variant of, at `place` in it)."""
        properties: dict[str, redefined.Defined] = {}  # the definition typing each property
        again: dict[str, list[redefined.Defined]] = {}  # every one, of those defined again
        required: set[str] = set()
        extra: TypeExpr | None = _ANY
        seen: set[Where] = set()
        parts = allof_parts(self._resolver.deref, *shared, seen) if shared is not None else []
        parts += allof_parts(self._resolver.deref, schema, where, seen)
        for part, part_where in parts:
            props = part.get("properties")
            if isinstance(props, dict):
                for wire, sub in props.items():
                    key = wire if type(wire) is str else str(wire)  # (a YAML key may not be)
                    at, previous = part_where.child("properties", key), properties.get(key)
                    if previous is not None:
                        again.setdefault(key, [previous]).append((sub, at))
                        if redefined.refines_only(sub) or redefined.restates(
                            previous, (sub, at), self._resolver.deref
                        ):
                            continue  # it narrows the definition that types the property
                        if redefined.conflicting(previous, (sub, at), self._resolver.deref):
                            self._sink.warning(
                                f"allOf redefines property {key!r} with another type (first "
                                f"at {previous[1].pointer}); the last definition is used",
                                at,
                            )
                    properties[key] = (sub, at)
            required.update(str(r) for r in as_list(part.get("required")))
            additional = part.get("additionalProperties", True)
            patterned = bool(part.get("patternProperties"))  # typed by a pattern: kept as is
            if patterned or additional is False:
                extra = _ANY if patterned else None
            elif isinstance(additional, dict) and additional:
                extra = self.type_of(
                    additional, part_where.child("additionalProperties"), name + "Value"
                )
        redefined.unexpressed(parts, properties, self._sink, where, extra is not None)
        table = NameTable(FIELD_RESERVED)
        fields: list[Field] = []
        for key, (sub, sub_where) in properties.items():
            resolved = self._resolver.deref(sub, sub_where)
            sub_schema = resolved[0] if resolved and isinstance(resolved[0], dict) else {}
            sub_schema = ref_annotated(sub_schema, sub) if self._siblings else sub_schema
            if key in again:  # its keywords and constraints, from every definition
                narrowing = again[key], (sub, sub_where), self._resolver.deref
                sub_schema, found = redefined.narrowed(*narrowing, self.constraints.read)
            else:
                found = self.constraints.read(sub, sub_where)
            ftype = self.type_of(sub, sub_where, name + pascal(key, "Field"))
            if key in again and redefined.forbids_null(again[key], (sub, sub_where)):
                ftype = ftype.inner if isinstance(ftype, Nullable) else ftype
            has_default = "default" in sub_schema
            read_only = sub_schema.get("readOnly") is True
            fields.append(
                Field(
                    wire_name=key,
                    python_name=table.claim(snake(key, "field")),
                    type=ftype,
                    # one dataclass serves both directions: a readOnly property is
                    # not sent, so not required (a writeOnly one is, when sending)
                    is_required=key in required and not read_only,
                    has_default=has_default,
                    default=json_value(sub_schema.get("default")) if has_default else None,
                    description=schema_doc(sub_schema),
                    constraints=found,
                    is_read_only=read_only,
                    is_write_only=sub_schema.get("writeOnly") is True,
                    is_deprecated=sub_schema.get("deprecated") is True,
                    pointer=sub_where.pointer,
                )
            )
        # Required fields first: dataclass fields without defaults come first anyway
        # in the signature of a kw_only dataclass, this keeps the class body readable.
        fields.sort(key=lambda f: not f.is_required)
        refs = tuple(
            self._resolver.target(part["$ref"], where.child("allOf", index))
            for index, part in enumerate(as_list(schema.get("allOf")))
            if isinstance(part, dict) and isinstance(part.get("$ref"), str)
        )
        if refs:
            self.extends[name] = refs
        for target in variants.mapped_files(schema, where, self._resolver):  # (else unmet)
            self.declare(target, ref_hint(target, self.named, self._resolver.lookup))
        disc = variants.discriminator(schema, (), where, self._resolver, self._by_place)
        if disc is not None:
            self.discriminated[name] = disc
        pointer = (place or where).pointer
        return Model(name, tuple(fields), extra, description, pointer, required_sets(schema))

    # -- types --------------------------------------------------------------------

    def type_of(self, schema: Any, where: Where, hint: str) -> TypeExpr:
        """The TypeExpr of `schema`; inline objects/enums are named after `hint`."""
        if self._siblings and (applied := ref_applied(schema)) is not None:
            schema = applied  # 3.1: what is beside a `$ref` applies with it
        if isinstance(schema, dict) and "$ref" in schema:
            target = self._ref_place(schema, where)
            if target is None:
                return _ANY
            ref = self._refs.get(target)
            if ref is None:
                ref = self._refs[target] = self._ref(schema, where, target, hint)
            if (
                schema.get("nullable") is True
                and not isinstance(ref, Nullable)
                and any(k not in ("$ref", "description", "summary") for k in schema)
            ):
                ref = Nullable(ref)
            return ref
        if isinstance(schema, dict) and schema.keys() <= SCALAR_KEYS:
            kind = schema.get("type")
            if isinstance(kind, str) and kind in SCALAR_TYPES:  # most properties
                return self._scalars.type_of(schema, kind)
        if schema is True or schema == {} or schema is None:
            return _ANY
        if schema is False:
            return _NULL
        if isinstance(schema, dict):
            note_loose(schema, where, self._sink)
        if not isinstance(schema, dict):
            self._sink.error("a schema must be an object or a boolean", where)
            return _ANY
        if self._is_model(schema, where) or self._is_inline_enum(schema):
            return self._one(with_null(schema, Ref(self._inline(schema, where, hint))))
        return self._shape(schema, where, hint)

    def _ref(self, schema: dict[str, Any], where: Where, target: Where, hint: str) -> TypeExpr:
        """The type of a `$ref` to `target` (nullable as the schema there says), its
        name declared when first met (after `hint`, unless the place names it)."""
        name = self.named(target) or self.declare(
            target, ref_hint(target, self.named, self._resolver.lookup) or hint
        )
        ref: TypeExpr = self._one(Ref(name))
        found = self._resolver.deref(schema, where)
        target_schema = found[0] if found is not None else None
        if isinstance(target_schema, dict) and self._is_class(target_schema, target):
            ref = self._one(with_null(target_schema, ref))
        return ref

    def _is_class(self, schema: dict[str, Any], where: Where) -> bool:
        """Whether the named schema at `where` becomes a class (a model or an enum), not
        an alias: asked once per place (GitHub: 5,500 references to 900 places)."""
        found = self._classes.get(where)
        if found is None:
            enum = schema.get("enum")
            found = self._classes[where] = self._is_model(schema, where) or (
                isinstance(enum, list) and any(v is not None for v in enum)
            )
        return found

    def _ref_place(self, schema: dict[str, Any], where: Where) -> Where | None:
        """The place a `$ref` names (see `refnames.referred_place`), reporting a
        broken or cyclic chain."""
        ref = schema["$ref"]
        if self._resolver.deref(schema, where) is None or not isinstance(ref, str):
            return None
        return referred_place(self._resolver.target(ref, where), self.named, self._resolver)

    def _is_inline_enum(self, schema: dict[str, Any]) -> bool:
        enum = schema.get("enum")
        if not isinstance(enum, list):
            return False
        values = [v for v in enum if v is not None]
        # a one-value enum is a const (`Literal["creation"]`): it tells union variants apart
        return all(isinstance(v, str) for v in values) and len(set(values)) > 1

    def _inline(self, schema: dict[str, Any], where: Where, hint: str) -> PyIdent:
        name = self._by_place.get(where)
        if name is None:
            name = self._names.claim(pascal(hint))
            self._by_place[where] = name
            self._order.append(name)
            self._pending.append((name, strip_null(schema), where))
        return name

    def _shape(self, schema: dict[str, Any], where: Where, hint: str) -> TypeExpr:
        """The structural type of a schema that is not a model or a named enum."""
        if self._nesting == MAX_NESTING:  # deeper, Python could not parse the code
            self._sink.error(f"inline types nest more than {MAX_NESTING} deep here", where)
            return _ANY
        self._nesting += 1
        try:
            return self._structure(schema, where, hint)
        finally:
            self._nesting -= 1

    def _structure(self, schema: dict[str, Any], where: Where, hint: str) -> TypeExpr:
        if "const" in schema and is_json_scalar(schema["const"]):
            return _NULL if schema["const"] is None else LiteralOf((schema["const"],))
        enum = schema.get("enum")
        if isinstance(enum, list) and enum and all(map(is_json_scalar, enum)):
            values = distinct_values(enum, schema)
            if not values:
                return _NULL
            return with_null(schema, LiteralOf(values))
        if isinstance(enum, list) and enum:  # objects or arrays among the values
            self._sink.warning(
                "`enum` with object or array values is not expressed in the generated "
                "types (typed from the rest of the schema; requests are checked)",
                where.child("enum"),
            )
        for keyword in ("oneOf", "anyOf"):
            if keyword in schema:
                return self._union(schema, keyword, where, hint)
        if "allOf" in schema:  # one part that types (the others only annotate it)
            parts = as_list(schema["allOf"])
            typed = [i for i, part in enumerate(parts) if not untyped_part(part)]
            if len(typed) == 1:
                inner = self.type_of(parts[typed[0]], where.child("allOf", typed[0]), hint)
                if any(p.get("nullable") is True for p in parts if isinstance(p, dict)):
                    inner = inner if isinstance(inner, Nullable) else Nullable(inner)
                return with_null(schema, inner)
            if len(typed) > 1:
                redefined.no_common_type(parts, where, self._resolver.deref, self._sink)
        types = schema_types(schema)
        unknown = types - KNOWN_TYPES
        if unknown:
            message = f"unknown schema type {sorted(unknown)[0]!r}"
            if None in as_list(schema.get("type")) or schema.get("type", "") is None:
                message += " (`null` unquoted is YAML's no-value: the type is 'null')"
            self._sink.error(message, where.child("type"))
            return _ANY
        non_null = (
            [t for t in schema.get("type", []) if t != "null"]
            if isinstance(schema.get("type"), list)
            else sorted(types - {"null"})
        )
        if not non_null:
            non_null = implied_types(schema)
        options = [self._single(schema, t, where, hint) for t in non_null]
        if not options:
            return _NULL if types == {"null"} else _ANY
        base = options[0] if len(options) == 1 else UnionOf(tuple(dict.fromkeys(options)))
        return self._one(with_null(schema, base))

    def _tuple(
        self, schema: dict[str, Any], form: tuple[str, list[Any], str], where: Where, hint: str
    ) -> TypeExpr:
        """A tuple array (see `tuple_form`, `tuple_length`): a tuple, or a list of any of
        its types (and of those that may follow them)."""
        keyword, prefix, rest = form
        if keyword == "items":
            message = "`items` is a list (draft 4's tuples, not OpenAPI's): read as `prefixItems`"
            self._sink.warning(message + " (`additionalItems`: as `items`)", where.child("items"))
        items = tuple(
            self.type_of(p, where.child(keyword, i), f"{hint}Item{i + 1}")
            for i, p in enumerate(prefix)
        )
        length = tuple_length(schema, rest, len(items))
        if length is not None:
            return TupleOf(items, exact=length == "exact")
        if tuple_closed(schema, rest, len(items)):
            return TupleOf(items, items[0])  # fewer allowed, none after: any of the items
        after = schema.get(rest, True)  # absent: any item may follow (JSON Schema)
        return TupleOf(items, self.type_of(after, where.child(rest), hint + "Item"))

    def _single(self, schema: dict[str, Any], t: str, where: Where, hint: str) -> TypeExpr:
        if t == "array":
            form = tuple_form(schema)
            if form is not None:
                return self._tuple(schema, form, where, hint)
            items = schema.get("items", {})
            return ListOf(self.type_of(items, where.child("items"), hint + "Item"))
        if t == "object":
            additional = schema.get("additionalProperties", True)
            if isinstance(additional, dict) and additional:
                value = self.type_of(
                    additional, where.child("additionalProperties"), hint + "Value"
                )
                return MapOf(value)
            return MapOf(_ANY)
        return prim_of(schema, t)

    def _union(self, schema: dict[str, Any], keyword: str, where: Where, hint: str) -> TypeExpr:
        shared = variants.shared_part(schema)
        options: list[TypeExpr] = []
        merged: dict[PyIdent, Where] = {}  # merged variant -> the place merged from
        nullable = schema.get("nullable") is True
        for index, option in enumerate(as_list(schema[keyword])):
            option_where = where.child(keyword, index)
            found = self._resolver.deref(option, option_where) if shared is not None else None
            if (
                shared is not None
                and found is not None
                and variants.is_object_variant(found[0])
                and not variants.covers(shared, allof_parts(self._resolver.deref, *found, set()))
            ):
                target = found[1] if isinstance(option, dict) and "$ref" in option else None
                name = self._inline(
                    option, option_where, variants.variant_hint(hint, target, index)
                )
                self._shared[name] = (shared, where)
                if target is not None:
                    merged[name] = target
                t = self._one(with_null(found[0], Ref(name)))
            else:
                if found is not None and variants.is_union(found[0]):
                    self._sink.warning(variants.not_merged(keyword), option_where)
                t = self.type_of(option, option_where, f"{hint}Option{index + 1}")
            if t == _NULL:
                nullable = True
            elif isinstance(t, Nullable):
                nullable = True
                options.append(t.inner)
            else:
                options.append(t)
        unique = distinct_types(options)
        if not unique:
            return _NULL
        if len(unique) == 1:
            base: TypeExpr = unique[0]
        else:
            disc = variants.discriminator(
                schema, unique, where, self._resolver, self._by_place, merged
            )
            base = UnionOf(unique, disc)
        return Nullable(base) if nullable else base
