"""Response decoding and the raw-response wrappers (static runtime, copied verbatim)."""

from __future__ import annotations

import functools
import json
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
    "is_json_media_type",
    "json_or_text_response",
    "json_response",
    "redact_error",
    "scalar_text_response",
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
    """A decoder parsing the body as JSON, then with `decode` (a model's `from_dict`).

    A body that is not JSON (another declared `Content-Type`, an HTML error page, an
    empty or truncated body) raises `APIResponseValidationError` saying so, with the
    status and the content type.
    """

    def parse(response: httpx.Response) -> T:
        data = _json_body(response)
        try:
            return decode(data)
        except APIResponseValidationError as exc:
            raise exc.with_response(response, data) from None
        except RecursionError:
            raise APIResponseValidationError(
                "response body is nested too deeply",
                response=response,
                detail=_where(response),
            ) from None

    return parse


def json_or_text_response(decode: Callable[[Any], T]) -> ResponseDecoder[T]:
    """A decoder of a string declared for any media type (`*/*`, as Spring's specs
    declare what a controller returns): the JSON string of a JSON body, else the
    body's text (a server's `text/plain` answer)."""
    from_json = json_response(decode)

    def parse(response: httpx.Response) -> T:
        content_type = response.headers.get("content-type") or ""
        if not content_type or is_json_media_type(content_type):
            return from_json(response)
        return decode(response.text)

    return parse


def is_json_media_type(content_type: str) -> bool:
    media = content_type.partition(";")[0].strip().lower()
    return media in ("application/json", "text/json") or media.endswith("+json")


def _where(response: httpx.Response, more: str = "") -> str:
    content_type = response.headers.get("content-type") or "none"
    return f"(HTTP {response.status_code}, Content-Type {content_type}){more}"


def _json_body(response: httpx.Response) -> Any:
    """The JSON value of the body; `APIResponseValidationError` when it is not JSON:
    a non-JSON `Content-Type` (`text/plain` is tried), an empty body, invalid or
    truncated JSON. The message names the status and the content type."""
    content_type = response.headers.get("content-type") or ""
    lowered = content_type.lower()
    is_json = not lowered or is_json_media_type(lowered)
    if is_json and ("charset" not in lowered or "utf-8" in lowered):
        # UTF-8 JSON (RFC 8259) parses from the bytes, without decoding a text first;
        # anything else (invalid JSON, other bytes) goes the way below, as text
        try:
            return json.loads(response.content)
        except (ValueError, RecursionError):
            pass
    text = response.text
    if not is_json and not content_type.startswith("text/plain"):
        page = ": an HTML page" if "html" in lowered else ""
        raise APIResponseValidationError(
            "response Content-Type is not JSON",
            response=response,
            body=text,
            detail=_where(response, page),
        )
    if not text.strip():
        raise APIResponseValidationError(
            "response body is empty", response=response, detail=_where(response)
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if text.lstrip().startswith("<"):
            hint = "it looks like HTML or XML; "
        elif exc.pos >= len(text.rstrip()):
            hint = "it is truncated; "
        else:
            hint = ""
        where = f": {hint}{exc.msg} at line {exc.lineno} column {exc.colno}"
        raise APIResponseValidationError(
            "response body is not valid JSON",
            response=response,
            body=text,
            detail=_where(response, where),
        ) from None
    except (ValueError, RecursionError) as exc:  # huge integers, deep nesting
        raise APIResponseValidationError(
            "response body is not valid JSON",
            response=response,
            body=text,
            detail=_where(response, f": {exc}"[:200]),
        ) from None


def _no_content(response: httpx.Response) -> None:
    return None


def _raw(response: httpx.Response) -> httpx.Response:
    return response


def text_response(response: httpx.Response) -> str:
    return response.text


def scalar_text_response(decode: Callable[[Any], T]) -> ResponseDecoder[T]:
    """A decoder of a `text/*` body its schema types a scalar, given to `decode`: its
    text (a string type: a date, a UUID, an enum of strings), else the number,
    boolean or null its text spells (`42`, `true`)."""

    def read(response: httpx.Response) -> T:
        text = response.text
        try:
            return decode(text)
        except APIResponseValidationError as exc:
            error = exc
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            value = text  # spells no JSON value
        if not isinstance(value, (str, dict, list)):
            try:
                return decode(value)
            except APIResponseValidationError:
                pass
        raise error.with_response(response, text) from None

    return read


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


def _keep(text: str) -> str:
    return text


def redact_error(
    error: APIResponseValidationError, scrub: Callable[[str], str]
) -> APIResponseValidationError:
    """`error` with every credential value in its text (the message, the detail,
    the path's keys) replaced by `scrub`. Its `body` is the response's, unchanged."""
    clean = APIResponseValidationError(
        scrub(error.problem),
        path=tuple(scrub(p) if isinstance(p, str) else p for p in error.path),
        response=error.response,
        body=error.body,
        detail=scrub(error.detail),
    )
    clean.message = scrub(clean.message)  # a credential across two parts
    clean.args = (clean.message,)
    return clean


class APIResponse(Generic[T]):
    """A received 2xx response and the way to decode it (`with_raw_response`)."""

    def __init__(
        self,
        http_response: httpx.Response,
        decoders: Mapping[str, ResponseDecoder[T]],
        scrub: Callable[[str], str] = _keep,
    ) -> None:
        self.http_response = http_response
        self._decoders = decoders
        self._scrub = scrub

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
        try:
            return decode(self.http_response)
        except APIResponseValidationError as exc:
            raise redact_error(exc, self._scrub) from None

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
