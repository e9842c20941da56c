"""Inline schemas nested in one another (`items` in `items`, `anyOf` in `anyOf`, ...)
are typed 64 deep at most: deeper, the generated code would not compile (Python's
parser reads at most 200 nested brackets) and the builder's walks would exhaust the
stack. Deeper is one located error, never a RecursionError or a broken package."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from oagen.builder.objects import MAX_NESTING
from oagen.cli import main
from oagen.pipeline import generate_files


def _nest(kinds: str, levels: int) -> dict[str, Any]:
    """A string schema inside `levels` arrays (a), maps (m), unions (u), single-part
    allOfs (l) or tuples (p), taking `kinds` in turn (and constraints on the way)."""
    schema: dict[str, Any] = {"type": "string", "minLength": 1}
    for level in range(levels):
        kind = kinds[level % len(kinds)]
        if kind == "a":
            schema = {"type": "array", "items": schema, "minItems": 1}
        elif kind == "m":
            schema = {"type": "object", "additionalProperties": schema}
        elif kind == "u":
            schema = {"anyOf": [schema, {"type": "integer"}], "nullable": True}
        elif kind == "l":
            schema = {"allOf": [schema]}
        else:
            schema = {"type": "array", "prefixItems": [schema, {"type": "integer"}]}
    return schema


def _spec(tmp_path: Path, schema: dict[str, Any]) -> Path:
    """`schema` as a property, a query parameter and a request and response body."""
    operation = {
        "parameters": [{"name": "q", "in": "query", "schema": schema}],
        "requestBody": {"content": {"application/json": {"schema": schema}}},
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": schema}}}
        },
    }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Deep", "version": "1"},
        "paths": {"/a": {"post": operation}},
        "components": {"schemas": {"M": {"type": "object", "properties": {"p": schema}}}},
    }
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


@pytest.mark.parametrize("kinds", ["amu", "a", "m", "u", "p"])
def test_nesting_up_to_the_limit_generates_code_that_compiles(tmp_path: Path, kinds: str) -> None:
    result = generate_files(_spec(tmp_path, _nest(kinds, MAX_NESTING)), formatter="none")
    assert not [d for d in result.diagnostics if d.severity == "error"]
    for name, text in result.files.items():
        if name.endswith(".py"):
            compile(text, name, "exec")  # SyntaxError: too many nested parentheses, before


@pytest.mark.parametrize(
    ("kinds", "levels"), [("amu", 65), ("a", 400), ("u", 400), ("l", 400), ("m", 400)]
)
def test_deeper_nesting_is_one_located_error_per_place(
    tmp_path: Path, kinds: str, levels: int, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _spec(tmp_path, _nest(kinds, levels))
    assert main(["generate", str(spec), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and not (tmp_path / "out").exists()
    # (and a warning, when the parameter nests arrays or objects in an array or object)
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert len(lines) == 4  # the property, the parameter, the request and the response
    for line in lines:
        assert f"error: inline types nest more than {MAX_NESTING} deep here" in line
        assert line.startswith(f"{spec}:1:")
