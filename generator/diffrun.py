"""`oagen diff`, the command: both specs loaded (files or `git:REV:PATH`), validated,
upgraded (Swagger 2.0) and built, compared by `diff.diff_apis`, the report printed."""

from __future__ import annotations

import tempfile
from pathlib import Path

from .builder import build, default_package_name
from .diagnostics import Diagnostics
from .diff import diff_apis
from .diffreport import render_report
from .gitspec import materialize, spec_path
from .ir import Api
from .load import load
from .upgrade import upgrade
from .validate import validate

__all__ = ["load_api", "run_diff"]


def run_diff(
    old: str,
    new: str,
    *,
    output_format: str,
    fail_on_breaking: bool,
    package_name: str | None,
) -> int:
    """Print the change report of `old` -> `new` (paths or `git:REV:PATH`); the exit code
    is 1 when `fail_on_breaking` and a change is breaking, else 0."""
    name = package_name or default_package_name(spec_path(new))
    changes = diff_apis(load_api(old, name), load_api(new, name))
    print(render_report(changes, name, "markdown" if output_format == "markdown" else "text"))
    return 1 if fail_on_breaking and any(c.is_breaking for c in changes) else 0


def load_api(source: str, package_name: str) -> Api:
    """Load and build the spec `source` names; errors raise `SpecError`.

    Validation is the default one (the meta-schema): its findings are warnings, which
    a report of API changes ignores; what makes generation impossible is found by
    `build`.
    """
    if not source.startswith("git:"):
        return _build(Path(source), source, package_name)
    with tempfile.TemporaryDirectory(prefix="oagen-diff-") as tmp:
        return _build(materialize(source, Path(tmp)), source, package_name)


def _build(path: Path, display: str, package_name: str) -> Api:
    spec = load(path, display)
    sink = Diagnostics(spec.locate)
    validate(spec, sink)
    sink.raise_if_errors()
    api = build(upgrade(spec, sink), sink, package_name)
    sink.raise_if_errors()
    return api
