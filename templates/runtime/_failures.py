"""What a failed call raises: status errors with decoded bodies, connection and
decoding errors; and how long a server asks to wait. Static runtime, copied verbatim.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from ._response import _where, select_decoder
from .errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)

_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _retry_after(headers: httpx.Headers) -> float | None:
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    import email.utils  # rare: not worth its import time up front

    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    return max(email.utils.mktime_tz(parsed) - time.time(), 0.0)


def _connection_error(request: httpx.Request, exc: Exception) -> APIError:
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request=request)
    return APIConnectionError(request=request)


def _decoding_error(
    response: httpx.Response, exc: httpx.DecodingError
) -> APIResponseValidationError:
    encoding = response.headers.get("content-encoding") or "none"
    return APIResponseValidationError(
        "response body could not be decoded",
        response=response,
        detail=_where(response, f": Content-Encoding {encoding}: {exc}"),
    )


def _status_error(
    errors: Mapping[str, Callable[[Any], object]],
    response: httpx.Response,
    scrub: Callable[[str], str],
) -> APIStatusError:
    body: object
    try:
        body = response.json()
    except (ValueError, RecursionError):
        body = response.text or None
    else:
        decode = select_decoder(errors, response.status_code)
        if decode is not None:
            try:
                body = decode(body)
            except APIResponseValidationError:
                pass  # keep the plain JSON
    status = response.status_code
    cls = _STATUS_ERRORS.get(
        status, InternalServerError if status >= 500 else APIStatusError
    )
    detail = scrub(response.text[:500])
    message = f"Error code: {status}" + (f" - {detail}" if detail else "")
    return cls(message, response=response, body=body)
