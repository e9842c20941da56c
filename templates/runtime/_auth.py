"""Credentials: security schemes, and keeping credentials out of logs, messages and
other origins (static runtime, copied verbatim)."""

from __future__ import annotations

import base64
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from os import environ
from typing import Literal, cast

import httpx

from ._oauth2 import OAuth2
from ._params import query_text
from ._request import check_sendable

__all__ = [
    "REDACTED",
    "ApiKey",
    "HttpBasic",
    "HttpBearer",
    "HttpScheme",
    "SecurityScheme",
    "redirect_request",
]

REDACTED = "[REDACTED]"


@dataclass(frozen=True)
class HttpBearer:
    """`Authorization: Bearer <token>`."""

    def apply(
        self,
        credential: object,
        headers: httpx.Headers,
        query: list[tuple[str, str]],
        cookies: dict[str, str],
    ) -> None:
        headers["Authorization"] = f"Bearer {credential}"


@dataclass(frozen=True)
class HttpScheme:
    """`Authorization: <scheme> <value>` for an http scheme other than bearer and
    basic, the scheme's name as the spec writes it (`Signature`)."""

    scheme: str

    def apply(
        self,
        credential: object,
        headers: httpx.Headers,
        query: list[tuple[str, str]],
        cookies: dict[str, str],
    ) -> None:
        headers["Authorization"] = f"{self.scheme} {credential}"


@dataclass(frozen=True)
class HttpBasic:
    """`Authorization: Basic ...` from a `(user, password)` tuple."""

    def apply(
        self,
        credential: object,
        headers: httpx.Headers,
        query: list[tuple[str, str]],
        cookies: dict[str, str],
    ) -> None:
        user, password = cast("tuple[str, str]", credential)
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"


@dataclass(frozen=True)
class ApiKey:
    """An API key in a header, query parameter or cookie."""

    location: Literal["header", "query", "cookie"]
    name: str

    @property
    def place(self) -> tuple[str, str]:
        """Where the key goes (a header by its name in lower case, as headers match)."""
        name = self.name.lower() if self.location == "header" else self.name
        return self.location, name

    def apply(
        self,
        credential: object,
        headers: httpx.Headers,
        query: list[tuple[str, str]],
        cookies: dict[str, str],
    ) -> None:
        """Add the key where the scheme says. One a header or cookie cannot carry (its
        name not a token, or a character the value may not hold) is refused before
        anything is sent, as a parameter's is (`check_sendable`); nothing of the key
        is shown."""
        value = str(credential)
        if self.location == "query":
            query.append((self.name, query_text(value)))
            return
        check_sendable(
            f"API key {self.name!r}", self.location, self.name, value, secret=True
        )
        if self.location == "header":
            headers[self.name] = value
        else:
            cookies[self.name] = value


SecurityScheme = HttpBearer | HttpScheme | HttpBasic | ApiKey | OAuth2

# Headers that carry credentials whatever the spec says.
CREDENTIAL_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "x-api-key", "api-key"}
)

# Names of query parameters that carry API keys, for every client created: their
# values are replaced by `REDACTED` in request reprs and in httpx's log records.
_SECRET_QUERY_NAMES: set[str] = set()


def _redact_url(url: httpx.URL) -> httpx.URL:
    """`url` with the values of API-key query parameters replaced by `REDACTED`."""
    if not url.query or not _SECRET_QUERY_NAMES:
        return url
    params = url.params
    if not any(name in params for name in _SECRET_QUERY_NAMES):
        return url
    pairs = [
        (k, REDACTED if k in _SECRET_QUERY_NAMES else v)
        for k, v in params.multi_items()
    ]
    return url.copy_with(params=pairs)


class _SafeRequest(httpx.Request):
    """An `httpx.Request` whose repr hides API keys sent in the query string."""

    def __repr__(self) -> str:
        return f"<Request({self.method!r}, '{_redact_url(self.url)}')>"


def _safe_request(request: httpx.Request) -> httpx.Request:
    """`request` itself, its repr now hiding API keys sent in the query string.

    Its class is switched to `_SafeRequest` (which only overrides `__repr__`)
    rather than the request copied: a copy would cost as much as building it
    again, and a copy made from its stream would lose its body's `content`
    (event hooks read it).
    """
    if type(request) is httpx.Request:
        request.__class__ = _SafeRequest
    return request


