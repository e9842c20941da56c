"""The `oagen` command: validate/generate/check, exit codes 0/1/2, located diagnostics."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from oagen.cli import main
from oagen.write import MANIFEST

REPO = Path(__file__).resolve().parents[2]
OAGEN = REPO / ".venv" / "bin" / "oagen"

GOOD = """\
openapi: 3.1.0
info: {title: Pets, version: '2.0.0'}
servers: [{url: 'https://pets.example.com'}]
paths:
  /pets/{petId}:
    get:
      tags: [pets]
      operationId: getPet
      parameters:
        - {name: petId, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        name: {type: string}
"""

BROKEN_REF = """\
openapi: 3.1.0
info: {title: Pets, version: '2.0.0'}
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/Ownr'}
"""

WRONG_TYPE = """\
openapi: 3.1.0
info: {title: Pets, version: '2.0.0'}
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: strin}
"""

INFO_NOT_OBJECT = """\
openapi: 3.1.0
info: 5
paths: {}
"""

TRACEBACK = "Traceback (most recent call last)"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in tmp_path so displayed paths are relative and no pyproject is found nearby."""
    monkeypatch.chdir(tmp_path)


def _spec(tmp_path: Path, text: str, name: str = "pets.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert TRACEBACK not in out + err
    return code, out, err


def _generated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    spec = _spec(tmp_path, GOOD)
    out = tmp_path / "out"
    code, stdout, _ = _run(capsys, "generate", str(spec), "-o", str(out))
    assert code == 0, stdout
    return spec, out


# -- validate -------------------------------------------------------------------------


def test_cli_validate_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _spec(tmp_path, GOOD)
    code, out, err = _run(capsys, "validate", "pets.yaml")
    assert code == 0
    assert out == "pets.yaml: valid\n"
    assert err == ""


def test_cli_validate_broken_ref(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _spec(tmp_path, BROKEN_REF)
    code, out, err = _run(capsys, "validate", "pets.yaml")
    assert "pets.yaml:9:23: error:" in err
    assert "#/components/schemas/Ownr" in err
    assert "(#/components/schemas/Pet/properties/owner/$ref)" in err
    assert code == 1
    assert "valid" not in out


def test_cli_validate_unknown_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _spec(tmp_path, WRONG_TYPE)
    code, out, err = _run(capsys, "validate", "pets.yaml")
    assert re.search(
        r"^pets\.yaml:9:22: error: .*strin.*\(#/components/schemas/Pet/properties/name/type\)$",
        err,
        re.M,
    ), err
    assert code == 1
    assert "valid" not in out


def test_cli_validate_info_not_an_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _spec(tmp_path, INFO_NOT_OBJECT)
    code, _, err = _run(capsys, "validate", "pets.yaml")
    assert "pets.yaml:2:7: " in err and "(#/info)" in err
    assert code == 1


def test_cli_validate_strict_makes_findings_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _spec(tmp_path, INFO_NOT_OBJECT)
    code, out, err = _run(capsys, "validate", "--strict", "pets.yaml")
    assert code == 1
    assert err == "pets.yaml:2:7: error: spec validation: 5 is not of type 'object' (#/info)\n"
    assert out == ""


def test_cli_validate_reports_a_repeated_operation_id_once_where_it_repeats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """openapi-spec-validator's own finding has no place (it was shown at 1:1, `#`);
    the build's, at the second operationId, is the one shown."""
    twice = "\n  /pets:\n    get: {operationId: getPet, responses: {'204': {description: ok}}}"
    _spec(tmp_path, GOOD.replace("\ncomponents:", twice + "\ncomponents:"))
    code, out, err = _run(capsys, "validate", "pets.yaml")
    assert code == 0 and out == "pets.yaml: valid (1 warnings)\n"
    (line,) = err.splitlines()
    assert line.startswith("pets.yaml:18:24: warning: operationId 'getPet' is not unique: ")
    assert "GET /pets/{petId} has it too" in line
    assert line.endswith("(#/paths/~1pets/get/operationId)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\na: 2\n", "pets.yaml:2:1: error: duplicate key 'a' (#/a)\n"),
        (
            "openapi: 2.0\ninfo: {}\n",
            "pets.yaml:1:10: error: unsupported OpenAPI version 2.0: oagen reads 3.0.x, 3.1.x, 3.2.x and Swagger 2.0 (#/openapi)\n",
        ),
        ("a: [1\n", "pets.yaml:2:1: error: invalid YAML: did not find expected ',' or ']'\n"),
    ],
)
def test_cli_validate_unloadable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    _spec(tmp_path, text)
    code, out, err = _run(capsys, "validate", "pets.yaml")
    assert (code, out, err) == (1, "", expected)


