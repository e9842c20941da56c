"""Stage 6 on its own: each formatter's output, and invalid generated code refused
(never written) whichever formatter is chosen."""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from oagen.format import Batches, FormatError, format_sources

UGLY = "x = {'a':1,\n  'b':2}\n"


def test_ruff_and_black_give_the_same_bytes() -> None:
    ruff = format_sources({"m.py": UGLY}, "ruff")
    black = format_sources({"m.py": UGLY}, "black")
    assert ruff == black == {"m.py": 'x = {"a": 1, "b": 2}\n'}


def test_none_leaves_the_text_as_rendered() -> None:
    sources = {"pkg/m.py": UGLY, "README.md": "# t\n", "pkg/py.typed": ""}
    assert format_sources(sources, "none") == sources


def test_non_python_files_pass_through_every_formatter() -> None:
    sources = {"README.md": "*  a\n", "pkg/m.py": "y=2\n"}
    assert format_sources(sources, "ruff") == {"README.md": "*  a\n", "pkg/m.py": "y = 2\n"}


@pytest.mark.parametrize("formatter", ["ruff", "black", "none"])
def test_invalid_generated_code_is_refused_naming_the_file(formatter: str) -> None:
    sources = {"pkg/good.py": "x = 1\n", "pkg/bad.py": "def f(:\n    pass\n"}
    with pytest.raises(FormatError) as caught:
        format_sources(sources, formatter)  # type: ignore[arg-type]
    if formatter != "black":  # black's message names no file (it formats one text)
        assert "bad.py" in str(caught.value)
    assert "good.py" not in str(caught.value)


@pytest.mark.parametrize("formatter", ["ruff", "black", "none"])
def test_batches_give_every_file_of_every_batch(
    formatter: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # where the scratch folders go
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with Batches(formatter) as batches:  # type: ignore[arg-type]
        batches.submit({"a/m.py": UGLY, "README.md": "# t\n"})
        batches.submit({})
        batches.submit({"a/m2.py": "y=2\n", "b/m.py": "z=3\n"})
        seen = [p.name for p in tmp_path.iterdir()]
        out = batches.results()
    if formatter == "none":
        assert out == {"a/m.py": UGLY, "README.md": "# t\n", "a/m2.py": "y=2\n", "b/m.py": "z=3\n"}
    else:
        assert out == {
            "a/m.py": 'x = {"a": 1, "b": 2}\n',
            "README.md": "# t\n",
            "a/m2.py": "y = 2\n",
            "b/m.py": "z = 3\n",
        }
    assert len(seen) == (0 if formatter == "black" else 1)  # one scratch folder...
    assert list(tmp_path.iterdir()) == []  # ...gone once they are done


def test_a_batch_refused_by_ruff_fails_the_results() -> None:
    """The error names the file by its path in the package, whichever batch it was in."""
    with Batches("ruff") as batches:
        batches.submit({"pkg/good.py": "x = 1\n"})
        batches.submit({"pkg/bad.py": "def f(:\n"})
        with pytest.raises(FormatError, match=r"(?<![\w/])pkg/bad\.py"):
            batches.results()


def test_a_path_submitted_again_is_formatted_apart() -> None:
    """Batches share one scratch tree (so that ruff names files by their own paths);
    a path submitted a second time goes to a tree of its own, and each submission
    comes back formatted (the last one wins in the results)."""
    with Batches("ruff") as batches:
        batches.submit({"a.py": "x=1\n", "b.py": "y=1\n"})
        batches.submit({"a.py": "x=2\n"}, last=True)
        assert batches.results() == {"a.py": "x = 2\n", "b.py": "y = 1\n"}


@pytest.mark.parametrize(
    ("cores", "given", "expected"),
    [(2, None, ["1", "2"]), (8, None, ["7", "8"]), (1, None, ["1", "1"]), (2, "4", ["4", "4"])],
)
def test_ruff_leaves_a_core_to_the_caller_until_the_last_batch(
    cores: int, given: str | None, expected: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the caller prepares the next batch, ruff runs on one core less (its
    `RAYON_NUM_THREADS`); once the last batch is in, which the caller waits for, on
    every core. A RAYON_NUM_THREADS the user set wins."""
    runs = _recorded_runs(monkeypatch, cores, given)
    with Batches("ruff") as batches:
        batches.submit({"a.py": "x=1\n"})
        _wait_for(lambda: len(runs) == 1)  # the first run has started
        batches.submit({"b.py": "y=2\n"}, last=True)
        assert batches.results() == {"a.py": "x = 1\n", "b.py": "y = 2\n"}
    assert [threads for threads, _ in runs] == expected


def test_batches_waiting_for_ruff_go_in_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches submitted while ruff runs wait, and the next run takes all of them (on
    every core once the last is in): a ruff that falls behind catches up in one run,
    not one run after the other on one core."""
    release = threading.Event()
    runs = _recorded_runs(monkeypatch, 2, None, hold=release)
    with Batches("ruff") as batches:
        batches.submit({"a.py": "x=1\n"})
        _wait_for(lambda: len(runs) == 1)  # ruff is busy with `a.py`...
        batches.submit({"b.py": "y=2\n"})
        batches.submit({"c.py": "z=3\n"}, last=True)  # ...while these two come in
        release.set()
        assert batches.results() == {"a.py": "x = 1\n", "b.py": "y = 2\n", "c.py": "z = 3\n"}
    assert runs == [("1", ["a.py"]), ("2", ["b.py", "c.py"])]


def _recorded_runs(
    monkeypatch: pytest.MonkeyPatch,
    cores: int,
    given: str | None,
    hold: threading.Event | None = None,
) -> list[tuple[str, list[str]]]:
    """Each ruff run, as it starts: its RAYON_NUM_THREADS and the files it formats
    (their names); the first run waits for `hold`, when given."""
    import subprocess

    runs: list[tuple[str, list[str]]] = []
    run = subprocess.run

    def recording(command: list[str], **kwargs: object) -> object:
        env = kwargs["env"]
        assert isinstance(env, dict)
        files = [Path(arg).name for arg in command[command.index("--") + 1 :]]
        runs.append((env["RAYON_NUM_THREADS"], files))
        if hold is not None and len(runs) == 1:
            assert hold.wait(timeout=30)
        return run(command, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("os.cpu_count", lambda: cores)
    monkeypatch.setattr("oagen.format.subprocess.run", recording)
    if given is None:
        monkeypatch.delenv("RAYON_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("RAYON_NUM_THREADS", given)
    return runs


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)
