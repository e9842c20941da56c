"""Helpers shared by the planners of the different files."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, fields

from ..format import LINE_LENGTH
from ..ir import (
    NO_CONSTRAINTS,
    Api,
    Branch,
    Constraints,
    JsonValue,
    Resource,
)
from ..literals import docblock, py_literal
from ..names import file_stem
from .contexts import ArgContext, ResourceRef


@dataclass(frozen=True, slots=True)
class FilePlan:
    """One output file: a template and its context, or static source; or, `reused`,
    the previous output of `path` (its plan `key` unchanged: see `reuse`)."""

    path: str
    template: str | None
    context: object
    source: str | None = None
    key: str | None = None  # recorded in the manifest
    reused: bool = False


def _module(resource: Resource) -> str:
    return file_stem(resource.python_name)


def resource_doc(resource: Resource) -> str:
    """What a resource is about: its tag's summary and description."""
    parts = [p for p in (resource.summary, resource.description) if p]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts.pop()
    if parts:
        return "\n\n".join(parts)
    if resource.tag:
        return f"Operations tagged `{resource.tag}`."
    return "Operations without a tag."


def resource_ref(resource: Resource, module: str) -> ResourceRef:
    """The attribute reaching `resource` (from the client, or from its parent's)."""
    return ResourceRef(
        resource.python_name, module, resource.class_name, _doc(resource_doc(resource), 8)
    )


def _doc(text: str, indent: int) -> str:
    return docblock(text, indent)


def _title(api: Api) -> str:
    return api.title


def _resource_class_names(class_name: str) -> tuple[str, ...]:
    return (
        class_name,
        f"Async{class_name}",
        f"{class_name}WithRawResponse",
        f"Async{class_name}WithRawResponse",
    )


# Constraints slots printed as `name=value` (the others hold nested rules)
_KEYWORDS = tuple(
    f.name
    for f in fields(Constraints)
    if f.name not in ("choices", "items", "prefix_items", "branches", "values")
)


def _check_args(constraints: Constraints, choices: tuple[JsonValue, ...] | None) -> str:
    """`min_items=1, maximum=5` for `_serde.check`, or "" when nothing is checked.
    `choices`: the allowed values the type tells (else those of `constraints`)."""
    if choices is None and (constraints is NO_CONSTRAINTS or constraints == NO_CONSTRAINTS):
        return ""
    parts: list[str] = []
    for name in _KEYWORDS:
        value = getattr(constraints, name)
        if value is None or value is False:
            continue
        parts.append(f"{name}={py_literal(value)}")
    choices = choices if choices is not None else constraints.choices
    if choices is not None and not _both_booleans(choices):
        parts.append(f"choices={_tuple_text([py_literal(c) for c in choices])}")
    if constraints.items is not None:
        parts.append(f"items=dict({_check_args(constraints.items, None)})")
    if constraints.values is not None:
        parts.append(f"values=dict({_check_args(constraints.values, None)})")
    if constraints.prefix_items:
        rules = [f"dict({_check_args(c, None)})" for c in constraints.prefix_items]
        parts.append(f"prefix_items={_tuple_text(rules)}")
    if constraints.branches:
        branches = [f"dict({_branch_args(b)})" for b in constraints.branches]
        parts.append(f"any_of={_tuple_text(branches)}")
    return ", ".join(parts)


def _branch_args(branch: Branch) -> str:
    kinds = [f"kinds={_tuple_text([py_literal(k) for k in branch.kinds])}"] if branch.kinds else []
    return ", ".join([*kinds, _check_args(branch.constraints, None)]).removesuffix(", ")


def _tuple_text(items: list[str] | tuple[str, ...]) -> str:
    """A tuple display: `(a,)` or `(a, b)` (no magic trailing comma: formatters keep
    it on one line where it fits)."""
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _both_booleans(choices: tuple[JsonValue, ...]) -> bool:
    """An enum of `false` and `true`: typed `bool`, nothing left to check."""
    return all(type(c) is bool for c in choices) and len({c is True for c in choices}) == 2


_PARAMETER_INDENT = 8  # parameters of methods, one per line


def _parameter(name: str, annotation: str, default: str | None) -> ArgContext:
    """A method parameter. When its line is longer than the formatters allow, its
    annotation is parenthesized: black would add the parentheses itself while ruff
    splits at `|`; given them, both keep them alike (the bytes must not depend on
    the formatter)."""
    line = f"{' ' * _PARAMETER_INDENT}{name}: {annotation}"
    line += f" = {default}," if default is not None else ","
    if overflows(line, 0) and _is_union(annotation):
        annotation = f"({annotation})"  # (around one subscript, black would drop them)
    return ArgContext(name, annotation, default)


def _is_union(annotation: str) -> bool:
    """Whether `annotation` is `A | B` at its top level (not only inside brackets or
    a quoted `Literal` value)."""
    depth, quote, escaped = 0, "", False
    for ch in annotation:
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
    return False


# Statements that no layout fits in LINE_LENGTH columns (a name of 80 characters, a
# long quoted annotation) are laid out differently by black and ruff (ruff's
# documented deviations from black: `x = (\n    v\n)` against `x = v`). The
# generated statements of that kind are written as one line both leave as it is.
FMT_SKIP = "  # fmt: skip"


def unbroken(statement: str, indent: int) -> str:
    """`statement` (one line, printed `indent` columns in) with `FMT_SKIP` when it does
    not fit. Only for statements whose text is already as the formatters print it,
    and that they would lay out differently."""
    return statement + FMT_SKIP if overflows(statement, indent) else statement


def generic_opening(name: str, cls: str, argument: str) -> str:
    """The first line of the module constant `name`, an instance of the generic class
    `cls` of `argument` whose arguments follow one per line: `NAME: Cls[Arg] = Cls(`,
    or, when that line does not fit, the declaration on a line of its own, `NAME:
    Cls[Arg]`, then `NAME = Cls(`. black breaks the first form by parenthesizing the
    annotation, ruff by splitting its subscript; both lay out the second alike
    (probed: names of 20-130 characters, short and long arguments). Neither costs
    anything at import: annotations are not evaluated (`from __future__ import
    annotations`), where `Cls["Arg"](` built a generic alias per constant."""
    if opening_overflows(name, cls, argument):
        return f"{name}: {cls}[{argument}]\n{name} = {cls}("
    return f"{name}: {cls}[{argument}] = {cls}("


def opening_overflows(name: str, cls: str, argument: str) -> bool:
    """Whether `generic_opening` declares the constant on a line of its own."""
    return overflows(f"{name}: {cls}[{argument}] = {cls}(", 0)


def overflows(text: str, indent: int) -> bool:
    """Whether `text`, printed `indent` columns in, passes the formatters' line length."""
    return indent + _width(text) > LINE_LENGTH


def double_quoted(literal: str) -> str | None:
    """A string literal (`repr`) in the quotes the formatters give it: double (None
    when its text holds a double quote: black's choice then depends on escapes)."""
    if literal.startswith('"'):
        return literal
    if '"' in literal or "\\" in literal:
        return None
    return f'"{literal[1:-1]}"'


def _width(text: str) -> int:
    """Columns as the formatters count them (East Asian wide characters take two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
