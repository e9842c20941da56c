"""Media types of bodies and responses: which is JSON, the default request body media
type, body kinds, and the `Accept` list."""

from __future__ import annotations

import re
from typing import Any

from ..ir import BodyKind, ResponseKind

__all__ = ["accept_list", "body_hints", "body_kind", "is_json", "pick_media", "returned"]

# A media type or range as `Accept` may list it: `type/subtype`, then parameters
# (printable ASCII: nothing from the spec may break the header).
_MEDIA_RANGE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(;[ -~]*)?")
_BODY_HINTS: dict[BodyKind, str] = {
    "json": "Json", "form": "Form", "multipart": "Multipart", "binary": "Binary", "text": "Text",
}  # fmt: skip


def is_json(media: str) -> bool:
    """Whether a body of `media` is JSON (`*/*` too: read as JSON when it parses)."""
    base = media.split(";", maxsplit=1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def pick_media(content: dict[str, Any]) -> str:
    keys = [str(k) for k in content]
    """The default media type of a request body (and the one a response is read as):
    JSON, else a form, else multipart, else the first."""
    for predicate in (
        is_json,
        lambda m: m.startswith("application/x-www-form-urlencoded"),
        lambda m: m.startswith("multipart/form-data"),
    ):
        for key in keys:
            if predicate(key.lower()):
                return key
    return keys[0]


def returned(kind: ResponseKind, media: str) -> bool:
    """Whether a response of `media` is one a response read as `kind` returns: read as
    JSON, only JSON (`*/*` too); as text, only text; as bytes (or as it is), any."""
    if kind == "json":
        return is_json(media)
    if kind == "text":
        return media.strip().lower().startswith("text/")
    return True


def accept_list(medias: list[str]) -> tuple[str, ...]:
    """The `Accept` media types: JSON ones first, then the others in spec order, ranges
    (`*/*`, `text/*`) last; each once. Keys that are not media types are left out."""
    unique: dict[str, str] = {}
    for media in medias:
        text = media.strip()
        if _MEDIA_RANGE.fullmatch(text):
            unique.setdefault(text.lower().replace(" ", ""), text)
    listed = list(unique.values())

    def rank(media: str) -> int:
        if "*" in media.split(";", maxsplit=1)[0]:
            return 2
        return 0 if is_json(media) else 1

    return tuple(sorted(listed, key=rank))  # stable: spec order within a rank


def body_hints(op_name: str, medias: list[str]) -> list[str]:
    """Names for inline body schemas: `<Op>Body` for the default media type,
    `<Op><Kind>Body` (`CreatePetMultipartBody`) for the others."""
    return [op_name + "Body"] + [
        op_name + _BODY_HINTS[body_kind(media)] + "Body" for media in medias[1:]
    ]


def body_kind(media: str) -> BodyKind:
    base = media.split(";", maxsplit=1)[0].strip().lower()
    if is_json(base):
        return "json"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base.startswith("multipart/"):
        return "multipart"
    if base.startswith("text/"):
        return "text"
    return "binary"
