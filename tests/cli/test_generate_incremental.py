"""`oagen generate` in a workflow: summary lines, incremental regeneration, multi-file specs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from oagen.cli import main
from oagen.manifest import MANIFEST, read_manifest

from tests.cli.support import (
    ARCHAL_FILES,
    N_FILES,
    NEW_SUMMARY,
    OLD_SUMMARY,
    age,
    edit,
    files_of,
    oagen,
    run_py,
    snapshot,
    stats,
    touched,
    without_header,
    without_stats,
)


def test_generate_summary_line_counts_operations_and_models(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "archal.yaml", "-o", "out"]) == 0
    line = capsys.readouterr().out.strip()
    assert re.fullmatch(
        rf"out: {N_FILES} written, 0 removed \({N_FILES} files\); 16 operations, 11 models"
        r" in \d+\.\d\d s",
        line,
    ), line


# -- incremental generation -------------------------------------------------------------


def test_second_generate_is_up_to_date_and_rewrites_nothing(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = oagen(capsys, "generate", "archal.yaml", "-o", "out")
    assert (code, out, err) == (0, [f"out: {N_FILES} written, 0 removed ({N_FILES} files)"], "")
    assert files_of(work / "out") == ARCHAL_FILES
    before = age(work / "out")

    code, out, err = oagen(capsys, "generate", "archal.yaml", "-o", "out")
    assert (code, out, err) == (0, [f"out: up to date ({N_FILES} files)"], "")
    assert touched(before, work / "out") == set()
    assert stats(work / "out") == before


def test_up_to_date_generate_does_not_import_the_pipeline(work: Path) -> None:
    args = ["-m", "oagen", "generate", "archal.yaml", "-o", "out"]
    first = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        cwd=work,
        check=False,
        capture_output=True,
        text=True,
    )
    assert first.returncode == 0, first.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in first.stderr.splitlines()}
    assert "oagen.pipeline" in imported  # the probe sees real work

    second = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        cwd=work,
        check=False,
        capture_output=True,
        text=True,
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines() == [f"out: up to date ({N_FILES} files)"]
    imported = {line.rsplit("|", 1)[-1].strip() for line in second.stderr.splitlines()}
    assert "oagen.cli" in imported
    # nor the IR (its records take a sixth of the no-op run), the formatter's threads
    # and processes, or the configuration's TOML reader (a spec and folder were given)
    heavy = {"oagen.ir", "oagen.format", "concurrent.futures", "subprocess", "tomllib"}
    assert not {"oagen.pipeline", "oagen.render", "oagen.load", "jinja2", *heavy} & imported

    # The same seen from inside: a fresh interpreter calling `main`.
    probe = run_py(
        """
        import sys
        from oagen.cli import main
        code = main(["generate", "archal.yaml", "-o", "out"])
        print("RESULT", code, "oagen.pipeline" in sys.modules, "jinja2" in sys.modules)
        """,
        work,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.splitlines() == [
        f"out: up to date ({N_FILES} files)",
        "RESULT 0 False False",
    ]


def test_summary_edit_rewrites_only_changed_files(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert oagen(capsys, "generate", "archal.yaml", "-o", "out")[0] == 0
    old = snapshot(work / "out")
    before = age(work / "out")

    edit(work / "archal.yaml", OLD_SUMMARY, NEW_SUMMARY)
    code, out, err = oagen(capsys, "generate", "archal.yaml", "-o", "out")
    new = snapshot(work / "out")
    changed = {rel for rel in new if new[rel] != old.get(rel)}
    assert set(new) == set(old) == ARCHAL_FILES

    # Exactly the files whose bytes changed were rewritten (mtime and inode); the rest,
    # py.typed at least, kept both.
    assert touched(before, work / "out") == changed
    assert "py.typed" not in changed
    assert (code, err) == (0, "")
    assert out == [f"out: {len(changed)} written, 0 removed ({N_FILES} files)"]

    # Beyond the header line (which carries the spec's sha256, DESIGN §3) only the
    # resource module of the edited operation, the README and the manifest differ.
    semantic = {rel for rel in changed if without_header(new[rel]) != without_header(old[rel])}
    assert semantic == {"resources/sessions.py", "README.md", MANIFEST}
    assert b"Fetch one hosted clone session by id" in new["resources/sessions.py"]
    assert b"Fetch one hosted clone session by id" in new["README.md"]

    # And once more: nothing to do.
    before = age(work / "out")
    code, out, _ = oagen(capsys, "generate", "archal.yaml", "-o", "out")
    assert (code, out) == (0, [f"out: up to date ({N_FILES} files)"])
    assert touched(before, work / "out") == set()


def test_schema_description_edit_changes_models(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert oagen(capsys, "generate", "archal.yaml", "-o", "out")[0] == 0
    old = snapshot(work / "out")
    before = age(work / "out")
    edit(
        work / "archal.yaml",
        "    SessionSummary:\n      type: object\n",
        "    SessionSummary:\n      description: One hosted clone session, as reported.\n"
        "      type: object\n",
    )
    code, out, _ = oagen(capsys, "generate", "archal.yaml", "-o", "out")
    new = snapshot(work / "out")
    changed = {rel for rel in new if new[rel] != old[rel]}
    assert code == 0
    assert out == [f"out: {len(changed)} written, 0 removed ({N_FILES} files)"]
    assert touched(before, work / "out") == changed
    semantic = {rel for rel in changed if without_header(new[rel]) != without_header(old[rel])}
    # one module per model: only SessionSummary's changes (and the manifest)
    assert semantic == {"models/_session_summary.py", MANIFEST}
    assert b"One hosted clone session, as reported." in new["models/_session_summary.py"]


EXTENDING_SPEC = """\
openapi: 3.1.0
info: {title: Repos, version: '1.0.0'}
paths:
  /repos:
    get:
      operationId: listRepos
      responses:
        '200':
          description: The repositories, with their permissions.
          content:
            application/json:
              schema:
                type: object
                properties:
                  repositories:
                    type: array
                    items:
                      allOf:
                        - $ref: '#/components/schemas/Repository'
                        - type: object
                          properties:
                            permissions: {type: string}
