"""Regeneration after an edit of one `description` or `summary` in a JSON spec.

On a big spec a full generation spends most of its time loading, building and
planning, and every file changes on any edit (each header names the spec's digest).
When the spec differs from the one the output was made from only inside one
documentation string, the IR is the same but for that string. `record` keeps what a
later run needs (the spec's bytes, the IR in pieces, which parts of the IR hold each
documentation string, the findings) in a cache folder outside the output;
`regenerate` finds the edited string, patches the parts of the IR holding it, plans,
renders and formats only the files made from those parts, and gives every other file
its new header.

The result is byte for byte what a full generation gives (tests/test_docedit.py
checks every documentation string of several specs). Any other situation (another
kind of edit, a YAML spec, several documents, an output edited by hand, a missing,
stale or unreadable cache) makes `regenerate` return None, and the caller generates
in full. A cache is only an optimisation: failing to write one is not an error.
"""

from __future__ import annotations

import bisect
import contextlib
import copyreg
import hashlib
import io
import os
import pickle
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any, NamedTuple

from . import ir
from .build.docs import DocReads
from .diagnostics import Diagnostic, SourceLocation, pointer_join
from .format import Formatter, format_sources
from .ir import Api, Definition, Model, PyIdent, Resource
from .jsontext import SKIPPER, WHITESPACE, json_children
from .load import MAX_FILE_BYTES, spec_digest
from .manifest import MANIFEST, body_digest, generator_digest, manifest_text, read_manifest, sha256
from .options import Options
from .parallel import detached
from .plan import ModelLayout, plan_jobs, resource_list, resource_path
from .pytypes import Definitions
from .render import header, render, with_header

__all__ = [
    "Recording",
    "Regenerated",
    "cache_folder",
    "find_edit",
    "record",
    "record_detached",
    "regenerate",
]

STATE = "state.pickle"
STATE_FORMAT = 1
DOC_KEYS = ("description", "summary")

# Where a documentation string sits in the IR: the part (`("api",)`, `("resource", i)`,
# `("root",)`, `("definition", module, name)`) and the attribute path inside it.
Item = tuple[Any, ...]
Location = tuple[Item, tuple[str | int, ...]]


class Regenerated(NamedTuple):
    files: dict[str, str]
    diagnostics: tuple[Diagnostic, ...]
    operations: int
    models: int
    remade: int  # files planned, rendered and formatted again


