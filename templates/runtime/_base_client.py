"""HTTP plumbing shared by every operation (static runtime, copied verbatim).

Generated resource methods call `_request(endpoint, args, ...)` with a module-level
`Endpoint` that describes the operation; everything else (parameters, credentials,
bodies, retries, error mapping) happens here. A call's `httpx.Request` is built once,
by the `httpx.Client`'s `build_request`, and sent as it is (again when retried): event
hooks and transports see that request, its body readable.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar, cast

import httpx

from ._auth import (
    REDACTED,
    ApiKey,
    HttpBasic,
    HttpBearer,
    SecurityScheme,
    _register_query_secrets,
    _safe_request,
    _same_origin,
    secret_values,
)
from ._bodies import Body, _is_bytes_file
from ._failures import _connection_error, _decoding_error, _retry_after, _status_error
from ._params import Param, scalar_text
from ._request import Endpoint, encode_body
from ._resources import AsyncResource, SyncResource
from ._response import RAW_RESPONSE, APIResponse, _where
from ._types import UNSET, Headers, Query, Timeout, Unset
from .errors import (
    APIResponseValidationError,
)

__all__ = [
    "ApiKey",
    "AsyncAPIClient",
    "AsyncResource",
    "Body",
    "Endpoint",
    "HttpBasic",
    "HttpBearer",
    "Param",
    "SecurityScheme",
    "SyncAPIClient",
    "SyncResource",
]

T = TypeVar("T")
_HttpxT = TypeVar("_HttpxT", httpx.Client, httpx.AsyncClient)

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
# A server asking to wait longer than this is not waited for: the error is raised.
MAX_RETRY_AFTER = 60.0
# Cap on a decoded response body (gzip bombs); per client: `max_response_bytes`.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
# What a security requirement sends: the client's default headers with its
# credential headers, its query parameters and its cookies.
_Credentials = tuple[httpx.Headers, tuple[tuple[str, str], ...], dict[str, str]]


class _BaseClient(Generic[_HttpxT]):
    """Configuration and request building shared by the sync and async clients."""

    _http_client: _HttpxT

    def __init__(
        self,
        *,
        base_url: str | None,
        security_schemes: Mapping[str, SecurityScheme],
        credentials: Mapping[str, object],
        timeout: Timeout,
        max_retries: int,
        default_headers: Headers | None,
        user_agent: str,
        default_base_url: str | None = None,
    ) -> None:
        self._base_url_given = base_url is not None
        if base_url is None:
            base_url = default_base_url
        if base_url is None:
            raise ValueError(
                "base_url is required: the spec declares no absolute server URL"
            )
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.base_url = base_url.rstrip("/")
        self.timeout = (
            timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        )
        self.max_retries = max_retries
        self._security_schemes = dict(security_schemes)
        self._credentials = {k: v for k, v in credentials.items() if v is not None}
        self._default_headers = httpx.Headers(
            {"User-Agent": user_agent, "Accept": "application/json"}
        )
        self._default_headers.update(default_headers or {})
        self.max_response_bytes = MAX_RESPONSE_BYTES
        api_keys = [s for s in self._security_schemes.values() if isinstance(s, ApiKey)]
        # Headers and query parameters never sent along a redirect to another origin.
        self._secret_headers = {"authorization", "proxy-authorization"} | {
            s.name.lower() for s in api_keys if s.location == "header"
        }
        self._secret_query = {s.name for s in api_keys if s.location == "query"}
        _register_query_secrets(self._secret_query)
        self._sent_credentials: dict[tuple[tuple[str, ...], ...], _Credentials] = {}

    def __repr__(self) -> str:  # never show credentials
        return f"<{type(self).__name__} base_url={self.base_url!r}>"

    def _credentials_sent(self, security: tuple[tuple[str, ...], ...]) -> _Credentials:
        """What `security` sends: the first alternative whose credentials were all
        given (worked out once per security requirement: credentials do not change)."""
        found = self._sent_credentials.get(security)
        if found is None:
            headers = httpx.Headers(self._default_headers)
            query: list[tuple[str, str]] = []
            cookies: dict[str, str] = {}
            for alternative in security:
                if all(name in self._credentials for name in alternative):
                    for name in alternative:
                        self._security_schemes[name].apply(
                            self._credentials[name], headers, query, cookies
                        )
                    break
            found = self._sent_credentials[security] = (headers, tuple(query), cookies)
        return found

    def _build_request(
        self,
        endpoint: Endpoint[Any],
        args: tuple[object, ...],
        body: object,
        extra_headers: Headers | None,
        extra_query: Query | None,
        timeout: Timeout | Unset,
    ) -> tuple[httpx.Request, bool]:
        """The request, and whether its body can be sent again (for retries)."""
        route = endpoint.route
        route.check(args)
        default_headers, credential_query, credential_cookies = self._credentials_sent(
            endpoint.security
        )
        headers = default_headers.copy()
        query = list(credential_query)
        cookies = dict(credential_cookies)
        route.add_params(args, query, headers, cookies)
        if extra_query:
            query.extend((k, scalar_text(v)) for k, v in extra_query.items())
        if endpoint.idempotency_header and endpoint.idempotency_header not in headers:
            headers[endpoint.idempotency_header] = str(uuid.uuid4())
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if endpoint.stream_media:
            headers["Accept"] = endpoint.stream_media
        if extra_headers:
            headers.update(extra_headers)
        content, files, data = encode_body(endpoint.body, body, headers)
        rewindable = content is None or isinstance(content, bytes)
        if files:
            rewindable = all(_is_bytes_file(f) for _, f in files)
        request = self._http_client.build_request(
            endpoint.method,
            self._root(endpoint) + route.url_path(args),
            params=tuple(query) or None,
            headers=headers,
            content=content,
            files=files,
            data=data,
            timeout=self.timeout if isinstance(timeout, Unset) else timeout,
        )
        return _safe_request(request), rewindable

    def _root(self, endpoint: Endpoint[Any]) -> str:
        if endpoint.server is not None and not self._base_url_given:
            return endpoint.server
        return self.base_url

    def _may_retry(
        self, request: httpx.Request, endpoint: Endpoint[Any], rewindable: bool
    ) -> bool:
        if self.max_retries == 0 or not rewindable:
            return False  # nothing to retry, or a body that cannot be sent twice
        if endpoint.route.is_idempotent:
            return True
        key = endpoint.idempotency_header or "Idempotency-Key"
        return key in request.headers or "Idempotency-Key" in request.headers

    def _retry_delay(
        self, attempt: int, response: httpx.Response | None
    ) -> float | None:
        """Seconds to wait before retry number `attempt + 1`, or None: do not retry."""
        if attempt >= self.max_retries:
            return None
        if response is not None:
            status = response.status_code
            if not (status in (408, 429) or status >= 500):
                return None
            server_delay = _retry_after(response.headers)
            if server_delay is not None:
                return server_delay if server_delay <= MAX_RETRY_AFTER else None
        delay = min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY)
        return delay * (1 - 0.25 * random.random())

    def _redirect(
        self,
        request: httpx.Request,
        response: httpx.Response,
        rewindable: bool,
        hops: int,
    ) -> httpx.Request | None:
        """The request following the redirect `response`, or None: do not follow.

        httpx builds it (method, URL, body, `Authorization` dropped for another
        origin); API keys in headers, cookies and the query are dropped here too.
        """
        nxt = response.next_request
        if nxt is None or not self._http_client.follow_redirects:
            return None
        if hops >= self._http_client.max_redirects:
            return None  # the 3xx response is raised as an `APIStatusError`
        if not rewindable and nxt.method == request.method:
            return None  # the body was streamed and cannot be sent again
        if _same_origin(request.url, nxt.url):
            cookie = request.headers.get("cookie")
            if cookie is not None:
                nxt.headers["Cookie"] = cookie
            return _safe_request(nxt)
        for name in self._secret_headers:
            nxt.headers.pop(name, None)
        if self._secret_query and any(k in self._secret_query for k in nxt.url.params):
            kept = [
                (k, v)
                for k, v in nxt.url.params.multi_items()
                if k not in self._secret_query
            ]
            nxt.url = nxt.url.copy_with(params=kept)
        return _safe_request(nxt)

    def _scrub(self, text: str) -> str:
        """`text` with every credential value replaced by `REDACTED`."""
        for secret in secret_values(self._credentials):
            text = text.replace(secret, REDACTED)
        return text

    def _too_large(self, response: httpx.Response) -> APIResponseValidationError:
        encoding = response.headers.get("content-encoding") or "none"
        return APIResponseValidationError(
            "response body is too large",
            response=response,
            detail=_where(
                response,
                f": over {self.max_response_bytes} bytes once decoded "
                f"(Content-Encoding {encoding}); not read further",
            ),
        )

    def _finish(self, endpoint: Endpoint[T], response: httpx.Response) -> T:
        if not response.is_success:
            raise _status_error(endpoint.errors, response, self._scrub)
        api_response = APIResponse(response, endpoint.responses)
        if RAW_RESPONSE.get():
            return cast("T", api_response)
        return api_response.parse()


class SyncAPIClient(_BaseClient[httpx.Client]):
    """The synchronous transport: retries with blocking sleeps."""

    def __init__(self, *, http_client: httpx.Client | None, **config: Any) -> None:
        super().__init__(**config)
        self._owns_http_client = http_client is None
        self._http_client = http_client or httpx.Client()
        self._sleep: Callable[[float], None] = time.sleep

    def close(self) -> None:
        """Close the underlying `httpx.Client` if this client created it."""
        if self._owns_http_client:
            self._http_client.close()

    def __enter__(self: _SyncT) -> _SyncT:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _request(
        self,
        endpoint: Endpoint[T],
        args: tuple[object, ...] = (),
        *,
        body: object = UNSET,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | Unset = UNSET,
    ) -> T:
        request, rewindable = self._build_request(
            endpoint, args, body, extra_headers, extra_query, timeout
        )
        retry = self._may_retry(request, endpoint, rewindable)
        attempt = 0
        while True:
            try:
                response = self._send(request, rewindable)
                delay = self._retry_delay(attempt, response) if retry else None
                if delay is None:
                    if endpoint.stream_media and response.is_success:
                        return cast("T", response)  # never retried from here on
                    self._read(response)
                    return self._finish(endpoint, response)
                response.close()
            except httpx.TransportError as exc:
                delay = self._retry_delay(attempt, None) if retry else None
                if delay is None:
                    raise _connection_error(request, exc) from exc
            self._sleep(delay)
            attempt += 1

    def _send(self, request: httpx.Request, rewindable: bool) -> httpx.Response:
        """Send `request`, following redirects (when the `httpx.Client` does) here
        rather than in httpx, so that credentials never reach another origin."""
        history: list[httpx.Response] = []
        while True:
            response = self._http_client.send(
                request, stream=True, follow_redirects=False
            )
            nxt = self._redirect(request, response, rewindable, len(history))
            if nxt is None:
                response.history = history
                return response
            response.close()
            history.append(response)
            request = nxt

    def _read(self, response: httpx.Response) -> None:
        """Read the body of a streamed response, at most `max_response_bytes` of
        it once decoded (a gzip bomb stops there, not after decompressing it)."""
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_response_bytes:
                    raise self._too_large(response)
                chunks.append(chunk)
        except httpx.DecodingError as exc:
            raise _decoding_error(response, exc) from None
        finally:
            response.close()
        response._content = b"".join(chunks)


class AsyncAPIClient(_BaseClient[httpx.AsyncClient]):
    """The asynchronous transport: retries with `asyncio.sleep`."""

    def __init__(self, *, http_client: httpx.AsyncClient | None, **config: Any) -> None:
        super().__init__(**config)
        self._owns_http_client = http_client is None
        self._http_client = http_client or httpx.AsyncClient()
        import asyncio  # only async clients need it (keeps `import` of the package fast)

        self._sleep: Callable[[float], Any] = asyncio.sleep

    async def close(self) -> None:
        """Close the underlying `httpx.AsyncClient` if this client created it."""
        if self._owns_http_client:
            await self._http_client.aclose()

    async def __aenter__(self: _AsyncT) -> _AsyncT:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _request(
        self,
        endpoint: Endpoint[T],
        args: tuple[object, ...] = (),
        *,
        body: object = UNSET,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | Unset = UNSET,
    ) -> T:
        request, rewindable = self._build_request(
            endpoint, args, body, extra_headers, extra_query, timeout
        )
        retry = self._may_retry(request, endpoint, rewindable)
        attempt = 0
        while True:
            try:
                response = await self._send(request, rewindable)
                delay = self._retry_delay(attempt, response) if retry else None
                if delay is None:
                    if endpoint.stream_media and response.is_success:
                        return cast("T", response)  # never retried from here on
                    await self._read(response)
                    return self._finish(endpoint, response)
                await response.aclose()
            except httpx.TransportError as exc:
                delay = self._retry_delay(attempt, None) if retry else None
                if delay is None:
                    raise _connection_error(request, exc) from exc
            await self._sleep(delay)
            attempt += 1

    async def _send(self, request: httpx.Request, rewindable: bool) -> httpx.Response:
        """Send `request`, following redirects (when the `httpx.AsyncClient` does)
        here rather than in httpx, so that credentials never reach another origin."""
        history: list[httpx.Response] = []
        while True:
            response = await self._http_client.send(
                request, stream=True, follow_redirects=False
            )
            nxt = self._redirect(request, response, rewindable, len(history))
            if nxt is None:
                response.history = history
                return response
            await response.aclose()
            history.append(response)
            request = nxt

    async def _read(self, response: httpx.Response) -> None:
        """Read the body of a streamed response, at most `max_response_bytes` of
        it once decoded (a gzip bomb stops there, not after decompressing it)."""
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > self.max_response_bytes:
                    raise self._too_large(response)
                chunks.append(chunk)
        except httpx.DecodingError as exc:
            raise _decoding_error(response, exc) from None
        finally:
            await response.aclose()
        response._content = b"".join(chunks)


_SyncT = TypeVar("_SyncT", bound=SyncAPIClient)
_AsyncT = TypeVar("_AsyncT", bound=AsyncAPIClient)
