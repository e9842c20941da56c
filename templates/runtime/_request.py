"""Describing an operation (`Endpoint`) and turning a call's arguments into the parts
of its request (static runtime, copied verbatim).

What is fixed for an operation (its path split at its parameters, its parameters by
location, which of them are checked) is worked out once per `Endpoint`, on its first
call, as its `route`; a call then only serialises its own arguments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import IO, Any, Generic, TypeVar, cast
from urllib.parse import quote, quote_plus

import httpx

from . import _serde
from ._bodies import (
    Body,
    _check_body,
    _choose_body,
    _form_fields,
    _json_bytes,
    _multipart,
    file_type,
    form_text,
    multipart_bytes,
)
from ._params import (
    Param,
    cookie_pairs,
    path_value,
    query_pairs,
    scalar_text,
    simple_text,
    split_path,
)
from ._response import ResponseDecoder, is_json_media_type
from ._types import UNSET
from .errors import RequestValidationError

__all__ = ["Endpoint", "Route", "Slot", "check_sendable", "encode_body", "query_url"]

T = TypeVar("T")

# What a header or cookie name may be (an RFC 9110 token), and what a header value
# may not hold: anything but printable ASCII and tab (control characters would end
# the header; httpx cannot encode other text).
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
_NOT_IN_HEADER = re.compile(r"[^\t\x20-\x7e]")
# What a cookie value may not hold: anything but RFC 6265's cookie-octets (no
# whitespace, `"`, `,`, `;` or `\`); `_NOT_IN_COOKIE_ITEM` applies to one value (an
# API key), `_NOT_IN_COOKIE` to a parameter's text, where the `,` between an array's
# or object's values (the `form` style's) may stand. (A parameter's values are
# percent-encoded: only its name can fail.)
_NOT_IN_COOKIE_ITEM = re.compile(r"[^\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]")
_NOT_IN_COOKIE = re.compile(r"[^\x21\x23-\x3a\x3c-\x5b\x5d-\x7e]")

# Methods retried without an `Idempotency-Key` (repeating them changes nothing more).
_IDEMPOTENT_METHODS = frozenset(
    {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE", "QUERY"}
)
_FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Endpoint(Generic[T]):
    """Everything static about one operation."""

    method: str
    path: str
    responses: Mapping[str, ResponseDecoder[T]]
    params: tuple[Param, ...] = ()
    # The request body's default media type, and the others it may be sent as.
    body: Body | None = None
    other_bodies: tuple[Body, ...] = ()
    # Alternatives (OR) of scheme sets (AND); `()` sends no credentials.
    security: tuple[tuple[str, ...], ...] = ()
    errors: Mapping[str, Callable[[Any], object]] = field(default_factory=dict)
    idempotency_header: str | None = None
    # The operation's own server (`servers` on the operation or its path), used
    # unless the client was given an explicit `base_url`.
    server: str | None = None
    # `Accept`: the media types the responses declare, JSON first (None: they
    # declare none, and httpx's `*/*` goes).
    accept: str | None = None
    # A streamed operation's media type (its `Accept`): a 2xx response is returned
    # unread, for `_streams` to wrap.
    stream_media: str | None = None

    @cached_property
    def route(self) -> Route:
        """The endpoint's parameters laid out for calls (computed on first use)."""
        return Route.of(self)


@dataclass(frozen=True)
class Slot:
    """A parameter and where its value is in a call's `args`."""

    index: int
    param: Param

    @property
    def field(self) -> str:
        """The parameter's name in validation errors: the argument's name."""
        return self.param.field


