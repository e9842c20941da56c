"""Stage 6, format: black-style output from `ruff format` (default) or black.

ruff runs from the pinned `ruff` package's own binary (never one on PATH), over all
files of a package in one process. black runs in-process with the pinned version.
Both are configured the same way (line length 88, target py310), and a test
asserts that they produce identical bytes for the Archal client.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Literal

from .diagnostics import GenerationError

__all__ = ["Batches", "FormatError", "Formatter", "format_sources"]

Formatter = Literal["ruff", "black", "none"]
LINE_LENGTH = 88


class FormatError(GenerationError):
    """The formatter rejected generated code (a bug in oagen, reported as such)."""


def format_sources(sources: Mapping[str, str], formatter: Formatter) -> dict[str, str]:
    """Format every `.py` file of `sources` (path -> text); others pass through."""
    with Batches(formatter) as batches:
        batches.submit(sources, last=True)
        return batches.results()


class Batches:
    """Files formatted batch by batch while the caller prepares the next one.

    `submit` writes a batch's files to a scratch folder, in the caller's thread, and
    `results` reads them back. A thread that does nothing else runs ruff over them,
    one process at a time, each over every batch waiting by then: when ruff falls
    behind, the batches it missed go in one run. (A thread that wrote and read the
    files itself would wait for the interpreter lock, held by the caller's planning,
    at every file.) black runs in-process in `results`.
    """

    def __init__(self, formatter: Formatter) -> None:
        self._formatter = formatter
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._runs: list[Future[None]] = []
        self._written: list[tuple[Path, dict[str, str]]] = []  # each batch's folder
        self._root: Path | None = None  # the tree batches are written to
        self._taken: set[str] = set()  # the paths written to it
        self._waiting: list[tuple[Path, str]] = []  # files (tree, path) not yet run
        self._lock = threading.Lock()
        self._last = False  # whether the caller has submitted its last batch
        self._done: dict[str, str] = {}  # in the order submitted
        self._black: dict[str, str] = {}

    def __enter__(self) -> Batches:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._scratch is not None:
            self._scratch.cleanup()

    def submit(self, sources: Mapping[str, str], *, last: bool = False) -> None:
        """Start formatting the `.py` files of `sources` (the others pass through).

        ruff leaves one core to the caller, who goes on preparing the next batch,
        until the `last` batch is submitted (the caller then waits for ruff): on two
        cores, a ruff using both took a third of the caller's time while it ran."""
        python = {path: text for path, text in sources.items() if path.endswith(".py")}
        self._done.update((path, text) for path, text in sources.items() if path not in python)
        if self._formatter == "black":
            self._black.update(python)
            return
        if python:
            if self._scratch is None:
                size = 4 * sum(len(text) for text in python.values())  # a few batches' worth
                self._scratch = tempfile.TemporaryDirectory(prefix="oagen-fmt-", dir=_scratch(size))
            if self._root is None or not self._taken.isdisjoint(python):
                # one tree for all batches (ruff names each file by its own path); a
                # path submitted again goes to a tree of its own
                self._root = Path(self._scratch.name) / str(len(self._written))
                self._taken = set()
            root = self._root
            self._taken.update(python)
            # (os.path and open: a third of pathlib's cost over a package's files)
            for folder in {os.path.dirname(path) for path in python}:
                os.makedirs(os.path.join(root, folder), exist_ok=True)
            for path, text in python.items():
                with open(os.path.join(root, path), "wb") as handle:
                    handle.write(text.encode("utf-8"))
            self._written.append((root, python))
            with self._lock:
                self._waiting.extend((root, path) for path in sorted(python))
        with self._lock:
            self._last = self._last or last
        if python or last:
            self._runs.append(self._pool.submit(self._run))

    def idle(self) -> bool:
        """Whether the formatter has finished every batch submitted so far."""
        return all(run.done() for run in self._runs)

    def _run(self) -> None:
        """ruff over every file waiting, on one core less than there are while the
        caller still plans (decided as the run starts)."""
        with self._lock:
            waiting, self._waiting = self._waiting, []
            last = self._last
        trees: dict[Path, list[str]] = {}
        for root, path in waiting:
            trees.setdefault(root, []).append(path)
        cores = os.cpu_count() or 1
        action = FORMAT if self._formatter == "ruff" else PARSE
        for root, paths in trees.items():
            _ruff(root, paths, action, cores if last else max(cores - 1, 1))

    def results(self) -> dict[str, str]:
        """Every file submitted, formatted (waits for the formatter)."""
        out = dict(self._done)
        for run in self._runs:
            run.result()  # raises FormatError
        for root, python in self._written:
            if self._formatter == "ruff":
                out.update((path, _read(os.path.join(root, path))) for path in python)
            else:  # unformatted, but parsed all the same (ruff and black reject invalid code)
                out.update(python)
        out.update((path, _black(text)) for path, text in self._black.items())
        return out


def _read(path: str) -> str:
    with open(path, "rb") as handle:
        return handle.read().decode("utf-8")


def _black(text: str) -> str:
    import black
    from black.mode import TargetVersion

    mode = black.Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH)
    try:
        return black.format_str(text, mode=mode)
    except Exception as exc:  # black raises several types for invalid input
        raise FormatError(f"black failed: {exc}") from exc


# `ruff format` rewrites the files; `ruff check` of syntax errors only (reported
# whatever is selected; E9 selects nothing else) parses them, many times faster
# than `compile` in this process.
FORMAT = ("format",)
PARSE = ("check", "--select=E9", "--output-format=concise")


def _ruff(root: Path, paths: list[str], action: tuple[str, ...], threads: int) -> None:
    """One ruff run (`action`) over the files `paths` below `root`, in place, on at
    most `threads` threads (unless RAYON_NUM_THREADS, ruff's own setting, says)."""
    from ruff.__main__ import find_ruff_bin

    command = [
        os.fsdecode(find_ruff_bin()),
        *action,
        "--isolated",
        "--no-cache",
        f"--line-length={LINE_LENGTH}",
        "--target-version=py310",
        "--",
        *paths,  # explicit paths: formatted whatever their names
    ]
    env = {"RAYON_NUM_THREADS": str(threads), **os.environ}
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        found = (result.stdout.strip() + "\n" + result.stderr.strip()).strip()
        raise FormatError(f"ruff {action[0]} rejected the generated code: {found}")


def _scratch(size: int) -> str | None:
    """Where ruff's copies go: memory (`/dev/shm`) when it has room to spare, which
    halves the time of a big package on a disk-backed /tmp; else the usual temporary
    folder (always when TMPDIR is set)."""
    shm = "/dev/shm"
    if os.environ.get("TMPDIR") or not os.path.isdir(shm) or not os.access(shm, os.W_OK):
        return None
    try:
        stats = os.statvfs(shm)
    except OSError:
        return None
    return shm if stats.f_bavail * stats.f_frsize > 4 * size + 64 * 1024 * 1024 else None
