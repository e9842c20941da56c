"""YAML spec text: PyYAML's composer (C loader when present), converted to JSON values
with the position of each one, YAML-only tags refused and alias expansion bounded.
Imported only when a document is YAML.

Plain scalars are read by YAML 1.2's core schema, as OpenAPI asks and as js-yaml
based tools (Redocly, Spectral, Prism) read them, not by PyYAML's YAML 1.1 rules:
`NO` (Norway), `on`, `off`, `yes` are text, not booleans; `12:30` is text, not the
sexagesimal 750; `012` is twelve."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml

from .diagnostics import pointer_join
from .jsontext import LoadError

__all__ = ["parse_yaml"]

_NULL, _BOOL = "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_TRUE, _FALSE = ("true", "True", "TRUE"), ("false", "False", "FALSE")
# YAML 1.2.2, 10.3.2 (the core schema's tag resolution), tried in this order
_CORE = (
    (_NULL, re.compile(r"(?:~|null|Null|NULL|)\Z"), "~nN"),
    (_BOOL, re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z"), "tTfF"),
    (_INT, re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z"), "-+0123456789"),
    (
        _FLOAT,
        re.compile(
            r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
        ),
        "-+.0123456789",
    ),
)


class _Core(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, its plain scalars resolved by the core schema (the merge key
    `<<` kept: specs use it)."""

    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, re.Pattern[str]]]]] = {}


for _tag, _pattern, _first in (*_CORE, ("tag:yaml.org,2002:merge", re.compile(r"<<\Z"), "<")):
    _Core.add_implicit_resolver(_tag, _pattern, [*_first, *([""] if _tag == _NULL else [])])


def parse_yaml(
    text: str, positions: dict[str, tuple[int, int]], max_depth: int, max_nodes: int
) -> Any:
    """The JSON value of YAML `text`; `positions` gets each value's line and column
    by pointer. Nesting beyond `max_depth` and alias expansion beyond `max_nodes`
    values are refused."""
    try:
        node = yaml.compose(text, Loader=_Core)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise LoadError(f"invalid YAML: {exc.problem or exc.context}", line, column) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {exc}", 1, 1) from None
    except RecursionError:
        raise LoadError("the document is nested too deeply", 1, 1) from None
    if node is None:
        raise LoadError("the file is empty", 1, 1)
    try:
        return _YamlConverter(positions, max_depth, max_nodes).convert(node, "#", 0)
    except RecursionError:  # `max_depth` is meant to come first; this is the backstop
        raise LoadError("the document is nested too deeply", 1, 1) from None


class _YamlConverter:
    """YAML nodes -> JSON values; records positions, bounds alias expansion."""

    def __init__(
        self, positions: dict[str, tuple[int, int]], max_depth: int, max_nodes: int
    ) -> None:
        self.positions = positions
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.memo: dict[int, tuple[Any, int]] = {}
        self.active: set[int] = set()
        self.expanded = 0

    def convert(self, node: yaml.Node, pointer: str, depth: int) -> Any:
        mark = node.start_mark
        self.positions.setdefault(pointer, (mark.line + 1, mark.column + 1))
        if depth > self.max_depth:
            message = f"nesting deeper than {self.max_depth} levels"
            raise LoadError(message, mark.line + 1, mark.column + 1, pointer)
        cached = self.memo.get(id(node))
        if cached is not None:  # an alias: shared, but counted as expanded
            self._count(cached[1], node, pointer)
            return cached[0]
        if id(node) in self.active:
            raise LoadError("recursive YAML alias", mark.line + 1, mark.column + 1, pointer)
        self.active.add(id(node))
        before = self.expanded
        value = self._convert(node, pointer, depth)
        self.active.discard(id(node))
        self.memo[id(node)] = (value, self.expanded - before + 1)
        self._count(1, node, pointer)
        return value

    def _count(self, size: int, node: yaml.Node, pointer: str) -> None:
        self.expanded += size
        if self.expanded > self.max_nodes:
            mark = node.start_mark
            message = f"YAML aliases expand to more than {self.max_nodes} values"
            raise LoadError(message, mark.line + 1, mark.column + 1, pointer)

    def _convert(self, node: yaml.Node, pointer: str, depth: int) -> Any:
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            expected = _MAP_TAG if isinstance(node, yaml.MappingNode) else _SEQ_TAG
            if node.tag != expected:
                mark = node.start_mark
                message = f"unsupported YAML tag {node.tag!r}"
                raise LoadError(message, mark.line + 1, mark.column + 1, pointer)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, pointer, depth)
        if isinstance(node, yaml.SequenceNode):
            return [
                self.convert(item, pointer_join(pointer, i), depth + 1)
                for i, item in enumerate(node.value)
            ]
        return _scalar(node, pointer)

    def _mapping(self, node: yaml.MappingNode, pointer: str, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged.update(self._merge_source(value_node, pointer, depth))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                message = "mapping keys must be scalars"
                raise LoadError(message, mark.line + 1, mark.column + 1, pointer)
            key = str(key_node.value)
            if key in out:
                at = pointer_join(pointer, key)
                raise LoadError(f"duplicate key {key!r}", mark.line + 1, mark.column + 1, at)
            out[key] = self.convert(value_node, pointer_join(pointer, key), depth + 1)
        for key, value in merged.items():
            out.setdefault(key, value)
        return out

    def _merge_source(self, node: yaml.Node, pointer: str, depth: int) -> dict[str, Any]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        out: dict[str, Any] = {}
        for source in reversed(sources):
            value = self.convert(source, pointer, depth + 1)
            if not isinstance(value, dict):
                mark = source.start_mark
                message = "a merge key (<<) needs a mapping"
                raise LoadError(message, mark.line + 1, mark.column + 1, pointer)
            out.update(value)
        return out


_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def _scalar(node: yaml.Node, pointer: str) -> Any:
    tag, text, mark = node.tag, str(node.value), node.start_mark
    line, column = mark.line + 1, mark.column + 1
    if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
        return text  # timestamps stay text, as JSON would have them
    if tag == _NULL:
        return None
    if tag == _BOOL and text in _TRUE + _FALSE:
        return text in _TRUE
    try:
        if tag == _INT:
            sign, digits = (-1, text[1:]) if text[:1] == "-" else (1, text.lstrip("+"))
            prefix = digits[:2]
            base = 16 if prefix == "0x" else 8 if prefix == "0o" else 10
            return sign * int(digits[2:] if base != 10 else digits, base)
        if tag == _FLOAT:
            lowered = text.lower()
            if lowered.endswith((".inf", ".nan")):
                return float(lowered.replace(".", ""))
            return float(text)
    except ValueError as exc:  # not a number; an integer past Python's int-string limit
        raise LoadError(f"invalid number: {exc}", line, column, pointer) from None
    if tag == _BOOL:
        raise LoadError(f"invalid boolean: {text!r}", line, column, pointer)
    raise LoadError(f"unsupported YAML tag {tag!r}", line, column, pointer)
