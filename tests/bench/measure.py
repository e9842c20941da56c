"""Running child processes with a timeout, their wall time and peak memory; statistics."""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

__all__ = ["BenchError", "Child", "Stats", "run_child"]


class BenchError(Exception):
    """A measurement could not be taken (the message says why)."""


@dataclass(frozen=True, slots=True)
class Child:
    """One finished child process."""

    seconds: float
    max_rss_mib: float  # the largest resident set of the child or any descendant it waited for
    returncode: int
    timed_out: bool
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def failure(self) -> str:
        """A one-line reason for a failed run."""
        if self.timed_out:
            return f"timed out after {self.seconds:.0f} s"
        last = next((line for line in reversed(self.stderr.splitlines()) if line.strip()), "")
        return f"exit {self.returncode}: {last.strip()[:160]}"


def run_child(
    command: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path,
    timeout: float,
    env: Mapping[str, str] | None = None,
) -> Child:
    """Run `command`, timing it from spawn to exit; kill its process group after `timeout`.

    Peak memory comes from `wait4`, which reports the maximum RSS of the child and of
    the descendants it waited for (ruff subprocesses included), without a wrapper.
    Output goes to temporary files, never pipes, so chatty children cannot block.

    The file systems are synced first (untimed): what the previous runs wrote and
    deleted (a generated package is thousands of files) is then on disk, not still
    being written back while this run creates its own files (measured: creating
    GitHub's 1,369 files took 0.25-1 s right after such a clean-up, 0.06 s after a
    sync).
    """
    os.sync()
    killed = threading.Event()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        try:
            process = subprocess.Popen(
                [os.fspath(part) for part in command],
                cwd=cwd,
                env=None if env is None else dict(env),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,  # its own process group: a timeout kills ruff & co. too
            )
        except OSError as exc:
            raise BenchError(f"cannot run {os.fspath(command[0])}: {exc}") from exc

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
                os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        return Child(
            seconds=seconds,
            max_rss_mib=usage.ru_maxrss / 1024,  # KiB on Linux
            returncode=process.returncode,
            timed_out=killed.is_set(),
            stdout=_read(out),
            stderr=_read(err),
        )


def _read(file: IO[bytes]) -> str:
    file.seek(0)
    return file.read().decode("utf-8", errors="replace")


@dataclass(frozen=True, slots=True)
class Stats:
    """Median, min and max of repeated measurements (seconds, MiB, µs, ...)."""

    values: tuple[float, ...]

    @classmethod
    def of(cls, values: Iterable[float]) -> Stats:
        values = tuple(values)
        if not values:
            raise ValueError("no measurements")
        return cls(values)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def min(self) -> float:
        return min(self.values)

    @property
    def max(self) -> float:
        return max(self.values)

    def scaled(self, factor: float) -> Stats:
        return Stats(tuple(v * factor for v in self.values))
