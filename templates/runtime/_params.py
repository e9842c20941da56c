"""Parameter serialization per OpenAPI `style`/`explode` (static runtime, copied verbatim)."""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal
from urllib.parse import quote, quote_plus

from . import _serde
from ._types import UNSET
from .errors import RequestValidationError

__all__ = [
    "cookie_pairs",
    "QUERY_RESERVED",
    "Param",
    "expand_path",
    "json_text",
    "path_value",
    "query_pairs",
    "query_text",
    "scalar_text",
    "serialize",
    "split_path",
]

Location = Literal["path", "query", "header", "cookie", "querystring"]

# RFC 3986 reserved characters sent raw for `allowReserved` / `x-oagen-allow-reserved`,
# except `?` and `#`, which would end a path.
_RESERVED = "!$&'()*+,;=:@/[]"
# What `allowReserved` leaves as it is in a query or urlencoded value: the reserved
# characters but those with a meaning in a form (`&`, `=`, `+`, `#`) or a query.
QUERY_RESERVED = "!$'()*,;:@/?"
# The delimiters of an array's items by style; in the query percent-encoded as
# OpenAPI's style examples write them (`?color=blue%7Cblack%7Cbrown`), but a `form`
# array's comma, which stays as it is (`?color=blue,black,brown`, its items' own
# commas encoded).
_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|", "tabDelimited": "\t"}
_TRIPLE = re.compile("%[0-9A-Fa-f]{2}")


@dataclass(frozen=True)
class Param:
    """How one operation parameter goes on the wire."""

    name: str
    location: Location
    style: str
    explode: bool
    allow_reserved: bool = False
    checks: Mapping[str, Any] = field(default_factory=dict)
    python_name: str = ""
    # `querystring` (OpenAPI 3.2): the media type the whole query string is written as
    media_type: str = ""

    @property
    def field(self) -> str:
        """The parameter's name in validation errors: the argument's name."""
        return self.python_name or self.name


