"""What `oagen generate` leaves behind: nothing outside its output folder, no process,
and a `check` that answers from a fresh generation (formatter and all)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARCHAL = REPO / "specs" / "archal.yaml"


def _tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def _processes_with(marker: str) -> list[int]:
    """Processes whose environment holds `marker` (a child that detached itself from
    the session or process group still inherits the environment)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_generate_writes_only_its_output_and_leaves_no_process(tmp_path: Path) -> None:
    home, scratch, work = tmp_path / "home", tmp_path / "tmp", tmp_path / "work"
    for folder in (home, scratch, work):
        folder.mkdir()
    shutil.copy(ARCHAL, work / "archal.yaml")
    marker = f"OAGEN_FOOTPRINT_{uuid.uuid4().hex}"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("XDG_", "OAGEN_")) and k not in ("HOME", "TMPDIR")
    }
    env.update(HOME=str(home), TMPDIR=str(scratch), PYTHONDONTWRITEBYTECODE="1", **{marker: "1"})
    for _ in range(2):  # a new folder, then a regeneration over it
        done = subprocess.run(
            [sys.executable, "-m", "oagen", "generate", "archal.yaml", "-o", "out"],
            check=False,
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert _processes_with(marker) == []
        assert _tree(home) == []
        assert _tree(scratch) == []
        assert sorted(p.name for p in work.iterdir()) == ["archal.yaml", "out"]


def test_check_after_generate_with_another_formatter_fails(tmp_path: Path) -> None:
    from oagen.cli import main

    shutil.copy(ARCHAL, tmp_path / "archal.yaml")
    spec, out = str(tmp_path / "archal.yaml"), str(tmp_path / "out")
    assert main(["generate", spec, "-o", out, "--formatter", "none"]) == 0
    assert main(["check", spec, "-o", out]) == 1
    assert main(["check", spec, "-o", out, "--formatter", "none"]) == 0
    assert main(["generate", spec, "-o", out]) == 0
    assert main(["check", spec, "-o", out]) == 0


def test_check_does_not_trust_a_manifest_that_matches_an_edited_file(tmp_path: Path) -> None:
    """A file edited together with its manifest entry (a hostile pull request, a
    poisoned cache) still fails `check`: it compares with a fresh generation."""
    import hashlib
    import json

    from oagen.cli import main

    shutil.copy(ARCHAL, tmp_path / "archal.yaml")
    spec, out = str(tmp_path / "archal.yaml"), tmp_path / "out"
    assert main(["generate", spec, "-o", str(out)]) == 0
    target = out / "models" / "_error_response.py"
    text = target.read_text(encoding="utf-8") + "import os  # injected\n"
    target.write_text(text, encoding="utf-8")
    manifest = json.loads((out / ".oagen-manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["models/_error_response.py"] = hashlib.sha256(text.encode()).hexdigest()
    (out / ".oagen-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["check", spec, "-o", str(out)]) == 1
    assert main(["generate", spec, "-o", str(out), "--force"]) == 0
    assert "injected" not in target.read_text(encoding="utf-8")


def test_import_package_is_oagen() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import oagen, oagen.cli; print(oagen.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip()
    helped = subprocess.run(
        [sys.executable, "-m", "oagen", "--help"], capture_output=True, text=True, check=True
    )
    assert "generate" in helped.stdout


@pytest.mark.slow
def test_every_module_imports_first() -> None:
    """Each module of `oagen` imports in a fresh interpreter as the first one (a cycle
    between packages shows only in some orders)."""
    names = sorted(
        "oagen." + ".".join(p.relative_to(REPO / "generator").with_suffix("").parts)
        for p in (REPO / "generator").rglob("*.py")
        if p.name != "__main__.py"  # runs the command line
    )
    script = (
        "import importlib, subprocess, sys\n"
        "bad = [n for n in sys.argv[1:] if subprocess.run([sys.executable, '-c', "
        "f'import {n.removesuffix(\".__init__\")}'], capture_output=True).returncode]\n"
        "print(bad)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *names], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_generator_modules_stay_under_the_size_cap() -> None:
    sizes = {
        p.relative_to(REPO).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in (REPO / "generator").rglob("*.py")
    }
    assert {p: n for p, n in sizes.items() if n > 500} == {}
