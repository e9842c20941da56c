"""Shared helpers of the builder tests: build a tiny inline spec into the IR."""

from __future__ import annotations

import textwrap
from pathlib import Path

from oagen.builder import build
from oagen.diagnostics import Diagnostic, Diagnostics
from oagen.ir import (
    Api,
    Definition,
    Model,
    Operation,
)
from oagen.load import load
from oagen.validate import validate

HEAD_31 = "openapi: 3.1.0\ninfo: {title: T, version: '1.2.3'}\n"
HEAD_30 = "openapi: 3.0.3\ninfo: {title: T, version: '1.2.3'}\n"


def _build(
    tmp_path: Path, text: str, name: str = "spec.yaml"
) -> tuple[Api, tuple[Diagnostic, ...]]:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    spec = load(path)
    sink = Diagnostics(spec.locate)
    validate(spec, sink)
    api = build(spec, sink, "x_client")
    return api, sink.items


def _ok(tmp_path: Path, text: str) -> Api:
    api, diags = _build(tmp_path, text)
    errors = [str(d) for d in diags if d.severity == "error"]
    assert errors == []
    return api


def _schemas(tmp_path: Path, schemas: str, head: str = HEAD_31) -> dict[str, Definition]:
    body = textwrap.indent(textwrap.dedent(schemas), "    ")
    api = _ok(tmp_path, f"{head}paths: {{}}\ncomponents:\n  schemas:\n{body}")
    return {d.name: d for d in api.definitions}


def _findings(
    tmp_path: Path, schemas: str, head: str = HEAD_31
) -> tuple[dict[str, Definition], tuple[Diagnostic, ...]]:
    """The definitions of `schemas` and what building them found (errors too)."""
    body = textwrap.indent(textwrap.dedent(schemas), "    ")
    api, diags = _build(tmp_path, f"{head}paths: {{}}\ncomponents:\n  schemas:\n{body}")
    return {d.name: d for d in api.definitions}, diags


def _model(defs: dict[str, Definition], name: str) -> Model:
    model = defs[name]
    assert isinstance(model, Model), model
    return model


def _fields(model: Model) -> dict[str, tuple[str, object, bool]]:
    return {f.wire_name: (f.python_name, f.type, f.is_required) for f in model.fields}


def _ops(api: Api) -> dict[str, Operation]:
    resources = list(api.resources) + ([api.root] if api.root else [])
    return {op.python_name: op for r in resources for op in r.operations}


def _errors(diags: tuple[Diagnostic, ...]) -> list[Diagnostic]:
    return [d for d in diags if d.severity == "error"]
