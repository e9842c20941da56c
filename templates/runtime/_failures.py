"""What a failed call raises: status errors with decoded bodies, connection and
decoding errors; and when a call is tried again (how long a server asks to wait).
Static runtime, copied verbatim.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from ._response import select_decoder

if TYPE_CHECKING:
    from ._request import Endpoint
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


INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
# A server asking to wait longer than this is not waited for: the error is raised.
MAX_RETRY_AFTER = 60.0


def may_retry(
    request: httpx.Request, endpoint: Endpoint[Any], rewindable: bool, max_retries: int
) -> bool:
    """Whether a failed `request` may be sent again: an idempotent method, or one
    carrying an idempotency key, with a body that can be sent twice."""
    if max_retries == 0 or not rewindable:
        return False  # nothing to retry, or a body that cannot be sent twice
    if endpoint.route.is_idempotent:
        return True
    key = endpoint.idempotency_header or "Idempotency-Key"
    return key in request.headers or "Idempotency-Key" in request.headers


def retry_delay(
    attempt: int, max_retries: int, response: httpx.Response | None
) -> float | None:
    """Seconds to wait before retry number `attempt + 1`, or None: do not retry."""
    if attempt >= max_retries:
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


# Errors raised before anything is sent: retrying cannot help.
_UNSENDABLE = (httpx.LocalProtocolError, httpx.UnsupportedProtocol)


def _local_error(
    request: httpx.Request, exc: httpx.TransportError, scrub: Callable[[str], str]
) -> APIConnectionError:
    """The request could not be written (an invalid header name or value from
    `default_headers` or `extra_headers`, a URL scheme httpx cannot send): nothing was
    sent, retrying cannot help."""
    return APIConnectionError(
        f"The request could not be sent: {scrub(str(exc))}", request=request
    )


def _credential_hint(
    status: int,
    security: tuple[tuple[str, ...], ...],
    credentials: Mapping[str, object],
    env_prefix: str | None,
    withheld: bool,
) -> str:
    """What a 401's message adds when the client knows why: the operation needs a
    credential that was not given (naming its keyword), or was not sent."""
    if status != 401 or not security:
        return ""
    if withheld:
        return (
            " (the credentials were not sent: the operation's server is neither https"
            " nor the origin of base_url)"
        )
    if any(all(name in credentials for name in names) for names in security):
        return ""
    options = " or ".join(" and ".join(f"{n}=" for n in names) for names in security)
    env = ""
    if env_prefix is not None:
        variables = {f"{env_prefix}{n.upper()}" for names in security for n in names}
        env = f" (or set {', '.join(sorted(variables))})"
    return (
        f" - this operation needs a credential and none was given: pass {options}{env}"
    )


def _json_or_text(response: httpx.Response) -> tuple[object, bool]:
    """An error body's JSON value (UTF-8, else decoded by its charset first) and
    True; else its text (None when empty) and False."""
    for source in (response.content, response.text):
        try:
            return json.loads(source), True
        except (ValueError, RecursionError):
            continue
    return response.text or None, False


def _status_error(
    errors: Mapping[str, Callable[[Any], object]],
    response: httpx.Response,
    scrub: Callable[[str], str],
    hint: str = "",
) -> APIStatusError:
    body, parsed = _json_or_text(response)
    if parsed:
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
    # redacted before it is cut: a credential across the cut cannot leak a part
    detail = scrub(response.text)[:500]
    message = f"Error code: {status}{hint}" + (f" - {detail}" if detail else "")
    return cls(message, response=response, body=body)
