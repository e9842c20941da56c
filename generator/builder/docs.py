"""Documentation strings as the builder reads them: text, or None when blank."""

from __future__ import annotations

from typing import Any

__all__ = ["doc_text", "schema_doc"]


def doc_text(node: dict[str, Any], key: str) -> str | None:
    """`node[key]` when it is a string with some text (else None)."""
    value = node.get(key)
    if isinstance(value, str) and value and not value.isspace():  # (no stripped copy)
        return value
    return None


def schema_doc(node: dict[str, Any]) -> str | None:
    """A schema's documentation: its `description`, else its `title`."""
    return doc_text(node, "description") or doc_text(node, "title")
