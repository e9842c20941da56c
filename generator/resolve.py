"""Stage 3, resolve: `$ref` lookup across the loaded documents, cycle-aware.

The builder asks the resolver for targets on demand; nothing is inlined or copied.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .diagnostics import Diagnostics, Where, pointer_join
from .load import Spec, id_places, ref_key, schema_ids, split_pointer, uri_parts

__all__ = ["Resolver"]

_MISSING = object()


class Resolver:
    """Follows `$ref`s for the builder, reporting broken ones into the sink."""

    def __init__(self, spec: Spec, sink: Diagnostics) -> None:
        self.spec = spec
        self._sink = sink
        self._base = spec.root.path.parent
        # (document, $ref) -> where a chain ends / where one ref points: big specs
        # repeat the same few thousand refs tens of thousands of times
        self._ends: dict[tuple[str, str], tuple[Any, Where]] = {}
        self._targets: dict[tuple[str, str], Where] = {}
        self._anchors: dict[str, dict[str, str | None]] = {}  # document -> name -> pointer
        self._schema_ids: dict[str, dict[str, str]] = {}  # document -> `$id` -> pointer
        self._resources: dict[str, tuple[str, ...]] = {}  # document -> see `_resource`
        version = spec.root.data.get("openapi") if isinstance(spec.root.data, dict) else None
        # 3.1 on: a schema's `$id` makes it a resource its `#/...` refs are within
        self._scoped = isinstance(version, str) and not version.startswith("3.0")

    def deref(self, value: Any, where: Where) -> tuple[Any, Where] | None:
        """Follow `value`'s `$ref` chain to a value that is not a reference.

        Returns the target and its place, or None after reporting an unresolvable
        reference or a cycle of references with no object in between.
        """
        if not (isinstance(value, dict) and "$ref" in value):
            return value, where
        first = value["$ref"]
        key = (where.document, first) if isinstance(first, str) else None
        if key is not None and self._scoped and first.startswith("#") and self._resource(where):
            key = None  # its target depends on the resource it is in
        if key is not None and (end := self._ends.get(key)) is not None:
            return end
        seen: set[Where] = set()
        while isinstance(value, dict) and "$ref" in value:
            ref = value["$ref"]
            if not isinstance(ref, str):
                self._sink.error("$ref must be a string", where.child("$ref"))
                return None
            target = self.target(ref, where)
            if target in seen:
                shown = self._written(ref, where)
                self._sink.error(
                    f"$ref {shown!r} is part of a cycle of references", where.child("$ref")
                )
                return None
            seen.add(target)
            found = self.lookup(target)
            if found is _MISSING:
                shown = self._written(ref, where)
                self._sink.error(f"unresolvable $ref {shown!r}", where.child("$ref"))
                return None
            value, where = found, target
        if key is not None:
            self._ends[key] = (value, where)
        return value, where

    def _written(self, ref: str, where: Where) -> str:
        """`ref` as the file it is in says it (a 2.0 file's, before the upgrade)."""
        document = self.spec.documents.get(where.document)
        return document.written_ref(ref) if document is not None else ref

    def target(self, ref: str, where: Where) -> Where:
        """The place a `$ref` string names, relative to the document it appears in
        (3.1: a `#/...` one, to the schema resource it is in, a schema with `$id`,
        when that has it: specs mean the document's `#/components/...` all the same)."""
        if self._scoped and ref.startswith("#") and (resource := self._resource(where)):
            fragment = unquote(ref[1:])
            if not fragment or fragment.startswith("/"):
                inside = Where(where.document, resource + fragment.rstrip("/"))
                if self.lookup(inside) is not _MISSING:
                    return inside
        key = (where.document, ref)
        found = self._targets.get(key)
        if found is None:
            found = self._targets[key] = self._target(ref, where)
        return found

    def _target(self, ref: str, where: Where) -> Where:
        parts = uri_parts(ref)
        if parts is None:  # no URI reference: it names no document (unresolvable)
            return Where(ref, "#")
        fragment = unquote(parts.fragment)
        embedded = self._ids(where.document).get(ref.split("#", 1)[0]) if parts.scheme else None
        if embedded is not None and (not fragment or fragment.startswith("/")):
            return Where(where.document, embedded + fragment.rstrip("/"))  # by its `$id`
        if not parts.path and not parts.netloc:
            document = where.document
        elif (doc := self.spec.documents.get(where.document)) is None:
            document = ref.split("#", 1)[0]
        else:
            document = ref_key(doc, ref, self._base)
        if fragment and not fragment.startswith("/"):  # a plain name: a JSON Schema anchor
            return Where(document, self._anchor(document, fragment) or "#" + fragment)
        return Where(document, "#" + fragment)

    def _resource(self, where: Where) -> str:
        """The pointer of the innermost schema declaring an `$id` that `where` is in
        (or is), "" for none: JSON Schema 2020-12 resolves `#/$defs/x` there."""
        places = self._resources.get(where.document)
        if places is None:
            doc = self.spec.documents.get(where.document)
            text = getattr(doc, "text", "") if doc is not None else ""
            places = self._resources[where.document] = (
                tuple(p for p in id_places(doc.data) if p != "#")  # (the root: no schema)
                if doc is not None and "$id" in text  # (most documents: none, no walk)
                else ()
            )
        inside = [p for p in places if where.pointer == p or where.pointer.startswith(p + "/")]
        return max(inside, key=len, default="")

    def _ids(self, document: str) -> dict[str, str]:
        """The absolute `$id`s `document`'s schemas declare -> their pointers."""
        ids = self._schema_ids.get(document)
        if ids is None:
            doc = self.spec.documents.get(document)
            ids = self._schema_ids[document] = schema_ids(doc.data if doc else None)
        return ids

    def _anchor(self, document: str, name: str) -> str | None:
        """The pointer of the schema of `document` whose `$anchor` (or `$dynamicAnchor`,
        which a `$ref` may name too) is `name`; None when there is none, or more than
        one (anchors are read document-wide: `$id` scopes are not told apart)."""
        anchors = self._anchors.get(document)
        if anchors is None:
            doc = self.spec.documents.get(document)
            anchors = self._anchors[document] = _anchors(doc.data if doc else None)
        return anchors.get(name)

    def mapping_target(self, value: str, where: Where) -> Where | None:
        """The place a discriminator `mapping` value (at `where`) names: a reference, or
        a component schema's name. None, after a warning, when no schema is there."""
        ref = value if "#" in value or "/" in value else f"#/components/schemas/{value}"
        target = self.target(ref, where)
        if not self.exists(target):
            self._sink.warning(
                f"discriminator mapping value {value!r} names no schema: its tag is not used",
                where,
            )
            return None
        return target

    def exists(self, where: Where) -> bool:
        """Whether there is a value at `where`."""
        return self.lookup(where) is not _MISSING

    def lookup(self, where: Where) -> Any:
        """The value at `where`, or the `_MISSING` sentinel."""
        doc = self.spec.documents.get(where.document)
        if doc is None:
            return _MISSING
        node: Any = doc.data
        for segment in split_pointer(where.pointer):
            if isinstance(node, dict) and segment in node:
                node = node[segment]
            elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
                node = node[int(segment)]
            else:
                return _MISSING
        return node

    def file_stem(self, where: Where) -> str:
        return Path(where.document).stem


def _anchors(data: Any) -> dict[str, str | None]:
    """Anchor name -> the pointer of the object declaring it (None: declared twice)."""
    found: dict[str, str | None] = {}
    pending: list[tuple[Any, str]] = [(data, "#")]
    while pending:
        value, pointer = pending.pop()
        if isinstance(value, dict):
            names = {value.get("$anchor"), value.get("$dynamicAnchor")}
            for name in names:
                if isinstance(name, str):
                    found[name] = None if name in found else pointer
            pending.extend((v, pointer_join(pointer, k)) for k, v in value.items())
        elif isinstance(value, list):
            pending.extend((v, pointer_join(pointer, i)) for i, v in enumerate(value))
    return found
