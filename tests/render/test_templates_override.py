"""`--templates DIR`: a file there replaces the built-in template of the same name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from oagen.cli import main
from oagen.pipeline import generate_files

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "tests" / "cases" / "minimal" / "spec.yaml"


def test_one_template_overridden_the_rest_built_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "README.md.jinja").write_text(
        "# Our vendored {{ ctx.package }}\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    argv = ["generate", str(SPEC), "-o", str(out), "--templates", str(templates)]
    assert main(argv) == 0
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[1:] == ["# Our vendored spec_client"]
    default = generate_files(SPEC).files
    for path in ("_client.py", "resources/pets.py", "models/_pet.py"):
        assert (out / path).read_text(encoding="utf-8") == default[path]
    manifest = json.loads((out / ".oagen-manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["templates"] is not None  # a digest of the folder

    capsys.readouterr()
    assert main(["check", str(SPEC), "-o", str(out), "--templates", str(templates)]) == 0
    (templates / "README.md.jinja").write_text("# Changed\n", encoding="utf-8")
    assert main(["check", str(SPEC), "-o", str(out), "--templates", str(templates)]) == 1
    assert "out/README.md: stale" in capsys.readouterr().out


def test_a_template_naming_an_unknown_value_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "README.md.jinja").write_text("{{ ctx.no_such_value }}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", str(SPEC), "-o", str(out), "--templates", str(templates)]) == 1
    err = capsys.readouterr().err
    assert "no_such_value" in err and "Traceback" not in err
    assert not out.exists()
