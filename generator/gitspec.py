"""`git:REV:PATH` spec arguments: the spec (and the spec files beside it, for relative
`$ref`s) as they were at a revision, written into a temporary folder."""

from __future__ import annotations

import posixpath
import subprocess
from pathlib import Path

__all__ = ["GitError", "materialize", "spec_path"]

_SPEC_SUFFIXES = (".yaml", ".yml", ".json")


class GitError(OSError):
    """A `git:REV:PATH` argument could not be materialized."""


def spec_path(source: str) -> str:
    """The file path part of a spec argument (`git:REV:PATH` or a plain path)."""
    return source.split(":", 2)[-1] if source.startswith("git:") else source


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {detail[-1] if detail else done.returncode}")
    return done.stdout


def materialize(source: str, tmp: Path) -> Path:
    """Write the spec `git:REV:PATH` names, and the spec files of its folder (for
    relative `$ref`s), as they are at REV into `tmp`; return the spec's path there.
    PATH is relative to the repository root, or to the current folder with `./`/`../`."""
    rev, _, path = source[len("git:") :].partition(":")
    if not rev or not path:
        raise GitError(f"{source}: expected git:REV:PATH")
    cwd = Path.cwd()
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).decode().strip())
    if path.startswith(("./", "../")):
        prefix = _git(["rev-parse", "--show-prefix"], cwd).decode().strip()
        path = posixpath.normpath(posixpath.join(prefix, path))
    folder = posixpath.dirname(path)
    listing = _git(["ls-tree", "-r", "-z", "--name-only", rev, "--", folder or "."], top)
    names = [n for n in listing.decode().split("\0") if n and "\n" not in n]
    if path not in names:
        raise GitError(f"{source}: {path} does not exist at {rev}")
    wanted = [path, *(n for n in names if n != path and n.lower().endswith(_SPEC_SUFFIXES))]
    batch = _git(["cat-file", "--batch"], top, "".join(f"{rev}:{n}\n" for n in wanted).encode())
    offset = 0
    for name in wanted:
        end = batch.index(b"\n", offset)
        size = int(batch[offset:end].split()[2])
        target = tmp / posixpath.relpath(name, folder or ".")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(batch[end + 1 : end + 1 + size])
        offset = end + 1 + size + 1
    return tmp / posixpath.basename(path)
