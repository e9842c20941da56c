"""Output confinement and atomic failures: the output folder is only ever changed
completely, and never outside itself."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from oagen import format as formatting
from oagen import write as writing
from oagen.cli import main
from oagen.manifest import extra_files, read_inside
from oagen.pipeline import generate_files
from oagen.write import OutputError, write

REPO = Path(__file__).resolve().parents[2]
MINIMAL = REPO / "tests" / "cases" / "minimal" / "spec.yaml"
DEVICE_TAGS = """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      tags: [CON]
      responses: {'204': {description: ok}}
  /b:
    get:
      tags: [nul]
      responses: {'204': {description: ok}}
  /c:
    get:
      tags: [Com1]
      responses: {'204': {description: ok}}
"""


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _changed_spec(tmp_path: Path) -> Path:
    spec = tmp_path / "spec.yaml"
    text = MINIMAL.read_text(encoding="utf-8")
    spec.write_text(text.replace("A page of pets.", "A page of pets, changed."), "utf-8")
    return spec


def test_windows_device_names_never_become_files(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(DEVICE_TAGS, encoding="utf-8")
    files = generate_files(spec).files
    modules = {p for p in files if p.startswith("resources/")}
    assert modules == {
        "resources/__init__.py",
        "resources/con_.py",
        "resources/nul_.py",
        "resources/com1_.py",
    }


def test_a_formatter_failure_leaves_the_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["generate", str(MINIMAL), "-o", str(out)]) == 0
    before = _snapshot(out)

    def broken(self: formatting.Batches) -> dict[str, str]:
        raise formatting.FormatError("ruff format failed: simulated")

    monkeypatch.setattr(formatting.Batches, "results", broken)
    assert main(["generate", str(_changed_spec(tmp_path)), "-o", str(out)]) == 1
    assert "ruff format failed" in capsys.readouterr().err
    assert _snapshot(out) == before


def test_a_full_disk_while_writing_leaves_the_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write(out, generate_files(MINIMAL).files)
    before = _snapshot(out)
    files = generate_files(_changed_spec(tmp_path)).files
    real = writing._stage
    calls = {"n": 0}

    def full_disk(target: Path, data: bytes, mode: int) -> Path:
        calls["n"] += 1
        if calls["n"] == 2:  # the last file: every other change (the headers) waits for it
            raise OSError(28, "No space left on device")
        return real(target, data, mode)

    monkeypatch.setattr(writing, "_stage", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write(out, files)
    assert calls["n"] == 2
    assert _snapshot(out) == before  # no temporary file left behind either


def test_names_differing_only_in_case_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = {"a.py": "x = 1\n", "A.py": "x = 2\n", ".oagen-manifest.json": '{"files": {}}\n'}
    with pytest.raises(OutputError, match="only in case"):
        write(out, files)
    assert not out.exists() or _snapshot(out) == {}


def test_no_write_through_a_symlinked_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write(out, generate_files(MINIMAL).files)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    models = out / "models"
    for path in models.iterdir():
        path.unlink()
    models.rmdir()
    os.symlink(elsewhere, models)
    with pytest.raises(OutputError, match="leads outside"):
        write(out, generate_files(_changed_spec(tmp_path)).files)
    assert list(elsewhere.iterdir()) == []


def test_reads_sharing_the_folders_checked_still_refuse_a_symlinked_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "models").mkdir(parents=True)
    (out / "models" / "a.py").write_bytes(b"a")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.py").write_bytes(b"b")
    (out / "evil").symlink_to(elsewhere, target_is_directory=True)
    folders: set[str] = set()
    assert read_inside(out, "models/a.py", folders) == b"a"
    assert read_inside(out, "evil/b.py", folders) is None
    assert read_inside(out, "models/../evil/b.py", folders) is None
    assert read_inside(out, "models/a.py", folders) == b"a"
    assert folders == {str(out / "models")}


@pytest.mark.parametrize("path", ["../evil.py", "/etc/evil.py", "a/../../evil.py"])
def test_paths_never_leave_the_output(tmp_path: Path, path: str) -> None:
    with pytest.raises(OutputError, match="outside"):
        write(tmp_path / "out", {path: "x = 1\n", ".oagen-manifest.json": "{}\n"})
    assert not (tmp_path / "evil.py").exists()


def test_a_new_folder_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    """A package written into a folder that does not exist yet is written beside it and
    renamed into place: a failure halfway leaves neither the folder nor a temporary."""
    out = tmp_path / "new" / "out"
    files = {"a": "x = 1\n", "a/b.py": "y = 2\n", ".oagen-manifest.json": '{"files": {}}\n'}
    with pytest.raises(OSError):
        write(out, files)  # `a` is a file, so `a/b.py` cannot be written
    assert not out.exists()
    assert list((tmp_path / "new").iterdir()) == []


def test_a_new_folder_gets_the_usual_modes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    previous = os.umask(0o022)
    try:
        result = write(out, generate_files(MINIMAL).files)
    finally:
        os.umask(previous)
    assert result.written[-1] == ".oagen-manifest.json" and not result.removed
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "models").stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "__init__.py").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary left


def test_ruff_scratch_goes_to_memory_only_with_room(monkeypatch: pytest.MonkeyPatch) -> None:
    """ruff's copies go to /dev/shm when it has room for four times the package and
    64 MiB to spare, never when TMPDIR names a place."""

    class Stats:
        f_frsize = 4096
        f_bavail = 0

    monkeypatch.delenv("TMPDIR", raising=False)
    monkeypatch.setattr(formatting.os.path, "isdir", lambda path: True)
    monkeypatch.setattr(formatting.os, "access", lambda path, mode: True)
    monkeypatch.setattr(formatting.os, "statvfs", lambda path: Stats)
    size = 10 * 1024 * 1024
    Stats.f_bavail = (4 * size + 64 * 1024 * 1024) // 4096 + 1
    assert formatting._scratch(size) == "/dev/shm"
    Stats.f_bavail -= 2
    assert formatting._scratch(size) is None  # a small /dev/shm (containers: 64 MiB)
    Stats.f_bavail += 2
    monkeypatch.setenv("TMPDIR", "/somewhere")
    assert formatting._scratch(size) is None


def _plant_manifest_entry(out: Path, rel: str) -> None:
    import json

    manifest = json.loads((out / ".oagen-manifest.json").read_text(encoding="utf-8"))
    manifest["files"][rel] = "0" * 64
    (out / ".oagen-manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("generate_args", [[], ["--force"]])
def test_removal_never_follows_a_symlinked_folder(tmp_path: Path, generate_args: list[str]) -> None:
    """A pull request commits `out/evil -> ../victim` and lists `evil/authorized_keys`
    in the manifest: the next generation of the unchanged spec deletes nothing there."""
    out, victim = tmp_path / "out", tmp_path / "victim"
    victim.mkdir()
    (victim / "authorized_keys").write_text("ssh-ed25519 AAAA\n", encoding="utf-8")
    assert main(["generate", str(MINIMAL), "-o", str(out)]) == 0
    (out / "evil").symlink_to(victim, target_is_directory=True)
    _plant_manifest_entry(out, "evil/authorized_keys")
    assert main(["generate", str(MINIMAL), "-o", str(out), *generate_args]) == 0
    assert (victim / "authorized_keys").read_text(encoding="utf-8") == "ssh-ed25519 AAAA\n"


def test_removal_never_leaves_the_folder_through_dotdot(tmp_path: Path) -> None:
    out, victim = tmp_path / "out", tmp_path / "victim.txt"
    victim.write_text("keep\n", encoding="utf-8")
    assert main(["generate", str(MINIMAL), "-o", str(out)]) == 0
    _plant_manifest_entry(out, "../victim.txt")
    assert main(["generate", str(MINIMAL), "-o", str(out)]) == 0
    assert victim.read_text(encoding="utf-8") == "keep\n"


def test_a_symlinked_generated_file_is_replaced_not_followed(tmp_path: Path) -> None:
    """A generated file replaced by a symlink to a file with the same bytes elsewhere
    is not "current": check fails and generate puts a regular file back."""
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere.py"
    assert main(["generate", str(MINIMAL), "-o", str(out)]) == 0
    target = out / "errors.py"
    elsewhere.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(elsewhere)
    assert main(["check", str(MINIMAL), "-o", str(out)]) == 1
    assert main(["generate", str(MINIMAL), "-o", str(out)]) == 0
    assert not target.is_symlink() and target.read_bytes() == elsewhere.read_bytes()


def test_extra_files_lists_what_the_manifest_does_not_know(tmp_path: Path) -> None:
    """Files below the folder that are not known, as manifest paths in path order:
    `__pycache__` passed over, a symlink to a file counted, a symlinked folder (which
    may lead anywhere) not walked, a link that cannot be followed not a file."""
    out = tmp_path / "out"
    for rel in ("a.py", "a/b.py", "a-b.py", "a/__pycache__/b.cpython-311.pyc", "z/y/x.txt"):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text("x = 1\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("x = 1\n", encoding="utf-8")
    (out / "linked").symlink_to(outside, target_is_directory=True)
    (out / "z" / "to_file.py").symlink_to(outside / "secret.py")
    (out / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    for name in ("loop.py", "z/y/loop.py"):  # ELOOP: passed over, the folder's rest read
        (out / name).symlink_to(out / name)
    assert extra_files(out, {"a.py"}) == ["a/b.py", "a-b.py", "z/to_file.py", "z/y/x.txt"]
    assert extra_files(out, {"a.py", "a/b.py", "a-b.py", "z/to_file.py", "z/y/x.txt"}) == []
    assert extra_files(tmp_path / "missing", set()) == []
    assert extra_files(out / "a.py", set()) == []  # not a folder


def test_a_manifest_that_is_a_fifo_or_a_symlink_is_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A committed `.oagen-manifest.json` that is a FIFO (which blocked every read), a
    symlink to a device (read without end) or to a manifest outside the folder is
    read as no manifest: `check` fails, and `generate` refuses the folder as one it
    did not make, as for a missing manifest (nothing read or written outside)."""
    out, outside = tmp_path / "out", tmp_path / "outside"
    outside.mkdir()
    assert main(["generate", str(MINIMAL), "-o", str(out)]) == 0
    manifest = out / ".oagen-manifest.json"
    (outside / "manifest.json").write_bytes(manifest.read_bytes())
    os.mkfifo(outside / "fifo")
    before = _snapshot(outside)
    for planted in (outside / "fifo", Path("/dev/zero"), outside / "manifest.json", None):
        manifest.unlink()
        if planted is None:
            os.mkfifo(manifest)
        else:
            manifest.symlink_to(planted)
        assert main(["check", str(MINIMAL), "-o", str(out)]) == 1
        assert main(["generate", str(MINIMAL), "-o", str(out)]) == 1
        assert "not generated by oagen" in capsys.readouterr().err
    assert _snapshot(outside) == before


def test_no_folder_is_made_through_a_symlinked_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`out/sub` planted as a symlink to an empty folder elsewhere, where the
    generation needs a folder inside it: refused before anything is made there (not
    made, refused, then removed again)."""
    made: list[Path] = []
    mkdir = Path.mkdir

    def recorded(self: Path, *args: object, **kwargs: object) -> None:
        made.append(self.resolve())
        mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    files = generate_files(MINIMAL).files
    write(out, files)
    (out / "sub").symlink_to(elsewhere, target_is_directory=True)
    # (the first file written: one in a folder to make inside the symlinked one)
    nested = {".oagen-manifest.json": files[".oagen-manifest.json"], "sub/deeper/x.py": "x\n"}
    monkeypatch.setattr(Path, "mkdir", recorded)
    with pytest.raises(OutputError, match="leads outside"):
        write(out, nested)
    assert list(elsewhere.iterdir()) == []
    assert [p for p in made if not p.is_relative_to(out.resolve())] == []
