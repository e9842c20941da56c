"""Differential test of the Swagger 2.0 upgrade: for every real 2.0 spec the registries
offer (the 2.0 examples of @readme/oas-examples 8.2.2, the four Kubernetes specs of
kubernetes-client 9.0.0), the Python API oagen generates from the 2.0 file is the one it
generates from swagger2openapi 7.0.8's conversion, file for file (rendered, before
formatting; the header names the same spec).

Documented improvements over the conversion would be listed in `IMPROVEMENTS` (spec ->
files allowed to differ); on these specs there are none.
"""

from __future__ import annotations

import difflib
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from oagen.builder import build
from oagen.diagnostics import Diagnostics
from oagen.load import load
from oagen.plan import plan
from oagen.render import render
from oagen.upgrade import upgrade

from .swagger2 import converted, specs

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (shutil.which("npm") and shutil.which("node")), reason="needs npm"),
]

IMPROVEMENTS: dict[str, frozenset[str]] = {}


def _files(path: Path) -> dict[str, str]:
    spec = load(path)
    sink = Diagnostics(spec.locate)
    spec = upgrade(spec, sink)
    api = build(spec, sink, "x_client")
    errors = [str(d) for d in sink.items if d.severity == "error"]
    assert errors == [], errors
    return dict(render(plan(replace(api, spec_name="spec.json")), "spec.json", None))


def test_upgrade_generates_what_the_swagger2openapi_conversion_does() -> None:
    found = specs()
    assert len(found) == 18  # 7 examples in YAML and JSON, 4 Kubernetes versions
    for name, path in found.items():
        ours, theirs = _files(path), _files(converted(path))
        assert ours.keys() == theirs.keys(), name
        allowed = IMPROVEMENTS.get(name, frozenset())
        for file in sorted(ours):
            if file in allowed or ours[file] == theirs[file]:
                continue
            diff = difflib.unified_diff(
                theirs[file].splitlines(), ours[file].splitlines(), "swagger2openapi", "oagen"
            )
            pytest.fail(f"{name}: {file} differs\n" + "\n".join(list(diff)[:60]))


@pytest.mark.parametrize("name", ["yaml-petstore.yaml", "swagger-1.13.json"])
def test_swagger2_spec_generates_completely_and_mypy_clean(name: str, tmp_path: Path) -> None:
    """Every operation a method, the package imports, mypy reports nothing."""
    from .corpus import run_one

    outcome = run_one(name, specs()[name], tmp_path)
    assert outcome.error == "", outcome
    assert outcome.operations > 0
    assert outcome.generated == outcome.operations, outcome
    assert outcome.imports and outcome.mypy_errors == 0, outcome
