"""Stage 1, load: spec files -> `Spec` (data plus source positions), relative file refs included.

YAML is composed into nodes to keep every value's line and column, to reject duplicate
keys and non-JSON tags, and to bound alias expansion (`yamltext.py`, imported for YAML
only); JSON goes through the fast C parser (`jsontext.py`) and positions are looked up
on demand, only when a diagnostic needs one.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

from .diagnostics import Diagnostic, SourceLocation, SpecError, Where, pointer_join
from .jsontext import (
    NO_ESCAPES,
    Escapes,
    JsonLocator,
    LoadError,
    Offsets,
    ascii_text,
    parse_json,
)
from .options import LoadPolicy

__all__ = ["Document", "LoadPolicy", "Spec", "load", "ref_key", "split_pointer", "uri_parts"]

# Limits on untrusted input (documented in SECURITY.md): memory and time stay bounded.
MAX_FILE_BYTES = 64 * 1024 * 1024  # per spec file; GitHub's spec is 13 MB
MAX_DEPTH = 250  # nesting of YAML values, within Python's recursion limit (JSON: that limit)
MAX_EXPANDED_NODES = 5_000_000  # YAML values after alias expansion ("billion laughs")
REMOTE_TIMEOUT = 10.0  # seconds for a remote `$ref` in all (only from allowed hosts)


def split_pointer(pointer: str) -> list[str]:
    """`#/a/b~1c` -> `['a', 'b/c']`."""
    body = pointer[1:] if pointer.startswith("#") else pointer
    if not body:
        return []
    return [s.replace("~1", "/").replace("~0", "~") for s in body[1:].split("/")]


@dataclass(frozen=True)
class Document:
    """One loaded file. `key` is its path relative to the root spec's folder."""

    key: str
    path: Path
    display: str
    data: Any
    text: str
    is_json: bool
    positions: Mapping[str, tuple[int, int]] = field(repr=False)
    # False when parsing saw no `$ref` naming another file (then nothing is walked)
    has_file_refs: bool = True
    digest: str = ""  # the sha256 of the bytes parsed (what the manifest records)
    escapes: Escapes = field(default=NO_ESCAPES, repr=False, compare=False)  # see `ascii_text`
    # JSON: where the members of its top containers start (see `parse_json`)
    offsets: Offsets = field(default_factory=dict, repr=False, compare=False)
    _json_locator: list[JsonLocator] = field(default_factory=list, repr=False, compare=False)

    @property
    def is_upgraded(self) -> bool:
        """Whether this is a Swagger 2.0 document upgraded to 3.0 (`upgrade`)."""
        return False

    def written_ref(self, ref: str) -> str:
        """A `$ref` of this document as its file says it (see `UpgradedDocument`)."""
        return ref

    def locate(self, pointer: str) -> SourceLocation:
        """Line and column of the value at `pointer` (or of its nearest parent)."""
        if self.is_json:
            if not self._json_locator:  # built on first use: most runs never need it
                self._json_locator.append(JsonLocator(self.text, self.escapes, self.offsets))
            line, column = self._json_locator[0].locate(split_pointer(pointer))
            return SourceLocation(self.display, line, column)
        segments = split_pointer(pointer)
        while True:
            found = self.positions.get(pointer_join("#", *segments))
            if found is not None or not segments:
                line, column = found or (1, 1)
                return SourceLocation(self.display, line, column)
            segments.pop()


@dataclass(frozen=True)
class Spec:
    """The root document and every file it references (by key)."""

    root: Document
    documents: Mapping[str, Document]

    def locate(self, where: Where) -> SourceLocation | None:
        doc = self.documents.get(where.document)
        return None if doc is None else doc.locate(where.pointer)

    def texts(self) -> Spec:
        """This spec without the parsed data: what `locate` needs (texts, positions),
        not the containers that the garbage collector would walk."""
        documents = {key: replace(doc, data=None) for key, doc in self.documents.items()}
        return Spec(documents[self.root.key], documents)


