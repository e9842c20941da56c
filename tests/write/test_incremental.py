"""Regeneration formats only what changed: unchanged renderings reuse the formatted
files of the previous run, when those are on disk exactly as recorded."""

from __future__ import annotations

import shutil
from pathlib import Path

import oagen.write as write_module
import pytest
from oagen.format import Batches, Formatter
from oagen.pipeline import generate_files
from oagen.write import write

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def formatted(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """Records, per run, the Python files handed to the formatter."""
    calls: list[set[str]] = []
    real_init, real_submit = Batches.__init__, Batches.submit

    def init(self: Batches, formatter: Formatter) -> None:
        calls.append(set())  # a run: one `Batches`, any number of batches
        real_init(self, formatter)

    def submit(self: Batches, sources: dict[str, str], *, last: bool = False) -> None:
        calls[-1].update(p for p in sources if p.endswith(".py"))
        real_submit(self, sources, last=last)

    monkeypatch.setattr(Batches, "__init__", init)
    monkeypatch.setattr(Batches, "submit", submit)
    return calls


def test_only_changed_renderings_are_formatted(tmp_path: Path, formatted: list[set[str]]) -> None:
    spec = tmp_path / "archal.yaml"
    shutil.copy(REPO / "specs" / "archal.yaml", spec)
    out = tmp_path / "out"
    first = generate_files(spec, previous=out).files
    write(out, first)
    assert len(formatted[0]) == 38

    text = spec.read_text(encoding="utf-8")
    spec.write_text(
        text.replace("summary: Get hosted clone session status", "summary: Fetch a session"),
        encoding="utf-8",
    )
    second = generate_files(spec, previous=out).files
    assert formatted[1] == {"resources/sessions.py"}
    # ...and the result is what a run from scratch gives
    assert second == generate_files(spec).files
    changed = {p for p in second if second[p] != first[p]}
    assert changed == {"resources/sessions.py", "README.md", ".oagen-manifest.json"}


def test_a_changed_file_is_formatted_while_the_rest_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a regeneration, a batch goes to an idle formatter as soon as a file is taken
    from the previous output (the batch may not fill before the last file)."""
    spec = tmp_path / "archal.yaml"
    shutil.copy(REPO / "specs" / "archal.yaml", spec)
    out = tmp_path / "out"
    write(out, generate_files(spec).files)
    text = spec.read_text(encoding="utf-8")
    spec.write_text(
        text.replace(
            "        error:\n          type: string", "        error:\n          type: integer"
        ),
        encoding="utf-8",
    )
    batches: list[tuple[set[str], bool]] = []
    real = Batches.submit

    def submit(self: Batches, sources: dict[str, str], *, last: bool = False) -> None:
        batches.append(({p for p in sources if p.endswith(".py")}, last))
        real(self, sources, last=last)

    monkeypatch.setattr(Batches, "submit", submit)
    result = generate_files(spec, previous=out)
    assert batches[0] == ({"models/_error_response.py"}, False)
    assert "int" in result.files["models/_error_response.py"]
    assert result.files == generate_files(spec).files


def test_a_file_edited_on_disk_is_formatted_again(
    tmp_path: Path, formatted: list[set[str]]
) -> None:
    out = tmp_path / "out"
    spec = REPO / "specs" / "archal.yaml"
    write(out, generate_files(spec).files)
    edited = out / "models" / "_error_response.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "# hand edit\n", encoding="utf-8")
    files = generate_files(spec, previous=out).files
    assert formatted[-1] == {"models/_error_response.py"}
    assert "# hand edit" not in files["models/_error_response.py"]
    assert files == generate_files(spec).files


def test_unformatted_output_is_never_reused(tmp_path: Path, formatted: list[set[str]]) -> None:
    out = tmp_path / "out"
    spec = REPO / "specs" / "archal.yaml"
    write(out, generate_files(spec, formatter="none").files)
    files = generate_files(spec, previous=out).files
    assert len(formatted[-1]) == 38
    assert files == generate_files(spec).files


def test_files_taken_from_the_previous_output_are_not_read_again_when_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "archal.yaml"
    shutil.copy(REPO / "specs" / "archal.yaml", spec)
    out = tmp_path / "out"
    write(out, generate_files(spec).files)
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("Get hosted clone session status", "Fetch"), encoding="utf-8")
    result = generate_files(spec, previous=out)
    assert "models/_error_response.py" in result.unchanged
    assert "resources/sessions.py" not in result.unchanged
    assert ".oagen-manifest.json" not in result.unchanged

    read: list[str] = []
    real = write_module.read_inside

    def spy(folder: Path, rel: str, folders: set[str] | None = None) -> bytes | None:
        read.append(rel)
        return real(folder, rel, folders)

    monkeypatch.setattr(write_module, "read_inside", spy)
    outcome = write(out, result.files, result.unchanged)
    assert set(outcome.written) == {"resources/sessions.py", "README.md", ".oagen-manifest.json"}
    assert not set(read) & result.unchanged
    assert {p: (out / p).read_text(encoding="utf-8") for p in result.files} == result.files
