"""`oagen check` (stale, missing, extra, capped diffs) and the output folder's safety."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from oagen.manifest import MANIFEST, read_manifest

from tests.cli.support import (
    ARCHAL_FILES,
    N_FILES,
    TRACEBACK,
    class_members,
    edit,
    files_of,
    oagen,
    snapshot,
    stats,
    status_lines,
)


def test_check_current(generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = stats(generated)
    assert oagen(capsys, "check", "archal.yaml", "-o", "out") == (
        0,
        [f"out: up to date ({N_FILES} files)"],
        "",
    )
    # Also when the manifest shortcut cannot be taken (--force): the full comparison.
    assert oagen(capsys, "check", "archal.yaml", "-o", "out", "--force") == (
        0,
        [f"out: up to date ({N_FILES} files)"],
        "",
    )
    assert stats(generated) == before


def test_check_edited_file_is_stale_with_a_diff(
    generated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = generated / "resources" / "sessions.py"
    original = target.read_text(encoding="utf-8")
    line = next(ln for ln in original.splitlines() if "def get_session(" in ln)
    edit(target, line + "\n", line.replace("get_session", "fetch_session") + "\n")
    snapshot_before = snapshot(generated)

    code, out, err = oagen(capsys, "check", "archal.yaml", "-o", "out")
    assert (code, err) == (1, "")
    assert status_lines(out) == ["out/resources/sessions.py: stale"]
    assert out[0] == "out/resources/sessions.py: stale"
    assert "--- resources/sessions.py (on disk)" in out
    assert "+++ resources/sessions.py (generated)" in out
    assert any(ln.startswith("@@ ") for ln in out)
    assert "-" + line.replace("get_session", "fetch_session") in out
    assert "+" + line in out
    assert out[-1] == "out: not current; run `oagen generate`"
    assert snapshot(generated) == snapshot_before  # check writes nothing


def test_check_missing_and_extra(generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (generated / "models" / "_session_summary.py").unlink()
    code, out, _ = oagen(capsys, "check", "archal.yaml", "-o", "out")
    assert code == 1
    assert status_lines(out) == ["out/models/_session_summary.py: missing"]
    assert out[-1] == "out: not current; run `oagen generate`"

    assert oagen(capsys, "generate", "archal.yaml", "-o", "out")[:2] == (
        0,
        [f"out: 1 written, 0 removed ({N_FILES} files)"],
    )
    (generated / "resources" / "notes.py").write_text("x = 1\n", encoding="utf-8")
    code, out, _ = oagen(capsys, "check", "archal.yaml", "-o", "out")
    assert code == 1
    assert status_lines(out) == ["out/resources/notes.py: extra"]
    assert out[-1] == "out: not current; delete the extra files"


def test_generate_and_check_agree_on_a_file_oagen_did_not_write(
    generated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file of the user's own inside the package: `check` fails naming it and saying
    what to do; `generate` (even `--force`) leaves it and says the same, so CI cannot
    fail forever with advice that does not help."""
    (generated / "resources" / "notes.py").write_text("x = 1\n", encoding="utf-8")
    advice = "not written by oagen; delete it (oagen never removes files it did not write)"
    code, out, _ = oagen(capsys, "check", "archal.yaml", "-o", "out")
    assert code == 1 and f"out/resources/notes.py: extra: {advice}" in out
    for force in ([], ["--force"]):
        code, out, err = oagen(capsys, "generate", "archal.yaml", "-o", "out", *force)
        assert code == 0 and (generated / "resources" / "notes.py").exists()
        assert err.splitlines() == [f"out/resources/notes.py: warning: {advice}"]
    (generated / "resources" / "notes.py").unlink()
    assert oagen(capsys, "check", "archal.yaml", "-o", "out")[0] == 0