def test_cli_validate_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "validate", "absent.yaml")
    assert code == 1
    assert err.startswith("absent.yaml:1:1: error: cannot read the file")


# -- exit code 2 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["generate", "--bogus"],
        [],
        ["frobnicate"],
        ["generate", "x.yaml", "--formatter", "gofmt"],
        ["validate"],
    ],
)
def test_cli_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "usage: oagen" in capsys.readouterr().err


def test_cli_generate_without_spec_or_config_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "generate")
    assert code == 2
    assert "oagen: error:" in err


def test_cli_output_without_spec_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "check", "-o", "out")
    assert code == 2
    assert err == "oagen: error: -o/--package-name need a SPEC\n"


# -- generate / check ----------------------------------------------------------------


def test_cli_generate_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec, out = _generated(tmp_path, capsys)
    files = _snapshot(out)
    assert {"__init__.py", "models/__init__.py", "models/_pet.py", "py.typed", MANIFEST} <= set(
        files
    )
    assert b"class Pet" in files["models/_pet.py"]
    code, stdout, _ = _run(capsys, "check", str(spec), "-o", str(out))
    assert code == 0
    assert stdout == f"out: up to date ({len(files)} files)\n"


def test_cli_second_generate_rewrites_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec, out = _generated(tmp_path, capsys)
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*") if p.is_file()}
    code, stdout, _ = _run(capsys, "generate", str(spec), "-o", str(out))
    assert code == 0
    assert stdout.startswith("out: up to date")
    after = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_cli_check_edited_file_is_stale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec, out = _generated(tmp_path, capsys)
    models = out / "models" / "_pet.py"
    models.write_text(models.read_text(encoding="utf-8") + "# hand edit\n", encoding="utf-8")
    code, stdout, _ = _run(capsys, "check", str(spec), "-o", str(out))
    assert code == 1
    assert "out/models/_pet.py: stale\n" in stdout
    assert "-# hand edit" in stdout  # the diff shows what generate would remove
    assert stdout.rstrip().endswith("out: not current; run `oagen generate`")


def test_cli_check_deleted_file_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec, out = _generated(tmp_path, capsys)
    (out / "errors.py").unlink()
    code, stdout, _ = _run(capsys, "check", str(spec), "-o", str(out))
    assert code == 1
    assert "out/errors.py: missing\n" in stdout
    assert "stale" not in stdout


def test_cli_check_added_file_is_extra(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec, out = _generated(tmp_path, capsys)
    (out / "resources" / "mine.py").write_text("x = 1\n", encoding="utf-8")
    code, stdout, _ = _run(capsys, "check", str(spec), "-o", str(out))
    assert code == 1
    assert "out/resources/mine.py: extra: not written by oagen; delete it" in stdout


def test_cli_check_after_spec_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec, out = _generated(tmp_path, capsys)
    spec.write_text(
        GOOD.replace("name: {type: string}", "nickname: {type: string}"), encoding="utf-8"
    )
    code, stdout, _ = _run(capsys, "check", str(spec), "-o", str(out))
    assert code == 1
    assert "out/models/_pet.py: stale\n" in stdout


def test_cli_check_of_missing_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _spec(tmp_path, GOOD)
    code, stdout, _ = _run(capsys, "check", str(spec), "-o", "nowhere")
    assert code == 1
    assert "nowhere/models/_pet.py: missing\n" in stdout
    assert not (tmp_path / "nowhere").exists()


def test_cli_generate_removes_files_no_longer_generated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec, out = _generated(tmp_path, capsys)
    resource_files = sorted(p.name for p in (out / "resources").iterdir())
    assert "pets.py" in resource_files
    spec.write_text(GOOD.replace("tags: [pets]", "tags: [animals]"), encoding="utf-8")
    code, stdout, _ = _run(capsys, "generate", str(spec), "-o", str(out))
    assert code == 0 and "1 removed" in stdout
    assert not (out / "resources" / "pets.py").exists()
    assert (out / "resources" / "animals.py").is_file()
    assert _run(capsys, "check", str(spec), "-o", str(out))[0] == 0


@pytest.mark.parametrize("broken", [BROKEN_REF, WRONG_TYPE, "a: [1\n", "paths: {}\n"])
def test_cli_generate_broken_spec_leaves_output_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], broken: str
) -> None:
    spec, out = _generated(tmp_path, capsys)
    before = _snapshot(out)
    spec.write_text(broken, encoding="utf-8")
    code, stdout, err = _run(capsys, "generate", str(spec), "-o", str(out))
    assert code == 1
    assert re.search(r"^pets\.yaml:\d+:\d+: error: ", err, re.M), err
    assert "written" not in stdout
    assert _snapshot(out) == before


