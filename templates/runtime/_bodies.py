"""Request bodies: checking them against the spec and encoding them (static runtime,
copied verbatim)."""

from __future__ import annotations

import mimetypes
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Literal, cast
from urllib.parse import quote_plus

from . import _serde
from ._params import Param, json_text, query_pairs, query_text, serialize, simple_text
from ._types import UNSET
from .errors import APIResponseValidationError, RequestValidationError

__all__ = ["Body", "Part"]


@dataclass(frozen=True)
class Part:
    """How one property (or, in a positional multipart body, one item) of a form or
    multipart body is written: the spec's Encoding Object."""

    # The part's `Content-Type` (None: by the value: JSON for an object or array,
    # `application/octet-stream` or the file name's type for a file, else text).
    content_type: str | None = None
    json: bool = False  # JSON text whatever the value's type
    headers: tuple[tuple[str, str], ...] = ()  # further part headers
    # urlencoded bodies: written as a query parameter of this style would be
    style: str | None = None
    explode: bool = True
    allow_reserved: bool = False


_PLAIN = Part()


@dataclass(frozen=True)
class Body:
    """How the request body of an operation is encoded."""

    media_type: str
    kind: Literal["json", "form", "multipart", "binary", "text"]
    # Decodes a plain dict body into the model of its schema, to check it.
    decode: Callable[[Any], Any] | None = None
    # Whether a value is an instance of this media type's model (operations with
    # several media types: a body given without `content_type=` goes by its type).
    is_model: Callable[[object], bool] | None = None
    # Whether its schema is an array (of several media types, a list goes to the
    # first such one).
    takes_list: bool = False
    # The `encoding` of a form or multipart body's properties, by wire name.
    parts: Mapping[str, Part] = field(default_factory=dict)
    # A multipart body whose schema is an array (`multipart/mixed`): a part per
    # item, the first ones written per `prefix`, the others per `items`.
    positional: bool = False
    prefix: tuple[Part, ...] = ()
    items: Part | None = None
    # The constraints of a body that is no model (a string, an array...), as
    # `_serde.check` takes them.
    checks: Mapping[str, Any] = field(default_factory=dict)
    # A binary body declared under a range (`image/*`): a named file whose type (by
    # its name) is in the range goes as that type, anything else as `media_type`.
    media_range: str | None = None


def _choose_body(bodies: tuple[Body, ...], value: object, content_type: object) -> Body:
    """The media type `value` is sent as: the one `content_type` names; else the
    first taking the value's type (bytes or a file: raw bytes; a str: text; a model
    instance: that model's; a list: an array's); else the first one, the default
    (JSON when declared)."""
    if content_type is not UNSET:
        for body in bodies:
            if body.media_type == content_type:
                return body
        names = ", ".join(repr(body.media_type) for body in bodies)
        raise RequestValidationError(
            "content_type", f"must be one of {names}, got {content_type!r}"
        )
    if isinstance(value, (bytes, bytearray)) or hasattr(value, "read"):
        kind = "binary"
    else:
        kind = "text" if isinstance(value, str) else ""
    listed = isinstance(value, (list, tuple))
    if kind == "" and _holds_file(value):  # only a multipart body carries a file
        kind = "multipart"
        bodies = tuple(sorted(bodies, key=lambda body: body.kind != "multipart"))
    for body in bodies:
        if body.kind == kind or (body.is_model is not None and body.is_model(value)):
            return body
        if listed and body.takes_list:
            return body
    return bodies[0]


def _check_body(value: object, decode: Callable[[Any], Any] | None) -> None:
    """Check a request body against the spec's constraints before it is sent.

    A model instance checks itself (when it has constraints to check: only such
    models have `validate`); a plain mapping given where the spec names a model is
    decoded into that model first (so required properties, types and constraints
    are all checked), and reported under the field path `body.<name>`.
    """
    validate = getattr(value, "validate", None)
    if callable(validate):
        validate()
    elif decode is not None and isinstance(value, Mapping):
        try:
            instance = decode(value)
        except APIResponseValidationError as exc:
            path = "".join(
                f"[{s}]" if isinstance(s, int) else f".{s}" for s in exc.path
            )
            raise RequestValidationError(f"body{path}", exc.problem) from None
        _serde.validate_nested(instance, "body")
    else:
        _serde.validate_nested(value, "body")


