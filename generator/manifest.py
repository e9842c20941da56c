"""The manifest of a generated package: what made it, so unchanged inputs skip the work.

`.oagen-manifest.json` records everything that decides the output's bytes: the
generator (version and a digest of its own code, templates and runtime), the options
(formatter and `--templates` folder digest included), every spec file read (sha256 of
its bytes), and every generated file (sha256 of the file, and of its rendering before
formatting). `is_current` answers "would generating again give the same bytes?" by
hashing inputs and outputs only: no parsing, no rendering. `generate` trusts it;
`check` never does (it regenerates in memory and compares).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Collection, Mapping
from functools import cache
from importlib.resources import files as package_files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from . import __version__

__all__ = [
    "MANIFEST",
    "Formatted",
    "extra_files",
    "generator_digest",
    "is_current",
    "manifest_text",
    "read_inside",
    "read_manifest",
    "sha256",
    "tree_digest",
]

MANIFEST = ".oagen-manifest.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def generator_digest() -> str:
    """A digest of oagen's code, templates and runtime (they decide the output)."""
    return tree_digest(Path(__file__).resolve().parent, package_files("oagen.templates"))


def tree_digest(code: Path, templates: Traversable) -> str:
    """The digest of the oagen whose modules are in `code` and templates in
    `templates`, the same however it is installed: an editable install keeps the
    templates next to `code` (`templates/`), a wheel inside it (`oagen/templates/`,
    whose runtime modules are not oagen's code)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(code.rglob("*.py")):
        name = path.relative_to(code).as_posix()
        if not name.startswith("templates/"):
            digest.update(name.encode() + b"\0" + path.read_bytes())
    for folder in ("package", "runtime"):
        for entry in sorted(templates.joinpath(folder).iterdir(), key=lambda e: e.name):
            if entry.is_file():
                digest.update(f"{folder}/{entry.name}".encode() + b"\0" + entry.read_bytes())
    return digest.hexdigest()


def templates_digest(folder: Path | None) -> str | None:
    """A digest of a `--templates` override folder (None without one)."""
    if folder is None:
        return None
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def manifest_text(
    files: Mapping[str, str],
    *,
    spec_name: str,
    inputs: Mapping[str, str],
    options: Mapping[str, Any],
    sources: Mapping[str, str],
    plans: Mapping[str, str],
    known: Mapping[str, str] | None = None,
) -> str:
    """The manifest of `files` (which must not include the manifest itself).
    `known`: the sha256 of files whose digest is known already (taken from disk).

    `sources` maps each Python file to the sha256 of its rendering before formatting:
    a later run whose rendering is the same reuses the formatted file. `plans` maps
    a model or resource module to its plan key (`plan.reuse`): a later run with the same key,
    generator, options and spec name reuses the file without planning it.
    """
    data = {
        "generator": f"oagen {__version__}",
        "generator_digest": generator_digest(),
        "spec": spec_name,
        "inputs": {key: inputs[key] for key in sorted(inputs)},
        "options": dict(sorted(options.items())),
        "files": {
            path: (known or {}).get(path) or sha256(files[path].encode("utf-8"))
            for path in sorted(files)
        },
        "sources": {path: sources[path] for path in sorted(sources)},
        "plans": {path: plans[path] for path in sorted(plans)},
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=True) + "\n"


class Formatted:
    """The formatted files of a previous output that generating again would reproduce:
    made by this generator with this formatter, from the same rendering (or, with
    the same options and spec name, from the same plan key), and on disk as
    recorded. The manifest is trusted here; `check` does not use this."""

    def __init__(
        self, out: Path, formatter: str, options: Mapping[str, Any], spec_name: str
    ) -> None:
        self._out = out
        self._recorded: dict[str, tuple[Any, Any]] = {}
        self._plans: dict[str, Any] = {}
        self._kept: dict[str, tuple[str, str]] = {}
        self._folders: set[str] = set()  # see `read_inside`
        # the files taken from disk (as read, and matching the manifest): their digests
        self.digests: dict[str, str] = {}
        data = read_manifest(out)
        if data is None or data.get("generator_digest") != generator_digest():
            return
        recorded, sources = data.get("options"), data.get("sources")
        if not isinstance(recorded, dict) or recorded.get("formatter") != formatter:
            return
        if not isinstance(sources, dict):
            return
        files = data["files"]
        self._recorded = {p: (d, files.get(p)) for p, d in sources.items()}
        plans = data.get("plans")
        same = recorded == dict(sorted(options.items())) and data.get("spec") == spec_name
        if same and isinstance(plans, dict):
            self._plans = plans

    def take(self, path: str, rendered: str) -> str | None:
        """The file at `path` as it is on disk, if it is what `rendered` formats to."""
        source, formatted = self._recorded.get(path, (None, None))
        if source is None or source != sha256(rendered.encode("utf-8")):
            return None
        return self._on_disk(path, formatted)

    def reusable(self, path: str, key: str) -> bool:
        """Whether the file at `path` was made from the plan key `key` and is on disk
        as recorded (then `kept` gives it)."""
        if self._plans.get(path) != key:
            return False
        source, formatted = self._recorded.get(path, (None, None))
        text = self._on_disk(path, formatted) if isinstance(source, str) else None
        if text is None:
            return False
        self._kept[path] = (text, source)
        return True

    def kept(self, path: str) -> tuple[str, str]:
        """The text of a file `reusable` accepted, and the digest of its rendering."""
        return self._kept.pop(path)

    def _on_disk(self, path: str, formatted: Any) -> str | None:
        disk = read_inside(self._out, path, self._folders)
        if disk is None or sha256(disk) != formatted:
            return None
        self.digests[path] = formatted
        return disk.decode("utf-8")


def read_inside(folder: Path, rel: str, folders: set[str] | None = None) -> bytes | None:
    """The bytes of the regular file `folder/rel`, or None when it is missing, not a
    regular file, or reached through a symlink or `..` (an output folder's manifest is
    untrusted input: nothing it names may lead oagen out of the folder).

    `rel` is a manifest path: segments joined by "/", none empty, "." or "..". Its
    folders are checked with `lstat` (once per run of reads sharing `folders`, the
    folders found real so far), the file itself is opened without following a
    symlink (and without blocking on a FIFO), then checked through its descriptor."""
    parts = rel.split("/")
    if any(part in _NOT_A_NAME for part in parts):
        return None
    checked = folders if folders is not None else set()
    try:
        current = os.fspath(folder)
        for part in parts[:-1]:
            current = os.path.join(current, part)
            if current not in checked:
                if not stat.S_ISDIR(os.lstat(current).st_mode):
                    return None
                checked.add(current)
        fd = os.open(os.path.join(current, parts[-1]), _OPEN_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        chunks = []
        while chunk := os.read(fd, info.st_size + 1):  # at once, unless it grew
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


_NOT_A_NAME = frozenset({"", ".", ".."})
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def read_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest of the folder `out`, or None when it has no valid one: read as any
    file of the folder is (`read_inside`: a symlink, a FIFO or a device where the
    manifest belongs is none)."""
    raw = read_inside(out, MANIFEST)
    try:
        data = json.loads(raw.decode("utf-8")) if raw is not None else None
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    files = data.get("files")
    if isinstance(files, list) and all(isinstance(f, str) for f in files):
        data["files"] = dict.fromkeys(files, "")  # an older manifest: names only
    elif not isinstance(files, dict):
        return None
    return data