def load(path: Path, display: str | None = None, policy: LoadPolicy | None = None) -> Spec:
    """Load the spec at `path` and, transitively, the documents its `$ref`s name.

    Raises `SpecError` for unreadable, oversized or malformed files, duplicate keys,
    non-JSON YAML tags, and refs the `policy` does not allow (remote documents, files
    outside the spec's folder).
    """
    policy = policy or LoadPolicy()
    root_path = path.resolve()
    base = root_path.parent
    shown = display if display is not None else str(path)
    root = _load_file(root_path, root_path.name, shown)
    documents: dict[str, Document] = {root.key: root}
    pending = [root]
    problems: list[Diagnostic] = []
    while pending:
        doc = pending.pop()
        ids: dict[str, str] | None = None
        for ref, pointer, required in _file_refs(doc.data) if doc.has_file_refs else ():
            ids = schema_ids(doc.data) if ids is None else ids
            if ref.split("#", 1)[0] in ids:
                continue  # a schema this document embeds, named by its `$id`
            # a mapping's file that cannot be loaded is no error: the build warns
            # that the mapping value names no schema
            found = problems if required else []
            key = _allowed_target(doc, ref, base, pointer, policy, found)
            if key is None or key in documents:
                continue
            if key.startswith(("http://", "https://")):
                documents[key] = _fetch(key, doc, pointer, policy)
            else:
                target = base / key
                shown_key = key if Path(key).is_absolute() else str(Path(shown).parent / key)
                documents[key] = _load_file(target, key, shown_key)
            pending.append(documents[key])
    if problems:
        raise SpecError(problems)
    return Spec(root, documents)


def ref_key(doc: Document, ref: str, base: Path) -> str:
    """The key of the document a `$ref` (without fragment) in `doc` names: a URL, a
    POSIX path relative to the root spec's folder, or an absolute one outside it.

    A relative ref is resolved against the document's base URI: its 3.2 `$self` when
    it has one (itself resolved against where the document was read), else where it
    was read. A ref naming the document's own `$self` is the document itself."""
    target = ref.split("#", 1)[0]
    own = _self_uri(doc)
    if own is not None and (_is_url(own) or _is_url(doc.key)):
        identity = urljoin(doc.key, own) if _is_url(doc.key) else own
        resolved = urljoin(identity, target)
        return doc.key if resolved == identity else resolved
    if _is_url(doc.key):
        return urljoin(doc.key, target)
    if _is_url(target):
        return target
    folder = doc.path.parent
    if own is not None:  # a relative `$self`: the document's place, seen from where it is
        identity_path = (folder / unquote(urlsplit(own).path)).resolve()
        if not target:
            return doc.key
        folder = identity_path.parent
        if (folder / unquote(urlsplit(target).path)).resolve() == identity_path:
            return doc.key
    path = (folder / unquote(urlsplit(target).path)).resolve()
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)


def _self_uri(doc: Document) -> str | None:
    """The document's 3.2 `$self` (its base URI), when it declares a usable one."""
    own = doc.data.get("$self") if isinstance(doc.data, dict) else None
    usable = isinstance(own, str) and own.strip() and "#" not in own and uri_parts(own) is not None
    return own if usable else None


