"""Exceptions raised by the client (static runtime, copied verbatim).

`APIError` is the root of everything the client raises about an API call:
`APIConnectionError` (> `APITimeoutError`) when no response arrived, `APIStatusError`
and its per-status subclasses for non-2xx responses, and `APIResponseValidationError`
when a response body does not match its schema. `RequestValidationError` (a
`ValueError`) is raised before anything is sent when a request breaks the spec's
constraints.
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "UnprocessableEntityError",
]


class APIError(Exception):
    """Base class of the errors about an API call."""

    message: str
    request: httpx.Request | None
    body: object

    def __init__(
        self, message: str, *, request: httpx.Request | None = None, body: object = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIConnectionError(APIError):
    """The request could not be sent or no response was received."""

    def __init__(
        self, message: str = "Connection error.", *, request: httpx.Request
    ) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(self, *, request: httpx.Request) -> None:
        super().__init__("Request timed out.", request=request)


def _format_path(path: Sequence[str | int]) -> str:
    out = "$"
    for segment in path:
        out += f"[{segment}]" if isinstance(segment, int) else f".{segment}"
    return out


class APIResponseValidationError(APIError):
    """A response body does not match the schema the spec declares for it.

    `path` is the JSON path of the first mismatch, as a tuple (`("sessions", 0,
    "createdAt")`) and, in the message, as text (`$.sessions[0].createdAt`).
    `problem` says what is wrong in a fixed phrase; `detail` (in the message too)
    adds the specifics, such as the status and content type of a body that is not
    JSON.
    """

    path: tuple[str | int, ...]
    problem: str
    detail: str
    response: httpx.Response | None
    status_code: int | None

    def __init__(
        self,
        problem: str,
        *,
        path: tuple[str | int, ...] = (),
        response: httpx.Response | None = None,
        body: object = None,
        detail: str = "",
    ) -> None:
        super().__init__(
            f"{_format_path(path)}: {problem}" + (f" {detail}" if detail else ""),
            request=None if response is None else response.request,
            body=body,
        )
        self.path = path
        self.problem = problem
        self.detail = detail
        self.response = response
        self.status_code = None if response is None else response.status_code

    def at(self, segment: str | int) -> APIResponseValidationError:
        """The same error, one level further from the root (`segment` prepended)."""
        return APIResponseValidationError(
            self.problem,
            path=(segment, *self.path),
            response=self.response,
            body=self.body,
            detail=self.detail,
        )

    def with_response(
        self, response: httpx.Response, body: object
    ) -> APIResponseValidationError:
        """The same error, attached to the response it was found in."""
        return APIResponseValidationError(
            self.problem,
            path=self.path,
            response=response,
            body=body,
            detail=self.detail,
        )


class APIStatusError(APIError):
    """The server answered with a non-2xx status.

    `body` is the decoded error model when the spec declares one for this status,
    else the decoded JSON, else the text of the response.
    """

    response: httpx.Response
    status_code: int

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, request=response.request, body=body)
        self.response = response
        self.status_code = response.status_code


class BadRequestError(APIStatusError):
    """400 Bad Request."""


class AuthenticationError(APIStatusError):
    """401 Unauthorized."""


class PermissionDeniedError(APIStatusError):
    """403 Forbidden."""


class NotFoundError(APIStatusError):
    """404 Not Found."""


class ConflictError(APIStatusError):
    """409 Conflict."""


class UnprocessableEntityError(APIStatusError):
    """422 Unprocessable Entity."""


class RateLimitError(APIStatusError):
    """429 Too Many Requests."""


class InternalServerError(APIStatusError):
    """A 5xx status."""


class RequestValidationError(ValueError):
    """A request argument breaks a constraint of the spec; nothing was sent.

    `field` names the argument or model field (`CreateSessionRequest.clones`).
    """

    field: str
    problem: str

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
