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
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from .diagnostics import GenerationError

__all__ = ["FormatError", "Formatter", "format_sources"]

Formatter = Literal["ruff", "black", "none"]
LINE_LENGTH = 88


class FormatError(GenerationError):
    """The formatter rejected generated code (a bug in oagen, reported as such)."""


def format_sources(sources: Mapping[str, str], formatter: Formatter) -> dict[str, str]:
    """Format every `.py` file of `sources` (path -> text); others pass through."""
    python = {path: text for path, text in sources.items() if path.endswith(".py")}
    if formatter == "ruff":
        formatted = _ruff(python, FORMAT)
    elif formatter == "black":
        formatted = {path: _black(text) for path, text in python.items()}
    else:  # unformatted, but parsed all the same (ruff and black reject invalid code)
        _ruff(python, PARSE)
        formatted = python
    return {path: formatted.get(path, text) for path, text in sources.items()}


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


def _ruff(python: Mapping[str, str], action: tuple[str, ...]) -> dict[str, str]:
    """One ruff run (`action`) over a temporary copy of all files; their text after it."""
    from ruff.__main__ import find_ruff_bin

    if not python:
        return {}
    size = sum(len(text) for text in python.values())
    with tempfile.TemporaryDirectory(prefix="oagen-fmt-", dir=_scratch(size)) as tmp:
        root = Path(tmp)
        for folder in {(root / path).parent for path in python}:
            folder.mkdir(parents=True, exist_ok=True)
        for path, text in python.items():
            (root / path).write_bytes(text.encode("utf-8"))
        command = [
            os.fsdecode(find_ruff_bin()),
            *action,
            "--isolated",
            "--no-cache",
            f"--line-length={LINE_LENGTH}",
            "--target-version=py310",
            "--",
            *sorted(python),  # explicit paths: formatted whatever their names
        ]
        result = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            found = (result.stdout.strip() + "\n" + result.stderr.strip()).strip()
            raise FormatError(f"ruff {action[0]} rejected the generated code: {found}")
        return {path: (root / path).read_bytes().decode("utf-8") for path in python}


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
