"""The `oagen` command: generate, check and validate (DESIGN §2).

Exit codes: 0 ok, 1 spec invalid / check failed / output unsafe, 2 usage error.
Findings are printed as `FILE:LINE:COL: severity: message (#/pointer)`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .config import ConfigError, Settings
from .diagnostics import Diagnostic, GenerationError, SpecError
from .manifest import is_current, read_manifest
from .options import LoadPolicy
from .targets import Job, UsageError, configured_name, jobs
from .write import OutputError, compare, extra_files, write

__all__ = ["main"]

_DIFF_BUDGET = 200  # lines of diff `oagen check` prints at most


_EXTRA = "not written by oagen; delete it (oagen never removes files it did not write)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oagen", description="OpenAPI 3.0/3.1 -> typed Python client packages."
    )
    parser.add_argument("--version", action="version", version=f"oagen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    def target_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "spec", nargs="?", type=Path, help="spec file (default: the [tool.oagen] targets)"
        )
        sub.add_argument(
            "-o", "--output", type=Path,
            help="package folder to write/compare (default: the SPEC's [tool.oagen] target, "
            "else generated/<package name>, a dotted name as nested folders)",
        )  # fmt: skip
        sub.add_argument(
            "--package-name", help="package name, dotted allowed (default: <spec stem>_client)"
        )
        sub.add_argument(
            "--templates", type=Path, help="folder of templates overriding the built-in ones"
        )
        sub.add_argument(
            "--formatter", choices=("ruff", "black", "none"),
            help="ruff (default; the pinned ruff's binary) or black (in-process, same bytes); "
            "none: raw template output",
        )  # fmt: skip
        sub.add_argument(
            "--strict", action="store_true", default=None, help="validator warnings are errors"
        )
        sub.add_argument(
            "--include-tags", action="append", metavar="TAG",
            help="generate only operations with this (first) tag; repeatable",
        )  # fmt: skip
        sub.add_argument(
            "--exclude-tags", action="append", metavar="TAG",
            help="leave out operations with this (first) tag; repeatable",
        )  # fmt: skip
        sub.add_argument(
            "--include-operations", action="append", metavar="ID",
            help="generate only this operation (operationId or method name); repeatable",
        )  # fmt: skip
        sub.add_argument(
            "--meta", choices=("none", "pyproject"),
            help="pyproject: make OUT an installable project (pyproject.toml + package)",
        )  # fmt: skip
        sub.add_argument(
            "--no-pagination-inference", action="store_false", default=None,
            dest="pagination_inference",
            help="paginate only operations with `x-oagen-pagination` (no recognised patterns)",
        )  # fmt: skip
        sub.add_argument(
            "--force",
            action="store_true",
            help="generate: ignore the manifest (format every file again); check always does",
        )
        reference_options(sub)

    def reference_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--allow-ref-outside", action="store_true", default=None,
            help="follow $refs to files outside the spec's folder",
        )  # fmt: skip
        sub.add_argument(
            "--allow-remote-ref", action="append", metavar="HOST",
            help="fetch http(s) $refs from HOST; repeatable (default: none)",
        )  # fmt: skip

    generate = commands.add_parser("generate", help="generate client packages")
    target_options(generate)
    generate.add_argument(
        "--watch", action="store_true", help="regenerate whenever a spec file changes"
    )
    generate.add_argument("--watch-interval", type=float, default=0.5, help=argparse.SUPPRESS)
    target_options(commands.add_parser("check", help="exit 1 when generated output is not current"))
    validate = commands.add_parser("validate", help="load and validate a spec")
    validate.add_argument("spec", type=Path)
    validate.add_argument("--strict", action="store_true", help="validator warnings are errors")
    reference_options(validate)
    diff = commands.add_parser(
        "diff", help="report how the generated client's public API changes between two specs"
    )
    diff.add_argument("old", help="old spec: a file, or git:REV:PATH")
    diff.add_argument("new", help="new spec: a file, or git:REV:PATH")
    diff.add_argument("--format", choices=("text", "markdown"), default="text")
    diff.add_argument(
        "--fail-on-breaking", action="store_true", help="exit 1 when any change is breaking"
    )
    diff.add_argument("--package-name", help="package name used in the report")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    """The options given on the command line (None where not given)."""

    def listed(values: list[str] | None) -> tuple[str, ...] | None:
        return None if values is None else tuple(values)

    return Settings(
        package_name=args.package_name,
        templates=args.templates,
        formatter=args.formatter,
        strict=args.strict,
        include_tags=listed(args.include_tags),
        exclude_tags=listed(args.exclude_tags),
        include_operations=listed(args.include_operations),
        meta=args.meta,
        allow_ref_outside=args.allow_ref_outside,
        allow_remote_ref=listed(args.allow_remote_ref),
        pagination_inference=getattr(args, "pagination_inference", None),
    )


def _print(diagnostics: Sequence[Diagnostic], stream: TextIO) -> None:
    for diagnostic in diagnostics:
        print(diagnostic, file=stream)


def _display(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def _run_target(command: str, job: Job, force: bool) -> int:
    """`generate` or `check` one target. `generate` trusts the output's manifest
    (nothing to do when it records these inputs and options, and formatted files of
    unchanged renderings are kept); `check` regenerates in memory and compares."""
    options = job.options
    shown = _display(job.output)
    spec = _display(job.spec)
    trusted = command == "generate" and not force
    if trusted and is_current(spec, job.output, options.recorded(spec)):
        manifest = read_manifest(job.output) or {"files": {}}
        print(f"{shown}: up to date ({len(manifest['files']) + 1} files)")
        return 0
    from .pipeline import generate_files  # the heavy imports, only when there is work

    started = time.perf_counter()
    progress = _Progress(str(shown), started)
    result = generate_files(
        spec,
        strict=job.strict,
        options=options,
        progress=progress,
        previous=job.output if trusted else None,
    )
    _print(result.diagnostics, sys.stderr)
    if command == "generate":
        progress("writing")
        outcome = write(job.output, result.files, result.unchanged)
        progress.done()
        changes = len(outcome.written) + len(outcome.removed)
        detail = (
            f"{len(outcome.written)} written, {len(outcome.removed)} removed"
            if changes
            else "up to date"
        )
        print(
            f"{shown}: {detail} ({len(result.files)} files); {result.operations} operations,"
            f" {result.models} models in {time.perf_counter() - started:.2f} s"
        )
        for line in result.paginated:
            print(f"{shown}: paginated {line}")
        for path in extra_files(job.output, result.files):
            print(f"{shown / path}: warning: {_EXTRA}", file=sys.stderr)
        return 0
    progress.done()
    report = compare(job.output, result.files)
    if report.ok:
        print(f"{shown}: up to date ({len(result.files)} files)")
        return 0
    for label, paths in (
        ("stale", report.stale),
        ("missing", report.missing),
        (f"extra: {_EXTRA}", report.extra),
    ):
        for path in paths:
            print(f"{shown / path}: {label}")
    budget = _DIFF_BUDGET
    for path, diff in report.diffs.items():
        lines = diff.splitlines(keepends=True)
        if budget <= 0:
            print(f"... diff of {path} not shown")
            continue
        sys.stdout.write("".join(lines[:budget]))
        budget -= len(lines)
    advice = "run `oagen generate`" if report.stale or report.missing else "delete the extra files"
    print(f"{shown}: not current; {advice}")
    return 1


class _Progress:
    """A progress line on stderr (stage, elapsed) while a long run goes on; only
    when stderr is a terminal, and erased when the run ends."""

    def __init__(self, label: str, started: float) -> None:
        self._label = label
        self._started = started
        self._shown = False

    def __call__(self, stage: str) -> None:
        if sys.stderr.isatty():
            elapsed = time.perf_counter() - self._started
            sys.stderr.write(f"\r\033[K{self._label}: {stage} ({elapsed:.1f} s)")
            sys.stderr.flush()
            self._shown = True

    def done(self) -> None:
        if self._shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self._shown = False


def _watch(targets: list[Job], args: argparse.Namespace) -> int:
    """Regenerate a target whenever one of its spec files changes; Ctrl-C stops."""

    def stamps(target: Job) -> dict[Path, float]:
        data = read_manifest(target.output) or {}
        inputs = data.get("inputs") if isinstance(data.get("inputs"), dict) else {}
        assert isinstance(inputs, dict)
        paths = {target.spec} | {target.spec.parent / key for key in inputs}
        return {p: p.stat().st_mtime_ns if p.exists() else -1.0 for p in sorted(paths)}

    seen = {t.output: stamps(t) for t in targets}
    print("watching; Ctrl-C stops", flush=True)
    try:
        while True:
            time.sleep(args.watch_interval)
            for target in targets:
                now = stamps(target)
                changed = [p for p, stamp in now.items() if seen[target.output].get(p) != stamp]
                if not changed:
                    continue
                names = ", ".join(str(_display(p)) for p in changed)
                print(f"changed: {names}", flush=True)
                try:
                    _run_target("generate", target, args.force)
                except SpecError as exc:
                    _print(exc.diagnostics, sys.stderr)
                sys.stdout.flush()
                seen[target.output] = stamps(target)
    except KeyboardInterrupt:
        print("stopped", flush=True)
        return 0


def run() -> None:
    """The `oagen` console script."""
    sys.exit(main())


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "diff":
            from .diffrun import run_diff

            return run_diff(
                args.old,
                args.new,
                output_format=args.format,
                fail_on_breaking=args.fail_on_breaking,
                package_name=args.package_name or configured_name(args.new, Path.cwd()),
            )
        if args.command == "validate":
            from .pipeline import check_spec

            policy = LoadPolicy(
                bool(args.allow_ref_outside), frozenset(args.allow_remote_ref or ())
            )
            strict = bool(args.strict)
            _, warnings = check_spec(_display(args.spec), strict=strict, policy=policy)
            _print(warnings, sys.stderr)
            print(f"{args.spec}: valid" + (f" ({len(warnings)} warnings)" if warnings else ""))
            return 0
        status = 0
        targets = jobs(args.command, args.spec, args.output, _settings(args), Path.cwd())
        for target in targets:
            status = max(status, _run_target(args.command, target, args.force))
        if args.command == "generate" and args.watch:
            return _watch(targets, args)
        return status
    except SpecError as exc:
        _print(exc.diagnostics, sys.stderr)
        return 1
    except (ConfigError, UsageError) as exc:
        print(f"oagen: error: {exc}", file=sys.stderr)
        return 2
    except (OutputError, GenerationError, OSError) as exc:
        print(f"oagen: error: {exc}", file=sys.stderr)
        return 1
