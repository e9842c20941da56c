"""Work split between processes: the files of a big package are planned, rendered and
formatted by two forked processes at once (the IR is built once, before the fork,
and shared copy-on-write).

Output never depends on the split: every file is produced independently of the
others, whichever process takes it, and the parts are merged by path.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from .diagnostics import GenerationError

__all__ = ["available_workers", "detached", "split_work"]

T = TypeVar("T")


def available_workers() -> int:
    """Processes worth forking here: the CPUs this process may run on, where `fork` is
    safe and cheap (Linux, and no other thread running: a lock one holds would stay
    locked in the child); 1 elsewhere. `OAGEN_WORKERS` overrides the count."""
    if sys.platform != "linux" or threading.active_count() > 1:
        return 1
    configured = os.environ.get("OAGEN_WORKERS", "")
    if configured.isdigit() and int(configured) > 0:
        wanted = int(configured)
    else:
        wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return max(1, min(wanted, 8))


def split_work(
    work: Callable[[Iterator[int]], T],
    count: int,
    parts: int,
    meanwhile: Callable[[], None] | None = None,
) -> list[T]:
    """`work` run by `parts` processes (this one and forked children) over the job
    numbers `0..count-1`, which they take one batch at a time as they go, so a
    process never waits while the other has work left. Returns each process's
    result (this one's first; the children's come back pickled, exceptions too).

    `meanwhile` runs in a thread of this process while the parts run: it is started
    after the fork, so the children never inherit a running thread.
    """
    if parts <= 1:
        if meanwhile is not None:
            meanwhile()
        return [work(iter(range(count)))]
    jobs = _JobPipe(count)
    children: list[_Worker] = []
    try:
        for _ in range(1, parts):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: never returns into the caller's code
                os.close(read_end)
                _child(lambda: work(jobs()), write_end)
            os.close(write_end)
            children.append(_Worker(pid, read_end))
        for child in children:  # threads only now: no fork may copy one
            child.start()
        failures: list[BaseException] = []
        thread = None
        if meanwhile is not None:
            thread = threading.Thread(target=_catching, args=(meanwhile, failures), daemon=True)
            thread.start()
        results = [work(jobs())]
        if thread is not None:
            thread.join()
            if failures:
                raise failures[0]
        while children:  # each one collected (and reaped) is off the list
            results.append(children.pop(0).result())
        return results
    finally:
        for child in children:  # this process failed: stop the others
            child.stop()
        jobs.close()


class _Worker:
    """A forked child seen from the parent: a thread reads the child's pickled result
    as it comes (the child never waits for the parent to be done to send it)."""

    def __init__(self, pid: int, read_end: int) -> None:
        self.pid = pid
        self.read_end = read_end
        self.data = b""
        self.reader = threading.Thread(target=self._read, daemon=True)

    def start(self) -> None:
        self.reader.start()

    def _read(self) -> None:
        with os.fdopen(self.read_end, "rb") as pipe:
            self.data = pipe.read()

    def result(self) -> Any:
        self.reader.join()
        os.waitpid(self.pid, 0)
        if not self.data:
            raise GenerationError("a worker process ended without a result")
        ok, value = pickle.loads(self.data)  # our own child's bytes
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        if self.reader.ident is not None:  # started
            self.reader.join()  # the kill closed the pipe: the read ends
        else:
            os.close(self.read_end)
        os.waitpid(self.pid, 0)


def _catching(call: Callable[[], None], failures: list[BaseException]) -> None:
    """`call()` in a thread, its exception kept for the caller to raise."""
    try:
        call()
    except BaseException as exc:  # raised again by the thread that waits for it
        failures.append(exc)


class _JobPipe:
    """Job numbers for processes to share: batches written into a pipe up front, each
    read (4 bytes, atomically) by exactly one process."""

    def __init__(self, count: int) -> None:
        # at most 1,024 batches: 4 KiB, within any pipe's capacity, so writing them
        # all before anyone reads never blocks
        self.count = count
        self.batch = max(1, -(-count // 1024))
        self.read_end, write_end = os.pipe()
        tokens = b"".join(struct.pack("<I", start) for start in range(0, count, self.batch))
        try:
            view = memoryview(tokens)
            while view:
                view = view[os.write(write_end, view) :]
        finally:
            os.close(write_end)

    def __call__(self) -> Iterator[int]:
        while token := os.read(self.read_end, 4):
            (start,) = struct.unpack("<I", token)
            yield from range(start, min(start + self.batch, self.count))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.read_end)


def _child(run: Callable[[], object], write_end: int) -> None:
    status = 0
    try:
        try:
            payload: tuple[bool, object] = (True, run())
        except BaseException as exc:  # every failure goes to the parent
            payload = (False, exc)
        try:
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an exception that does not pickle
            message = f"a worker process failed: {payload[1]!r} ({exc})"
            data = pickle.dumps((False, GenerationError(message)))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    except BaseException:  # the parent reports a worker without a result
        status = 1
    finally:
        os._exit(status)  # no atexit handlers, no flushing of the parent's buffers


def detached(call: Callable[[], None]) -> None:
    """`call` run by a detached, lowest-priority process (a grandchild, so no zombie
    is left behind; its standard streams on /dev/null, so nobody waits for them to
    close): the caller goes on, and may exit, meanwhile. Its failures are its own.
    Where forking is not safe, `call` runs here and now."""
    if sys.platform != "linux" or threading.active_count() > 1:
        call()
        return
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            if os.fork() == 0:  # the grandchild does the work
                null = os.open(os.devnull, os.O_RDWR)
                for stream in (0, 1, 2):
                    os.dup2(null, stream)
                os.nice(19)
                call()
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.waitpid(pid, 0)  # the child ends at once
