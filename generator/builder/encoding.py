"""Encoding Objects of request bodies: how each property of a form or multipart body
is written (`encoding`, 3.0/3.1/3.2), and how each item of a 3.2 positional multipart
body (`multipart/mixed` with an array schema or an `itemSchema`) is written
(`prefixEncoding`, `itemEncoding`).

Defaults need no entry here: the runtime writes an object or array value as JSON
(`application/json`), bytes and files as file parts (`application/octet-stream` unless
their name says otherwise), anything else as text (`text/plain`), as the Encoding
Object's default `contentType` says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from ..diagnostics import Diagnostics, Where
from ..ir import BodyKind, ListOf, MapOf, Nullable, PartEncoding, Prim, TupleOf, TypeExpr
from ..resolve import Resolver
from .media import is_json
from .objects import from_openapi_31

__all__ = ["BodyEncoding", "body_encoding", "named_parts"]

_MEDIA = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(;[ -~]*)?")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HEADER_VALUE = re.compile(r"[ -~]*")  # printable ASCII: nothing may break the part header
_FORM_STYLES = ("form", "spaceDelimited", "pipeDelimited", "deepObject")
_POSITIONAL = ("prefixEncoding", "itemEncoding")
_NESTED = ("encoding", "prefixEncoding", "itemEncoding")


@dataclass(frozen=True, slots=True)
class BodyEncoding:
    parts: tuple[PartEncoding, ...] = ()
    prefix: tuple[PartEncoding, ...] = ()
    item: PartEncoding | None = None
    is_positional: bool = False


def is_array(t: TypeExpr) -> bool:
    """Whether a body typed `t` is an array (a sequence of parts when multipart)."""
    if isinstance(t, Nullable):
        return is_array(t.inner)
    return isinstance(t, (ListOf, TupleOf))


def named_parts(
    kind: BodyKind, media: str, body_type: TypeExpr, where: Where, sink: Diagnostics
) -> TypeExpr:
    """The type of a form or multipart/form-data body, whose parts are named by an
    object's properties: `body_type`, unless that is an array or a scalar (which name
    no part: openapi-python-client's multipart array of files could not be sent at
    all), then a mapping of part names to values, with a warning."""
    inner = body_type.inner if isinstance(body_type, Nullable) else body_type
    base = media.split(";", maxsplit=1)[0].strip().lower()
    named = kind == "form" or (kind == "multipart" and base == "multipart/form-data")
    if not named or not (isinstance(inner, (ListOf, TupleOf)) or _scalar(inner)):
        return body_type
    sink.warning(
        f"{base} parts are named by an object's properties, and this body is no object:"
        " typed as a mapping of part names to values",
        where.child("schema"),
    )
    return MapOf(Prim("any"))


def _scalar(t: TypeExpr) -> bool:
    return isinstance(t, Prim) and t.kind != "any"


def body_encoding(
    entry: Any,
    kind: BodyKind,
    media: str,
    where: Where,
    body_type: TypeExpr,
    resolver: Resolver,
    sink: Diagnostics,
) -> BodyEncoding:
    """The encodings of the media type `entry` (at `where`) of a request body."""
    if not isinstance(entry, dict):
        return BodyEncoding()
    present = [key for key in ("encoding", *_POSITIONAL) if key in entry]
    base = media.split(";", maxsplit=1)[0].strip().lower()
    positional = kind == "multipart" and base != "multipart/form-data" and is_array(body_type)
    if kind not in ("form", "multipart"):
        for key in present:
            sink.warning(
                f"`{key}` applies to form and multipart bodies only; ignored", where.child(key)
            )
        return BodyEncoding()
    # 3.1 on, `style`/`explode`/`allowReserved` apply to multipart/form-data too
    styled = base == "multipart/form-data" and from_openapi_31(resolver.spec.root.data)
    reader = _Reader(kind, resolver, sink, styled)
    named = entry.get("encoding")
    parts: list[PartEncoding] = []
    if isinstance(named, dict):
        for name, value in named.items():
            part = reader.part(str(name), value, where.child("encoding", str(name)))
            if part is not None:
                parts.append(part)
    if not any(key in entry for key in _POSITIONAL):
        return BodyEncoding(parts=tuple(parts), is_positional=positional)
    if _positional_refused(entry, kind, base, positional, where, sink):
        return BodyEncoding(parts=tuple(parts), is_positional=positional)
    raw_prefix = entry.get("prefixEncoding")
    prefix = [
        reader.part("", value, where.child("prefixEncoding", index))
        for index, value in enumerate(raw_prefix if isinstance(raw_prefix, list) else [])
    ]
    item = None
    if "itemEncoding" in entry:
        item = reader.part("", entry["itemEncoding"], where.child("itemEncoding"))
    empty = PartEncoding("", None, is_json=False, is_file=False)
    return BodyEncoding(prefix=tuple(p or empty for p in prefix), item=item, is_positional=True)


def _positional_refused(
    entry: dict[str, Any],
    kind: BodyKind,
    base: str,
    positional: bool,
    where: Where,
    sink: Diagnostics,
) -> bool:
    """Report `prefixEncoding`/`itemEncoding` where they cannot apply; whether they did."""
    key = next(k for k in _POSITIONAL if k in entry)
    if kind == "form":
        sink.warning(f"`{key}` applies to multipart bodies only; ignored", where.child(key))
        return True
    if "encoding" in entry:
        sink.error(f"`{key}` cannot be combined with `encoding`", where.child(key))
        return True
    if base == "multipart/form-data":
        sink.error(
            f"`{key}` encodes parts by position, but multipart/form-data parts are named"
            " (use `encoding`, or a positional type such as multipart/mixed)",
            where.child(key),
        )
        return True
    if not positional:
        sink.error(f"`{key}` needs an array `schema` or an `itemSchema`", where.child(key))
        return True
    return False


class _Reader:
    def __init__(
        self, kind: BodyKind, resolver: Resolver, sink: Diagnostics, styled: bool = False
    ) -> None:
        self._kind = kind
        self._resolver = resolver
        self._sink = sink
        self._styled = styled  # a multipart/form-data part may have a style (3.1 on)

    def part(self, name: str, value: Any, where: Where) -> PartEncoding | None:
        if not isinstance(value, dict):
            self._sink.error("an Encoding Object must be an object", where)
            return None
        for key in _NESTED:
            if key in value:
                self._sink.error(
                    f"`{key}` in an Encoding Object (a nested multipart part) is not generated yet",
                    where.child(key),
                )
        content_type, is_file = self._content_type(value.get("contentType"), where)
        if self._kind == "form":
            return self._form_part(name, value, content_type, where)
        rfc6570 = [key for key in ("style", "explode", "allowReserved") if key in value]
        if self._styled and rfc6570:  # text parts as a form writes the value; no type
            found = self._form_part(name, value, content_type, where)
            return replace(
                found, headers=self._headers(value.get("headers"), where.child("headers"))
            )
        for key in rfc6570:
            self._sink.warning(
                f"`{key}` applies to urlencoded bodies (and multipart/form-data from OpenAPI"
                " 3.1 on); this multipart part ignores it",
                where.child(key),
            )
        return PartEncoding(
            name,
            content_type,
            is_json=content_type is not None and is_json(content_type),
            is_file=is_file,
            headers=self._headers(value.get("headers"), where.child("headers")),
        )

    def _form_part(
        self, name: str, value: dict[str, Any], content_type: str | None, where: Where
    ) -> PartEncoding:
        style = value.get("style")
        if style is not None and style not in _FORM_STYLES:
            self._sink.warning(
                f"style {style!r} is not one of {', '.join(_FORM_STYLES)}; `form` is used",
                where.child("style"),
            )
            style = "form"
        explode = value.get("explode")
        allow_reserved = value.get("allowReserved") is True
        rfc6570 = style is not None or isinstance(explode, bool) or allow_reserved
        return PartEncoding(
            name,
            None,  # a urlencoded value has no content type of its own
            # an explicit style, explode or allowReserved: `contentType` is ignored
            is_json=not rfc6570 and content_type is not None and is_json(content_type),
            is_file=False,
            style=(style or "form") if rfc6570 else None,
            explode=(explode if isinstance(explode, bool) else (style or "form") == "form")
            if rfc6570
            else None,
            allow_reserved=allow_reserved,
        )

    def _content_type(self, value: Any, where: Where) -> tuple[str | None, bool]:
        """The part's `Content-Type`: the first concrete media type of the list (None
        when it names only ranges such as `image/*`); and whether it makes a string a
        file (its first media type is neither JSON nor text)."""
        if value is None:
            return None, False
        ranges = [m.strip() for m in str(value).split(",") if m.strip()]
        if not ranges or not all(_MEDIA.fullmatch(m) for m in ranges):
            self._sink.warning(
                f"contentType {value!r} is not a list of media types; ignored",
                where.child("contentType"),
            )
            return None, False
        concrete = next((m for m in ranges if "*" not in m), None)
        first = ranges[0].lower()
        is_file = not first.startswith("text/") and not (is_json(first) and "*" not in first)
        return concrete, is_file

    def _headers(self, value: Any, where: Where) -> tuple[tuple[str, str], ...]:
        """The part headers whose value the spec fixes (`const`, or an `enum` of one
        value); any other is reported: the client has no value to send."""
        out: list[tuple[str, str]] = []
        for name, raw in (value if isinstance(value, dict) else {}).items():
            header_where = where.child(str(name))
            if str(name).lower() in ("content-type", "content-disposition"):
                continue  # Content-Type is `contentType`; Content-Disposition names the part
            found = self._resolver.deref(raw, header_where)
            if found is None:
                continue
            header, header_where = found
            fixed = _fixed_value(header)
            if not _TOKEN.fullmatch(str(name)) or fixed is None:
                self._sink.warning(
                    f"part header {name!r} is not sent: only a header whose schema fixes its"
                    " value (`const`, or a one-value `enum`) can be",
                    header_where,
                )
                continue
            out.append((str(name), fixed))
        return tuple(out)


def _fixed_value(header: Any) -> str | None:
    schema = header.get("schema") if isinstance(header, dict) else None
    if not isinstance(schema, dict):
        return None
    if "const" in schema:
        value = schema["const"]
    elif isinstance(schema.get("enum"), list) and len(schema["enum"]) == 1:
        value = schema["enum"][0]
    else:
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (str, int, float)):
        text = str(value)
    else:
        return None
    return text if _HEADER_VALUE.fullmatch(text) else None