def scalar_text(value: object, field: str = "value") -> str:
    """The text of one value of a parameter (`true`, ISO dates, ...).

    An array or object nested in an array or object parameter (which no OpenAPI style
    says how to write) is its compact JSON text, never Python's repr; a value that is
    neither a scalar, an array nor an object raises `RequestValidationError` naming
    `field`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not math.isfinite(value):  # no JSON number either
        raise RequestValidationError(field, f"{value} is not a number that can be sent")
    try:
        encoded = _serde.encode(value)
        if not isinstance(encoded, (dict, list)):
            return str(encoded)
        return json.dumps(
            encoded, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (TypeError, ValueError):  # not JSON-ready (a set, an object), or NaN in JSON
        problem = f"a {type(value).__name__} value cannot be sent as a parameter value"
        raise RequestValidationError(field, problem) from None


def _pairs(
    value: object, field: str, spread: bool = False
) -> list[tuple[str, str]] | None:
    """An object's (key, text) pairs; with `spread`, one per item of an array of
    scalars (an exploded `form` object's, as a urlencoded form writes it)."""
    encoded = _serde.encode(value) if hasattr(value, "to_dict") else value
    if not isinstance(encoded, Mapping):
        return None
    out: list[tuple[str, str]] = []
    for k, v in encoded.items():
        if v is UNSET or v is None:  # undefined, as RFC 6570 has it: left out
            continue
        if spread and isinstance(v, (list, tuple)) and not any(map(_is_structured, v)):
            out.extend((str(k), scalar_text(item, field)) for item in v)
        else:
            out.append((str(k), scalar_text(v, field)))
    return out


def _is_structured(value: object) -> bool:
    return isinstance(value, (Mapping, list, tuple)) or hasattr(value, "to_dict")


def _items(value: object, field: str) -> list[str] | None:
    if isinstance(value, (list, tuple)):  # a None item is undefined: left out
        return [scalar_text(v, field) for v in value if v is not None]
    return None


def query_text(text: str, allow_reserved: bool = False) -> str:
    """`text` percent-encoded as a query or urlencoded value (a space as `+`; with
    `allow_reserved`, `QUERY_RESERVED` as they are and a space as `%20`)."""
    if allow_reserved:
        return reserved_quote(text, QUERY_RESERVED)
    return quote_plus(text, safe="")


def reserved_quote(text: str, safe: str) -> str:
    """`text` percent-encoded as RFC 6570's reserved expansion does (`allowReserved`):
    the `safe` characters and the percent-encoded triples it holds (`%2F`) as they
    are (a `%` that starts none is encoded)."""
    if "%" not in text:
        return quote(text, safe=safe)
    out: list[str] = []
    start = 0
    for triple in _TRIPLE.finditer(text):
        out += (quote(text[start : triple.start()], safe=safe), triple.group())
        start = triple.end()
    out.append(quote(text[start:], safe=safe))
    return "".join(out)


def query_pairs(param: Param, value: object) -> list[tuple[str, str]]:
    """(name, value) pairs for a query parameter or a styled urlencoded field: the
    names as they are, the values percent-encoded, each of an array's items and an
    object's keys and values on its own before the style joins them."""
    return _styled(param, value, lambda text: query_text(text, param.allow_reserved))


def cookie_pairs(param: Param, value: object) -> list[tuple[str, str]]:
    """(name, value) pairs for a cookie parameter: its `form` style is RFC 6570's form
    expansion, which percent-encodes each value (all but letters, digits and `-._~`),
    so any text, and JSON, fits RFC 6265's cookie-octets; a `,` joins them."""
    return _styled(param, value, _cookie_text)


def _cookie_text(text: str) -> str:
    return quote(text, safe="")


def serialize(param: Param, value: object) -> list[tuple[str, str]]:
    """(name, text) pairs of a parameter in its style, not percent-encoded: what
    `query_pairs` and `cookie_pairs` write, before encoding (the style table's view)."""
    return _styled(param, value, None)


def _styled(
    param: Param, value: object, encode: Callable[[str], str] | None
) -> list[tuple[str, str]]:
    """(name, value) pairs of `value` in `param`'s style, each text through `encode`
    before it is joined (and the delimiters then percent-encoded, a comma aside)."""
    name, style = param.name, param.style
    enc = encode or _as_it_is
    if style == "json":
        return [(name, enc(json_text(value, param.field)))]
    if style == "deepObject":
        return [(key, enc(text)) for key, text in _deep(name, value, param.field)]
    spread = style == "form" and param.explode and param.location == "query"
    items, pairs = _items(value, param.field), _pairs(value, param.field, spread)
    sep = _DELIMITERS.get(style, ",")  # between items, and keys and values unexploded
    if encode is not None:
        sep = quote(sep, safe=",")
    if items is not None:
        if param.explode:
            return [(name, enc(item)) for item in items]
        return [(name, sep.join(map(enc, items)))]
    if pairs is not None:
        if param.explode:
            return [(k, enc(v)) for k, v in pairs]
        return [(name, sep.join(f"{enc(k)}{sep}{enc(v)}" for k, v in pairs))]
    return [(name, enc(scalar_text(value, param.field)))]


def _deep(
    name: str, value: object, field: str, depth: int = 0
) -> list[tuple[str, str]]:
    """`deepObject` pairs: `name[key]` for an object's members and `name[0]` for an
    array's items, as deep as the value goes (`items[0][price]=x`: the bracket
    notation of qs, Rails and Stripe, whose first level is OpenAPI's `deepObject`);
    undefined members and items (`UNSET`, None) are left out."""
    if depth > _MAX_DEPTH:
        raise RequestValidationError(field, "nested too deeply to be sent")
    encoded = _serde.encode(value) if hasattr(value, "to_dict") else value
    if isinstance(encoded, Mapping):
        members: Iterable[tuple[object, object]] = encoded.items()
    elif isinstance(encoded, (list, tuple)):
        members = enumerate(encoded)
    else:
        return [(name, scalar_text(encoded, field))]
    out: list[tuple[str, str]] = []
    for key, member in members:
        if member is not UNSET and member is not None:
            out += _deep(f"{name}[{key}]", member, field, depth + 1)
    return out


_MAX_DEPTH = 32


def _as_it_is(text: str) -> str:
    return text


def simple_text(param: Param, value: object) -> str:
    """Text of a path or header parameter in `simple` style (unencoded), or in a
    delimited one (Swagger 2.0's `pipes`, `ssv`, `tsv` there)."""
    if param.style == "json":
        return json_text(value, param.field)
    items, pairs = _items(value, param.field), _pairs(value, param.field)
    sep = _DELIMITERS.get(param.style, ",")
    if items is not None:
        return sep.join(items)
    if pairs is not None:
        joiner = "=" if param.explode else sep
        return sep.join(f"{k}{joiner}{v}" for k, v in pairs)
    return scalar_text(value, param.field)


def _no_dot_segments(text: str) -> str:
    """`text` with its `.`/`..` segments percent-encoded: a value must never add one
    (URL normalisation would remove it, and with it part of the path)."""
    if "." not in text:
        return text
    return "/".join(
        part.replace(".", "%2E") if part in (".", "..") else part
        for part in text.split("/")
    )


def _encode_segment(text: str, allow_reserved: bool) -> str:
    encoded = (
        reserved_quote(text, _RESERVED) if allow_reserved else quote(text, safe="")
    )
    return _no_dot_segments(encoded)


def path_value(param: Param, value: object) -> str:
    """The percent-encoded text of a path parameter's value."""
    if param.style == "simple" and type(value) is str:  # the common case, directly
        return _encode_segment(value, param.allow_reserved)
    # (with a label prefix, say, encoded parts could still form a `.`/`..` segment)
    return _no_dot_segments(_expanded(param, value))


def json_text(value: object, field: str) -> str:
    """Compact JSON text of a value (a `content: application/json` parameter, a JSON
    body, part or form field); what JSON has no value for (NaN, a file) raises
    `RequestValidationError` naming `field`."""
    try:
        return json.dumps(
            _serde.encode(value),
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,
        )
    except (TypeError, ValueError) as exc:
        raise RequestValidationError(field, f"cannot be sent as JSON: {exc}") from None


def _expanded(param: Param, value: object) -> str:
    if param.style == "json":
        return _encode_segment(json_text(value, param.field), allow_reserved=False)
    items, pairs = _items(value, param.field), _pairs(value, param.field)
    enc = functools.partial(_encode_segment, allow_reserved=param.allow_reserved)
    if param.style == "label":
        if items is not None:
            return "." + ("." if param.explode else ",").join(map(enc, items))
        if pairs is not None:
            if param.explode:
                return "." + ".".join(f"{enc(k)}={enc(v)}" for k, v in pairs)
            return "." + ",".join(f"{enc(k)},{enc(v)}" for k, v in pairs)
        return "." + enc(scalar_text(value, param.field))
    if param.style == "matrix":
        # RFC 6570's `;` operator: an empty value is the bare name (`;color`), as is
        # an empty array or object (OpenAPI's style table)
        name = param.name
        if items is not None:
            if param.explode and items:
                return "".join(_matrix(name, enc(i)) for i in items)
            return _matrix(name, ",".join(map(enc, items)))
        if pairs is not None:
            if param.explode and pairs:
                return "".join(_matrix(enc(k), enc(v)) for k, v in pairs)
            return _matrix(name, ",".join(f"{enc(k)},{enc(v)}" for k, v in pairs))
        return _matrix(name, enc(scalar_text(value, param.field)))
    sep = quote(_DELIMITERS.get(param.style, ","), safe=",")  # `simple`, or 2.0's
    if items is not None:
        return sep.join(enc(i) for i in items)
    if pairs is not None:
        joiner = "=" if param.explode else sep
        return sep.join(f"{enc(k)}{joiner}{enc(v)}" for k, v in pairs)
    return enc(scalar_text(value, param.field))


def _matrix(name: str, text: str) -> str:
    return f";{name}={text}" if text else f";{name}"


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def split_path(template: str) -> list[str]:
    """`/a/{x}/b` -> `['/a/', 'x', '/b']`: literal text at even indexes, parameter
    names at odd ones."""
    return _PLACEHOLDER.split(template)


def expand_path(template: str, values: Mapping[str, tuple[Param, object]]) -> str:
    """`template` with each `{name}` replaced by its percent-encoded value."""
    pieces = split_path(template)
    for number in range(1, len(pieces), 2):
        if pieces[number] in values:
            pieces[number] = path_value(*values[pieces[number]])
        else:
            pieces[number] = f"{{{pieces[number]}}}"
    return "".join(pieces)
