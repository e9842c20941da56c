"""Work split between processes: the files of a big package are planned, rendered and
formatted by two forked processes at once (the IR is built once, before the fork,
and shared copy-on-write).

Output never depends on the split: every file is produced independently of the
others, and the parts are merged by path.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from .diagnostics import GenerationError

__all__ = ["available_workers", "split_work"]

T = TypeVar("T")


def available_workers() -> int:
    """Processes worth forking here: the CPUs this process may run on, where `fork` is
    safe and cheap (Linux); 1 elsewhere. `OAGEN_WORKERS` overrides it."""
    configured = os.environ.get("OAGEN_WORKERS", "")
    if configured.isdigit() and int(configured) > 0:
        wanted = int(configured)
    else:
        wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return max(1, min(wanted, 8)) if sys.platform == "linux" else 1


def split_work(
    work: Callable[[int, int], T],
    parts: int,
    meanwhile: Callable[[], None] | None = None,
) -> list[T]:
    """`[work(0, parts), ..., work(parts - 1, parts)]`, part 0 in this process and the
    others in forked children (results and exceptions come back pickled).

    `meanwhile` runs in a thread of this process while the parts run: it is started
    after the fork, so the children never inherit a running thread.
    """
    if parts <= 1:
        if meanwhile is not None:
            meanwhile()
        return [work(0, 1)]
    children: list[tuple[int, int]] = []
    try:
        for part in range(1, parts):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: never returns into the caller's code
                os.close(read_end)
                _child(work, part, parts, write_end)
            os.close(write_end)
            children.append((pid, read_end))
        thread = threading.Thread(target=meanwhile, daemon=True) if meanwhile else None
        if thread is not None:
            thread.start()
        results = [work(0, parts)]
        if thread is not None:
            thread.join()
        for pid, read_end in children:
            results.append(_collect(pid, read_end))
        children.clear()
        return results
    finally:
        for pid, read_end in children:  # this process failed: stop the others
            _kill(pid, read_end)


def _child(work: Callable[[int, int], T], part: int, parts: int, write_end: int) -> None:
    status = 0
    try:
        try:
            payload: tuple[bool, object] = (True, work(part, parts))
        except BaseException as exc:  # every failure goes to the parent
            payload = (False, exc)
        try:
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an exception that does not pickle
            message = f"worker {part} failed: {payload[1]!r} ({exc})"
            data = pickle.dumps((False, GenerationError(message)))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    except BaseException:  # the parent reports a worker without a result
        status = 1
    finally:
        os._exit(status)  # no atexit handlers, no flushing of the parent's buffers


def _collect(pid: int, read_end: int) -> Any:
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    if not data:
        raise GenerationError("a worker process ended without a result")
    ok, value = pickle.loads(data)  # our own child's bytes
    if not ok:
        raise value
    return value


def _kill(pid: int, read_end: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.close(read_end)
    os.waitpid(pid, 0)