def uri_parts(text: str) -> SplitResult | None:
    """`urlsplit(text)`, or None when `text` is no URI reference it can read (an
    unclosed `[` of an IPv6 host raises ValueError there)."""
    try:
        return urlsplit(text)
    except ValueError:
        return None


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def _allowed_target(
    doc: Document,
    ref: str,
    base: Path,
    pointer: str,
    policy: LoadPolicy,
    problems: list[Diagnostic],
) -> str | None:
    def fail(message: str) -> None:
        problems.append(Diagnostic("error", message, pointer, doc.locate(pointer)))

    parts = uri_parts(ref)
    if parts is None:
        fail(f"$ref {ref!r} is not a URI reference")
        return None
    if parts.scheme and parts.scheme not in ("http", "https"):
        fail(f"$ref {ref!r}: {parts.scheme}: references are not allowed")
        return None
    if parts.netloc and not parts.scheme:
        fail(f"remote $ref {ref!r} is not allowed (only files next to the spec)")
        return None
    try:
        key = ref_key(doc, ref, base)
    except (ValueError, OSError) as exc:  # a NUL in the name, a name too long
        fail(f"$ref {ref!r} names no file this system can open ({exc})")
        return None
    if _is_url(key):
        host = urlsplit(key).hostname or ""
        if host not in policy.allowed_hosts:
            via = "" if _is_url(ref) or _is_url(doc.key) else f" (= {key!r}, by `$self`)"
            fail(
                f"remote $ref {ref!r}{via} is not allowed (only files next to the spec; "
                f"--allow-remote-ref {host} allows that host)"
            )
            return None
        return key
    if Path(key).is_absolute() and not policy.allow_outside:
        fail(f"$ref {ref!r} leaves the spec's folder (--allow-ref-outside allows it)")
        return None
    try:
        found = (base / key).is_file()
    except (ValueError, OSError) as exc:
        fail(f"$ref {ref!r} names no file this system can open ({exc})")
        return None
    if not found:
        fail(f"$ref {ref!r}: file not found")
        return None
    return key


def _fetch(url: str, referrer: Document, pointer: str, policy: LoadPolicy) -> Document:
    """A remote document from an allowed host (every redirect hop too), size- and
    time-bounded."""
    from .remote import FetchError, fetch

    try:
        raw = fetch(url, policy.allowed_hosts, REMOTE_TIMEOUT, MAX_FILE_BYTES)
    except FetchError as exc:
        message = f"cannot fetch $ref {url!r}: {exc}"
        raise SpecError([Diagnostic("error", message, pointer, referrer.locate(pointer))]) from None
    return _parse_document(raw, Path(urlsplit(url).path or "remote"), url, url)


def schema_ids(data: Any) -> dict[str, str]:
    """The absolute URIs a document's schemas declare as their `$id` (without a
    fragment) -> the pointer of each: a `$ref` naming one is that schema, never a
    document to fetch (JSON Schema 2020-12's embedded resources)."""
    found: dict[str, str] = {}
    for pointer, own in id_places(data).items():
        parts = uri_parts(own)
        if parts is not None and parts.scheme:
            found.setdefault(own.split("#", 1)[0], pointer)
    return found


def id_places(data: Any) -> dict[str, str]:
    """The pointer of every object of a document declaring a string `$id` -> that
    `$id`, in document order (the schema resources of JSON Schema 2020-12)."""
    return {
        pointer: node["$id"]
        for pointer, node in walk(data)
        if isinstance(node, dict) and isinstance(node.get("$id"), str)
    }


def walk(data: Any) -> Iterator[tuple[str, Any]]:
    """Every container of `data` (objects and arrays, itself first) with its JSON
    pointer, in document order."""
    stack: list[tuple[str, Any]] = [("#", data)]
    while stack:
        pointer, node = stack.pop()
        yield pointer, node
        if isinstance(node, dict):
            items = [(pointer_join(pointer, k), v) for k, v in node.items()]
        elif isinstance(node, list):
            items = [(pointer_join(pointer, i), v) for i, v in enumerate(node)]
        else:
            continue
        stack.extend((p, v) for p, v in reversed(items) if isinstance(v, (dict, list)))


_Path = tuple[Any, Any] | None  # (parent path, key), None at the root