components:
  schemas:
    Repository:
      type: object
      required: [name]
      properties:
        name: {type: string, description: The name of the repository.}
    ForkedRepository:
      allOf:
        - $ref: '#/components/schemas/Repository'
        - properties: {parent: {$ref: '#/components/schemas/Repository'}}
"""


def test_base_property_description_edit_changes_only_the_base_module(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Models extending a schema with allOf are subclasses of its model: a description
    of one of its properties is printed in its module only."""
    (work / "repos.yaml").write_text(EXTENDING_SPEC, encoding="utf-8")
    assert oagen(capsys, "generate", "repos.yaml", "-o", "out")[0] == 0
    old = snapshot(work / "out")
    assert b"class ForkedRepository(Repository):" in old["models/_forked_repository.py"]
    edit(work / "repos.yaml", "The name of the repository.", "The repository's name.")
    assert oagen(capsys, "generate", "repos.yaml", "-o", "out")[0] == 0
    new = snapshot(work / "out")
    changed = {rel for rel in new if new[rel] != old.get(rel)}
    semantic = {rel for rel in changed if without_header(new[rel]) != without_header(old[rel])}
    assert semantic == {"models/_repository.py", MANIFEST}


def test_force_regenerates_but_writes_no_equal_bytes(work: Path) -> None:
    args = [sys.executable, "-m", "oagen", "generate", "archal.yaml", "-o", "out"]
    assert subprocess.run(args, cwd=work, check=False, capture_output=True).returncode == 0
    old = snapshot(work / "out")
    before = age(work / "out")
    probe = run_py(
        """
        import sys
        from oagen.cli import main
        code = main(["generate", "archal.yaml", "-o", "out", "--force"])
        print("RESULT", code, "oagen.pipeline" in sys.modules)
        """,
        work,
    )
    assert probe.returncode == 0, probe.stderr
    # The pipeline did run (--force skips the manifest shortcut) but every byte was equal.
    assert [without_stats(line) for line in probe.stdout.splitlines()] == [
        f"out: up to date ({N_FILES} files)",
        "RESULT 0 True",
    ]
    assert touched(before, work / "out") == set()
    assert snapshot(work / "out") == old


# -- a spec made of several files --------------------------------------------------------

MAIN_SPEC = """\
openapi: 3.1.0
info: {title: Things, version: '1.0.0'}
servers: [{url: 'https://things.example.com'}]
paths:
  /things/{thingId}:
    get:
      tags: [things]
      operationId: getThing
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'common.yaml#/components/schemas/Thing'}
"""

COMMON_SPEC = """\
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        name: {type: string}
"""


def test_changed_referenced_file_makes_output_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.yaml").write_text(MAIN_SPEC, encoding="utf-8")
    (tmp_path / "common.yaml").write_text(COMMON_SPEC, encoding="utf-8")
    code, out, err = oagen(capsys, "generate", "main.yaml", "-o", "out")
    assert code == 0, err
    manifest = read_manifest(tmp_path / "out")
    assert manifest is not None
    assert set(manifest["inputs"]) == {"main.yaml", "common.yaml"}
    n = len(manifest["files"]) + 1
    assert oagen(capsys, "check", "main.yaml", "-o", "out")[:2] == (
        0,
        [f"out: up to date ({n} files)"],
    )

    (tmp_path / "common.yaml").write_text(
        COMMON_SPEC + "        weight: {type: integer, description: Grams.}\n", encoding="utf-8"
    )
    code, out, _ = oagen(capsys, "check", "main.yaml", "-o", "out")
    assert code == 1
    status = [line for line in out if re.fullmatch(r"\S+: (stale|missing|extra)", line)]
    assert "out/models/_thing.py: stale" in status
    assert all(line.endswith(": stale") and line.startswith("out/") for line in status)
    assert "+    weight: int | Unset = UNSET" in out
    assert out[-1] == "out: not current; run `oagen generate`"

    code, out, _ = oagen(capsys, "generate", "main.yaml", "-o", "out")
    assert code == 0
    assert re.fullmatch(rf"out: \d+ written, 0 removed \({n} files\)", out[0]), out
    assert "weight" in (tmp_path / "out" / "models" / "_thing.py").read_text(encoding="utf-8")
    assert oagen(capsys, "check", "main.yaml", "-o", "out")[:2] == (
        0,
        [f"out: up to date ({n} files)"],
    )
