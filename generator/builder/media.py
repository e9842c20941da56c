"""Media types of bodies and responses: which is JSON, the default request body media
type, body kinds, and the `Accept` list."""

from __future__ import annotations

import re
from typing import Any

from ..ir import BodyKind, ResponseKind
from .objects import FORMATS

__all__ = [
    "accept_list",
    "binary_schema",
    "body_hints",
    "body_kind",
    "is_json",
    "json_media",
    "pick_media",
    "returned",
    "sent_as",
]

# A media type or range as `Accept` may list it: `type/subtype`, then parameters
# (printable ASCII: nothing from the spec may break the header).
_MEDIA_RANGE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(;[ -~]*)?")
_BODY_HINTS: dict[BodyKind, str] = {
    "json": "Json", "form": "Form", "multipart": "Multipart", "binary": "Binary", "text": "Text",
}  # fmt: skip


def json_media(media: str) -> bool:
    """Whether `media` names JSON: `application/json`, `text/json` (ASP.NET's) or any
    `+json` type (the runtime reads responses by the same rule)."""
    base = media.split(";", maxsplit=1)[0].strip().lower()
    return base in ("application/json", "text/json") or base.endswith("+json")


def is_json(media: str) -> bool:
    """Whether a body of `media` is JSON (`*/*` too: read as JSON when it parses)."""
    return json_media(media) or media.split(";", maxsplit=1)[0].strip() == "*/*"


def binary_schema(schema: Any) -> bool:
    """Whether a dereferenced schema is a binary string, raw octets outside JSON: by
    the rule the schema builder types a file by, `format: binary` (which Swagger 2.0's
    `type: file` becomes) or 3.1's spelling, a `contentMediaType` that is not text
    (and no base64 `contentEncoding`)."""
    if not isinstance(schema, dict):
        return False
    kinds = schema.get("type", "string")
    if "string" not in (kinds if isinstance(kinds, list) else [kinds]):
        return False
    fmt = schema.get("format")
    if isinstance(fmt, str) and ("string", fmt) in FORMATS:
        return FORMATS[("string", fmt)] == "file"
    media = schema.get("contentMediaType")
    if schema.get("contentEncoding") == "base64" or not isinstance(media, str):
        return False
    return not media.startswith("text/")


def _raw_range(media: str, schema: Any) -> bool:
    """Whether a body under `*/*` (JSON when it parses) is raw bytes instead: its
    schema is a binary string (springdoc and springfox describe downloads so)."""
    return media.split(";", maxsplit=1)[0].strip() == "*/*" and binary_schema(schema)


def pick_media(content: dict[str, Any]) -> str:
    """The default media type of a request body (and the one a response is read as):
    `application/json`, else another JSON type (`+json`, `*/*`), else a form, else
    multipart, else the first. (A `+json` type listed first may mean something else:
    `application/json-patch+json` is a list of patch operations.)"""
    keys = [str(k) for k in content]
    for predicate in (
        lambda m: m.split(";", maxsplit=1)[0].strip() == "application/json",
        is_json,
        lambda m: m.startswith("application/x-www-form-urlencoded"),
        lambda m: m.startswith("multipart/form-data"),
    ):
        for key in keys:
            if predicate(key.lower()):
                return key
    return keys[0]


# What a body declared under a media range is sent as, by how it is written: a
# `Content-Type` names one media type (RFC 9110), never a range.
_CONCRETE: dict[BodyKind, str] = {
    "json": "application/json", "form": "application/x-www-form-urlencoded",
    "multipart": "multipart/form-data", "text": "text/plain",
    "binary": "application/octet-stream",
}  # fmt: skip


def sent_as(media: str, kind: BodyKind) -> str:
    """The `Content-Type` a request body declared under `media` is sent with: `media`
    itself, or for a range (`*/*`, `application/*+json`, `text/*`) the type of its kind."""
    return _CONCRETE[kind] if "*" in media.split(";", maxsplit=1)[0] else media


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


def body_kind(media: str, schema: Any = None) -> BodyKind:
    """How a body of `media` is written or read; `schema`, dereferenced, tells a binary
    body under `*/*` from a JSON one."""
    base = media.split(";", maxsplit=1)[0].strip().lower()
    if is_json(base) and not _raw_range(base, schema):
        return "json"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base.startswith("multipart/"):
        return "multipart"
    if base.startswith("text/"):
        return "text"
    return "binary"
