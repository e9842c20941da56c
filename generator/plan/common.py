"""Helpers shared by the planners of the different files."""

from __future__ import annotations

from dataclasses import dataclass

from ..ir import (
    NO_CONSTRAINTS,
    Api,
    Constraints,
    JsonScalar,
    Resource,
)
from ..literals import docblock, py_literal


@dataclass(frozen=True, slots=True)
class FilePlan:
    """One output file: a template and its context, or static source."""

    path: str
    template: str | None
    context: object
    source: str | None = None


def _module(resource: Resource) -> str:
    return resource.python_name


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