def _file_refs(data: Any) -> Iterator[tuple[str, str, bool]]:
    """Every `$ref` naming another file, with the pointer of the `$ref` value (and
    True: the file is required), and every discriminator mapping value naming one
    (False: a tag is lost without it, nothing else).

    Only containers are walked, each with the path that reached it as a linked tuple
    (parent, key): the pointer is spelled out only for the refs found.
    """
    stack: list[tuple[Any, _Path]] = [(data, None)]
    seen: set[int] = set()
    containers = (dict, list)
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            if id(value) in seen:
                continue
            seen.add(id(value))
            ref = value.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                yield ref, _spell(path) + "/$ref", True
            mapping = value.get("mapping")
            if isinstance(mapping, dict) and isinstance(value.get("propertyName"), str):
                for tag, target in mapping.items():  # a discriminator's
                    if names_file(target):
                        yield target, pointer_join(_spell(path), "mapping", tag), False
            stack.extend((v, (path, k)) for k, v in value.items() if isinstance(v, containers))
        elif isinstance(value, list):
            stack.extend((v, (path, i)) for i, v in enumerate(value) if isinstance(v, containers))


def names_file(value: object) -> bool:
    """Whether a discriminator `mapping` value is a reference naming another file
    (`pets.yaml#/Dog`, `Dog.json`), not a schema's name or a `#/...` reference."""
    return (
        isinstance(value, str)
        and not value.startswith("#")
        and ("#" in value or "/" in value or value.lower().endswith(_FILE_SUFFIXES))
    )


_FILE_SUFFIXES = (".json", ".yaml", ".yml")


def _spell(path: _Path) -> str:
    """The JSON pointer of a linked (parent, key) path."""
    keys: list[str | int] = []
    while path is not None:
        path, key = path
        keys.append(key)
    return pointer_join("#", *reversed(keys))


_LEADING_SPACE = re.compile(rb"\s*")  # before a JSON text's first `{` or `[`


def _load_file(path: Path, key: str, display: str) -> Document:
    def fail(message: str, line: int = 1, column: int = 1) -> SpecError:
        loc = SourceLocation(display, line, column)
        return SpecError([Diagnostic("error", message, "", loc)])

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(f"the file is larger than {MAX_FILE_BYTES} bytes ({size})")
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror}") from None
    return _parse_document(raw, path, key, display)


def _parse_document(raw: bytes, path: Path, key: str, display: str) -> Document:
    def fail(message: str, line: int = 1, column: int = 1, pointer: str = "") -> SpecError:
        loc = SourceLocation(display, line, column)
        return SpecError([Diagnostic("error", message, pointer, loc)])

    digest = hashlib.sha256(raw).hexdigest()
    bom = 3 if raw.startswith(codecs.BOM_UTF8) else 0
    first = _LEADING_SPACE.match(raw, bom).end()  # type: ignore[union-attr]
    is_json = path.suffix.lower() == ".json" or raw[first : first + 1] in (b"{", b"[")
    escaped = ascii_text(raw) if is_json else None  # JSON, mostly ASCII: read as ASCII
    if escaped is not None:
        text, escapes = escaped
    else:
        try:
            text, escapes = raw.decode("utf-8-sig"), NO_ESCAPES
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            raise fail("the file is not valid UTF-8", line, column) from None
    if not text or text.isspace():  # (no stripped copy of a big text)
        raise fail("the file is empty")
    try:
        if is_json:
            file_refs: list[str] = []
            offsets: Offsets = {}
            data = parse_json(text, file_refs, escapes, offsets)
            return Document(
                key, path, display, data, text, True, {}, bool(file_refs), digest, escapes, offsets
            )
        return _yaml_document(text, path, key, display, digest)
    except LoadError as exc:
        if is_json and path.suffix.lower() != ".json":  # `{openapi: 3.1.0, ...}`: YAML
            try:
                return _yaml_document(raw.decode("utf-8-sig"), path, key, display, digest)
            except (LoadError, UnicodeDecodeError):
                pass  # not YAML either: what is wrong with it as JSON
        raise fail(exc.message, exc.line, exc.column, exc.pointer) from None


def _yaml_document(text: str, path: Path, key: str, display: str, digest: str) -> Document:
    from .yamltext import parse_yaml  # PyYAML only for YAML specs

    positions: dict[str, tuple[int, int]] = {}
    data = parse_yaml(text, positions, MAX_DEPTH, MAX_EXPANDED_NODES)
    return Document(key, path, display, data, text, False, positions, digest=digest)
