"""Top-level `tags`: their documentation and, in 3.2, their nesting (`parent`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostics, Where
from .docs import doc_text

__all__ = ["Tag", "read_tags"]


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    summary: str | None
    description: str | None
    parent: str | None  # a declared tag; None when the nesting is broken (reported)


def read_tags(root: dict[str, Any], sink: Diagnostics, where: Where) -> dict[str, Tag]:
    """The declared tags by name, in spec order. A `parent` naming no declared tag, or
    part of a cycle of parents, is an error at that `parent`."""
    raw: dict[str, tuple[dict[str, Any], Where]] = {}
    tags = root.get("tags")
    for index, tag in enumerate(tags if isinstance(tags, list) else []):
        if isinstance(tag, dict) and isinstance(tag.get("name"), str):
            raw.setdefault(tag["name"], (tag, where.child("tags", index)))
    parents: dict[str, str] = {}
    for name, (tag, tag_where) in raw.items():
        parent = tag.get("parent")
        if parent is None:
            continue
        if not isinstance(parent, str) or parent not in raw:
            sink.error(
                f"tag {name!r}: its `parent` {parent!r} is not a tag of the top-level `tags`",
                tag_where.child("parent"),
            )
        else:
            parents[name] = parent
    cyclic: list[str] = []
    for name in list(parents):
        chain = [name]
        while chain[-1] in parents and parents[chain[-1]] not in chain:
            chain.append(parents[chain[-1]])
        if chain[-1] in parents and parents[chain[-1]] == name:
            sink.error(
                f"tag {name!r} is nested in itself: its `parent` chain is a cycle ("
                + " -> ".join(repr(n) for n in [*chain, name])
                + ")",
                raw[name][1].child("parent"),
            )
            cyclic.append(name)
    for name in cyclic:
        del parents[name]
    return {
        name: Tag(
            name,
            doc_text(tag, "summary"),
            doc_text(tag, "description"),
            parents.get(name),
        )
        for name, (tag, _) in raw.items()
    }
