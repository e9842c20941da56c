"""Running child processes with a timeout, their wall time and peak memory; statistics."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

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
    Output goes to files, never pipes, so chatty children cannot block.
    """
    out_path, err_path = cwd / ".bench-stdout", cwd / ".bench-stderr"
    killed = threading.Event()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [os.fspath(part) for part in command],
            cwd=cwd,
            env=None if env is None else dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,  # its own process group: a timeout kills ruff & co. too
        )

        def kill() -> None:
            killed.set()
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    child = Child(
        seconds=seconds,
        max_rss_mib=usage.ru_maxrss / 1024,  # KiB on Linux
        returncode=process.returncode,
        timed_out=killed.is_set(),
        stdout=out_path.read_text(encoding="utf-8", errors="replace"),
        stderr=err_path.read_text(encoding="utf-8", errors="replace"),
    )
    out_path.unlink()
    err_path.unlink()
    return child


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
