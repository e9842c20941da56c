"""Every feature package (and the usage snippets some specs carry) passes `mypy --strict`."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from oagen.pipeline import generate_files
from oagen.write import write

from .conftest import REGISTRY

HERE = Path(__file__).resolve().parent


def _register_all() -> None:
    """Import every feature module so that all specs are registered."""
    for path in sorted(HERE.glob("test_*.py")):
        if path.stem != "test_mypy":
            importlib.import_module(f"{__package__}.{path.stem}")


@pytest.mark.slow
def test_all_feature_packages_pass_mypy_strict(tmp_path: Path) -> None:
    _register_all()
    assert len(REGISTRY) >= 15
    pkgs = tmp_path / "pkgs"
    pkgs.mkdir()
    targets: list[str] = []
    for key, spec in sorted(REGISTRY.items()):
        path = spec.write_to(tmp_path / "specs" / key)
        write(pkgs / spec.package_name, generate_files(path, package_name=spec.package_name).files)
        targets.append(spec.package_name)
        if spec.typecheck:
            use = pkgs / f"use_{key}.py"
            use.write_text(spec.typecheck, encoding="utf-8")
            targets.append(use.name)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version",
            "3.10",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            *targets,
        ],
        cwd=pkgs,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
