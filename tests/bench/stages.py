"""oagen measured in-process, stage by stage, in a fresh interpreter per run.

    python tests/bench/stages.py profile SPEC OUT PACKAGE
    python tests/bench/stages.py validation SPEC

Prints one JSON object (stage -> seconds) on stdout. `profile` times the stage
functions `generator.pipeline.generate_files` calls, in one process (`OAGEN_WORKERS=1`:
a real run splits plan, render and format between two), then writing into OUT.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


# The stage functions `generate_files` calls, as named in generator.pipeline -> shown as.
# Planning has no function of its own there (each file's job is called where it is
# rendered): it is the time of the worker part minus what the part's other stages took.
STAGES = {
    "load": "load",
    "validate": "validate",
    "build": "build",
    "plan_jobs": "plan (set-up)",
    "render": "render",
    "reusable": "reuse check",
    "format_sources": "format",
    "manifest_text": "manifest",
    "_input_digest": "input digests",
}
PART = "split_work"  # runs plan + render + format over the files


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
    from oagen.diagnostics import Diagnostics
    from oagen.write import write

    clock.seconds["import oagen"] = time.perf_counter() - started
    for name, stage in STAGES.items():
        if hasattr(pipeline, name):
            setattr(pipeline, name, clock.wrap(stage, getattr(pipeline, name)))
    pipeline.split_work = clock.wrap(PART, pipeline.split_work)
    # source positions of the findings: worked out while the parts run
    Diagnostics.release = clock.wrap("locate findings", Diagnostics.release)  # type: ignore[method-assign]
    os.environ["OAGEN_WORKERS"] = "1"  # every stage in this process, where it is timed
    started = time.perf_counter()
    result = pipeline.generate_files(path, package_name=package)
    elapsed = time.perf_counter() - started
    part = clock.seconds.pop(PART)
    inside = ("render", "reuse check", "format", "locate findings", "input digests")
    clock.seconds["plan"] = part - sum(clock.seconds.get(stage, 0.0) for stage in inside)
    clock.seconds["other (between stages)"] = (
        elapsed
        - part
        - sum(
            seconds
            for stage, seconds in clock.seconds.items()
            if stage not in ("import oagen", "plan", *inside)
        )
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
