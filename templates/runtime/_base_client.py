"""HTTP plumbing shared by every operation (static runtime, copied verbatim).

Generated resource methods call `_request(endpoint, args, ...)` with a module-level
`Endpoint` that describes the operation; everything else (parameters, credentials,
bodies, retries, error mapping) happens here. A call's `httpx.Request` is built once,
by the `httpx.Client`'s `build_request`, and sent as it is (again when retried): event
hooks and transports see that request, its body readable.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from os import environ
from typing import Any, Generic, TypeVar, cast

import httpx

from ._auth import (
    REDACTED,
    ApiKey,
    HttpBasic,
    HttpBearer,
    HttpScheme,
    SecurityScheme,
    _safe_request,
    _same_origin,
    credentials_from_environment,
    redirect_request,
    secret_names,
    secret_values,
)
from ._bodies import Body, _is_resendable
from ._failures import (
    _UNSENDABLE,
    _connection_error,
    _credential_hint,
    _local_error,
    _status_error,
    may_retry,
    retry_delay,
)
from ._oauth2 import OAuth2, aprepare_tokens, chosen, expire_tokens, prepare_tokens
from ._pagination import NEXT_URL
from ._params import Param, query_text, scalar_text
from ._reading import (
    ACCEPT_ENCODING,
    BodyReader,
    attempt_deadline,
    check_deadline,
    check_json_values,
    check_read_body,
)
from ._request import Endpoint, encode_body, query_url
from ._resources import AsyncResource, SyncResource
from ._response import RAW_RESPONSE, APIResponse, redact_error
from ._types import UNSET, Headers, Query, Timeout, Unset
from .errors import APIResponseValidationError

__all__ = [
    "ApiKey",
    "AsyncAPIClient",
    "AsyncResource",
    "Body",
    "Endpoint",
    "HttpBasic",
    "HttpBearer",
    "HttpScheme",
    "Param",
    "SecurityScheme",
    "SyncAPIClient",
    "SyncResource",
]

T = TypeVar("T")
_HttpxT = TypeVar("_HttpxT", httpx.Client, httpx.AsyncClient)

# Cap on a decoded response body (gzip bombs); per client: `max_response_bytes`.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
# Cap on the values of a JSON body (what decoding it costs); `max_json_values`.
MAX_JSON_VALUES = 1_000_000
# What a security requirement sends: the client's default headers with its
# credential headers, its query parameters and its cookies.
_Defaults = tuple[httpx.Headers, tuple[tuple[str, str], ...], dict[str, str]]


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
        env_prefix: str | None = None,
    ) -> None:
        if env_prefix is not None:  # the environment fills in what was not given
            base_url = base_url or environ.get(env_prefix + "BASE_URL") or None
            credentials = credentials_from_environment(
                env_prefix, security_schemes, credentials
            )
        self._env_prefix = env_prefix
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
        for name, value in self._credentials.items():
            if isinstance(self._security_schemes.get(name), HttpBasic) and not (
                isinstance(value, tuple) and len(value) == 2
            ):
                raise TypeError(
                    f"{name}: http basic credentials are a (user, password) tuple"
                )
        self._default_headers = httpx.Headers({"User-Agent": user_agent})
        self._default_headers.update({"Accept-Encoding": ACCEPT_ENCODING})
        self._default_headers.update(default_headers or {})
        self.max_response_bytes = MAX_RESPONSE_BYTES
        self.max_json_values = MAX_JSON_VALUES
        # Headers and query parameters never sent along a redirect to another origin
        # (nor to an operation's plain-http server on another origin).
        self._secret_headers, self._secret_query = secret_names(self._security_schemes)
        self._sent_defaults: dict[
            tuple[tuple[tuple[str, ...], ...], str | None, bool], _Defaults
        ] = {}
        # OAuth2 grants: their tokens change, so what a requirement sends is not cached
        self._fetched_tokens = any(
            isinstance(self._security_schemes.get(name), OAuth2)
            and not isinstance(v, str)
            for name, v in self._credentials.items()
        )
        self._trusted_roots: dict[str, bool] = {}

    def __repr__(self) -> str:  # never show credentials
        return f"<{type(self).__name__} base_url={self.base_url!r}>"

    def _sent_by_default(
        self, security: tuple[tuple[str, ...], ...], accept: str | None, trusted: bool
    ) -> _Defaults:
        """What every call with `security` and `accept` sends: the default headers,
        the credentials of the first alternative whose credentials were all given (see
        `chosen`; to an untrusted origin none, and no credential header) and `Accept`
        (unless a default header sets it). Worked out once per combination:
        credentials do not change (OAuth2 tokens aside)."""
        key = (security, accept, trusted)
        found = self._sent_defaults.get(key)
        if found is None or self._fetched_tokens:
            headers = httpx.Headers(self._default_headers)
            query: list[tuple[str, str]] = []
            cookies: dict[str, str] = {}
            used = chosen(security, self._credentials, self._security_schemes)
            for name in used if trusted else ():
                self._security_schemes[name].apply(
                    self._credentials[name], headers, query, cookies
                )
            if accept is not None and "accept" not in headers:
                headers["Accept"] = accept
            if not trusted:
                for name in self._secret_headers:
                    headers.pop(name, None)
            found = self._sent_defaults[key] = (headers, tuple(query), cookies)
        return found

    def _build_request(
        self,
        endpoint: Endpoint[Any],
        args: tuple[object, ...],
        body: object,
        extra_headers: Headers | None,
        extra_query: Query | None,
        timeout: Timeout | Unset,
        content_type: str | Unset = UNSET,
    ) -> tuple[httpx.Request, bool, Any]:
        """The request, whether its body can be sent again (for retries), and the
        `auth` of its first `send()`: the `httpx` client's own (its `auth=`) to a
        trusted origin, none elsewhere."""
        route = endpoint.route
        route.check(args)
        root = self._root(endpoint)
        next_url = NEXT_URL.get()
        # a page's next link gets credentials only on the origin the calls go to
        trusted = self._trusted(root) and (
            next_url is None or _same_origin(httpx.URL(root), httpx.URL(next_url))
        )
        default_headers, credential_query, credential_cookies = self._sent_by_default(
            endpoint.security, endpoint.accept, trusted
        )
        headers = default_headers.copy()
        query = list(credential_query)
        cookies: list[tuple[str, str]] = []
        raw_query = route.add_params(args, query, headers, cookies)
        if extra_query:  # each replaces what the call would send under its name
            query = [pair for pair in query if pair[0] not in extra_query]
            query.extend(
                (k, query_text(scalar_text(v, f"extra_query[{k!r}]")))
                for k, v in extra_query.items()
            )
        if endpoint.idempotency_header and endpoint.idempotency_header not in headers:
            headers[endpoint.idempotency_header] = str(uuid.uuid4())
        if credential_cookies:  # a cookie parameter of the same name wins
            given = {name for name, _ in cookies}
            cookies[:0] = [p for p in credential_cookies.items() if p[0] not in given]
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies)
        if endpoint.stream_media:
            headers["Accept"] = endpoint.stream_media
        if extra_headers:
            headers.update(extra_headers)
        content, files, data = encode_body(endpoint, body, content_type, headers)
        has_body = content is not None or files is not None or data is not None
        rewindable = content is None or isinstance(content, bytes)
        sent: Any = content
        if _sync_stream(content):
            aio = isinstance(self._http_client, httpx.AsyncClient)
            span = _file_span(content)
            if span is not None:
                # what is left of a file from where it is (httpx says its whole
                # size, and sends less), read again from there at each send: a
                # retry, a 307/308 redirect or a 401 renewal sends the same bytes
                offset, length = span
                if "content-length" not in headers:
                    headers["Content-Length"] = str(length)
                sent = (_AsyncFileChunks if aio else _FileChunks)(content, offset)
                rewindable = True
            elif aio:  # an `httpx.AsyncClient` sends async streams only
                sent = _chunks(content)
        if files:
            rewindable = all(_is_resendable(f) for _, f in files)
        url = root + route.url_path(args)
        if next_url is not None:  # a page's next link: its query replaces the call's
            url, query, raw_query = next_url, list(credential_query), ""
        url = query_url(url, query, raw_query, self._http_client.params)
        request = self._http_client.build_request(
            endpoint.method,
            url,
            # A body's headers go through httpx, which reconciles them with the body
            # it encodes (a multipart boundary, Content-Length or chunked); without a
            # body they are put over httpx's own, at a fraction of the cost of a merge.
            headers=headers if has_body else None,
            content=sent,
            files=files,
            data=data,
            timeout=self.timeout if isinstance(timeout, Unset) else timeout,
        )
        if self._http_client.params:  # httpx puts them in place of the URL's query
            request.url = httpx.URL(url)
        if not has_body:  # what httpx's merge makes, in the same order
            ours = {name.lower() for name, _ in headers.raw}
            kept = [item for item in request.headers.raw if item[0].lower() not in ours]
            request.headers = httpx.Headers(kept + headers.raw)
        auth = httpx.USE_CLIENT_DEFAULT if trusted else None
        return _safe_request(request), rewindable, auth

    def _root(self, endpoint: Endpoint[Any]) -> str:
        if endpoint.server is not None and not self._base_url_given:
            return endpoint.server
        return self.base_url

    def _trusted(self, root: str) -> bool:
        """Whether credentials may go to `root`: https, or the origin of `base_url`
        (an operation's own plain-http server elsewhere gets none)."""
        if root not in self._trusted_roots:
            url = httpx.URL(root)
            trusted = url.scheme == "https" or _same_origin(
                httpx.URL(self.base_url), url
            )
            self._trusted_roots[root] = trusted
        return self._trusted_roots[root]

    def _redirect(
        self,
        request: httpx.Request,
        response: httpx.Response,
        rewindable: bool,
        hops: int,
    ) -> httpx.Request | None:
        headers, query = self._secret_headers, self._secret_query
        return redirect_request(
            self._http_client, request, response, rewindable, hops, headers, query
        )

    def _scrub(self, text: str) -> str:
        """`text` with every credential value replaced by `REDACTED`."""
        for secret in secret_values(self._credentials):
            text = text.replace(secret, REDACTED)
        return text

    def _finish(self, endpoint: Endpoint[T], response: httpx.Response) -> T:
        try:
            check_json_values(response, self.max_json_values)
        except APIResponseValidationError as exc:
            raise redact_error(exc, self._scrub) from None
        if not response.is_success:
            hint = _credential_hint(
                response.status_code,
                endpoint.security,
                self._credentials,
                self._env_prefix,
                withheld=not self._trusted(self._root(endpoint)),
            )
            raise _status_error(endpoint.errors, response, self._scrub, hint)
        api_response = APIResponse(response, endpoint.responses, self._scrub)
        if RAW_RESPONSE.get():
            return cast("T", api_response)
        return api_response.parse()


def _sync_stream(content: object) -> bool:
    """Whether a body is a file object or another sync iterable of bytes."""
    return not isinstance(content, (bytes, type(None))) and not hasattr(
        content, "__aiter__"
    )


def _file_span(content: object) -> tuple[int, int] | None:
    """Where a file object is and how many bytes are left from there, when it can
    seek (None: not a file, or one that cannot: sent once, chunked)."""
    tell, seek = getattr(content, "tell", None), getattr(content, "seek", None)
    if not callable(tell) or not callable(seek):
        return None
    try:
        offset = tell()
        size = seek(0, 2)  # (2: from its end)
        seek(offset)
    except (OSError, ValueError):
        return None
    if not isinstance(size, int) or not isinstance(offset, int):
        return None
    return offset, max(size - offset, 0)


class _FileChunks:
    """A seekable file's bytes from `offset`, read again each time httpx sends them
    (it sends an iterable that is not a generator as often as it is asked to); the
    file is left at `offset` once they are read."""

    def __init__(self, file: Any, offset: int) -> None:
        self._file, self._offset = file, offset

    def __iter__(self) -> Iterator[bytes]:
        self._file.seek(self._offset)
        try:
            while chunk := self._file.read(65536):
                yield chunk
        finally:
            self._file.seek(self._offset)


class _AsyncFileChunks:
    """`_FileChunks` as an `httpx.AsyncClient` sends a body: an async stream (an
    object that is also iterable would be sent as a sync one)."""

    def __init__(self, file: Any, offset: int) -> None:
        self._chunks = _FileChunks(file, offset)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk


async def _chunks(content: Any) -> AsyncIterator[bytes]:
    """A file object's (or a sync iterable's) bytes as an `httpx.AsyncClient` sends a
    body: an async stream (a sync one raises there), a chunk at a time."""
    read = getattr(content, "read", None)
    if callable(read):
        while chunk := read(65536):
            yield chunk
    else:
        for chunk in content:
            yield chunk


class SyncAPIClient(_BaseClient[httpx.Client]):
    """The synchronous transport: retries with blocking sleeps."""

    def __init__(self, *, http_client: httpx.Client | None, **config: Any) -> None:
        super().__init__(**config)
        self._owns_http_client = http_client is None
        # redirects followed as openai-python's client does (credentials never leave
        # the origin: see `_redirect`)
        self._http_client = http_client or httpx.Client(follow_redirects=True)
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
        content_type: str | Unset = UNSET,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | Unset = UNSET,
    ) -> T:
        if self._fetched_tokens:
            prepare_tokens(self, endpoint.security)
        request, rewindable, auth = self._build_request(
            endpoint, args, body, extra_headers, extra_query, timeout, content_type
        )
        retry = may_retry(request, endpoint, rewindable, self.max_retries)
        attempt = 0
        renewed = not self._fetched_tokens  # renewed once after a 401
        while True:
            try:
                deadline = attempt_deadline(request)
                response = self._send(request, rewindable, auth, deadline)
                if not renewed and response.status_code == 401 and rewindable:
                    renewed = expire_tokens(self, endpoint.security, request)
                    if renewed:
                        response.close()
                        prepare_tokens(self, endpoint.security)
                        request, rewindable, auth = self._build_request(
                            endpoint,
                            args,
                            body,
                            extra_headers,
                            extra_query,
                            timeout,
                            content_type,
                        )
                        continue
                delay = (
                    retry_delay(attempt, self.max_retries, response) if retry else None
                )
                if delay is None:
                    if endpoint.stream_media and response.is_success:
                        return cast("T", response)  # never retried from here on
                    self._read(response, deadline)
                    return self._finish(endpoint, response)
                response.close()
            except _UNSENDABLE as exc:  # nothing was sent: never retried
                raise _local_error(request, exc, self._scrub) from None
            except httpx.TransportError as exc:
                delay = retry_delay(attempt, self.max_retries, None) if retry else None
                if delay is None:
                    raise _connection_error(request, exc) from exc
            self._sleep(delay)
            attempt += 1

    def _send(
        self,
        request: httpx.Request,
        rewindable: bool,
        auth: Any,
        deadline: float | None,
    ) -> httpx.Response:
        """Send `request`, following redirects (when the `httpx.Client` does) here
        rather than in httpx, so that credentials never reach another origin."""
        history: list[httpx.Response] = []
        while True:
            response = self._http_client.send(
                request, stream=True, follow_redirects=False, auth=auth
            )
            auth = None  # a redirect carries what httpx kept of it
            nxt = self._redirect(request, response, rewindable, len(history))
            if nxt is None:
                response.history = history
                return response
            response.close()
            check_deadline(request, deadline)
            history.append(response)
            request = nxt

    def _read(self, response: httpx.Response, deadline: float | None) -> None:
        """Read the body of a streamed response within the limits of `BodyReader`."""
        try:
            if response.is_stream_consumed:
                check_read_body(response, self.max_response_bytes, self._scrub)
                return
            reader = BodyReader(
                response, self.max_response_bytes, deadline, self._scrub
            )
            for chunk in response.iter_raw():
                reader.feed(chunk)
            response._content = reader.finish()
        finally:
            response.close()