def test_cli_generate_refuses_foreign_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _spec(tmp_path, GOOD)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    code, stdout, err = _run(capsys, "generate", str(spec), "-o", str(out))
    assert code == 1
    assert "not generated by oagen" in err and MANIFEST in err
    assert stdout == ""
    assert _snapshot(out) == {"notes.txt": b"mine\n"}


def test_cli_generate_into_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _spec(tmp_path, GOOD)
    (tmp_path / "empty").mkdir()
    code, _, _ = _run(capsys, "generate", str(spec), "-o", "empty")
    assert code == 0
    assert (tmp_path / "empty" / MANIFEST).is_file()


def test_cli_generate_onto_a_file_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = _spec(tmp_path, GOOD)
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, _, err = _run(capsys, "generate", str(spec), "-o", "afile")
    assert code == 1
    assert err.startswith("oagen: error:")
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "x"


def test_cli_generate_default_output_and_package_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _spec(tmp_path, GOOD, name="my-pets.yaml")
    code, stdout, _ = _run(capsys, "generate", "my-pets.yaml")
    assert code == 0
    assert stdout.startswith("generated/my_pets_client: ")
    code, _, _ = _run(capsys, "generate", "my-pets.yaml", "--package-name", "petlib", "-o", "lib")
    assert code == 0
    assert '"package_name": "petlib"' in (tmp_path / "lib" / MANIFEST).read_text(encoding="utf-8")


def test_cli_generated_files_are_world_readable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = os.umask(0o022)
    try:
        _, out = _generated(tmp_path, capsys)
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*.py")}
    assert set(modes.values()) == {0o644}, modes


# -- real subprocesses ------------------------------------------------------------------


def _oagen(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(OAGEN), *argv], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_cli_subprocess_broken_ref_no_traceback(tmp_path: Path) -> None:
    _spec(tmp_path, BROKEN_REF)
    result = _oagen(tmp_path, "generate", "pets.yaml", "-o", "out")
    assert result.returncode == 1
    assert TRACEBACK not in result.stderr + result.stdout
    assert (
        "pets.yaml:9:23: error: unresolvable $ref '#/components/schemas/Ownr' "
        "(#/components/schemas/Pet/properties/owner/$ref)"
    ) in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_subprocess_validate_wrong_type(tmp_path: Path) -> None:
    _spec(tmp_path, WRONG_TYPE)
    result = _oagen(tmp_path, "validate", "pets.yaml")
    assert TRACEBACK not in result.stderr + result.stdout
    assert "pets.yaml:9:22: " in result.stderr
    assert "(#/components/schemas/Pet/properties/name/type)" in result.stderr
    assert result.returncode == 1


@pytest.mark.parametrize(
    "raw",
    [
        b"a: !!python/object/apply:os.system ['echo pwned']\n",
        b"\xff\xfe\x00garbage",
        b"",
        b"[" * 3000,
    ],
)
def test_cli_subprocess_hostile_input_no_traceback(tmp_path: Path, raw: bytes) -> None:
    (tmp_path / "pets.yaml").write_bytes(raw)
    result = _oagen(tmp_path, "generate", "pets.yaml", "-o", "out")
    assert result.returncode == 1
    assert TRACEBACK not in result.stderr
    assert "pwned" not in result.stdout + result.stderr.replace("echo pwned", "")
    assert re.search(r"^pets\.yaml:\d+:\d+: error: ", result.stderr, re.M), result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_subprocess_generate_and_check(tmp_path: Path) -> None:
    _spec(tmp_path, GOOD)
    first = _oagen(tmp_path, "generate", "pets.yaml", "-o", "out")
    assert first.returncode == 0, first.stderr
    check = _oagen(tmp_path, "check", "pets.yaml", "-o", "out")
    assert (check.returncode, check.stderr) == (0, "")
    module = subprocess.run(
        [sys.executable, "-m", "oagen", "check", "pets.yaml", "-o", "out"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert module.returncode == 0, module.stderr
    usage = _oagen(tmp_path, "generate", "--nope")
    assert usage.returncode == 2 and TRACEBACK not in usage.stderr
