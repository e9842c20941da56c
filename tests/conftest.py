"""Shared fixtures: the repository root, a freshly generated Archal client, golden
updates; the Hypothesis profile."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from oagen.pipeline import generate_files
from oagen.write import write

REPO = Path(__file__).resolve().parent.parent
ARCHAL_SPEC = REPO / "specs" / "archal.yaml"


# Property tests draw the same examples on every run (each test seeded by its own
# name): a suite that passed passes again. `HYPOTHESIS_PROFILE=explore` draws new ones.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


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