class _RedactingFilter(logging.Filter):
    """Hides API-key query values in the URLs httpx logs (`HTTP Request: GET ...`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _SECRET_QUERY_NAMES and isinstance(record.args, tuple):
            record.args = tuple(
                _redact_url(a) if isinstance(a, httpx.URL) else a for a in record.args
            )
        return True


_REDACTING_FILTER = _RedactingFilter()


def _register_query_secrets(names: set[str]) -> None:
    if not names:
        return
    _SECRET_QUERY_NAMES.update(names)
    httpx_logger = logging.getLogger("httpx")
    if _REDACTING_FILTER not in httpx_logger.filters:
        httpx_logger.addFilter(_REDACTING_FILTER)


def _same_origin(a: httpx.URL, b: httpx.URL) -> bool:
    """Whether credentials sent to `a` may follow a redirect to `b` (as httpx
    decides for `Authorization`: same scheme, host and port, or an upgrade from
    http to https on the same host and default ports)."""
    if (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port):
        return True
    return (
        a.scheme == "http"
        and b.scheme == "https"
        and a.host == b.host
        and a.port in (80, None)
        and b.port in (443, None)
    )


def redirect_request(
    http_client: httpx.Client | httpx.AsyncClient,
    request: httpx.Request,
    response: httpx.Response,
    rewindable: bool,
    hops: int,
    secret_headers: frozenset[str],
    secret_query: set[str],
) -> httpx.Request | None:
    """The request following the redirect `response` (built by httpx: method, URL,
    body, `Authorization` dropped for another origin), or None: do not follow (the
    `httpx` client does not follow redirects, `hops` reached its limit, or a body
    that was streamed would have to be sent again).

    Going to another origin, every credential header (`secret_headers`) and API-key
    query parameter (`secret_query`) is dropped too; on the same origin the cookies
    sent stay.
    """
    if not http_client.follow_redirects:
        return None
    nxt = response.next_request
    if nxt is None or hops >= http_client.max_redirects:
        return None  # a 3xx response past the limit is raised as an `APIStatusError`
    if not rewindable and nxt.method == request.method:
        return None  # the body was streamed and cannot be sent again
    if _same_origin(request.url, nxt.url):
        cookie = request.headers.get("cookie")
        if cookie is not None:
            nxt.headers["Cookie"] = cookie
        keys = [  # an API key in the query: the `Location` does not repeat it
            (k, v)
            for k, v in request.url.params.multi_items()
            if k in secret_query and k not in nxt.url.params
        ]
        if keys:
            nxt.url = nxt.url.copy_with(params=[*nxt.url.params.multi_items(), *keys])
        return _safe_request(nxt)
    for name in secret_headers:
        nxt.headers.pop(name, None)
    if secret_query and any(k in secret_query for k in nxt.url.params):
        kept = [
            (k, v) for k, v in nxt.url.params.multi_items() if k not in secret_query
        ]
        nxt.url = nxt.url.copy_with(params=kept)
    return _safe_request(nxt)


def secret_names(
    schemes: Mapping[str, SecurityScheme],
) -> tuple[frozenset[str], set[str]]:
    """The credential headers (lower-case) and API-key query parameters of `schemes`:
    what never goes to another origin (the query ones are redacted in logs too)."""
    api_keys = [s for s in schemes.values() if isinstance(s, ApiKey)]
    headers = CREDENTIAL_HEADERS | {
        s.name.lower() for s in api_keys if s.location != "query"
    }
    query = {s.name for s in api_keys if s.location == "query"}
    _register_query_secrets(query)
    return headers, query


def secret_values(credentials: Mapping[str, object]) -> list[str]:
    """The text of every configured credential (and of basic auth's token), to redact."""
    values: list[str] = []
    for credential in credentials.values():
        grant_secrets = getattr(credential, "secret_texts", None)  # an OAuth2 grant
        if callable(grant_secrets):
            values.extend(str(v) for v in grant_secrets())
            continue
        parts = credential if isinstance(credential, tuple) else (credential,)
        values.extend(str(p) for p in parts)
        if isinstance(credential, tuple) and len(credential) == 2:
            raw = f"{credential[0]}:{credential[1]}".encode()
            values.append(base64.b64encode(raw).decode("ascii"))
    # Longest first, and never very short values (they would mangle the text).
    return sorted((v for v in values if len(v) >= 4), key=len, reverse=True)


def credentials_from_environment(
    prefix: str,
    schemes: Mapping[str, SecurityScheme],
    credentials: Mapping[str, object],
) -> dict[str, object]:
    """`credentials`, each one not given read from `<prefix><NAME>` (an http basic
    credential as `user:password`)."""
    found = dict(credentials)
    for name, value in credentials.items():
        text = None if value is not None else environ.get(prefix + name.upper())
        if not text:
            continue
        if isinstance(schemes.get(name), HttpBasic):
            user, _, password = text.partition(":")
            found[name] = (user, password)
        else:
            found[name] = text
    return found