class AsyncAPIClient(_BaseClient[httpx.AsyncClient]):
    """The asynchronous transport: retries with `asyncio.sleep`."""

    def __init__(self, *, http_client: httpx.AsyncClient | None, **config: Any) -> None:
        super().__init__(**config)
        self._owns_http_client = http_client is None
        self._http_client = http_client or httpx.AsyncClient(follow_redirects=True)
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
        content_type: str | Unset = UNSET,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: Timeout | Unset = UNSET,
    ) -> T:
        if self._fetched_tokens:
            await aprepare_tokens(self, endpoint.security)
        request, rewindable, auth = self._build_request(
            endpoint, args, body, extra_headers, extra_query, timeout, content_type
        )
        retry = may_retry(request, endpoint, rewindable, self.max_retries)
        attempt = 0
        renewed = not self._fetched_tokens  # renewed once after a 401
        while True:
            try:
                deadline = attempt_deadline(request)
                response = await self._within(
                    deadline, self._send(request, rewindable, auth)
                )
                if not renewed and response.status_code == 401 and rewindable:
                    renewed = expire_tokens(self, endpoint.security, request)
                    if renewed:
                        await response.aclose()
                        await aprepare_tokens(self, endpoint.security)
                        request, rewindable, auth = self._build_request(
                            endpoint,
                            args,
                            body,
                            extra_headers,
                            extra_query,
                            timeout,
                            content_type,
                        )
                        continue
                delay = (
                    retry_delay(attempt, self.max_retries, response) if retry else None
                )
                if delay is None:
                    if endpoint.stream_media and response.is_success:
                        return cast("T", response)  # never retried from here on
                    await self._within(deadline, self._read(response, deadline))
                    return self._finish(endpoint, response)
                await response.aclose()
            except _UNSENDABLE as exc:  # nothing was sent: never retried
                raise _local_error(request, exc, self._scrub) from None
            except httpx.TransportError as exc:
                delay = retry_delay(attempt, self.max_retries, None) if retry else None
                if delay is None:
                    raise _connection_error(request, exc) from exc
            await self._sleep(delay)
            attempt += 1

    async def _within(self, deadline: float | None, step: Awaitable[_R]) -> _R:
        """`await step`, given up with `httpx.ReadTimeout` at `deadline`."""
        if deadline is None:
            return await step
        import asyncio

        try:
            return await asyncio.wait_for(step, max(deadline - time.monotonic(), 0.0))
        except asyncio.TimeoutError:
            message = "the attempt took longer than its timeout"
            raise httpx.ReadTimeout(message) from None

    async def _send(
        self, request: httpx.Request, rewindable: bool, auth: Any
    ) -> httpx.Response:
        """Send `request`, following redirects (when the `httpx.AsyncClient` does)
        here rather than in httpx, so that credentials never reach another origin."""
        history: list[httpx.Response] = []
        while True:
            response = await self._http_client.send(
                request, stream=True, follow_redirects=False, auth=auth
            )
            auth = None  # a redirect carries what httpx kept of it
            nxt = self._redirect(request, response, rewindable, len(history))
            if nxt is None:
                response.history = history
                return response
            await response.aclose()
            history.append(response)
            request = nxt

    async def _read(self, response: httpx.Response, deadline: float | None) -> None:
        """Read the body of a streamed response within the limits of `BodyReader`."""
        try:
            if response.is_stream_consumed:
                check_read_body(response, self.max_response_bytes, self._scrub)
                return
            reader = BodyReader(
                response, self.max_response_bytes, deadline, self._scrub
            )
            async for chunk in response.aiter_raw():
                reader.feed(chunk)
            response._content = reader.finish()
        finally:
            await response.aclose()


_SyncT = TypeVar("_SyncT", bound=SyncAPIClient)
_AsyncT = TypeVar("_AsyncT", bound=AsyncAPIClient)
_R = TypeVar("_R")