def test_check_diff_output_is_capped(generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A huge edit: every line of every Python file changed.
    python_files = sorted(rel for rel in files_of(generated) if rel.endswith(".py"))
    for rel in python_files:
        path = generated / rel
        text = path.read_text(encoding="utf-8")
        path.write_text("".join(f"{ln}  # edited\n" for ln in text.splitlines()), "utf-8")
    total_changed = sum(
        len((generated / rel).read_text(encoding="utf-8").splitlines()) for rel in python_files
    )
    assert total_changed > 2000

    code, out, _ = oagen(capsys, "check", "archal.yaml", "-o", "out")
    assert code == 1
    assert status_lines(out) == [f"out/{rel}: stale" for rel in python_files]
    assert out[-1] == "out: not current; run `oagen generate`"
    diff_lines = [
        ln
        for ln in out[len(python_files) : -1]
        if not re.fullmatch(r"\.\.\. diff of \S+ not shown", ln)
    ]
    assert 0 < len(diff_lines) <= 200
    assert len(out) <= len(python_files) + 200 + len(python_files) + 1
    assert any("not shown" in ln or "more diff lines" in ln for ln in out)


def test_check_diff_of_one_huge_file_is_capped(
    generated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = generated / "models" / "_session_summary.py"
    text = path.read_text(encoding="utf-8")
    edited = "".join(f"# {ln}\n" for ln in text.splitlines()) * 4
    path.write_text(edited, "utf-8")
    code, out, _ = oagen(capsys, "check", "archal.yaml", "-o", "out")
    assert code == 1
    assert status_lines(out) == ["out/models/_session_summary.py: stale"]
    assert len(edited.splitlines()) > 500
    assert len(out) <= 1 + 200 + 1
    assert any("more diff lines" in ln for ln in out)


# -- safety ------------------------------------------------------------------------------


def test_generate_refuses_a_foreign_folder(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    foreign = work / "out"
    (foreign / "sub").mkdir(parents=True)
    (foreign / "keep.txt").write_text("mine\n", encoding="utf-8")
    (foreign / "sub" / "models.py").write_text("# my own\n", encoding="utf-8")
    before = snapshot(foreign)
    stamps = stats(foreign)

    code, out, err = oagen(capsys, "generate", "archal.yaml", "-o", "out")
    assert code == 1
    assert out == []
    assert err.startswith("oagen: error: ")
    assert "not empty" in err and MANIFEST in err
    assert TRACEBACK not in err
    assert snapshot(foreign) == before
    assert stats(foreign) == stamps
    assert {p.relative_to(foreign).as_posix() for p in foreign.rglob("*")} == {
        "keep.txt",
        "sub",
        "sub/models.py",
    }


def test_removed_operation_removes_its_module_and_nothing_else(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert oagen(capsys, "generate", "archal.yaml", "-o", "out")[0] == 0
    sibling = work / "sibling"
    sibling.mkdir()
    (sibling / "keep.py").write_text("KEEP = 1\n", encoding="utf-8")
    (work / "out" / "NOTES.md").write_text("user notes\n", encoding="utf-8")

    spec = work / "archal.yaml"
    text = spec.read_text(encoding="utf-8")
    start = text.index("  /runtime/{sessionId}/{cloneId}/api/{path}:\n")
    end = text.index("components:\n")
    spec.write_text(text[:start] + text[end:], encoding="utf-8")

    code, out, err = oagen(capsys, "generate", "archal.yaml", "-o", "out")
    assert code == 0, err
    assert re.fullmatch(rf"out: \d+ written, 1 removed \({N_FILES - 1} files\)", out[0]), out
    assert len(out) == 1
    assert not (work / "out" / "resources" / "runtime.py").exists()
    assert files_of(work / "out") == (ARCHAL_FILES - {"resources/runtime.py"}) | {"NOTES.md"}
    manifest = read_manifest(work / "out")
    assert manifest is not None and "resources/runtime.py" not in manifest["files"]
    assert "runtime" not in class_members(work / "out" / "_client.py", "Client")
    # Nothing outside the manifest's files was deleted.
    assert (sibling / "keep.py").read_text(encoding="utf-8") == "KEEP = 1\n"
    assert (work / "out" / "NOTES.md").read_text(encoding="utf-8") == "user notes\n"
    assert files_of(sibling) == {"keep.py"}
