"""Shared fixtures: the repository root, a freshly generated Archal client, golden updates."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from oagen.pipeline import generate_files
from oagen.write import write

REPO = Path(__file__).resolve().parent.parent
ARCHAL_SPEC = REPO / "specs" / "archal.yaml"


@pytest.fixture(scope="session", autouse=True)
def _cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """oagen's caches (`docedit`) in a temp folder, for the tests and the commands they
    run, never in the user's home."""
    previous = os.environ.get("OAGEN_CACHE_DIR")
    os.environ["OAGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("oagen-cache"))
    yield
    if previous is None:
        del os.environ["OAGEN_CACHE_DIR"]
    else:
        os.environ["OAGEN_CACHE_DIR"] = previous


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/cases/*/expected from the current generator",
    )


@pytest.fixture(scope="session")
def archal_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """`archal_client` generated from specs/archal.yaml into a temp dir and importable.

    The folder holding it is put first on `sys.path`, so `import archal_client`
    imports this fresh copy (never `generated/`).
    """
    root = tmp_path_factory.mktemp("pkgs")
    out = root / "archal_client"
    write(out, generate_files(ARCHAL_SPEC).files)
    sys.path.insert(0, str(root))
    for name in [m for m in sys.modules if m == "archal_client" or m.startswith("archal_client.")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    yield out
    sys.path.remove(str(root))