@dataclass(frozen=True)
class Route:
    """An endpoint's parameters laid out for calls."""

    # The path template as literal text and the path parameters filling it in.
    path: tuple[str | Slot, ...]
    query: tuple[Slot, ...]
    headers: tuple[Slot, ...]
    cookies: tuple[Slot, ...]
    # An `in: querystring` parameter: its value is the whole query string.
    querystring: Slot | None
    checked: tuple[Slot, ...]  # parameters with constraints to check before sending
    arity: int  # how many `args` a call passes: one per parameter
    # Retried without an `Idempotency-Key`.
    is_idempotent: bool

    @classmethod
    def of(cls, endpoint: Endpoint[Any]) -> Route:
        slots = [Slot(index, param) for index, param in enumerate(endpoint.params)]
        by_location: dict[str, list[Slot]] = {}
        for slot in slots:
            by_location.setdefault(slot.param.location, []).append(slot)
        in_path = {slot.param.name: slot for slot in by_location.get("path", [])}
        path: list[str | Slot] = []
        for number, piece in enumerate(split_path(endpoint.path)):
            if number % 2 == 0:  # literal text
                path.append(piece)
            else:  # a parameter's name; without a parameter, the text stays as it is
                path.append(in_path.get(piece) or f"{{{piece}}}")
        return cls(
            path=tuple(piece for piece in path if piece != ""),
            query=tuple(by_location.get("query", ())),
            headers=tuple(by_location.get("header", ())),
            cookies=tuple(by_location.get("cookie", ())),
            querystring=next(iter(by_location.get("querystring", ())), None),
            checked=tuple(slot for slot in slots if slot.param.checks),
            arity=len(slots),
            is_idempotent=endpoint.method.upper() in _IDEMPOTENT_METHODS,
        )

    def check(self, args: tuple[object, ...]) -> None:
        """Raise `RequestValidationError` for the first argument breaking its constraints."""
        if len(args) != self.arity:
            raise ValueError(f"{len(args)} arguments given for {self.arity} parameters")
        for slot in self.checked:
            _serde.check(args[slot.index], slot.field, **slot.param.checks)

    def url_path(self, args: tuple[object, ...]) -> str:
        """The path with the path parameters' values, percent-encoded."""
        return "".join(
            piece if isinstance(piece, str) else _path_piece(piece, args[piece.index])
            for piece in self.path
        )

    def add_params(
        self,
        args: tuple[object, ...],
        query: list[tuple[str, str]],
        headers: httpx.Headers,
        cookies: list[tuple[str, str]],
    ) -> str:
        """Add the query (values percent-encoded), header and cookie parameters given
        in `args` (not `UNSET`); return the query string of an `in: querystring`
        parameter written as text (percent-encoded; a form one is added to `query`
        instead)."""
        raw = ""
        whole = self.querystring
        if whole is not None and _given(whole, args[whole.index]):
            raw = _querystring(whole.param, args[whole.index], query)
        for slot in self.query:
            value = args[slot.index]
            if _given(slot, value):
                query.extend(query_pairs(slot.param, value))
        for slot in self.headers:
            value = args[slot.index]
            if _given(slot, value):
                text = simple_text(slot.param, value)
                check_sendable(slot.field, "header", slot.param.name, text)
                headers[slot.param.name] = text
        for slot in self.cookies:
            value = args[slot.index]
            if _given(slot, value):
                for name, text in cookie_pairs(slot.param, value):
                    check_sendable(slot.field, "cookie", name, text, _NOT_IN_COOKIE)
                    cookies.append((name, text))
        return raw


def _given(slot: Slot, value: object) -> bool:
    """Whether a parameter goes in the request: not `UNSET`, nor None, which RFC 6570
    (whose expansion OpenAPI's styles are) leaves out as undefined; a parameter sent
    as JSON text (`content`) sends `null`."""
    return value is not UNSET and (value is not None or slot.param.style == "json")


