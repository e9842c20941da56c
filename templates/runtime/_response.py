"""Response decoding and the raw-response wrappers (static runtime, copied verbatim)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from typing import Any, Generic, ParamSpec, TypeVar, cast

import httpx

from .errors import APIResponseValidationError

__all__ = [
    "NO_CONTENT",
    "RAW",
    "APIResponse",
    "ResponseDecoder",
    "async_to_raw_response_wrapper",
    "bytes_response",
    "json_response",
    "select_decoder",
    "text_response",
    "to_raw_response_wrapper",
]

T = TypeVar("T")
P = ParamSpec("P")
ResponseDecoder = Callable[[httpx.Response], T]

# Set while a `with_raw_response` wrapper runs: `_request` then returns the
# `APIResponse` instead of the parsed body. A ContextVar keeps concurrent async
# calls apart.
RAW_RESPONSE: ContextVar[bool] = ContextVar("raw_response", default=False)


def json_response(decode: Callable[[Any], T]) -> ResponseDecoder[T]:
    """A decoder parsing the body as JSON, then with `decode` (a model's `from_dict`)."""

    def parse(response: httpx.Response) -> T:
        try:
            data = response.json()
        except ValueError:
            raise APIResponseValidationError(
                "response body is not valid JSON", response=response, body=response.text
            ) from None
        try:
            return decode(data)
        except APIResponseValidationError as exc:
            raise exc.with_response(response, data) from None

    return parse


def _no_content(response: httpx.Response) -> None:
    return None


def _raw(response: httpx.Response) -> httpx.Response:
    return response


def text_response(response: httpx.Response) -> str:
    return response.text


def bytes_response(response: httpx.Response) -> bytes:
    return response.content


NO_CONTENT: ResponseDecoder[None] = _no_content
RAW: ResponseDecoder[httpx.Response] = _raw


def select_decoder(decoders: Mapping[str, T], status: int) -> T | None:
    """The entry for `status`: exact code, then its range (`4XX`), then `default`."""
    return (
        decoders.get(str(status))
        or decoders.get(f"{status // 100}XX")
        or decoders.get("default")
    )


class APIResponse(Generic[T]):
    """A received 2xx response and the way to decode it (`with_raw_response`)."""

    def __init__(
        self, http_response: httpx.Response, decoders: Mapping[str, ResponseDecoder[T]]
    ) -> None:
        self.http_response = http_response
        self._decoders = decoders

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def content(self) -> bytes:
        return self.http_response.content

    def parse(self) -> T:
        """Decode the body per the spec's response for this status."""
        decode = select_decoder(self._decoders, self.status_code)
        if decode is None:  # an undeclared 2xx: use the first declared success
            decode = next(iter(self._decoders.values()))
        return decode(self.http_response)

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}]>"


def to_raw_response_wrapper(func: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """Wrap a resource method so that it returns the `APIResponse`."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        token = RAW_RESPONSE.set(True)
        try:
            return cast("APIResponse[T]", func(*args, **kwargs))
        finally:
            RAW_RESPONSE.reset(token)

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[P, Awaitable[T]],
) -> Callable[P, Awaitable[APIResponse[T]]]:
    """Wrap an async resource method so that it returns the `APIResponse`."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[T]:
        token = RAW_RESPONSE.set(True)
        try:
            return cast("APIResponse[T]", await func(*args, **kwargs))
        finally:
            RAW_RESPONSE.reset(token)

    return wrapped
