"""What `generate` and `check` act on: spec, output folder and options of each target.

An option comes from the command line, else from the target in `[tool.oagen]`, else (for
`check` only) from the output's manifest, else its default. The manifest is untrusted
input, so it can only narrow or name things (package name, selection, `--meta`): never
the formatter, templates or which `$ref`s may be followed.
"""

from __future__ import annotations

import keyword
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import ConfigError, Settings, Target, find_targets
from .manifest import read_manifest
from .options import Options, default_package_name

if TYPE_CHECKING:
    from .format import Formatter

__all__ = ["Job", "UsageError", "configured_name", "default_output", "jobs"]


class UsageError(Exception):
    """A command line that cannot be carried out as given (exit 2)."""


@dataclass(frozen=True, slots=True)
class Job:
    spec: Path
    output: Path
    options: Options
    strict: bool


def default_output(package_name: str) -> Path:
    """`generated/<package>`, a dotted name as nested folders (`generated/petapp/vendor/api`)."""
    return Path("generated", *package_name.split("."))


def jobs(
    command: str, spec: Path | None, output: Path | None, given: Settings, cwd: Path
) -> list[Job]:
    """One job per target: the `[tool.oagen]` targets without a SPEC, else the SPEC
    (with its target's settings when `[tool.oagen]` lists it)."""
    if spec is None:
        if output is not None or given.package_name is not None:
            raise UsageError("-o/--package-name need a SPEC")
        targets = find_targets(cwd)
    else:
        targets = [_target_for(spec, output, given, cwd)]
    return [_job(command, target, given) for target in targets]


def configured_name(spec: str, cwd: Path) -> str | None:
    """The package name `[tool.oagen]` gives the target of `spec` (a file, or the path
    part of `git:REV:PATH`, relative to the current folder), if any."""
    path = Path(spec.split(":", 2)[2] if spec.startswith("git:") and spec.count(":") >= 2 else spec)
    try:
        configured = {t.spec.resolve(): t for t in find_targets(cwd)}
    except ConfigError:
        return None
    match = configured.get(path.resolve())
    return match.settings.package_name if match is not None else None


def _target_for(spec: Path, output: Path | None, given: Settings, cwd: Path) -> Target:
    try:
        configured = {t.spec.resolve(): t for t in find_targets(cwd)}
    except ConfigError:
        configured = {}
    match = configured.get(spec.resolve())
    if match is not None and (output is None or output.resolve() == match.output.resolve()):
        return Target(spec, match.output, match.settings)
    if output is None:
        output = default_output(given.package_name or default_package_name(spec.name))
    return Target(spec, output, Settings())


def _job(command: str, target: Target, given: Settings) -> Job:
    settings = given.over(target.settings)
    if command == "check":
        settings = settings.over(_recorded(target.output))
    name = settings.package_name
    if name is not None:
        _check_package_name(name)
    formatter: Formatter = "ruff"
    if settings.formatter in ("black", "none"):
        formatter = "black" if settings.formatter == "black" else "none"
    options = Options(
        package_name=name,
        templates=settings.templates,
        include_tags=settings.include_tags or (),
        exclude_tags=settings.exclude_tags or (),
        include_operations=settings.include_operations or (),
        meta=() if settings.meta in (None, "none") else (str(settings.meta),),
        allow_ref_outside=settings.allow_ref_outside or False,
        allowed_hosts=settings.allow_remote_ref or (),
        formatter=formatter,
        pagination_inference=settings.pagination_inference is not False,
    )
    return Job(target.spec, target.output, options, settings.strict or False)


def _recorded(output: Path) -> Settings:
    """The harmless options the output's manifest records (see the module docstring)."""
    data = read_manifest(output)
    options: Any = data.get("options") if data is not None else None
    if not isinstance(options, dict):
        return Settings()

    def strings(key: str) -> tuple[str, ...] | None:
        value = options.get(key)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        return None

    name = options.get("package_name")
    meta = options.get("meta")
    return Settings(
        package_name=name if isinstance(name, str) else None,
        include_tags=strings("include_tags"),
        exclude_tags=strings("exclude_tags"),
        include_operations=strings("include_operations"),
        meta="pyproject" if isinstance(meta, list) and "pyproject" in meta else None,
        pagination_inference=False if options.get("pagination_inference") is False else None,
    )


def _check_package_name(name: str) -> None:
    """Refuse a package name the generated package could not be imported by: not a
    dotted name of ASCII identifiers, a keyword among its parts (`class`), or a top
    level named as a module of the standard library or `httpx`: the generated code's
    `import json` (and httpx's own imports) would find the package instead."""
    parts = name.split(".")
    if not all(part.isascii() and part.isidentifier() for part in parts):
        raise UsageError(f"--package-name {name!r}: expected a dotted Python name (ASCII)")
    if any(keyword.iskeyword(part) for part in parts):
        raise UsageError(f"--package-name {name!r}: a Python keyword cannot be imported")
    if parts[0] in sys.stdlib_module_names or parts[0] == "httpx":
        raise UsageError(
            f"--package-name {name!r}: {parts[0]!r} is a module of the standard library "
            "(or httpx): the package would hide it from the code importing it, its own too"
        )