def _json_bytes(value: object) -> bytes:
    return json_text(value, "body").encode()


def _holds_file(value: object) -> bool:
    """Whether a model or mapping body has a file (bytes, a file object, a
    `(filename, content, ...)` tuple) among its properties, or their items."""
    to_dict = getattr(value, "to_dict", None)
    found = to_dict() if callable(to_dict) else value  # a model keeps its files
    if not isinstance(found, Mapping):
        return False
    return any(
        _serde.is_file(one)
        for item in found.values()
        for one in (item if isinstance(item, list) else [item])
    )


def _form_field(name: str) -> Param:
    """How a form field's value is written: as a `form` style, exploded query
    parameter's would be."""
    return Param(name=name, location="query", style="form", explode=True)


def _form_fields(
    value: object, parts: Mapping[str, Part] | None = None
) -> list[tuple[str, str]]:
    """The (name, value) pairs of a urlencoded form, the values percent-encoded (a
    styled field as a query parameter of its style is)."""
    encoded = _serde.encode(value)
    if not isinstance(encoded, Mapping):
        raise TypeError("a form body must be a model or a mapping")
    out: list[tuple[str, str]] = []
    for key, item in encoded.items():
        part = (parts or {}).get(key, _PLAIN)
        if part.style is not None:
            param = Param(key, "query", part.style, part.explode, part.allow_reserved)
            out.extend(query_pairs(param, item))
            continue
        items = [item] if part.json or not isinstance(item, list) else item
        for one in items:
            text = (
                json_text(one, f"body.{key}")
                if part.json or isinstance(one, (dict, list))
                else simple_text(_form_field(key), one)
            )
            out.append((key, query_text(text, part.allow_reserved)))
    return out


def form_text(value: object, parts: Mapping[str, Part]) -> bytes:
    """A urlencoded body: its fields percent-encoded (`allowReserved` ones keeping
    reserved characters; a style's delimiters written as in a query)."""
    fields = _form_fields(value, parts)
    return "&".join(
        f"{quote_plus(key, safe='')}={text}" for key, text in fields
    ).encode()


def _is_resendable(value: object) -> bool:
    """Whether a multipart file value can be sent again (a retry, a 307 redirect):
    in memory, or a seekable file (httpx reads a part's file from its start each
    time it sends it)."""
    if isinstance(value, tuple):
        if len(value) < 2:
            return False
        value = value[1]
    if isinstance(value, (bytes, str)):
        return True
    seekable = getattr(value, "seekable", None)
    try:
        return callable(seekable) and seekable() is True
    except (OSError, ValueError):  # a closed file, or one that cannot tell
        return False


def _fields(value: object) -> Mapping[Any, Any]:
    to_dict = getattr(value, "to_dict", None)
    fields = to_dict() if callable(to_dict) else value  # file fields stay as given
    if not isinstance(fields, Mapping):
        raise TypeError("a multipart body must be a model or a mapping")
    return fields


def _values(fields: Mapping[Any, Any]) -> list[tuple[str, object]]:
    """(name, value) of each part of a named multipart body: an array is a part per item."""
    return [
        (str(key), one)
        for key, item in fields.items()
        for one in (item if isinstance(item, list) else [item])
        if one is not UNSET
    ]


def _part_text(name: str, value: object, part: Part) -> tuple[str, str | None]:
    """A value that is no file as a part's text and `Content-Type` (None: text/plain)."""
    encoded = _serde.encode(value)
    if part.json or isinstance(encoded, (dict, list)):
        text = json_text(encoded, f"body.{name}")
        return text, part.content_type or "application/json"
    return simple_text(_form_field(name), encoded), part.content_type


def file_type(value: object, media_range: str) -> str | None:
    """The type of a file object by its name (`cat.png`: `image/png`) when it is in
    `media_range` (`image/*`, `*/*`), else None."""
    name = getattr(value, "name", None)
    if not isinstance(name, str):
        return None
    guessed = mimetypes.guess_type(PurePath(name).name)[0]
    wanted = media_range.split(";", maxsplit=1)[0].strip().lower()
    if guessed is None or wanted == "*/*":
        return guessed
    major, _, minor = wanted.partition("/")
    found_major, _, found_minor = guessed.lower().partition("/")
    if major == found_major and minor in ("*", found_minor):
        return guessed
    return None


