"""Fixtures of the plan tests: every package the test specs generate, in one folder."""

from __future__ import annotations

import importlib
import textwrap
from pathlib import Path

import pytest
from oagen.builder import build
from oagen.diagnostics import Diagnostics
from oagen.ir import Api
from oagen.load import load
from oagen.pipeline import generate_files
from oagen.plan import plan
from oagen.validate import validate
from oagen.write import write

from ..features import conftest as features

TESTS = Path(__file__).resolve().parent.parent
ARCHAL_SPEC = TESTS.parent / "specs" / "archal.yaml"


def _feature_specs() -> dict[str, features.FeatureSpec]:
    """Every registered feature spec (registered when its module is imported)."""
    for path in sorted((TESTS / "features").glob("test_*.py")):
        if path.stem != "test_mypy":
            importlib.import_module(f"tests.features.{path.stem}")
    return dict(sorted(features.REGISTRY.items()))


@pytest.fixture(scope="session")
def all_packages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The packages of archal, of every golden case (tests/cases/*/spec.yaml) and of
    every feature spec (tests/features), freshly generated (runtime included)."""
    root = tmp_path_factory.mktemp("plan_pkgs")
    specs: dict[str, Path] = {"archal_client": ARCHAL_SPEC}
    for spec in sorted((TESTS / "cases").glob("*/spec.yaml")):
        specs[f"{spec.parent.name}_client"] = spec
    for key, feature in _feature_specs().items():
        specs[feature.package_name] = feature.write_to(root / "specs" / key)
    out: list[Path] = []
    for name, spec in specs.items():
        write(root / "pkgs" / name, generate_files(spec, package_name=name).files)
        out.append(root / "pkgs" / name)
    return out


def write_spec(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "spec.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def build_api(folder: Path, text: str, package_name: str = "plan_client") -> Api:
    """The IR of an inline spec; fails the test on any error diagnostic."""
    loaded = load(write_spec(folder, text))
    sink = Diagnostics(loaded.locate)
    validate(loaded, sink)
    api = build(loaded, sink, package_name)
    assert [str(d) for d in sink.items if d.severity == "error"] == []
    return api


def contexts(api: Api) -> dict[str, object]:
    """Output path -> template context of every templated file of `api`'s package."""
    return {f.path: f.context for f in plan(api) if f.template is not None}
