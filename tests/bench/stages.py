"""oagen measured in-process, stage by stage, in a fresh interpreter per run.

    python tests/bench/stages.py profile SPEC OUT PACKAGE
    python tests/bench/stages.py validation SPEC

Prints one JSON object (stage -> seconds) on stdout. `profile` times the stage
functions `oagen.pipeline.generate_files` calls, then writing into OUT.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


# The stage functions `generate_files` calls, as named in oagen.pipeline -> shown as.
STAGES = {
    "load": "load",
    "validate": "validate",
    "build": "build",
    "plan": "plan",
    "render": "render",
    "_produce": "plan + render + format",
    "upgrade": "upgrade (2.0)",
    "format_sources": "format",
    "manifest_text": "manifest",
    "_input_digest": "input digests",
}


class _Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def time(self, stage: str, call: Callable[[], T]) -> T:
        started = time.perf_counter()
        try:
            return call()
        finally:
            elapsed = time.perf_counter() - started
            self.seconds[stage] = self.seconds.get(stage, 0.0) + elapsed

    def wrap(self, stage: str, function: Callable[..., T]) -> Callable[..., T]:
        return lambda *args, **kwargs: self.time(stage, lambda: function(*args, **kwargs))


def profile(path: Path, out: Path, package: str) -> dict[str, float]:
    """Seconds per stage of `generate_files` (its stage functions wrapped in timers, so
    the profile follows the pipeline as it is), then of writing the files."""
    clock = _Clock()
    started = time.perf_counter()
    from oagen import pipeline
    from oagen.write import write

    clock.seconds["import oagen"] = time.perf_counter() - started
    for name, stage in STAGES.items():
        if hasattr(pipeline, name):
            setattr(pipeline, name, clock.wrap(stage, getattr(pipeline, name)))
    started = time.perf_counter()
    result = pipeline.generate_files(path, package_name=package)
    elapsed = time.perf_counter() - started
    clock.seconds["other (between stages)"] = elapsed - sum(
        seconds for stage, seconds in clock.seconds.items() if stage != "import oagen"
    )
    clock.time("write", lambda: write(out, result.files))
    return clock.seconds


def validation(path: Path) -> dict[str, float]:
    """The default validation and the full one (`oagen validate`), on one loaded spec."""
    from oagen.diagnostics import Diagnostics
    from oagen.load import load
    from oagen.validate import validate

    spec = load(path)
    clock = _Clock()
    clock.time("default", lambda: validate(spec, Diagnostics(spec.locate)))
    clock.time("full", lambda: validate(spec, Diagnostics(spec.locate), full=True))
    return clock.seconds


def main(argv: list[str]) -> dict[str, float]:
    command, spec, *rest = argv
    if command == "profile":
        out, package = rest
        return profile(Path(spec), Path(out), package)
    if command == "validation":
        return validation(Path(spec))
    raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
