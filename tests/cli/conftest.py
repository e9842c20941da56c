"""Fixtures of the command-line workflow tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.support import ARCHAL_SPEC, oagen


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp folder (the cwd) holding `archal.yaml`, a copy of the Archal spec."""
    shutil.copyfile(ARCHAL_SPEC, tmp_path / "archal.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def generated(work: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert oagen(capsys, "generate", "archal.yaml", "-o", "out")[0] == 0
    return work / "out"
