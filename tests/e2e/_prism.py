"""Stoplight Prism (`tools/prism`) mocking a document for the end-to-end tests:
started on a free port, answered for real, stopped with its process group."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e._harness import free_port

REPO = Path(__file__).resolve().parents[2]
PRISM = REPO / "tools" / "prism" / "node_modules" / ".bin" / "prism"
READY_DEADLINE = 60.0


@contextlib.contextmanager
def prism_mock(spec: Path, log_dir: Path) -> Iterator[str]:
    """`prism mock` of `spec` on a free port; yields its base URL; stopped after."""
    if not PRISM.exists():
        pytest.fail(
            f"Stoplight Prism is not installed ({PRISM} is missing): "
            "run `npm ci --prefix tools/prism` in the repository root",
            pytrace=False,
        )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = log_dir / "prism.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), "-v", "warn", str(spec)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        _wait_ready(proc, url, log_path)
        yield url
    finally:
        _stop(proc)


def _wait_ready(proc: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + READY_DEADLINE
    while True:
        if proc.poll() is not None:
            pytest.fail(
                f"Prism exited with code {proc.returncode} before answering; "
                f"log:\n{log_path.read_text(errors='replace')}",
                pytrace=False,
            )
        try:
            # An unknown path: only Prism answers with its own error type (a plain
            # port poll could reach another server holding the port).
            r = httpx.get(f"{url}/__oagen_readiness_probe__", timeout=2.0)
            if "stoplight.io/prism/errors" in r.text:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(
                f"Prism did not answer on {url} within {READY_DEADLINE:.0f} s; "
                f"log:\n{log_path.read_text(errors='replace')}",
                pytrace=False,
            )
        time.sleep(0.2)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
