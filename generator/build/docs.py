"""The documentation strings the builder reads, and where each one came from.

A regeneration after an edit of one `description` or `summary` (`docedit`) needs to
know which parts of the IR hold that string: every read goes through `DocReads.text`,
which returns the document's own string object (never a copy), so the IR's strings
can be traced back to their places by identity.
"""

from __future__ import annotations

from typing import Any

from ..diagnostics import Where

__all__ = ["DocReads"]


class DocReads:
    def __init__(self) -> None:
        # (the string, the object holding it, its key); the strings are kept alive so
        # their identities stay unique while the IR is traced
        self.items: list[tuple[str, Where, str]] = []

    def text(self, node: dict[str, Any], key: str, where: Where) -> str | None:
        """`node[key]` when it is a string with some text (else None), noted as read."""
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            self.items.append((value, where, key))
            return value
        return None

    def either(self, node: dict[str, Any], where: Where) -> str | None:
        """A schema's documentation: its `description`, else its `title`."""
        return self.text(node, "description", where) or self.text(node, "title", where)
