"""`[tool.oagen]` of the nearest `pyproject.toml`: the targets of a bare `oagen generate`.

```toml
[tool.oagen]
targets = [
    { spec = "specs/petstore.yaml", output = "src/petapp/vendor/petstore",
      package_name = "petapp.vendor.petstore", include_tags = ["pet"] },
]
```

Every command-line option of `generate`/`check` can be a key of a target (`--include-tags`
is `include_tags`, a list); an unknown or misspelt key is an error naming its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

__all__ = ["SETTING_KEYS", "ConfigError", "Settings", "Target", "find_targets"]


class ConfigError(Exception):
    """`[tool.oagen]` is missing or malformed."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Generation options as given (on the command line or in a target); None: not
    given, so the next source decides (command line, then target, then default)."""

    package_name: str | None = None
    templates: Path | None = None
    formatter: str | None = None
    strict: bool | None = None
    include_tags: tuple[str, ...] | None = None
    exclude_tags: tuple[str, ...] | None = None
    include_operations: tuple[str, ...] | None = None
    meta: str | None = None
    allow_ref_outside: bool | None = None
    allow_remote_ref: tuple[str, ...] | None = None
    pagination_inference: bool | None = None

    def over(self, fallback: Settings) -> Settings:
        """These settings, with what they leave unset taken from `fallback`."""
        return Settings(
            **{
                f.name: getattr(fallback, f.name)
                if getattr(self, f.name) is None
                else getattr(self, f.name)
                for f in fields(Settings)
            }
        )


@dataclass(frozen=True, slots=True)
class Target:
    spec: Path
    output: Path
    settings: Settings = Settings()


# key -> (expected kind, allowed values)
_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "package_name": ("str", ()),
    "templates": ("path", ()),
    "formatter": ("str", ("ruff", "black", "none")),
    "strict": ("bool", ()),
    "include_tags": ("list", ()),
    "exclude_tags": ("list", ()),
    "include_operations": ("list", ()),
    "meta": ("str", ("none", "pyproject")),
    "allow_ref_outside": ("bool", ()),
    "allow_remote_ref": ("list", ()),
    "pagination_inference": ("bool", ()),
}
SETTING_KEYS = ("spec", "output", *_KINDS)


def find_targets(start: Path) -> list[Target]:
    """The targets of the nearest `pyproject.toml` at or above `start`."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return _targets(candidate)
    raise ConfigError("no pyproject.toml found: give a SPEC or run inside a project")


def _targets(pyproject: Path) -> list[Target]:
    import tomllib  # here: a run given its spec and output reads no configuration

    try:
        text = pyproject.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: {exc}") from exc
    section = data.get("tool", {}).get("oagen")
    if not isinstance(section, dict):
        raise ConfigError(f"{pyproject}: no [tool.oagen] table (see README: Configuration)")
    for key in section:
        if key != "targets":
            raise ConfigError(_where(pyproject, text, key, f"unknown [tool.oagen] key {key!r}"))
    raw = section.get("targets")
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{pyproject}: [tool.oagen] has no `targets` list")
    return [_target(pyproject, text, index, entry) for index, entry in enumerate(raw)]


def _target(pyproject: Path, text: str, index: int, entry: Any) -> Target:
    where = f"[tool.oagen] targets[{index}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{pyproject}: {where} must be a table")
    for key in entry:
        if key not in SETTING_KEYS:
            hint = key.replace("-", "_")
            advice = f" (did you mean {hint!r}?)" if hint in SETTING_KEYS else ""
            message = f"{where}: unknown key {key!r}{advice}; keys: {', '.join(SETTING_KEYS)}"
            raise ConfigError(_where(pyproject, text, key, message))
    for key in ("spec", "output"):
        if not isinstance(entry.get(key), str):
            raise ConfigError(f"{pyproject}: {where} needs `{key}` (a string)")
    base = pyproject.parent
    values: dict[str, Any] = {}
    for key, (kind, choices) in _KINDS.items():
        if key in entry:
            values[key] = _value(entry[key], kind, choices, base, f"{pyproject}: {where}.{key}")
    return Target(base / entry["spec"], base / entry["output"], Settings(**values))


def _value(value: Any, kind: str, choices: tuple[str, ...], base: Path, where: str) -> Any:
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false")
        return value
    if kind == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where} must be a list of strings")
        return tuple(value)
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be a string")
    if choices and value not in choices:
        raise ConfigError(f"{where} must be one of {', '.join(choices)}")
    return base / value if kind == "path" else value


def _where(pyproject: Path, text: str, key: str, message: str) -> str:
    """`FILE:LINE: message`, at the first line of the `[tool.oagen]` part naming `key`."""
    start = text.find("[tool.oagen")
    pattern = re.compile(rf"(^|[\s{{,])[\"']?{re.escape(key)}[\"']?\s*=", re.MULTILINE)
    found = pattern.search(text, max(start, 0))
    line = text.count("\n", 0, found.end()) + 1 if found else 1
    return f"{pyproject}:{line}: {message}"
