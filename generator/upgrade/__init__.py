"""Stage 2b, upgrade: a Swagger 2.0 spec -> the same API in the OpenAPI 3.0 model.

Runs after validation (which reads the 2.0 document as written) and before the build,
which only knows 3.x. Every document of the spec is upgraded: the root, the 2.0
fragments it references (files with `definitions`, `parameters`, ...) and the schemas
other files hold. Each upgraded document keeps its 2.0 original and a map from new
pointers to the 2.0 pointers they came from: `locate` answers with the 2.0 file's line
and column, and findings reported into the sink carry the 2.0 pointer.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace
from typing import Any

from ..diagnostics import Diagnostic, Diagnostics, SourceLocation, SpecError, Where, pointer_join
from ..load import Document, Spec, ref_key, split_pointer
from .operations import Context, convert_param, convert_response, upgrade_paths
from .schemas import (
    MOVED,
    convert_schema,
    discriminator_values,
    original_ref,
    rewrite_ref,
    security_scheme,
    servers,
)

__all__ = ["UpgradedDocument", "is_swagger2", "upgrade"]

_FRAGMENT_KEYS = ("swagger", "definitions", "parameters", "responses", "paths")


def is_swagger2(data: Any) -> bool:
    return isinstance(data, dict) and str(data.get("swagger")) == "2.0"


@dataclass(frozen=True)
class UpgradedDocument(Document):
    """A document rewritten in memory; `locate` answers in its `original` (kept
    without its data, which nothing reads after the upgrade: positions come from the
    text or the YAML position map)."""

    original: Document | None = field(default=None, repr=False, compare=False)
    sources: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def source_pointer(self, pointer: str) -> str:
        """The 2.0 pointer a pointer of this document came from: the recorded moves
        (request bodies, parameters after a body left the list, servers), else the
        layout rules (`_layout`) that hold everywhere."""
        segments = split_pointer(pointer)
        for length in range(len(segments), 0, -1):
            found = self.sources.get(pointer_join("#", *segments[:length]))
            if found is not None:
                return pointer_join(found, *segments[length:])
        return pointer_join("#", *_layout(segments))

    @property
    def is_upgraded(self) -> bool:
        return True

    def written_ref(self, ref: str) -> str:
        """A `$ref` as the 2.0 file says it (`#/definitions/X` for the
        `#/components/schemas/X` it became): what messages quote."""
        return original_ref(ref)

    def locate(self, pointer: str) -> SourceLocation:
        original = self.original
        if original is None:
            return super().locate(pointer)
        return original.locate(self.source_pointer(pointer))


def upgrade(spec: Spec, sink: Diagnostics | None = None) -> Spec:
    """`spec` itself unless its root is Swagger 2.0; else the upgraded spec. Findings
    reported into `sink` afterwards are placed in the 2.0 documents."""
    if not is_swagger2(spec.root.data):
        return spec
    upgrader = _Upgrader(spec)
    try:
        documents = upgrader.run()
    except RecursionError:  # the converters walk schemas as deep as JSON nests them
        message = "the document is nested too deeply to upgrade"
        raise SpecError([Diagnostic("error", message, "#", spec.root.locate("#"))]) from None
    if sink is not None:
        for where, message in upgrader.dropped:  # (placed in the 2.0 files already)
            sink.warning(message, where)
        sink.translate(lambda where: _source_where(documents, where))
    return Spec(documents[spec.root.key], documents)


def _own_servers(top: dict[str, Any], schemes: Any) -> list[dict[str, Any]]:
    """The servers of an operation's own `schemes` (the spec's `host` and `basePath`),
    as swagger2openapi writes them; none when they are the spec's."""
    own = servers({**top, "schemes": schemes})
    return [] if own == servers(top) else own


def _source_where(documents: dict[str, Document], where: Where) -> Where:
    doc = documents.get(where.document)
    if isinstance(doc, UpgradedDocument):
        return Where(where.document, doc.source_pointer(where.pointer))
    return where


