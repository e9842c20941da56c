"""The README quickstart, run for real in a temporary project whose environment has its
own `ruff==0.8.0` and `black==24.10.0`: the documented install leaves them untouched,
`generate` and `check` work, and the usage snippet passes `mypy --strict`.

The commands are taken from the README's `<!-- quickstart: NAME -->` blocks; only the
install source (a git URL there) is replaced by this checkout. Packages come from the
package index, so the test is `slow`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PETSTORE = Path(__file__).resolve().parent / "quickstart" / "petstore.yaml"
PROJECT_PINS = ("ruff==0.8.0", "black==24.10.0")


def _blocks() -> dict[str, str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"<!-- quickstart: (\w+) -->\n```\w+\n(.*?)```", text, re.S)
    return dict(found)


def _run(command: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _versions(venv: Path) -> str:
    code = "import importlib.metadata as m; print(m.version('ruff'), m.version('black'))"
    out = subprocess.run(
        [venv / "bin" / "python", "-c", code], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


@pytest.mark.slow
def test_readme_quickstart_in_a_project_with_its_own_formatters(tmp_path: Path) -> None:
    blocks = _blocks()
    assert set(blocks) == {"install", "generate", "use", "config", "check"}
    home, project = tmp_path / "home", tmp_path / "project"
    home.mkdir()
    (project / "specs").mkdir(parents=True)
    shutil.copy(PETSTORE, project / "specs" / "petstore.yaml")
    (project / "src" / "petapp").mkdir(parents=True)
    (project / "src" / "petapp" / "__init__.py").write_text("", encoding="utf-8")
    venv = project / ".venv"  # the project's own environment, with its own pins
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run(
        [venv / "bin" / "pip", "install", "--quiet", *PROJECT_PINS, "mypy"],
        check=True,
        capture_output=True,
    )
    before = _versions(venv)
    assert before == "0.8.0 24.10.0"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))},
        "HOME": str(home),
        "PATH": f"{home}/.local/bin:{venv}/bin:/usr/local/bin:/usr/bin:/bin",
    }
    install = blocks["install"].replace("git+https://github.com/<org>/oagen", REPO.as_uri())
    assert install != blocks["install"]
    _run(install, home, env)
    _run(blocks["generate"], project, env)
    assert (project / "src" / "petapp" / "petstore" / "__init__.py").is_file()
    (project / "pyproject.toml").write_text(
        "[project]\nname = 'petapp'\nversion = '1'\n\n" + blocks["config"], encoding="utf-8"
    )
    assert "up to date" in _run(blocks["check"], project, env)
    assert _versions(venv) == before  # the project's formatters are untouched
    (project / "use.py").write_text(blocks["use"], encoding="utf-8")
    _run("MYPYPATH=src mypy --strict --python-version 3.10 use.py src/petapp", project, env)