def _file_part(value: object, part: Part) -> object:
    """A file value as httpx takes it, with the part's content type (unless the
    caller's tuple names one) and headers."""
    if part.content_type is None and not part.headers:
        return value
    headers = dict(part.headers)
    if isinstance(value, tuple):
        name, content, *rest = value
        content_type = rest[0] if rest and rest[0] is not None else part.content_type
        return (
            name,
            content,
            content_type,
            {**headers, **(rest[1] if len(rest) > 1 else {})},
        )
    name = PurePath(str(getattr(value, "name", "upload"))).name
    return (name, value, part.content_type, headers)


def _multipart(
    value: object, parts: Mapping[str, Part] | None = None
) -> tuple[list[tuple[str, Any]], dict[str, list[str]]]:
    """`files` and `data` for httpx: a multipart/form-data body. A property with a
    `style` (OpenAPI 3.1 on) is text parts named as a form names its fields
    (`meta[a]` of a `deepObject`), unencoded."""
    files: list[tuple[str, Any]] = []
    data: dict[str, list[str]] = {}
    fields, parts = _fields(value), parts or {}
    styled = [key for key in fields if parts.get(str(key), _PLAIN).style is not None]
    for key in styled:
        part, item = parts[str(key)], fields[key]
        if item is not UNSET and item is not None:
            param = Param(str(key), "query", part.style or "form", part.explode)
            for name, text in serialize(param, item):
                data.setdefault(name, []).append(text)
    for key, one in _values({k: v for k, v in fields.items() if k not in styled}):
        part = parts.get(key, _PLAIN)
        if _serde.is_file(one):
            files.append((key, _file_part(one, part)))
            continue
        text, content_type = _part_text(key, one, part)
        if content_type is None and not part.headers:
            data.setdefault(key, []).append(text)
        else:  # a part with headers: httpx writes those of files only
            files.append((key, (None, text.encode(), content_type, dict(part.headers))))
    return files, data


def multipart_bytes(spec: Body, value: object) -> tuple[bytes, str]:
    """A multipart body of a type other than form-data (httpx writes form-data only)
    and its `Content-Type`: positional (an array: a part per item, by `prefix`, then
    `items`) or named (a part per property, named as in form-data)."""
    rendered: list[tuple[str, bytes]] = []
    if spec.positional:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"a {spec.media_type} body is a list of its parts")
        for index, one in enumerate(value):
            part = spec.prefix[index] if index < len(spec.prefix) else spec.items
            rendered.append(_rendered(one, part or _PLAIN, None))
    else:
        for key, one in _values(_fields(value)):
            rendered.append(_rendered(one, spec.parts.get(key, _PLAIN), key))
    boundary = secrets.token_hex(16)
    while any(boundary.encode() in content for _, content in rendered):
        boundary = secrets.token_hex(16)  # never part of the content
    out = b"".join(
        f"--{boundary}\r\n{head}\r\n".encode() + content + b"\r\n"
        for head, content in rendered
    )
    return (
        out + f"--{boundary}--\r\n".encode(),
        f"{spec.media_type}; boundary={boundary}",
    )


def _rendered(value: object, part: Part, name: str | None) -> tuple[str, bytes]:
    """One part of a multipart body written here: its header lines and content."""
    filename: str | None = None
    if _serde.is_file(value):
        content_type = part.content_type or "application/octet-stream"
        if isinstance(value, tuple):
            filename, value, *rest = value
            content_type = rest[0] if rest and rest[0] is not None else content_type
        raw = value.read() if hasattr(value, "read") else value
        content = raw.encode() if isinstance(raw, str) else bytes(cast("bytes", raw))
    else:
        text, given = _part_text(name or "", value, part)
        content, content_type = text.encode(), given or "text/plain; charset=utf-8"
    head = ""
    if name is not None or filename:
        head = "Content-Disposition: " + (
            "form-data" if name is not None else "attachment"
        )
        head += f'; name="{_quoted(name)}"' if name is not None else ""
        head += f'; filename="{_quoted(filename)}"' if filename else ""
        head += "\r\n"
    head += f"Content-Type: {content_type}\r\n"
    head += "".join(f"{key}: {text}\r\n" for key, text in part.headers)
    return head, content


def _quoted(text: str | None) -> str:
    """A name or file name in a quoted header parameter, as browsers write them."""
    return str(text).replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
