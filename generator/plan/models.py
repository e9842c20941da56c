"""Plans of the `models` package: a module per component schema, enums together."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..imports import ImportSet
from ..ir import (
    NO_CONSTRAINTS,
    Api,
    Definition,
    EnumDef,
    Field,
    MapOf,
    Model,
    Prim,
    PyIdent,
)
from ..literals import py_literal
from ..names import NameTable, file_stem, snake
from ..pytypes import Definitions, Types
from ..typeindex import descends, type_refs
from .common import (
    FMT_SKIP,
    FilePlan,
    _check_args,
    _doc,
    _title,
    _tuple_text,
    double_quoted,
    overflows,
    unbroken,
)
from .contexts import (
    AliasContext,
    FieldContext,
    ModelContext,
    ModelExport,
    ModelsContext,
    ModelsInitContext,
)
from .reuse import PlanKeys, Reusable, Watched, by_context


def _field_doc(f: Field) -> str | None:
    parts: list[str] = []
    if f.description:
        parts.append(f.description)
    if f.has_default and not f.is_required:
        parts.append(f"Server default: `{py_literal(f.default)}`.")
    if f.is_read_only:
        parts.append("Read-only: set by the server.")
    if f.is_deprecated:
        parts.append("Deprecated.")
    if f.wire_name != f.python_name:  # only when the attribute is spelled differently
        parts.append(f"JSON name: `{f.wire_name}`.")
    return _doc("\n\n".join(parts), 4) if parts else None


def _always_set(f: Field) -> bool:
    """Whether field `f` always holds a value: required, and decoded as required (a
    required writeOnly field is required when sending only: `UNSET` in responses)."""
    return f.is_required and not f.is_write_only


def _field_checks(f: Field, types: Types) -> str:
    """The `_serde.check` arguments of field `f` ("": nothing to check)."""
    args = _check_args(f.constraints, types.choices(f.type))
    if f.is_required and f.is_write_only:
        args = ", ".join(a for a in (args, "required=True") if a)
    return args


def _declaration(types: Types, f: Field) -> tuple[str, str | None]:
    """The annotation and default (None: none) field `f` is declared with."""
    annotation = types.annotation(f.type)
    choices = types.choices(f.type)
    default: str | None = None
    if choices is not None and len(choices) == 1 and (_always_set(f) or f.is_tag):
        default = py_literal(choices[0])  # a const (or a union's tag): its only value
    if not _always_set(f):
        types.imports.add(".._types", "UNSET", "Unset")  # the default
        annotation += " | Unset"
        if default is None:
            default = None if f.is_required else "UNSET"  # writeOnly: to be given
    return annotation, default


def _required_sets_line(model: Model) -> str | None:
    if model.required_sets is None:
        return None
    sets = _tuple_text([_tuple_text([py_literal(n) for n in s]) for s in model.required_sets.sets])
    exactly_one = model.required_sets.exactly_one
    return f"_serde.required_sets(self.to_dict(), path, {sets}, exactly_one={exactly_one})"


_BARE = re.compile(r"self\.\w+(\.\w+\(\))?")  # an attribute, or a method of it called bare


def _assign_line(f: FieldContext) -> str:
    """`from_dict`'s assignment of field `f`'s decoded value: one line when it does
    not fit and the value is `v` (black and ruff would lay it out differently)."""
    line = f"obj.{f.name} = {f.value}"
    return unbroken(line, 8) if f.value == "v" else line


def _declared(name: str, annotation: str, default: str | None) -> tuple[str, str | None, str]:
    """The annotation and default a field is declared with in the class body, and
    what follows them: `FMT_SKIP` where black and ruff would break the line
    differently, else "". That is when even `name: (` does not fit and the
    annotation is one name (black parenthesizes it, ruff not), and when a const
    (`name: Literal["x"] = "x"`) does not fit (black parenthesizes the annotation and
    the value, ruff splits the subscript): kept on one line, in the formatters'
    quotes (left to them when a string holds a quote or an escape)."""
    if default is None:
        skip = annotation.isidentifier() and overflows(f"{name}: (", 4)
        return annotation, default, FMT_SKIP if skip else ""
    if default != "UNSET" and overflows(f"{name}: {annotation} = {default}", 4):
        quoted, value = _double_quotes(annotation), _double_quotes(default)
        if quoted is not None and value is not None:
            return quoted, value, FMT_SKIP
    return annotation, default, ""


def _alias(name: PyIdent, value: str, description: str | None) -> AliasContext:
    """A module-level `name: TypeAlias = value`, kept on one line (in the quotes the
    formatters would give it) when it fits none: its name too long for even
    `name: TypeAlias = (`, or its value a quoted annotation too long for a line of
    its own (black would break those lines differently from ruff)."""
    doc = _doc(description, 0) if description else None
    quoted = value.startswith(("'", '"'))
    unfit = overflows(f"{name}: TypeAlias = (", 0) or (quoted and overflows(value, 4))
    if unfit and overflows(f"{name}: TypeAlias = {value}", 0):
        normal = double_quoted(value) if quoted else _double_quotes(value)
        if normal is not None:
            return AliasContext(name, normal, doc, FMT_SKIP)
    return AliasContext(name, value, doc)


def _double_quotes(annotation: str) -> str | None:
    """`annotation` (`Literal['a', 1] | float`) with its string literals in double
    quotes, as the formatters print them; None when one holds a quote or an escape."""
    if '"' in annotation or "\\" in annotation:
        return None
    return annotation.replace("'", '"')


def _encode_lines(f: Field, value: str) -> tuple[str, ...]:
    """`to_dict` lines for field `f` whose JSON value is the expression `value`. An
    assignment of `self.name` (or of a method of it called bare) that fits no line
    even on its own is kept on one line: black would parenthesize the value, ruff
    would not."""
    indent = 8 if _always_set(f) else 12
    key = py_literal(f.wire_name)
    assign = f"out[{key}] = {value}"
    if _BARE.fullmatch(value) and overflows(value, indent + 4):
        normal = double_quoted(key)
        if normal is not None:
            assign = unbroken(f"out[{normal}] = {value}", indent)
    if _always_set(f):
        return (assign,)
    return (f"if not isinstance(self.{f.python_name}, Unset):", f"    {assign}")


def validated_models(index: Definitions) -> frozenset[PyIdent]:
    """The models that get a `validate` method (and are validated where another model
    holds them): those with a field whose constraints are checked, and those holding,
    in a field, a model that gets one. The others have nothing to check, and neither
    the method nor any call of it is generated."""
    types = Types(index)  # only asked about types: its imports are not used
    validated: set[PyIdent] = set()
    holders: dict[PyIdent, set[PyIdent]] = {}  # model -> the models with a field holding it
    for d in index.by_name.values():
        if not isinstance(d, Model):
            continue
        if d.required_sets is not None:
            validated.add(d.name)
        for f in d.fields:
            if type(f.type) is Prim and f.constraints is NO_CONSTRAINTS and not f.is_write_only:
                continue  # most fields: a plain value, nothing to check, no model held
            if _field_checks(f, types):
                validated.add(d.name)
            for held in types.models_in(f.type):
                holders.setdefault(held, set()).add(d.name)
    pending = list(validated)
    while pending:
        for holder in holders.get(pending.pop(), ()):
            if holder not in validated:
                validated.add(holder)
                pending.append(holder)
    return frozenset(validated)


def _model(
    types: Types,
    model: Model,
    validated: frozenset[PyIdent],
    base: Model | None,
    dispatch: str | None = None,
) -> ModelContext:
    """The context of one dataclass; records the imports of the code it prepares (and
    of what the template prints around it) on `types.imports`.

    A subclass of `base` declares only the fields the base does not have, or has
    otherwise (its discriminator's, pinned to the subclass's tag); its methods still
    read, write and check every field (straight-line code, as any model's)."""
    inherited = {f.wire_name: f.type for f in base.fields} if base is not None else {}
    imports = types.imports
    imports.add("dataclasses", "dataclass")
    imports.add("typing", "Any")  # to_dict's return annotation
    imports.add("..", "_serde")  # from_dict's read of the object
    # Undeclared properties are kept: decoding takes the declared ones out of a copy
    # of the object, and what is left is `additional_properties`, in received order.
    keeps_extra = model.extra is not None
    fields: list[FieldContext] = []
    declared: list[FieldContext] = []
    has_checks = False
    for f in model.fields:
        is_declared = inherited.get(f.wire_name) != f.type  # (the base's docs unread)
        annotation, default, skip = (
            _declared(f.python_name, *_declaration(types, f)) if is_declared else ("", None, "")
        )
        if not _always_set(f):
            imports.add(".._types", "Unset")  # to_dict's test
        check_args = _field_checks(f, types)
        decode_lines, value = types.inline_decode(
            f.type, py_literal(f.wire_name), required=_always_set(f), take=keeps_extra
        )
        field_path = f'f"{{path}}.{f.python_name}"'
        has_checks = has_checks or bool(check_args) or model.required_sets is not None
        context = FieldContext(
            name=f.python_name,
            wire_key=py_literal(f.wire_name),
            annotation=annotation,
            default=default,
            doc=_field_doc(f) if is_declared else None,
            decode=decode_lines,
            value=value,
            encode=_encode_lines(f, types.encoder(f.type, f"self.{f.python_name}")),
            check=f"_serde.check(self.{f.python_name}, {field_path}, {check_args})"
            if check_args
            else None,
            nested=not validated.isdisjoint(types.models_in(f.type)),
            fmt_skip=skip,
        )
        fields.append(context)
        if is_declared:
            declared.append(context)
    extra_annotation = extra_decode = extra_encode = None
    if model.extra is not None:
        if base is None:  # else the base declares `additional_properties`
            imports.add("dataclasses", "field")  # its default_factory
            extra_annotation = types.annotation(model.extra)
        is_any = model.extra == Prim("any") or extra_annotation == "Any"
        # a new dict: `d` keeps the table of every property it held (kilobytes, and GC
        # work, for each decoded object)
        extra_decode = (
            "dict(d)" if is_any else f"{types.serde('rest')}(d, {types.decoder(model.extra)})"
        )
        extra_encode = types.encoder(MapOf(model.extra), "self.additional_properties")
    indent = " " * 8  # method bodies
    decode_body = "\n".join(indent + line for f in fields for line in (*f.decode, _assign_line(f)))
    encode_body = "\n".join(indent + line for f in fields for line in f.encode)
    validate_lines = [line for line in (_required_sets_line(model),) if line is not None] + [
        line
        for f in fields
        for line in (
            f.check,
            f'_serde.validate_nested(self.{f.name}, f"{{path}}.{f.name}")' if f.nested else None,
        )
        if line is not None
    ]
    assert bool(validate_lines) == (model.name in validated)
    return ModelContext(
        name=model.name,
        decode_body=decode_body,
        encode_body=encode_body,
        validate_body="\n".join(indent + line for line in validate_lines) or None,
        read="_serde.object_copy(data)" if keeps_extra else "_serde.object_(data)",
        doc=_doc(model.description or f"The `{model.name}` object.", 4),
        base=base.name if base is not None else None,
        fields=tuple(declared),
        # a subclass's base declares `additional_properties` (typed the same: see build)
        extra_annotation=extra_annotation,
        extra_decode=extra_decode,
        extra_encode=extra_encode,
        has_checks=has_checks,
        dispatch=dispatch,
    )


def _dispatch(
    model: Model, own: str, modules: Mapping[str, str], bases: Mapping[PyIdent, PyIdent]
) -> str | None:
    """The start of `model.from_dict` that hands an object tagged as one of the models
    extending it to that model's `from_dict` (imported there: the subclass's module
    imports this one at its top). Only subclasses the package generates as such."""
    if model.dispatch is None:
        return None
    prop = py_literal(model.dispatch.wire_name)
    lines = [f"tag = _serde.tag_of(data, {prop})"]
    tags: dict[PyIdent, list[str]] = {}  # model -> its tags (models as first tagged)
    for tag, name in model.dispatch.mapping:
        if descends(name, model.name, bases):
            tags.setdefault(name, []).append(py_literal(tag))
    for name, literals in tags.items():
        test = f"== {literals[0]}" if len(literals) == 1 else f"in ({', '.join(literals)})"
        lines.append(f"{'elif' if len(lines) > 1 else 'if'} tag {test}:")
        if modules[name] != own:
            lines.append(f"    from .{modules[name]} import {name}")
        lines.append(f"    return {name}.from_dict(data)")
    return "\n".join(" " * 8 + line for line in lines) if len(lines) > 1 else None


@dataclass(frozen=True, slots=True)
class ModelLayout:
    """Which module each definition lives in, and each module's members (in order)
    and docstring."""

    modules: dict[str, str]
    groups: dict[str, tuple[tuple[PyIdent, ...], str]]


def model_layout(api: Api) -> ModelLayout:
    modules = _model_modules(api)
    title = _title(api)
    members: dict[str, list[Definition]] = {}
    for d in api.definitions:
        members.setdefault(modules[d.name], []).append(d)
    groups: dict[str, tuple[tuple[PyIdent, ...], str]] = {}
    for module, group in members.items():
        if module == "_enums":
            doc = f"Enumerations of the {title}."
        else:
            kind = "model" if isinstance(group[0], Model) else "type"
            doc = f"The `{group[0].name}` {kind} of the {title}"
            doc += " and the models inside it." if len(group) > 1 else "."
        groups[module] = (tuple(d.name for d in group), doc)
    return ModelLayout(modules, groups)


def _models(
    api: Api, layout: ModelLayout, keys: PlanKeys, reusable: Reusable | None = None
) -> Iterator[FilePlan]:
    """The `models` package: a module per component schema (holding the inline models
    named after it too), the enums in one, and an `__init__` that imports a model's
    module on first use (PEP 562). A module whose plan key `reusable` accepts is not
    planned: the previous output of it is taken (see `reuse`)."""
    yield by_context(_models_init(api, layout.modules), reusable)
    for module, (names, doc) in layout.groups.items():
        path = f"models/{module}.py"
        members = [keys.index.by_name[name] for name in names]
        inputs = keys.model_inputs(members)
        key = keys.key(path, doc, inputs, frozenset(names))
        if reusable is not None and reusable(path, key):
            yield FilePlan(path, None, None, key=key, reused=True)
            continue
        watched = Watched(keys.index, inputs)
        context = _model_module(watched, members, layout.modules, doc, keys.validated, keys.bases)
        yield FilePlan(path, "models.py.jinja", context, key=None if watched.escaped else key)


def _models_init(api: Api, modules: dict[str, str]) -> FilePlan:
    title = _title(api)
    names = tuple(sorted(modules.items()))
    init = ModelsInitContext(
        docstring=_doc(
            f"Data models of the {title}.\n\nEach schema's models live in a module of their "
            "own, imported the first time one is used: `from <package>.models import Name` "
            "works as usual.",
            0,
        ),
        names=tuple(ModelExport(name, module) for name, module in names),
        all_names=tuple(name for name, _ in names),
    )
    return FilePlan("models/__init__.py", "models_init.py.jinja", init)


def _group_key(pointer: str) -> tuple[str, str] | None:
    """What a definition belongs with: its component schema, or the path it is
    inline in; None for a definition on its own. The segments stay escaped (`~1`):
    they only tell groups apart, and only the first three are split off."""
    segments = pointer.removeprefix("#").removeprefix("/").split("/", 3) if pointer else []
    if len(segments) >= 3 and segments[:2] == ["components", "schemas"]:
        return ("schema", segments[2])
    if len(segments) >= 2 and segments[0] == "paths":
        return ("path", segments[1])
    return None


def _model_modules(api: Api) -> dict[str, str]:
    """Definition name -> module name: `_session_summary` for `SessionSummary` and the
    inline models inside its schema, `_enums` for every enum."""
    table = NameTable({"_enums", "__init__"})
    modules: dict[str, str] = {}
    by_group: dict[tuple[str, str], str] = {}
    for d in api.definitions:
        if isinstance(d, EnumDef):
            modules[d.name] = "_enums"
            continue
        key = _group_key(d.pointer)
        module = by_group.get(key) if key is not None else None
        if module is None:
            module = table.claim(file_stem("_" + snake(d.name, "model")))
            if key is not None:
                by_group[key] = module
        modules[d.name] = module
    return modules


def _model_module(
    index: Definitions,
    definitions: Sequence[Definition],
    modules: dict[str, str],
    doc: str,
    validated: frozenset[PyIdent],
    bases: Mapping[PyIdent, PyIdent],
) -> ModelsContext:
    """The context of one module of the `models` package: `bases` maps a model to the
    model its class extends (see `extensions.class_bases`)."""
    types = Types(index)
    if any(not isinstance(d, Model) for d in definitions):
        types.imports.add("typing", "TypeAlias")
    enums: list[AliasContext] = []
    models: list[ModelContext] = []
    aliases: list[AliasContext] = []
    own = {d.name for d in definitions}
    for d in _bases_first(definitions, bases):
        if isinstance(d, EnumDef):
            enums.append(_alias(d.name, types.enum_annotation(d.values), d.description))
        elif isinstance(d, Model):
            base = index.by_name[bases[d.name]] if d.name in bases else None
            assert base is None or isinstance(base, Model)
            if base is not None and base.name not in own:  # a base class: needed at once
                types.imports.add("." + modules[base.name], base.name)
            dispatch = _dispatch(d, modules[d.name], modules, bases)
            models.append(_model(types, d, validated, base, dispatch))
        else:
            # quoted when it names definitions: evaluated by type checkers only, so those
            # (imported after the definitions, to allow cycles) need not exist yet at
            # import time; else as it is, a callable (`JsonObject()`, `Code("abc")`)
            annotation = types.annotation(d.target)
            value = py_literal(annotation) if type_refs(d.target) else annotation
            aliases.append(_alias(d.name, value, d.description))
    # what the annotations and `from_dict`s name, imported after the definitions (to
    # allow cycles): `typing.get_type_hints` (pydantic, cattrs...) finds them here
    late = ImportSet()
    above = {bases[d.name] for d in definitions if d.name in bases}  # imported at the top
    for name in sorted(types.models_used - own - above):
        late.add("." + modules[name], name)
    return ModelsContext(
        docstring=_doc(doc, 0),
        imports=types.imports.lines(),
        all_names=tuple(sorted(own)),
        enums=tuple(enums),
        models=tuple(models),
        aliases=tuple(aliases),
        decoders=types.decoders,
        late_imports=late.lines(),
    )


def _bases_first(
    definitions: Sequence[Definition], bases: Mapping[PyIdent, PyIdent]
) -> list[Definition]:
    """`definitions` in their order, except that a base class comes before the models
    of the module that extend it."""
    here = {d.name: d for d in definitions}
    ordered: dict[PyIdent, Definition] = {}

    def place(d: Definition) -> None:
        base = bases.get(d.name)
        if base is not None and base in here and base not in ordered:
            place(here[base])
        ordered.setdefault(d.name, d)

    for d in definitions:
        place(d)
    return list(ordered.values())
