"""`[tool.oagen]` of the nearest `pyproject.toml`: the targets of a bare `oagen generate`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ConfigError", "Target", "find_targets"]


class ConfigError(Exception):
    """`[tool.oagen]` is missing or malformed."""


@dataclass(frozen=True, slots=True)
class Target:
    spec: Path
    output: Path
    package_name: str | None


def find_targets(start: Path) -> list[Target]:
    """The targets of the nearest `pyproject.toml` at or above `start`."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return _targets(candidate)
    raise ConfigError("no pyproject.toml found: give a SPEC or run inside a project")


def _targets(pyproject: Path) -> list[Target]:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: {exc}") from exc
    raw = data.get("tool", {}).get("oagen", {}).get("targets")
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{pyproject}: no [tool.oagen] targets")
    base = pyproject.parent
    targets: list[Target] = []
    for index, entry in enumerate(raw):
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("spec"), str)
            or not isinstance(entry.get("output"), str)
        ):
            raise ConfigError(
                f"{pyproject}: [tool.oagen] targets[{index}] needs `spec` and `output` strings"
            )
        name = entry.get("package_name")
        targets.append(
            Target(
                base / entry["spec"],
                base / entry["output"],
                name if isinstance(name, str) else None,
            )
        )
    return targets
