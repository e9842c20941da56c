"""Usage errors, `--watch` and the pre-commit hook."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from oagen.cli import main

from tests.cli.support import (
    N_FILES,
    NEW_SUMMARY,
    OLD_SUMMARY,
    REPO,
    TRACEBACK,
    edit,
    oagen,
    without_stats,
)

# -- usage errors -------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["generate", "check"])
@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("1bad", "dotted Python name"),
        ("\uff43\uff4c\uff41\uff53\uff53", "ASCII"),  # fullwidth: `class` by NFKC
        ("class", "keyword"),
        ("a.None", "keyword"),
        ("json", "standard library"),  # its `import json` would find itself
        ("httpx.api", "httpx"),
    ],
)
def test_invalid_package_name(
    work: Path, capsys: pytest.CaptureFixture[str], command: str, name: str, why: str
) -> None:
    """A package name the generated package could not be imported by is refused."""
    code, out, err = oagen(capsys, command, "archal.yaml", "-o", "out", "--package-name", name)
    assert code == 2
    assert out == []
    assert err.startswith("oagen: error: ")
    assert repr(name) in err and "--package-name" in err and why in err
    assert TRACEBACK not in err
    assert not (work / "out").exists()


# -- watch -------------------------------------------------------------------------------


# `python -m oagen`, with SIGINT raising KeyboardInterrupt as in a terminal's foreground
# process. A test run started in the background of a non-interactive shell ignores
# SIGINT, its children inherit that, and Python started with SIGINT ignored never
# raises KeyboardInterrupt (the watcher then went on sleeping in its loop: seen on a
# fresh-clone run started that way).
_INTERRUPTIBLE_OAGEN = (
    "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "runpy.run_module('oagen', run_name='__main__', alter_sys=True)"
)


def test_watch_regenerates_on_change_and_stops_on_sigint(work: Path) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-X",
            "faulthandler",  # a SIGABRT dumps every thread's stack (see below)
            "-u",
            "-c",
            _INTERRUPTIBLE_OAGEN,
            "generate",
            "archal.yaml",
            "-o",
            "out",
            "--watch",
            "--watch-interval",
            "0.1",
        ],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    seen: list[str] = []

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    errors: list[str] = []  # stderr, read as it comes (a full pipe would block the watcher)
    assert proc.stderr is not None
    drain = threading.Thread(target=lambda: errors.extend(proc.stderr or ()), daemon=True)
    drain.start()

    def wait_for(predicate: object, deadline: float) -> str:
        assert callable(predicate)
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.1)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError(f"watch exited early; stdout so far: {seen}")
            seen.append(line)
            if predicate(line):
                return line
        raise AssertionError(f"timed out; stdout so far: {seen}")

    try:
        wait_for(lambda ln: ln.startswith("watching"), time.monotonic() + 120)
        assert without_stats(seen[0]) == f"out: {N_FILES} written, 0 removed ({N_FILES} files)"

        edit(work / "archal.yaml", OLD_SUMMARY, NEW_SUMMARY)
        deadline = time.monotonic() + 90  # generous: CI machines are shared
        changed = wait_for(lambda ln: ln.startswith("changed: "), deadline)
        assert changed == "changed: archal.yaml"
        wait_for(
            lambda ln: re.fullmatch(
                r"out: \d+ written, 0 removed \(\d+ files\)", without_stats(ln)
            ),
            deadline,
        )
        sessions = work / "out" / "resources" / "sessions.py"
        while "Fetch one hosted clone session by id" not in sessions.read_text("utf-8"):
            assert time.monotonic() < deadline, "resource module not regenerated"
            time.sleep(0.05)

        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)  # faulthandler: where each thread is
            proc.wait(timeout=10)
            drain.join(timeout=5)
            stderr = "".join(errors)
            raise AssertionError(
                f"no exit after SIGINT; stdout: {seen}; stderr: {stderr}"
            ) from None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(timeout=5)
    while True:
        try:
            line = lines.get_nowait()
        except queue.Empty:
            break
        if line is not None:
            seen.append(line)
    drain.join(timeout=5)
    err = "".join(errors)
    assert code == 0, err
    assert seen[-1] == "stopped"
    assert TRACEBACK not in err and "KeyboardInterrupt" not in err, err
    assert err == ""
    assert main(["check", str(work / "archal.yaml"), "-o", str(work / "out")]) == 0


# -- pre-commit hook ---------------------------------------------------------------------


def test_pre_commit_hook_definition() -> None:
    path = REPO / ".pre-commit-hooks.yaml"
    assert path.is_file(), f"{path} is missing"
    hooks = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    by_id = {hook["id"]: hook for hook in hooks}
    hook = by_id["oagen-check"]
    assert hook["entry"] == "oagen check"
    assert hook["pass_filenames"] is False
    assert hook["language"] == "python"
    assert isinstance(hook.get("name"), str) and hook["name"]
