"""Generation split across forked processes (generator/parallel.py): the same bytes as
one process, every job done exactly once, failures of a child reported, never a hang."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import pipeline
from generator.diagnostics import GenerationError
from generator.parallel import available_workers, split_work
from generator.render import RenderError

ROOT = Path(__file__).resolve().parent.parent
SPECS = [ROOT / "specs" / "archal.yaml", *sorted((ROOT / "tests" / "cases").glob("*/spec.*"))]

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="forks only on Linux")


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small packages split between two processes too."""
    monkeypatch.setenv("OAGEN_WORKERS", "2")
    monkeypatch.setattr(pipeline, "MIN_FILES_PER_WORKER", 1)


@linux_only
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.parent.name)
def test_split_generation_gives_the_same_bytes(spec: Path, forked: None) -> None:
    assert available_workers() == 2
    split = pipeline.generate_files(spec, package_name="pkg_client")
    os.environ["OAGEN_WORKERS"] = "1"
    single = pipeline.generate_files(spec, package_name="pkg_client")
    assert list(split.files) == list(single.files)
    assert split.files == single.files
    assert split.diagnostics == single.diagnostics


@linux_only
@pytest.mark.parametrize("count", [0, 1, 7, 1024, 1025, 5000])
def test_every_job_is_taken_exactly_once(count: int) -> None:
    def work(taken: Iterator[int]) -> list[int]:
        return list(taken)

    parts = split_work(work, count, 3)
    assert len(parts) == 3
    assert sorted(n for part in parts for n in part) == list(range(count))


@linux_only
def test_a_child_failure_is_raised_in_the_parent() -> None:
    def work(taken: Iterator[int]) -> int:
        numbers = list(taken)
        if os.getpid() != parent:
            raise RenderError("template x.jinja: boom")
        return len(numbers)

    parent = os.getpid()
    with pytest.raises(RenderError, match="boom"):
        split_work(work, 10, 2)


@linux_only
def test_a_child_that_dies_is_reported() -> None:
    def work(taken: Iterator[int]) -> int:
        list(taken)
        if os.getpid() != parent:
            os._exit(3)  # killed without a word
        return 0

    parent = os.getpid()
    with pytest.raises(GenerationError, match="ended without a result"):
        split_work(work, 10, 2)


@linux_only
def test_a_parent_failure_stops_the_children() -> None:
    def work(taken: Iterator[int]) -> int:
        list(taken)
        if os.getpid() == parent:
            raise ValueError("parent failed")
        return 0

    parent = os.getpid()
    with pytest.raises(ValueError, match="parent failed"):
        split_work(work, 10, 2)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind


@linux_only
def test_a_failure_of_meanwhile_is_raised() -> None:
    def fail() -> None:
        raise OSError("spec file gone")

    with pytest.raises(OSError, match="spec file gone"):
        split_work(list, 10, 2, meanwhile=fail)


def test_meanwhile_runs_once_and_serial_work_takes_everything() -> None:
    ran: list[int] = []
    parts = split_work(list, 5, 1, meanwhile=lambda: ran.append(1))
    assert parts == [[0, 1, 2, 3, 4]] and ran == [1]


def test_no_fork_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OAGEN_WORKERS", "2")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert available_workers() == 1
    finally:
        stop.set()
        other.join()


def test_workers_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OAGEN_WORKERS", "1")
    assert available_workers() == 1
    monkeypatch.setenv("OAGEN_WORKERS", "3")
    assert available_workers() == (3 if sys.platform == "linux" else 1)
    monkeypatch.setenv("OAGEN_WORKERS", "nonsense")
    assert available_workers() >= 1


@linux_only
@pytest.mark.parametrize("formatter", ["black", "none"])
def test_split_generation_with_the_other_formatters(formatter: str, forked: None) -> None:
    spec = ROOT / "specs" / "archal.yaml"
    split = pipeline.generate_files(spec, formatter=formatter)  # type: ignore[arg-type]
    os.environ["OAGEN_WORKERS"] = "1"
    assert split.files == pipeline.generate_files(spec, formatter=formatter).files  # type: ignore[arg-type]


@linux_only
def test_split_regeneration_reuses_formatting(tmp_path: Path, forked: None) -> None:
    """Formatted files are taken from the previous output by whichever process renders
    them; the result is what a fresh generation gives."""
    from generator.write import write

    spec = ROOT / "specs" / "archal.yaml"
    out = tmp_path / "out"
    write(out, pipeline.generate_files(spec).files)
    again = pipeline.generate_files(spec, previous=out)
    os.environ["OAGEN_WORKERS"] = "1"
    assert again.files == pipeline.generate_files(spec).files