def is_current(spec: Path, out: Path, options: Mapping[str, Any]) -> bool:
    """Whether `out` holds exactly what `spec` generates with `options`, judged from
    the manifest: same generator, options and input bytes; every file as recorded."""
    data = read_manifest(out)
    if data is None or data.get("generator_digest") != generator_digest():
        return False
    if data.get("options") != dict(sorted(options.items())):
        return False
    inputs = data.get("inputs")
    if not isinstance(inputs, dict) or spec.name not in inputs:
        return False
    base = spec.parent
    if any(str(key).startswith(("http://", "https://")) for key in inputs):
        return False  # a remote document may have changed: always regenerate
    recorded: dict[str, Any] = data["files"]
    folders: set[str] = set()
    return (
        _all_match(base, inputs)
        and all(_digest_of(read_inside(out, p, folders)) == d for p, d in recorded.items())
        and not extra_files(out, {MANIFEST, *recorded})
    )


def _all_match(folder: Path, digests: Mapping[str, Any]) -> bool:
    """Whether every file named in `digests` exists below `folder` with that sha256."""
    for path, digest in digests.items():
        try:
            if sha256((folder / path).read_bytes()) != digest:
                return False
        except OSError:
            return False
    return True


def _digest_of(data: bytes | None) -> str | None:
    return None if data is None else sha256(data)


def extra_files(out: Path, known: Collection[str]) -> list[str]:
    """The files below `out` whose manifest paths are not in `known`, in path order
    (`__pycache__` folders passed over; symlinked folders not followed)."""
    found: list[str] = []
    pending = [("", os.fspath(out))]
    while pending:
        prefix, folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue  # gone, or not a folder
        for entry in entries:
            rel = prefix + entry.name
            try:
                if entry.name == "__pycache__":
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append((rel + "/", entry.path))
                elif entry.is_file() and rel not in known:
                    found.append(rel)
            except OSError:
                continue  # gone meanwhile, or a link that cannot be followed
    return sorted(found, key=lambda rel: rel.split("/"))
