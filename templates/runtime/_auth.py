"""Credentials: security schemes, and keeping credentials out of logs, messages and
other origins (static runtime, copied verbatim)."""

from __future__ import annotations

import base64
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, cast

import httpx

__all__ = ["REDACTED", "ApiKey", "HttpBasic", "HttpBearer", "SecurityScheme"]

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

    def apply(
        self,
        credential: object,
        headers: httpx.Headers,
        query: list[tuple[str, str]],
        cookies: dict[str, str],
    ) -> None:
        if self.location == "header":
            headers[self.name] = str(credential)
        elif self.location == "query":
            query.append((self.name, str(credential)))
        else:
            cookies[self.name] = str(credential)


SecurityScheme = HttpBearer | HttpBasic | ApiKey

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


def secret_values(credentials: Mapping[str, object]) -> list[str]:
    """The text of every configured credential (and of basic auth's token), to redact."""
    values: list[str] = []
    for credential in credentials.values():
        parts = credential if isinstance(credential, tuple) else (credential,)
        values.extend(str(p) for p in parts)
        if isinstance(credential, tuple) and len(credential) == 2:
            raw = f"{credential[0]}:{credential[1]}".encode()
            values.append(base64.b64encode(raw).decode("ascii"))
    # Longest first, and never very short values (they would mangle the text).
    return sorted((v for v in values if len(v) >= 4), key=len, reverse=True)