class _Upgrader:
    def __init__(self, spec: Spec) -> None:
        self._spec = spec
        self._base = spec.root.path.parent
        # schemas in files that are not 2.0 documents, upgraded where referenced
        self._pending: list[Where] = []
        self._done: set[Where] = set()
        self.dropped: list[tuple[Where, str]] = []  # what is left out, to warn of

    def run(self) -> dict[str, Document]:
        datas: dict[str, Any] = {}
        sources: dict[str, dict[str, str]] = {}
        plain: list[str] = []
        for key, doc in self._spec.documents.items():
            if doc is self._spec.root or _is_fragment(doc.data):
                ctx = self._context(doc)
                datas[key] = _document(doc.data, ctx, root=doc is self._spec.root)
                sources[key] = ctx.sources
                self.dropped += [(Where(key, at), message) for at, message in ctx.dropped]
            else:
                plain.append(key)
                datas[key] = _copy(doc.data)
                sources[key] = {}
        while self._pending:
            where = self._pending.pop()
            if where in self._done or where.document not in plain:
                continue
            self._done.add(where)
            doc = self._spec.documents[where.document]
            datas[where.document] = _replace(
                datas[where.document], where.pointer, self._schema_in(doc, where.pointer)
            )
        return {
            key: UpgradedDocument(
                doc.key,
                doc.path,
                doc.display,
                datas[key],
                doc.text,
                doc.is_json,
                doc.positions,
                doc.has_file_refs,
                doc.digest,
                doc.escapes,
                original=replace(doc, data=None),
                sources=sources[key],
            )
            for key, doc in self._spec.documents.items()
        }

    def _context(self, doc: Document) -> Context:
        root = doc.data if isinstance(doc.data, dict) else {}
        top = self._spec.root.data
        consumes = root.get("consumes", top.get("consumes"))
        produces = root.get("produces", top.get("produces"))
        return Context(
            consumes=[c for c in consumes if isinstance(c, str)]
            if isinstance(consumes, list)
            else [],
            produces=[p for p in produces if isinstance(p, str)]
            if isinstance(produces, list)
            else [],
            resolve=lambda ref_node: self._resolve(doc, ref_node),
            on_ref=lambda ref: self._follow(doc, ref),
            servers=lambda schemes: _own_servers(top, schemes),
        )

    def _follow(self, doc: Document, ref: str) -> None:
        """A schema `$ref` in `doc`: a schema in another file is upgraded too."""
        if ref.startswith("#"):
            return
        file_part, _, fragment = ref.partition("#")
        if not file_part:
            return
        try:
            key = ref_key(doc, ref, self._base)
        except (ValueError, OSError):
            return
        self._pending.append(Where(key, "#" + fragment))

    def _schema_in(self, doc: Document, pointer: str) -> Any:
        node = _lookup(doc.data, pointer)
        return convert_schema(node, lambda ref: self._follow(doc, ref))

    def _resolve(self, doc: Document, node: dict[str, Any]) -> tuple[Any, str | None]:
        """A 2.0 parameter (response, path item) `$ref` -> the parameter (2.0) and its
        pointer if in `doc`; one in another file comes with its `#` refs made to name
        that file (it is written into `doc`)."""
        origin, seen = doc, 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 50:
            seen += 1
            ref: str = node["$ref"]
            file_part, _, fragment = ref.partition("#")
            pointer = "#" + fragment
            if file_part:
                try:
                    key = ref_key(doc, ref, self._base)
                except (ValueError, OSError):
                    return None, None
                target = self._spec.documents.get(key)
                if target is None:
                    return None, None
                doc = target
            node = _lookup(doc.data, pointer)
            if not (isinstance(node, dict) and "$ref" in node):
                if doc is origin:
                    return node, pointer
                return _rebased(node, _relative(origin.key, doc.key)), None
        return None, None


_BACK = {new[1]: old for old, new in MOVED.items()}