def cache_folder(out: Path) -> Path | None:
    """The cache folder of the output folder `out`: below `$OAGEN_CACHE_DIR`, else
    `$XDG_CACHE_HOME/oagen`, else `~/.cache/oagen`. `OAGEN_CACHE_DIR=""` turns
    caching off (None)."""
    configured = os.environ.get("OAGEN_CACHE_DIR")
    if configured is not None:
        if not configured:
            return None
        root = Path(configured)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        try:
            root = Path(xdg) / "oagen" if xdg else Path.home() / ".cache" / "oagen"
        except RuntimeError:  # no home folder
            return None
    name = hashlib.sha256(str(out.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return root / name[:32]


# -- pickling the IR -----------------------------------------------------------------


def _ir_classes() -> dict[str, type]:
    return {
        name: cls
        for name in ir.__all__
        if isinstance(cls := getattr(ir, name), type) and is_dataclass(cls)
    }


def _reducer(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    names = tuple(f.name for f in fields(cls))
    return lambda obj: (cls, tuple(getattr(obj, n) for n in names))


# The frozen, slotted dataclasses pickle through Python-level __getstate__ calls;
# rebuilding them from their fields is twice as fast both ways.
_DISPATCH = {**copyreg.dispatch_table, **{c: _reducer(c) for c in _ir_classes().values()}}


def _dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _DISPATCH
    pickler.dump(value)
    return buffer.getvalue()


class _Unpickler(pickle.Unpickler):
    """Only what a cache holds: the IR's classes and plain data."""

    allowed = {("generator.ir", name) for name in _ir_classes()} | {
        ("builtins", "frozenset"),
        ("builtins", "set"),
    }

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.allowed:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache")
        return super().find_class(module, name)


def _loads(data: bytes) -> Any:
    return _Unpickler(io.BytesIO(data)).load()


# -- recording ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recording:
    """What a full generation hands to `record`."""

    api: Api
    reads: DocReads
    layout: ModelLayout
    recursive: frozenset[PyIdent]
    key: str  # the spec document's key (its file name)
    display: str
    path: Path  # the spec file (read again by `record`, checked against the IR's digest)
    is_json: bool
    documents: int
    options: dict[str, Any]
    formatter: Formatter
    strict: bool
    operations: int
    models: int


def record_detached(recording: Recording, diagnostics: Sequence[Diagnostic], cache: Path) -> None:
    """`record` by a detached process, holding the cache's lock from now until it is
    done (so a run that starts before then waits for it instead of reading the
    previous state)."""
    lock = _lock(cache)
    if lock is None:
        return
    try:
        detached(lambda: record(recording, diagnostics, cache))
    finally:
        os.close(lock)  # the detached process holds the lock until it ends
    # The IR stays referenced until the next generation here: freed now, while the
    # process writing the cache shares its memory pages, every page of it would first
    # be copied (tens of milliseconds for GitHub's).
    _SHARED[:] = [recording]


_SHARED: list[object] = []


def _lock(cache: Path) -> int | None:
    """A descriptor holding the cache folder's lock (waits for the holder); None
    when the folder cannot be made or locked."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        fd = os.open(cache / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        if sys.platform != "win32":  # (where nothing runs detached: no lock needed)
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:
        os.close(fd)
        return None
    return fd


def record(recording: Recording, diagnostics: Sequence[Diagnostic], cache: Path) -> None:
    """Write the cache `regenerate` needs after this generation (quietly nothing when
    the spec cannot take the fast path, or the cache cannot be written)."""
    if not recording.is_json or recording.documents != 1:
        _remove(cache)
        return
    api, layout = recording.api, recording.layout
    try:
        raw = recording.path.read_bytes()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        _remove(cache)
        return
    if _spec_digest(recording.key, raw) != api.spec_sha256:
        _remove(cache)  # the file changed since it was loaded
        return
    docs, ambiguous, traced = _trace(api, recording.reads, layout, recording.key)
    if not traced:
        _remove(cache)
        return
    by_name = {d.name: d for d in api.definitions}
    groups = {
        module: _dumps(tuple(by_name[n] for n in names))
        for module, (names, _) in layout.groups.items()
    }
    state = {
        "format": STATE_FORMAT,
        "generator_digest": generator_digest(),
        "options": recording.options,
        "formatter": recording.formatter,
        "strict": recording.strict,
        "key": recording.key,
        "display": recording.display,
        "spec": raw,
        "spec_sha256": api.spec_sha256,
        "index": _outline(text),
        "shell": _dumps(replace(api, definitions=(), resources=(), root=None)),
        "resources": [_dumps(r) for r in api.resources],
        "root": None if api.root is None else _dumps(api.root),
        "groups": groups,
        "modules": layout.modules,
        "module_groups": layout.groups,
        "recursive": recording.recursive,
        "docs": docs,
        "ambiguous": ambiguous,
        "diagnostics": [_diagnostic_row(d) for d in diagnostics],
        "operations": recording.operations,
        "models": recording.models,
    }
    _write_state(cache, state)


def _outline(text: str, depth: int = 3) -> dict[int, list[tuple[int, str]]]:
    """The offsets of the values inside the containers of the top `depth` levels of
    the JSON `text`, by the container's offset: where `_segments_at` finds its way
    without decoding everything before a string deep in a big spec."""
    out: dict[int, list[tuple[int, str]]] = {}
    level = [WHITESPACE.match(text, 0).end()]  # type: ignore[union-attr]
    for _ in range(depth):
        below: list[int] = []
        for offset in level:
            children = json_children(text, offset)
            if children:
                out[offset] = sorted((start, key) for key, start in children.items())
                below.extend(children.values())
        level = below
    return out


def _trace(
    api: Api, reads: DocReads, layout: ModelLayout, key: str
) -> tuple[dict[str, list[Location]], frozenset[str], bool]:
    """Pointer of each documentation string of the root document -> where the IR
    holds it; the pointers whose string object others share (a one-character string
    is one object wherever it appears); whether every IR string was traced."""
    origins: dict[int, set[str]] = {}
    for value, where, name in reads.items:
        place = pointer_join(where.pointer, name) if where.document == key else "?"
        origins.setdefault(id(value), set()).add(place)
    docs: dict[str, list[Location]] = {}
    ambiguous: set[str] = set()
    for item, path, value in _doc_strings(api, layout):
        places = origins.get(id(value))
        if places is None:
            return {}, frozenset(), False  # a string of unknown origin: no fast path
        if len(places) > 1:
            ambiguous.update(places)
        for place in places:
            docs.setdefault(place, []).append((item, path))
    return docs, frozenset(ambiguous), True


def _doc_strings(
    api: Api, layout: ModelLayout
) -> Iterator[tuple[Item, tuple[str | int, ...], str]]:
    """Every documentation string of the IR: (part, path inside it, the string)."""
    top: Item = ("api",)
    for name in ("summary", "description"):
        if (value := getattr(api, name)) is not None:
            yield top, (name,), value
    for i, scheme in enumerate(api.security_schemes):
        if scheme.description is not None:
            yield top, ("security_schemes", i, "description"), scheme.description
    for i, resource in enumerate(api.resources):
        yield from _resource_strings(("resource", i), resource)
    if api.root is not None:
        yield from _resource_strings(("root",), api.root)
    for d in api.definitions:
        item: Item = ("definition", layout.modules[d.name], d.name)
        if d.description is not None:
            yield item, ("description",), d.description
        if isinstance(d, Model):
            for k, f in enumerate(d.fields):
                if f.description is not None:
                    yield item, ("fields", k, "description"), f.description


def _resource_strings(
    item: Item, resource: Resource
) -> Iterator[tuple[Item, tuple[str | int, ...], str]]:
    if resource.description is not None:
        yield item, ("description",), resource.description
    for j, op in enumerate(resource.operations):
        base: tuple[str | int, ...] = ("operations", j)
        if op.summary is not None:
            yield item, (*base, "summary"), op.summary
        if op.description is not None:
            yield item, (*base, "description"), op.description
        for k, p in enumerate(op.params):
            if p.description is not None:
                yield item, (*base, "params", k, "description"), p.description
        if op.body is not None and op.body.description is not None:
            yield item, (*base, "body", "description"), op.body.description
        for group in ("successes", "errors"):
            for k, r in enumerate(getattr(op, group)):
                if r.description is not None:
                    yield item, (*base, group, k, "description"), r.description


def _diagnostic_row(d: Diagnostic) -> tuple[Any, ...]:
    loc = d.location
    where = None if loc is None else (loc.file, loc.line, loc.column)
    return (d.severity, d.message, d.pointer, where)


def _write_state(cache: Path, state: dict[str, Any]) -> None:
    """`state` into `cache` atomically (a reader sees the old state or the new one)."""
    with contextlib.suppress(OSError):
        cache.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache, prefix=".state-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache / STATE)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


KEPT = 16  # caches kept (of the most recently generated output folders)


def _prune(cache: Path) -> None:
    """Remove the caches of all but the `KEPT` output folders generated last (each
    output folder has its own: a cache root must not grow without end)."""
    with contextlib.suppress(OSError):
        others: list[tuple[float, Path]] = []
        for folder in cache.parent.iterdir():
            state = folder / STATE
            if folder != cache and state.is_file():
                others.append((state.stat().st_mtime, folder))
        for _, folder in sorted(others, reverse=True)[KEPT - 1 :]:
            shutil.rmtree(folder, ignore_errors=True)


def _remove(cache: Path) -> None:
    with contextlib.suppress(OSError):
        (cache / STATE).unlink(missing_ok=True)


def _read_state(cache: Path) -> dict[str, Any] | None:
    try:
        data = (cache / STATE).read_bytes()
        state = _loads(data)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT:
        return None
    return state


# -- finding the edit ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Edit:
    pointer: str  # of the edited string, `#/...`
    value: str  # its new text
    line: int  # 1-based line of the string's opening quote (the same in both texts)
    column: int  # 1-based column of that quote
    offset: int  # of the string's opening quote (the same in both texts)
    delta: int  # characters added (negative: removed)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def find_edit(
    old: str, new: str, outline: Mapping[int, list[tuple[int, str]]] | None = None
) -> Edit | None:
    """The one documentation string whose text is all that differs between the
    JSON texts `old` (valid) and `new`, or None. `outline`: `_outline(old)`."""
    start = _common_prefix(old, new)
    if start == len(old) == len(new):
        return None
    tail = _common_suffix(old, new, min(len(old), len(new)) - start)
    old_end = len(old) - tail  # the change: old[start:old_end] -> new[start:len(new)-tail]
    # a raw line break is never inside a JSON string: tokenize from the line's start
    line_start = old.rfind("\n", 0, start) + 1
    token = None
    for match in _STRING.finditer(old, line_start):
        if match.end() > start:
            token = match
            break
    if token is None or not token.start() < start or old_end > token.end() - 1:
        return None  # not strictly inside one string (its quotes unchanged)
    delta = len(new) - len(old)
    try:
        before, _ = scanstring(old, token.start() + 1)
        after, after_end = scanstring(new, token.start() + 1)
        after.encode("utf-8")  # no lone surrogate
    except (ValueError, UnicodeEncodeError):
        return None
    if after_end != token.end() + delta or not before.strip() or not after.strip():
        return None  # the new text ends the string elsewhere, or one of them is blank
    segments = _segments_at(old, token.start(), outline or {})
    if not segments or segments[-1] not in DOC_KEYS or _in_value(segments):
        return None
    return Edit(
        pointer_join("#", *segments),
        after,
        old.count("\n", 0, token.start()) + 1,
        token.start() - line_start + 1,
        token.start(),
        delta,
    )


# keywords whose values are data the IR copies as a whole (a default object holding a
# "description" key is not documentation), unless they name a property or response
_VALUES = frozenset({"default", "enum", "const", "example", "examples"})


def _in_value(segments: list[str]) -> bool:
    return any(
        s in _VALUES and (i == 0 or segments[i - 1] not in ("properties", "responses"))
        for i, s in enumerate(segments[:-1])
    )


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix of `a` and `b` (compared in blocks)."""
    size, block, start = min(len(a), len(b)), 1 << 16, 0
    while start < size and a[start : start + block] == b[start : start + block]:
        start += block
    end = min(start + block, size)
    while start < end and a[start] == b[start]:
        start += 1
    return start


def _common_suffix(a: str, b: str, limit: int) -> int:
    """The length of the longest common suffix of `a` and `b`, at most `limit`."""
    block, count = 1 << 16, 0
    while (
        count + block <= limit
        and a[len(a) - count - block : len(a) - count]
        == (b[len(b) - count - block : len(b) - count])
    ):
        count += block
    while count < limit and a[len(a) - count - 1] == b[len(b) - count - 1]:
        count += 1
    return count


def _segments_at(
    text: str, target: int, outline: Mapping[int, list[tuple[int, str]]]
) -> list[str] | None:
    """The pointer segments of the JSON value starting at offset `target` of the
    valid JSON `text` (None when no value starts there): containers are entered
    until the value is reached, found in `outline` or else by skipping the values
    before it with the C decoder."""
    ws = WHITESPACE.match
    position = ws(text, 0).end()  # type: ignore[union-attr]
    segments: list[str] = []
    while position != target:
        children = outline.get(position)
        if children is not None:
            at = bisect.bisect_right(children, target, key=lambda child: child[0]) - 1
            if at < 0:
                return None
            position, key = children[at]
            segments.append(key)
            continue
        opener = text[position]
        if opener not in "{[":
            return None
        closer = "}" if opener == "{" else "]"
        position = ws(text, position + 1).end()  # type: ignore[union-attr]
        index = 0
        while True:
            if text[position] == closer:
                return None
            if opener == "{":
                key, position = scanstring(text, position + 1)
                colon = ws(text, position).end()  # type: ignore[union-attr]
                position = ws(text, colon + 1).end()  # type: ignore[union-attr]
            else:
                key = str(index)
            if position == target:
                segments.append(key)
                return segments
            _, end = SKIPPER.raw_decode(text, position)
            if end > target:
                segments.append(key)
                break  # the value holds the target: enter it
            position = ws(text, end).end()  # type: ignore[union-attr]
            if text[position] == ",":
                position = ws(text, position + 1).end()  # type: ignore[union-attr]
            index += 1
    return segments


# -- regenerating -------------------------------------------------------------------


class _Index(Definitions):
    """`Definitions` whose definitions are unpickled from the cache on first use."""

    def __init__(self, state: dict[str, Any], loaded: dict[str, dict[PyIdent, Definition]]):
        self.by_name = _LazyDefinitions(state, loaded)
        self.recursive = state["recursive"]


class _LazyDefinitions(Mapping[PyIdent, Definition]):
    def __init__(self, state: dict[str, Any], loaded: dict[str, dict[PyIdent, Definition]]):
        self._state = state
        self._loaded = loaded  # module -> its definitions (patched ones included)

    def __getitem__(self, name: PyIdent) -> Definition:
        module = self._state["modules"][name]  # KeyError: not a definition
        return _group(self._state, self._loaded, module)[name]

    def __iter__(self) -> Iterator[PyIdent]:
        return iter(self._state["modules"])

    def __len__(self) -> int:
        return len(self._state["modules"])


def _group(
    state: dict[str, Any], loaded: dict[str, dict[PyIdent, Definition]], module: str
) -> dict[PyIdent, Definition]:
    found = loaded.get(module)
    if found is None:
        found = loaded[module] = {d.name: d for d in _loads(state["groups"][module])}
    return found


class _NoDefinitions(tuple):  # type: ignore[type-arg]
    """`Api.definitions` on the fast path: they are reached through the index only;
    a planner iterating them would see none, so it is stopped instead."""

    def __iter__(self) -> Iterator[Definition]:
        raise RuntimeError("docedit: a planner read Api.definitions")

    def __len__(self) -> int:
        raise RuntimeError("docedit: a planner read Api.definitions")


def regenerate(
    path: Path,
    out: Path,
    cache: Path,
    options: Options,
    formatter: Formatter,
    strict: bool,
) -> Regenerated | None:
    """The package for the spec at `path` when it differs from the one `out` was
    generated from (as recorded in `cache`) by one documentation string; else None."""
    lock = _lock(cache)
    if lock is None:
        return None
    try:
        return _regenerate(path, out, cache, options, formatter, strict)
    finally:
        os.close(lock)


def _regenerate(
    path: Path,
    out: Path,
    cache: Path,
    options: Options,
    formatter: Formatter,
    strict: bool,
) -> Regenerated | None:
    recorded_options = options.recorded(path)
    manifest = read_manifest(out)
    if (
        manifest is None
        or manifest.get("generator_digest") != generator_digest()
        or manifest.get("options") != dict(sorted(recorded_options.items()))
        or manifest.get("formatted") is not (formatter != "none")
        or not isinstance(manifest.get("sources"), dict)
    ):
        return None  # (before the cache is read: most runs end here, the cache unread)
    state = _read_state(cache)
    if state is None or state["generator_digest"] != generator_digest():
        return None
    if (
        state["options"] != recorded_options
        or state["formatter"] != formatter
        or state["strict"] != strict
        or state["key"] != path.resolve().name
    ):
        return None
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        raw = path.read_bytes()
        old_text = state["spec"].decode("utf-8-sig")
        new_text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if not (path.suffix.lower() == ".json" or new_text.lstrip()[:1] in ("{", "[")):
        return None  # parsed as YAML: the edit cannot be found in the text
    disk = _previous_output(out, manifest, state)
    if disk is None:
        return None
    edit = find_edit(old_text, new_text, state["index"])
    if edit is None or edit.pointer in state["ambiguous"]:
        return None
    locations: list[Location] = state["docs"].get(edit.pointer, [])
    if not locations:
        return None  # not a string the IR took (it may be inside a value it copies)
    key = state["key"]
    old_sha = state["spec_sha256"]
    new_sha = _spec_digest(key, raw)

    # the parts of the IR holding the string, patched
    shell: Api = _loads(state["shell"])
    resources: list[Resource] = [_loads(r) for r in state["resources"]]
    root: Resource | None = None if state["root"] is None else _loads(state["root"])
    loaded: dict[str, dict[PyIdent, Definition]] = {}
    touched: set[Item] = set()
    for item, attribute_path in locations:
        touched.add(item)
        if item[0] == "definition":
            group = _group(state, loaded, item[1])
            group[item[2]] = _patch(group[item[2]], attribute_path, edit.value)
        elif item[0] == "resource":
            resources[item[1]] = _patch(resources[item[1]], attribute_path, edit.value)
        elif item[0] == "root":
            assert root is not None
            root = _patch(root, attribute_path, edit.value)
        else:
            shell = _patch(shell, attribute_path, edit.value)
    api = replace(
        shell,
        spec_sha256=new_sha,
        resources=tuple(resources),
        root=root,
        definitions=_NoDefinitions(),
    )
    index = _Index(state, loaded)
    layout = ModelLayout(state["modules"], state["module_groups"])
    meta = tuple(recorded_options["meta"])
    jobs = plan_jobs(api, meta=meta, index=index, layout=layout)
    prefix = api.package_name.replace(".", "/") + "/" if "pyproject" in meta else ""
    affected = _affected(touched, api, prefix, jobs)

    # render and format those files; every other one keeps its body
    sources = render(
        [jobs[p]() for p in sorted(affected)], api.spec_name, new_sha, options.templates
    )
    formatted = format_sources(sources, formatter)
    old_line, new_line = header(api.spec_name, old_sha), header(api.spec_name, new_sha)
    files: dict[str, str] = {}
    for name, text in disk.items():
        if name in formatted:
            files[name] = formatted[name]
            continue
        old_head, new_head = with_header(name, old_line, ""), with_header(name, new_line, "")
        if not text.startswith(old_head):
            return None
        files[name] = new_head + text[len(old_head) :]
    if set(formatted) - set(disk):
        return None  # a file the last run did not make: not a documentation edit
    digests = dict(manifest["sources"])
    digests.update((p, body_digest(t)) for p, t in sources.items() if p.endswith(".py"))
    files[MANIFEST] = manifest_text(
        files,
        spec_name=api.spec_name,
        inputs={key: sha256(raw)},
        options=recorded_options,
        sources=digests,
        formatted=formatter != "none",
    )
    display = str(path)  # as `load` names the spec in findings
    diagnostics = tuple(
        _shifted(row, edit, state["display"], display) for row in state["diagnostics"]
    )
    state["display"] = display

    # the cache follows the new spec
    state["spec"] = raw
    state["spec_sha256"] = new_sha
    state["index"] = {
        _moved(o, edit): [(_moved(c, edit), k) for c, k in children]
        for o, children in state["index"].items()
    }
    state["shell"] = _dumps(replace(shell, definitions=(), resources=(), root=None))
    for item in touched:
        if item[0] == "resource":
            state["resources"][item[1]] = _dumps(resources[item[1]])
        elif item[0] == "root":
            state["root"] = _dumps(root)
        elif item[0] == "definition":
            state["groups"][item[1]] = _dumps(tuple(loaded[item[1]].values()))
    state["diagnostics"] = [_diagnostic_row(d) for d in diagnostics]
    _write_state(cache, state)
    return Regenerated(files, diagnostics, state["operations"], state["models"], len(affected))


def _moved(offset: int, edit: Edit) -> int:
    """Where what was at `offset` is after `edit` (which is inside one string)."""
    return offset + edit.delta if offset > edit.offset else offset


def _spec_digest(key: str, raw: bytes) -> str:
    """`Spec.sha256` of a spec of one document (see `load`): of its UTF-8 text."""
    return spec_digest([(key, raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)])


def _previous_output(
    out: Path, manifest: dict[str, Any], state: dict[str, Any]
) -> dict[str, str] | None:
    """The files of `out` (not its manifest), when its `manifest` says they were
    made from the cached spec and they are on disk as recorded."""
    if manifest.get("inputs") != {state["key"]: sha256(state["spec"])}:
        return None
    files: dict[str, str] = {}
    for name, digest in manifest["files"].items():
        try:
            data = (out / name).read_bytes()
        except OSError:
            return None
        if sha256(data) != digest:
            return None  # edited by hand: a full run puts it right
        files[name] = data.decode("utf-8")
    return files


def _affected(
    touched: set[Item], api: Api, prefix: str, jobs: Mapping[str, Callable[[], object]]
) -> set[str]:
    """The files made from the parts `touched`: a definition's module; a resource's
    module and the package-level files (client, README, `__init__`)."""
    out: set[str] = set()
    package_level = False
    resources = resource_list(api)
    for item in touched:
        if item[0] == "definition":
            out.add(f"{prefix}models/{item[1]}.py")
        elif item[0] == "resource":
            out.add(prefix + resource_path(resources[item[1]]))
            package_level = True
        elif item[0] == "root":
            assert api.root is not None
            out.add(prefix + resource_path(api.root))
            package_level = True
        else:
            package_level = True
    if package_level:
        out.update(
            p
            for p in jobs
            if not p.startswith((f"{prefix}models/", f"{prefix}resources/"))
            or p == f"{prefix}resources/__init__.py"
        )
        out -= {prefix + name for name in _static_files()}
    return out


def _static_files() -> Sequence[str]:
    from .plan import RUNTIME_FILES

    return (*RUNTIME_FILES, "py.typed")


def _patch(obj: Any, path: Sequence[str | int], value: str) -> Any:
    """`obj` (a frozen dataclass or tuple) with the attribute at `path` set to `value`."""
    head, rest = path[0], path[1:]
    if isinstance(obj, tuple):
        assert isinstance(head, int)
        items = list(obj)
        items[head] = _patch(items[head], rest, value) if rest else value
        return tuple(items)
    assert isinstance(head, str)
    return replace(obj, **{head: _patch(getattr(obj, head), rest, value) if rest else value})


def _shifted(row: tuple[Any, ...], edit: Edit, old_display: str, display: str) -> Diagnostic:
    """A finding of the last run, its column moved if it is after the edited string
    on the same line (lines are the same: a JSON string holds no line break), its
    file named as this run names the spec."""
    severity, message, pointer, where = row
    location = None
    if where is not None:
        file, line, column = where
        file = display if file == old_display else file
        if line == edit.line and column > edit.column:
            column += edit.delta
        location = SourceLocation(file, line, column)
    return Diagnostic(severity, message, pointer, location)
