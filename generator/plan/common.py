"""Helpers shared by the planners of the different files."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..format import LINE_LENGTH
from ..ir import (
    NO_CONSTRAINTS,
    Api,
    Constraints,
    JsonScalar,
    Resource,
)
from ..literals import docblock, py_literal
from ..names import file_stem
from .contexts import ArgContext


@dataclass(frozen=True, slots=True)
class FilePlan:
    """One output file: a template and its context, or static source."""

    path: str
    template: str | None
    context: object
    source: str | None = None


def _module(resource: Resource) -> str:
    return file_stem(resource.python_name)


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


def _check_args(constraints: Constraints, choices: tuple[JsonScalar, ...] | None) -> str:
    """`min_items=1, maximum=5` for `_serde.check`, or "" when nothing is checked."""
    if choices is None and (constraints is NO_CONSTRAINTS or constraints == NO_CONSTRAINTS):
        return ""
    parts: list[str] = []
    for name in Constraints.__slots__:
        value = getattr(constraints, name)
        if value is None or value is False:
            continue
        parts.append(f"{name}={py_literal(value)}")
    if choices is not None:
        parts.append(f"choices=({', '.join(py_literal(c) for c in choices)},)")
    return ", ".join(parts)


_PARAMETER_INDENT = 8  # parameters of methods, one per line


def _parameter(name: str, annotation: str, default: str | None) -> ArgContext:
    """A method parameter. When its line is longer than the formatters allow, its
    annotation is parenthesized: black would add the parentheses itself while ruff
    splits at `|`; given them, both keep them alike (the bytes must not depend on
    the formatter)."""
    line = f"{' ' * _PARAMETER_INDENT}{name}: {annotation}"
    line += f" = {default}," if default is not None else ","
    if _width(line) > LINE_LENGTH:
        annotation = f"({annotation})"
    return ArgContext(name, annotation, default)


def _width(text: str) -> int:
    """Columns as the formatters count them (East Asian wide characters take two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
