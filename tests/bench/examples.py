"""GitHub's published examples and schemas, for the decode case: which required
properties an example lacks (and placeholders for them), which schemas a set of
schemas needs, and which class datamodel-codegen made for a schema."""

from __future__ import annotations

import ast
import copy
import json
import re
from pathlib import Path
from typing import Any

__all__ = ["fill_required", "filled", "missing_required", "pydantic_class", "schema_closure"]


def pydantic_class(module: Path, schema: dict[str, Any], preferred: str) -> str:
    """The class datamodel-codegen made for `schema`: the one with exactly its properties
    (an inline object elsewhere, like `issue.pull_request`, may take the plain name)."""
    wanted = set(schema.get("properties", {}))
    matches = []
    for node in ast.parse(module.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef) and _pydantic_fields(node) == wanted:
            matches.append(node.name)
    return preferred if preferred in matches or not matches else matches[0]


def _pydantic_fields(node: ast.ClassDef) -> set[str]:
    """The JSON names of a pydantic model's fields: their aliases, else their names."""
    fields = set()
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            aliases = [
                keyword.value.value
                for call in ast.walk(statement)
                if isinstance(call, ast.Call)
                for keyword in call.keywords
                if keyword.arg == "alias" and isinstance(keyword.value, ast.Constant)
            ]
            fields.add(aliases[0] if aliases else statement.target.id)
    return fields


def schema_closure(schemas: dict[str, Any], names: list[str]) -> set[str]:
    """`names` and every component schema they reference, transitively."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(schemas[name]))
    return seen


def missing_required(
    schemas: dict[str, Any], schema: Any, value: Any, path: str = "$"
) -> list[str]:
    """Where `value` lacks a property its schema requires (following $ref, allOf, items)."""
    while isinstance(schema, dict) and "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    if not isinstance(schema, dict):
        return []
    found = [
        where
        for part in schema.get("allOf", [])
        for where in missing_required(schemas, part, value, path)
    ]
    if isinstance(value, dict):
        found += [f"{path}.{name}" for name in schema.get("required", []) if name not in value]
        for name, subschema in schema.get("properties", {}).items():
            found += missing_required(schemas, subschema, value.get(name), f"{path}.{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += missing_required(schemas, schema.get("items"), item, f"{path}[{index}]")
    return found


def _deref(schemas: dict[str, Any], schema: Any) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _placeholder(schemas: dict[str, Any], schema: Any) -> Any:
    """A value of `schema`'s type: its example, first enum value, or an empty one."""
    schema = _deref(schemas, schema)
    if not isinstance(schema, dict):
        return None
    for key in ("example", "default"):
        if key in schema:
            return copy.deepcopy(schema[key])
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for key in ("allOf", "anyOf", "oneOf"):
        if schema.get(key):
            return _placeholder(schemas, schema[key][0])
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), "null") if isinstance(kind, list) else kind
    if kind == "object" or "properties" in schema:
        return fill_required(schemas, schema, {})
    empty = {"string": "", "integer": 0, "number": 0, "boolean": False, "array": []}
    return empty.get(kind) if isinstance(kind, str) else None


def fill_required(schemas: dict[str, Any], schema: Any, value: Any) -> Any:
    """A copy of `value` with every property its schema requires and it lacks added
    (`_placeholder`), following $ref, allOf and items like `missing_required`."""
    schema = _deref(schemas, schema)
    if not isinstance(schema, dict):
        return value
    for part in schema.get("allOf", []):
        value = fill_required(schemas, part, value)
    properties = schema.get("properties", {})
    if isinstance(value, dict):
        value = dict(value)
        for name in schema.get("required", []):
            if name not in value:
                value[name] = _placeholder(schemas, properties.get(name, {}))
        for name, subschema in properties.items():
            if name in value:
                value[name] = fill_required(schemas, subschema, value[name])
    elif isinstance(value, list):
        value = [fill_required(schemas, schema.get("items"), item) for item in value]
    return value


def filled(schemas: dict[str, Any], schema: Any, value: Any, where: list[str]) -> str:
    """`$.a = false, $.b[0].c = 'Team'`: the values `fill_required` put at `where`."""
    shown = []
    for path in where:
        current = value
        for step in re.findall(r"\.([^.\[]+)|\[(\d+)\]", path):
            current = current[step[0]] if step[0] else current[int(step[1])]
        shown.append(f"`{path} = {json.dumps(current)}`")
    return ", ".join(shown)