def _base(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def _querystring(param: Param, value: object, query: list[tuple[str, str]]) -> str:
    """An `in: querystring` value: a form (the default media type) is added to `query`
    as its fields, the way a form body is written; any other media type is the value's
    text (JSON for a JSON type), percent-encoded, returned whole."""
    media = param.media_type.split(";", 1)[0].strip().lower() or _FORM
    if media == _FORM:
        query.extend(_form_fields(value))
        return ""
    if is_json_media_type(media):
        text = json.dumps(
            _serde.encode(value), separators=(",", ":"), ensure_ascii=False
        )
    else:
        text = scalar_text(value, param.field)
    return quote(text, safe="")


def query_url(
    url: str, query: list[tuple[str, str]], raw: str, defaults: httpx.QueryParams
) -> str:
    """`url` with its query string, written here (httpx's `params` would encode the
    delimiters the styles leave as they are). The query already in the URL (a next
    page's link; fixed pairs of a path key such as `/responses?beta=true`) and a
    `raw` one (a `querystring` parameter) come as written, then the `defaults` (the
    `http_client`'s own `params`) and the pairs of `query` (values percent-encoded),
    each but those named before."""
    base, _, written = url.partition("?")
    if written:
        taken = {name for name, _ in httpx.QueryParams(written).multi_items()}
        query = [pair for pair in query if pair[0] not in taken]
    else:
        taken = set()
    shared = ""
    if defaults:
        taken.update(name for name, _ in query)
        shared = str(
            httpx.QueryParams([p for p in defaults.multi_items() if p[0] not in taken])
        )
    ours = "&".join(f"{quote_plus(name, safe='')}={text}" for name, text in query)
    kept = "&".join(part for part in (written, raw, shared, ours) if part)
    return f"{base}?{kept}" if kept else base


def check_sendable(
    field: str,
    kind: str,
    name: str | None,
    text: str,
    forbidden: re.Pattern[str] | None = None,
    *,
    secret: bool = False,
) -> None:
    """Refuse what cannot go on the wire as it is (before anything is sent, never
    retried), naming `field`: a header or cookie `name` that is not a token, a value
    with a character `forbidden` finds (by default, what no header value, or no one
    cookie value, may hold: a control character, non-ASCII text; in a cookie also
    whitespace, `"`, `,`, `;` or a backslash). Parameters and API keys alike; of a
    `secret` (a key) not even the character is shown."""
    if name is not None and not _TOKEN.match(name):
        problem = (
            f"the {kind} name {name!r} is not a valid HTTP token; it cannot be sent"
        )
        raise RequestValidationError(field, problem)
    pattern = forbidden or (_NOT_IN_HEADER if kind == "header" else _NOT_IN_COOKIE_ITEM)
    found = pattern.search(text)
    if found is not None:
        held = "a character" if secret else repr(found.group())
        problem = f"the {kind} value holds {held}, which a {kind} cannot carry"
        if not found.group().isascii():
            problem += " (only ASCII text can be sent)"
        raise RequestValidationError(field, problem)


def _path_piece(slot: Slot, value: object) -> str:
    if value is UNSET:  # not given: the template's text stays
        return f"{{{slot.param.name}}}"
    if value is None and slot.param.style != "json":  # `//` would name another resource
        raise RequestValidationError(slot.field, "a path parameter cannot be None")
    return path_value(slot.param, value)


def encode_body(
    endpoint: Endpoint[Any], body: object, content_type: object, headers: httpx.Headers
) -> tuple[bytes | IO[bytes] | None, Any, Any]:
    """`(content, files, data)` for `httpx`, the body checked first; sets the
    `Content-Type` of a body sent as `content` unless `headers` has one.

    `content_type` (`UNSET`: chosen by the body's type) picks one of the endpoint's
    media types."""
    if endpoint.body is None or body is UNSET:
        return None, None, None
    spec = endpoint.body
    if endpoint.other_bodies or content_type is not UNSET:
        spec = _choose_body((spec, *endpoint.other_bodies), body, content_type)
    if spec.checks:
        _serde.check(body, "body", **spec.checks)
    if spec.kind in ("json", "form", "multipart"):
        _check_body(body, spec.decode)
    if spec.kind == "multipart" and _base(spec.media_type) == "multipart/form-data":
        files, data = _multipart(body, spec.parts)
        if not files:  # httpx writes form-data only when a part is a file (else a form)
            if not data:  # no part at all: an empty form-data body, with its boundary
                written, headers["Content-Type"] = multipart_bytes(spec, body)
                return written, None, None
            files = [
                (key, (None, text.encode(), None)) for key in data for text in data[key]
            ]
            data = {}
        return None, files, data or None
    if spec.kind == "multipart":  # another subtype: written here, with its boundary
        written, headers["Content-Type"] = multipart_bytes(spec, body)
        return written, None, None
    if spec.kind == "json":
        content: bytes | IO[bytes] = _json_bytes(body)
    elif spec.kind == "form":
        content = form_text(body, spec.parts)
    elif spec.kind == "text":  # a scalar's text: `true`, an ISO date, a UUID
        content = scalar_text(body, "body").encode()
    elif isinstance(body, (bytes, bytearray)):
        content = bytes(body)
    else:
        content = cast("IO[bytes]", body)
        if spec.media_range is not None:  # `image/*`: a named file's type in it
            found = file_type(body, spec.media_range)
            headers.setdefault("Content-Type", found or spec.media_type)
    headers.setdefault("Content-Type", spec.media_type)
    return content, None, None