def _layout(segments: list[str]) -> list[str]:
    """3.0 places -> 2.0 ones: `components/schemas` -> `definitions` (and the other
    sections), a parameter's or header's `schema` -> the parameter or header itself,
    a response's `content/<media>/schema` -> its `schema`."""
    s = list(segments)
    if len(s) >= 2 and s[0] == "components" and s[1] in _BACK:
        s[:2] = [_BACK[s[1]]]
    for i in range(len(s) - 2):
        if s[i] in ("definitions", "schema", "properties", "items"):
            break  # inside a schema: the layout is 2.0's
        if s[i] in ("parameters", "headers") and s[i + 2] == "schema":
            del s[i + 2]
            break
        if (
            s[i] == "responses"
            and s[i + 2 : i + 3] == ["content"]
            and s[i + 4 : i + 5] == ["schema"]
        ):
            del s[i + 2 : i + 4]
            break
    return s


def _relative(origin: str, target: str) -> str:
    """How a ref in the document `origin` names the document `target` (keys)."""
    if "://" in target or "://" in origin or posixpath.isabs(target):
        return target
    return posixpath.relpath(target, posixpath.dirname(origin) or ".")


def _rebased(node: Any, document: str) -> Any:
    """A copy of `node` whose refs within its own document (`#/...`) name `document`."""
    if isinstance(node, dict):
        return {
            key: document + value
            if key == "$ref" and isinstance(value, str) and value.startswith("#")
            else _rebased(value, document)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rebased(value, document) for value in node]
    return node


def _is_fragment(data: Any) -> bool:
    return isinstance(data, dict) and any(k in data for k in _FRAGMENT_KEYS)


def _document(data: dict[str, Any], ctx: Context, *, root: bool) -> dict[str, Any]:
    """A 2.0 document (or a fragment of one in another file) in the 3.0 layout."""
    out: dict[str, Any] = {"openapi": "3.0.0"} if root or "swagger" in data else {}
    components: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("swagger", "host", "basePath", "schemes", "consumes", "produces"):
            continue
        if key in MOVED and isinstance(value, dict):
            section = MOVED[key][1]
            components[section] = _section(key, value, ctx)
        elif key == "paths" and isinstance(value, dict):
            out[key] = upgrade_paths(value, "#/paths", ctx)
        else:
            out[key] = value
        if key == "info" and (root or "swagger" in data):
            _add_servers(out, data, ctx)
    if "servers" not in out and root:
        _add_servers(out, data, ctx)
    if components:
        out["components"] = components
    return out


def _add_servers(out: dict[str, Any], data: dict[str, Any], ctx: Context) -> None:
    found = servers(data)
    if found:
        out["servers"] = found
        ctx.sources["#/servers"] = "#/host" if "host" in data else "#/basePath"


def _section(key: str, value: dict[str, Any], ctx: Context) -> dict[str, Any]:
    where, old = pointer_join("#", *MOVED[key]), pointer_join("#", key)
    if key == "definitions":
        schemas = {name: convert_schema(s, ctx.on_ref) for name, s in value.items()}
        discriminator_values(schemas)
        return schemas
    if key == "securityDefinitions":
        return {name: security_scheme(s) for name, s in value.items()}
    if key == "responses":
        return {
            name: convert_response(
                r, pointer_join(where, name), pointer_join(old, name), ctx.produces, ctx
            )
            for name, r in value.items()
        }
    out: dict[str, Any] = {}
    for name, param in value.items():  # body and formData ones are inlined where used
        if isinstance(param, dict) and param.get("in") in ("body", "formData"):
            continue
        if isinstance(param, dict) and "$ref" in param:  # another one's place, moved too
            out[name] = {**param, "$ref": rewrite_ref(param["$ref"])}
        else:
            out[name] = convert_param(param) if isinstance(param, dict) else param
    return out


def _lookup(data: Any, pointer: str) -> Any:
    node = data
    for segment in split_pointer(pointer):
        if isinstance(node, dict):
            node = node.get(segment)
        elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        else:
            return None
    return node


def _replace(data: Any, pointer: str, value: Any) -> Any:
    segments = split_pointer(pointer)
    if not segments:
        return value
    parent = _lookup(data, pointer_join("#", *segments[:-1]))
    last = segments[-1]
    if isinstance(parent, dict) and last in parent:
        parent[last] = value
    elif isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        parent[int(last)] = value
    return data


def _copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    return data
