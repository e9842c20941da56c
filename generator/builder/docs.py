"""Documentation strings as the builder reads them: text, or None when blank."""

from __future__ import annotations

from typing import Any

__all__ = ["described", "doc_text", "schema_doc"]


def doc_text(node: dict[str, Any], key: str) -> str | None:
    """`node[key]` when it is a string with some text (else None)."""
    value = node.get(key)
    if isinstance(value, str) and value and not value.isspace():  # (no stripped copy)
        return value
    return None


def schema_doc(node: dict[str, Any]) -> str | None:
    """A schema's documentation: its `description`, else its `title`."""
    return doc_text(node, "description") or doc_text(node, "title")


def described(found: dict[str, Any], reference: Any) -> dict[str, Any]:
    """A referenced parameter, body or response with the `description` written beside
    its `$ref`, which (OpenAPI 3.1's Reference Object) overrides the component's."""
    if isinstance(reference, dict) and isinstance(reference.get("description"), str):
        return found | {"description": reference["description"]} if "$ref" in reference else found
    return found
