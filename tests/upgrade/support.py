"""Helpers of the upgrade tests: a small inline 2.0 spec -> upgraded data and the IR."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from oagen.builder import build
from oagen.diagnostics import Diagnostic, Diagnostics
from oagen.ir import Api, Operation
from oagen.load import Spec, load
from oagen.upgrade import upgrade
from oagen.validate import validate

HEAD = "swagger: '2.0'\ninfo: {title: T, version: '1.0'}\n"


def write(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def upgraded(tmp_path: Path, text: str) -> tuple[Spec, Api, tuple[Diagnostic, ...]]:
    spec = load(write(tmp_path, HEAD + textwrap.dedent(text)))
    sink = Diagnostics(spec.locate)
    validate(spec, sink)
    spec = upgrade(spec, sink)
    api = build(spec, sink, "x_client")
    return spec, api, sink.items


def data(tmp_path: Path, text: str) -> dict[str, Any]:
    spec, _, diags = upgraded(tmp_path, text)
    assert [str(d) for d in diags] == []
    result: dict[str, Any] = spec.root.data
    return result


def operations(api: Api) -> dict[str, Operation]:
    found = [
        *(api.root.operations if api.root else ()),
        *(o for r in api.resources for o in r.operations),
    ]
    return {op.operation_id or "": op for op in found}
