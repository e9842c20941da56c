"""The `oagen` command: generate, check and validate (DESIGN §2).

Exit codes: 0 ok, 1 spec invalid / check failed / output unsafe, 2 usage error.
Findings are printed as `FILE:LINE:COL: severity: message (#/pointer)`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .build import default_package_name
from .config import ConfigError, Target, find_targets
from .diagnostics import Diagnostic, SpecError
from .format import FormatError
from .pipeline import check_spec, generate_files
from .write import OutputError, compare, write

__all__ = ["main"]


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
        sub.add_argument("-o", "--output", type=Path, help="package folder to write/compare")
        sub.add_argument("--package-name", help="package name (default: <spec stem>_client)")
        sub.add_argument(
            "--templates", type=Path, help="folder of templates overriding the built-in ones"
        )
        sub.add_argument("--formatter", choices=("ruff", "black", "none"), default="ruff")
        sub.add_argument("--strict", action="store_true", help="validator warnings are errors")

    target_options(commands.add_parser("generate", help="generate client packages"))
    target_options(commands.add_parser("check", help="exit 1 when generated output is not current"))
    validate = commands.add_parser("validate", help="load and validate a spec")
    validate.add_argument("spec", type=Path)
    validate.add_argument("--strict", action="store_true", help="validator warnings are errors")
    return parser


def _targets(args: argparse.Namespace) -> list[Target]:
    if args.spec is None:
        if args.output is not None or args.package_name is not None:
            raise ConfigError("-o/--package-name need a SPEC")
        return find_targets(Path.cwd())
    name = args.package_name
    output = args.output
    if output is None:
        try:
            configured = {t.spec.resolve(): t for t in find_targets(Path.cwd())}
        except ConfigError:
            configured = {}
        match = configured.get(args.spec.resolve())
        if match is not None:
            output, name = match.output, name or match.package_name
        else:
            output = Path("generated") / (name or default_package_name(args.spec.name))
    return [Target(args.spec, output, name)]


def _print(diagnostics: Sequence[Diagnostic], stream: TextIO) -> None:
    for diagnostic in diagnostics:
        print(diagnostic, file=stream)


def _display(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def _run_target(command: str, target: Target, args: argparse.Namespace) -> int:
    result = generate_files(
        _display(target.spec),
        package_name=target.package_name,
        formatter=args.formatter,
        strict=args.strict,
        templates=args.templates,
    )
    _print(result.diagnostics, sys.stderr)
    shown = _display(target.output)
    if command == "generate":
        outcome = write(target.output, result.files)
        changes = len(outcome.written) + len(outcome.removed)
        detail = (
            f"{len(outcome.written)} written, {len(outcome.removed)} removed"
            if changes
            else "up to date"
        )
        print(f"{shown}: {detail} ({len(result.files)} files)")
        return 0
    report = compare(target.output, result.files)
    if report.ok:
        print(f"{shown}: up to date ({len(result.files)} files)")
        return 0
    for label, paths in (
        ("stale", report.stale),
        ("missing", report.missing),
        ("extra", report.extra),
    ):
        for path in paths:
            print(f"{shown / path}: {label}")
    for diff in report.diffs.values():
        sys.stdout.write(diff)
    print(f"{shown}: not current; run `oagen generate`")
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            _, warnings = check_spec(_display(args.spec), strict=args.strict)
            _print(warnings, sys.stderr)
            print(f"{args.spec}: valid" + (f" ({len(warnings)} warnings)" if warnings else ""))
            return 0
        status = 0
        for target in _targets(args):
            status = max(status, _run_target(args.command, target, args))
        return status
    except SpecError as exc:
        _print(exc.diagnostics, sys.stderr)
        return 1
    except ConfigError as exc:
        print(f"oagen: error: {exc}", file=sys.stderr)
        return 2
    except (OutputError, FormatError, OSError) as exc:
        print(f"oagen: error: {exc}", file=sys.stderr)
        return 1
