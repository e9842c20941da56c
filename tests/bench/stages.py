"""oagen measured in-process, stage by stage, in a fresh interpreter per run.

    python -m tests.bench.stages profile SPEC OUT PACKAGE
    python -m tests.bench.stages validation SPEC

Prints one JSON object (stage -> seconds) on stdout. `profile` follows
`generator.pipeline.generate_files` step by step, then writes into OUT.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class _Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def time(self, stage: str, call: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = call()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - started
        return result


def profile(path: Path, out: Path, package: str) -> dict[str, float]:
    started = time.perf_counter()
    from generator import pipeline
    from generator.diagnostics import Diagnostics
    from generator.write import write

    clock = _Clock()
    clock.seconds["import oagen"] = time.perf_counter() - started
    options = pipeline.Options(package_name=package)
    spec = clock.time("load", lambda: pipeline.load(path))
    sink = Diagnostics(spec.locate)
    clock.time("validate", lambda: pipeline.validate(spec, sink))
    sink.raise_if_errors()
    selection = pipeline.Selection(
        options.include_tags, options.exclude_tags, options.include_operations
    )
    api = clock.time("build", lambda: pipeline.build(spec, sink, package, selection))
    sink.raise_if_errors()
    plans = clock.time("plan", lambda: pipeline.plan(api, meta=options.meta))
    sources = clock.time(
        "render",
        lambda: pipeline.render(plans, api.spec_name, api.spec_sha256, options.templates),
    )
    files = clock.time("format", lambda: pipeline.format_sources(sources, "ruff"))
    files[pipeline.MANIFEST] = clock.time(
        "manifest",
        lambda: pipeline.manifest_text(
            files,
            spec_name=api.spec_name,
            inputs={key: doc.path.read_bytes() for key, doc in spec.documents.items()},
            options=options.recorded(path),
        ),
    )
    clock.time("write", lambda: write(out, files))
    return clock.seconds


def validation(path: Path) -> dict[str, float]:
    """The default validation and the full one (`oagen validate`), on one loaded spec."""
    from generator.diagnostics import Diagnostics
    from generator.load import load
    from generator.validate import validate

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
