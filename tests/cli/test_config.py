"""`[tool.oagen]` targets carry every option; unknown keys are located errors; `check`
uses the options the target (or the output's manifest) records; defaults that work."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
from oagen.cli import main
from oagen.config import ConfigError, find_targets

REPO = Path(__file__).resolve().parents[2]
ARCHAL = REPO / "specs" / "archal.yaml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "specs").mkdir()
    shutil.copy(ARCHAL, tmp_path / "specs" / "archal.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _pyproject(project: Path, target: str) -> int:
    """A pyproject.toml with one `[[tool.oagen.targets]]` of the given `key = value`
    lines; returns the line number of the target's first line."""
    head = "[project]\nname = 'app'\n\n[[tool.oagen.targets]]\n"
    body = textwrap.dedent(target).strip() + "\n"
    (project / "pyproject.toml").write_text(head + body, encoding="utf-8")
    return head.count("\n") + 1


def test_a_target_holds_every_option(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _pyproject(
        project,
        """
        spec = "specs/archal.yaml"
        output = "src/app/vendor/archal"
        package_name = "app.vendor.archal"
        include_tags = ["Sessions"]
        formatter = "black"
        strict = false
        meta = "none"
        """,
    )
    (target,) = find_targets(project)
    assert target.settings.package_name == "app.vendor.archal"
    assert target.settings.include_tags == ("Sessions",)
    assert main(["generate"]) == 0
    resources = project / "src" / "app" / "vendor" / "archal" / "resources"
    assert sorted(p.name for p in resources.iterdir()) == ["__init__.py", "sessions.py"]
    # a plain check uses the target's options: current, not stale
    assert main(["check"]) == 0
    # and so does naming the spec: its target is found
    assert main(["check", "specs/archal.yaml"]) == 0
    assert "up to date" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("package-name", "unknown key 'package-name' (did you mean 'package_name'?)"),
        ("formater", "unknown key 'formater'"),
    ],
)
def test_an_unknown_key_is_an_error_naming_its_line(
    project: Path, capsys: pytest.CaptureFixture[str], key: str, message: str
) -> None:
    first = _pyproject(project, f'spec = "specs/archal.yaml"\noutput = "out"\n{key} = "x"\n')
    line = first + 2
    with pytest.raises(ConfigError, match=rf"pyproject.toml:{line}: .*{re.escape(message)}"):
        find_targets(project)
    assert main(["generate"]) == 2
    err = capsys.readouterr().err
    assert f"pyproject.toml:{line}:" in err and not (project / "out").exists()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('spec = "specs/archal.yaml"\noutput = "o"\nformatter = "yapf"', "one of ruff"),
        ('spec = "specs/archal.yaml"\noutput = "o"\ninclude_tags = "pet"', "list of strings"),
        ('spec = "specs/archal.yaml"\noutput = "o"\nstrict = "yes"', "true or false"),
        ('output = "o"', "needs `spec`"),
    ],
)
def test_option_values_are_checked(project: Path, entry: str, message: str) -> None:
    _pyproject(project, entry)
    with pytest.raises(ConfigError, match=message):
        find_targets(project)


def test_check_uses_the_selection_the_manifest_records(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After `generate --include-tags sessions`, a plain `check` is not stale (and its
    advice would not undo the filter)."""
    spec, out = "specs/archal.yaml", "out"
    assert main(["generate", spec, "-o", out, "--include-tags", "Sessions"]) == 0
    assert sorted(p.name for p in (project / out / "resources").iterdir()) == [
        "__init__.py",
        "sessions.py",
    ]
    assert main(["check", spec, "-o", out]) == 0
    # the formatter and reference policy are never taken from the (untrusted) manifest
    argv = ["generate", spec, "-o", out, "--include-tags", "Sessions", "--formatter", "none"]
    assert main(argv) == 0
    assert main(["check", spec, "-o", out]) == 1


def test_dotted_package_name_defaults_to_nested_folders(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "specs/archal.yaml", "--package-name", "petapp.vendor.archal"]) == 0
    package = project / "generated" / "petapp" / "vendor" / "archal"
    assert (package / "__init__.py").is_file()
    assert not (project / "generated" / "petapp.vendor.archal").exists()


def test_help_shows_the_output_default_and_the_formatter(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["generate", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "generated/<package name>" in text
    assert "--formatter {ruff,black,none}" in text and "raw template output" in text


def test_foreign_folder_message_says_what_to_do(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "out").mkdir()
    (project / "out" / "mine.txt").write_text("x", encoding="utf-8")
    assert main(["generate", "specs/archal.yaml", "-o", "out", "--force"]) == 1
    err = capsys.readouterr().err
    assert "--force does not change that" in err and "give a new or empty folder" in err


def test_diff_uses_the_targets_package_name(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _pyproject(project, 'spec = "specs/archal.yaml"\noutput = "o"\npackage_name = "acme_archal"')
    old = project / "old.yaml"
    old.write_text(ARCHAL.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["diff", str(old), "specs/archal.yaml", "--format", "markdown"]) == 0
    assert "acme_archal" in capsys.readouterr().out
