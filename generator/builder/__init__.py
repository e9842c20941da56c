"""Stage 4, build: a loaded, validated spec -> the frozen `Api` IR.

Every decision about the generated code's shape is made here or in `pytypes`:
names (through `names`), types, grouping into resources, and order (spec order).
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, replace
from typing import Any

from ..diagnostics import Diagnostics, Where
from ..ir import (
    Alias,
    Api,
    Definition,
    ListOf,
    MapOf,
    Model,
    Nullable,
    Operation,
    PyIdent,
    Ref,
    Resource,
    Server,
    TupleOf,
    TypeExpr,
    UnionOf,
)
from ..load import Spec
from ..names import CLIENT_RESERVED, METHOD_RESERVED, NameTable, pascal, snake
from ..options import default_package_name
from ..resolve import Resolver
from .binary import settle_binary_strings
from .cycles import settle_alias_cycles
from .docs import doc_text
from .extensions import check_mappings, link_bases, mark_tags
from .operations import DraftOperation, OperationBuilder
from .pagination import add_pagination
from .schemas import SchemaBuilder
from .security import scheme_names, security_schemes
from .servers import check_servers, server_url
from .tags import Tag, read_tags
from .unions import check_unions

__all__ = ["Selection", "build", "default_package_name"]


@dataclass(frozen=True, slots=True)
class Selection:
    """Which operations to generate (empty: all). Tags match an operation's first
    tag; operations match by operationId or by generated method name."""

    include_tags: tuple[str, ...] = ()
    exclude_tags: tuple[str, ...] = ()
    include_operations: tuple[str, ...] = ()

    @property
    def is_everything(self) -> bool:
        return not (self.include_tags or self.exclude_tags or self.include_operations)

    def unmatched(self, drafts: list[DraftOperation]) -> list[str]:
        """What is wrong with the selected tags and operations no operation has."""
        tags = {d.tag for d in drafts}
        names = {name for d in drafts for name in _selectable_names(d)}
        return [
            f"--{option} {value!r} matches no operation's {what}"
            for option, values, known, what in (
                ("include-tags", self.include_tags, tags, "first tag"),
                ("exclude-tags", self.exclude_tags, tags, "first tag"),
                ("include-operations", self.include_operations, names, "id or method name"),
            )
            for value in values
            if value not in known
        ]

    def keeps(self, draft: DraftOperation) -> bool:
        if self.include_tags and draft.tag not in self.include_tags:
            return False
        if draft.tag is not None and draft.tag in self.exclude_tags:
            return False
        if self.include_operations:
            return not _selectable_names(draft).isdisjoint(self.include_operations)
        return True


def _selectable_names(draft: DraftOperation) -> set[str | None]:
    """What `--include-operations` selects an operation by: its id, its method name."""
    return {draft.operation.operation_id, snake(draft.name_hint, "operation")}


def build(
    spec: Spec,
    sink: Diagnostics,
    package_name: str,
    selection: Selection | None = None,
    *,
    infer_pagination: bool = True,
) -> Api:
    """Build the IR; errors go to `sink` (the caller raises after this phase).

    With a `selection`, only the selected operations are generated, and only the
    models they reach.
    """
    resolver = Resolver(spec, sink)
    root: dict[str, Any] = spec.root.data if isinstance(spec.root.data, dict) else {}
    where = Where(spec.root.key, "#")
    info = root.get("info")
    if not isinstance(info, dict):
        sink.error("`info` must be an object with `title` and `version`", where.child("info"))
        info = {}

    check_servers(root.get("servers"), where.child("servers"), sink)
    tags = read_tags(root, sink, where)
    client_names = NameTable(CLIENT_RESERVED)
    schemes = security_schemes(root, client_names, sink, where)
    schemas = SchemaBuilder(resolver, sink)
    schemas.declare_components()
    operations = OperationBuilder(
        server_url(root.get("servers"), None),
        resolver,
        schemas,
        sink,
        root.get("security"),
        scheme_names(root, schemes),
    )
    drafts = operations.build_all(root.get("paths"), where.child("paths"))
    definitions, drafts = settle_binary_strings(schemas.definitions(), drafts)
    definitions = link_bases(definitions, schemas.extends, schemas.named, schemas.discriminated)
    check_mappings(definitions, schemas.discriminated, sink, spec.root.key)
    definitions = settle_alias_cycles(definitions, sink, spec.root.key)
    check_unions(definitions, sink, spec.root.key)
    used: list[TypeExpr | None] = []  # what operations send and receive
    for op in (d.operation for d in drafts):
        used += [p.type for p in op.params] + [b.type for b in op.bodies]
        used += [r.type for r in (*op.successes, *op.errors)]
    definitions = mark_tags(definitions, schemas.discriminated, filter(None, used))
    drafts = add_pagination(
        drafts, root, resolver, definitions, sink, where.child("paths"), infer=infer_pagination
    )
    if selection is not None and not selection.is_everything:
        for unmatched in selection.unmatched(drafts):  # a typo selects nothing, silently
            sink.warning(unmatched, where.child("paths"))
        drafts = [d for d in drafts if selection.keeps(d)]
        definitions = _reachable(definitions, [d.operation for d in drafts])
    resources, untagged = _group(tags, drafts, client_names, {d.name for d in definitions})
    return Api(
        title=_str(info.get("title")) or spec.root.path.stem,
        version=_str(info.get("version")) or "0.0.0",
        summary=doc_text(info, "summary"),
        description=doc_text(info, "description"),
        package_name=package_name,
        spec_name=spec.root.path.name,
        base_url=server_url(root.get("servers"), None),
        security_schemes=schemes,
        definitions=definitions,
        resources=resources,
        root=untagged,
        servers=_servers(root.get("servers")),
    )


def _reachable(
    definitions: tuple[Definition, ...], operations: list[Operation]
) -> tuple[Definition, ...]:
    """The definitions the operations use, directly or through other definitions."""
    by_name = {d.name: d for d in definitions}
    pending: list[TypeExpr] = []
    for op in operations:
        pending += [p.type for p in op.params]
        pending += [r.type for r in (*op.successes, *op.errors) if r.type is not None]
        pending += [b.type for b in (op.body, *op.other_bodies) if b is not None]
    seen: set[str] = set()
    while pending:
        t = pending.pop()
        match t:
            case Ref(name=name):
                if name not in seen and name in by_name:
                    seen.add(name)
                    target = by_name[name]
                    if isinstance(target, Model):
                        pending += [f.type for f in target.fields]
                        if target.base is not None:  # its class extends the base's
                            pending.append(Ref(target.base))
                        if target.extra is not None:
                            pending.append(target.extra)
                    elif isinstance(target, Alias):
                        pending.append(target.target)
            case ListOf(item=inner) | MapOf(value=inner) | Nullable(inner=inner):
                pending.append(inner)
            case TupleOf(items=items, rest=rest):
                pending += [*items, *([] if rest is None else [rest])]
            case UnionOf(options=options, discriminator=discriminator):
                pending += options
                if discriminator is not None:
                    pending += [Ref(name) for _, name in discriminator.mapping]
            case _:
                pass
    return tuple(d for d in definitions if d.name in seen)


def _servers(value: Any) -> tuple[Server, ...]:
    """The top-level servers with a URL, their `name` (3.2) and description."""
    return tuple(
        Server(s["url"], _str(s.get("name")), doc_text(s, "description"))
        for s in (value if isinstance(value, list) else [])
        if isinstance(s, dict) and isinstance(s.get("url"), str)
    )


def _group(
    tags: dict[str, Tag],
    drafts: list[DraftOperation],
    client_names: NameTable,
    model_names: set[str],
) -> tuple[tuple[Resource, ...], Resource | None]:
    """Resources in the order of the top-level `tags`, then of first use; a nested
    tag's resource (3.2 `parent`) is there too, reached through its parent's (which
    exists, even without operations of its own, whenever a descendant has some)."""
    by_tag: dict[str | None, list[DraftOperation]] = {}
    for draft in drafts:
        by_tag.setdefault(draft.tag, []).append(draft)
    needed: set[str] = set()
    for used in by_tag:
        tag = used
        while tag is not None and tag not in needed:
            needed.add(tag)
            tag = tags[tag].parent if tag in tags else None
    ordered = [t for t in tags if t in needed] + [
        t for t in by_tag if t is not None and t not in tags
    ]
    python = {tag: client_names.claim(snake(tag, "resource")) for tag in ordered}

    def parent(tag: str) -> str | None:
        return tags[tag].parent if tag in tags else None

    def attribute_path(tag: str) -> tuple[PyIdent, ...]:
        above = parent(tag)
        return (*(attribute_path(above) if above is not None else ()), python[tag])

    resources: list[Resource] = []
    for tag in ordered:
        children = tuple(python[t] for t in ordered if parent(t) == tag)
        info = tags.get(tag)
        resources.append(
            Resource(
                tag,
                python[tag],
                _class_name(pascal(python[tag]), model_names),
                info.description if info is not None else None,
                _operations(
                    by_tag.get(tag, []), METHOD_RESERVED | set(children), snake(tag, "resource")
                ),
                summary=info.summary if info is not None else None,
                attribute_path=attribute_path(tag),
                children=children,
            )
        )
    untagged = None
    if None in by_tag:
        taken = {r.python_name for r in resources if len(r.attribute_path) == 1}
        untagged = Resource(
            None,
            PyIdent("_root"),
            PyIdent("RootResource"),
            None,
            _operations(by_tag[None], METHOD_RESERVED | taken | set(CLIENT_RESERVED)),
        )
    return tuple(resources), untagged


def _class_name(base: str, taken: set[str]) -> PyIdent:
    """`<Base>Resource`, clear (with its Async/WithRawResponse variants) of `taken`."""
    counter = 1
    while True:
        name = f"{base}{counter if counter > 1 else ''}Resource"
        variants = {name, f"Async{name}", f"{name}WithRawResponse", f"Async{name}WithRawResponse"}
        if not variants & taken:
            taken.update(variants)
            return PyIdent(name)
        counter += 1


def _operations(
    drafts: list[DraftOperation], reserved: frozenset[str] | set[str], resource: str = ""
) -> tuple[Operation, ...]:
    """Method names: snake_case(operationId), less a leading part that only repeats
    the `resource` name (`repos_get` under `repos` is `get`), unless the short name
    would be empty, a keyword, reserved, or the name of another method here.

    Operations with an operationId claim their names first: a name derived from method
    and path that collides with one takes the suffix, never the operationId's name."""
    full = [snake(d.name_hint, "operation") for d in drafts]
    short = [_without_prefix(name, resource) for name in full]
    counts: dict[str, int] = {}
    for name in [*full, *short]:  # a short name used twice, or as a full one, stays long
        if name is not None:
            counts[name] = counts.get(name, 0) + 1
    table = NameTable(reserved)
    names: dict[int, PyIdent] = {}
    by_id_first = sorted(range(len(drafts)), key=lambda i: drafts[i].operation.operation_id is None)
    for i in by_id_first:
        brief = short[i]
        usable = brief is not None and brief not in reserved and counts[brief] == 1
        names[i] = table.claim(PyIdent(brief) if usable and brief is not None else full[i])
    return tuple(replace(draft.operation, python_name=names[i]) for i, draft in enumerate(drafts))


def _without_prefix(name: str, resource: str) -> str | None:
    """`name` without a leading `<resource>_`, when that leaves an identifier."""
    if not resource or not name.startswith(resource + "_"):
        return None
    rest = name[len(resource) + 1 :].lstrip("_")
    return rest if rest.isidentifier() and not keyword.iskeyword(rest) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
