"""Reading a response body within limits: its size once decoded, the attempt's
deadline, and the number of JSON values it holds (static runtime, copied verbatim).

Bodies are read raw and decoded here, not by httpx: httpx inflates each chunk
through every `Content-Encoding` in one go, so `gzip, gzip` turns 13 KB into
gigabytes before anything can count them. Here each layer hands on at most
`_PIECE` bytes at a time, so the size cap holds whatever the encoding chain.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterator

import httpx

from ._response import _where, redact_error
from .errors import APIResponseValidationError

__all__ = [
    "ACCEPT_ENCODING",
    "BodyReader",
    "attempt_deadline",
    "check_json_values",
    "check_read_body",
]

# What the client asks for: the encodings decoded here with bounded output.
ACCEPT_ENCODING = "gzip, deflate"
_PIECE = 64 * 1024  # the most one decoding step hands on
# A JSON body this small is not worth counting the values of.
_COUNT_FROM = 1024 * 1024


class _Inflater:
    """One gzip or deflate layer; decoded output comes in pieces of `_PIECE` bytes."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._first = True
        self._zlib = zlib.decompressobj(
            zlib.MAX_WBITS | 16 if self._gzip else zlib.MAX_WBITS
        )

    def feed(self, data: bytes) -> Iterator[bytes]:
        while not self._zlib.eof:  # bytes after the end are ignored, as httpx does
            try:
                out = self._zlib.decompress(data, _PIECE)
            except zlib.error as exc:
                if self._first and not self._gzip:  # deflate without its zlib header
                    self._first = False
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise httpx.DecodingError(str(exc)) from None
            self._first = False
            if out:
                yield out
            data = self._zlib.unconsumed_tail
            if not data and len(out) < _PIECE:
                return

    def flush(self) -> Iterator[bytes]:
        rest = self._zlib.flush()
        if rest:
            yield rest


class _Chain:
    """The encodings of `Content-Encoding`, undone last to first."""

    def __init__(self, encodings: list[str]) -> None:
        self._layers = [_Inflater(e) for e in reversed(encodings)]

    def feed(self, data: bytes, level: int = 0) -> Iterator[bytes]:
        if level == len(self._layers):
            yield data
            return
        for piece in self._layers[level].feed(data):
            yield from self.feed(piece, level + 1)

    def flush(self, level: int = 0) -> Iterator[bytes]:
        if level == len(self._layers):
            return
        for piece in self._layers[level].flush():
            yield from self.feed(piece, level + 1)
        yield from self.flush(level + 1)


def _encodings(response: httpx.Response) -> list[str]:
    values = response.headers.get_list("content-encoding", split_commas=True)
    encodings = [v.strip().lower() for v in values if v.strip()]
    unknown = [
        e for e in encodings if e not in ("gzip", "x-gzip", "deflate", "identity")
    ]
    if unknown:
        raise httpx.DecodingError(
            f"{unknown[0]!r} is not an encoding the client decodes"
        )
    return [e for e in encodings if e != "identity"]


def attempt_deadline(request: httpx.Request) -> float | None:
    """When an attempt to send `request` must be over (`time.monotonic()`): its
    timeout (the largest of an `httpx.Timeout`'s values) from now; None: no limit,
    also when a phase has none (`Timeout(None, connect=1.0)`: only connecting is
    bounded)."""
    timeouts: dict[str, float | None] = request.extensions.get("timeout") or {}
    limits = [v for v in timeouts.values() if v is not None]
    if not limits or len(limits) < len(timeouts):
        return None
    return time.monotonic() + max(limits)


def check_deadline(request: httpx.Request, deadline: float | None) -> None:
    """Raise `httpx.ReadTimeout` (retried, then an `APITimeoutError`) once `deadline`
    has passed."""
    if deadline is not None and time.monotonic() > deadline:
        raise httpx.ReadTimeout(
            "the attempt took longer than its timeout", request=request
        )


def check_read_body(
    response: httpx.Response, max_bytes: int, scrub: Callable[[str], str]
) -> None:
    """Raise when a body the transport read (and decoded) already, as
    `httpx.MockTransport` and in-process apps do, is over `max_bytes`."""
    if len(response.content) > max_bytes:
        raise _too_large(response, max_bytes, scrub)


class BodyReader:
    """The decoded body of a streamed response not read yet, fed its raw chunks one
    by one (`check_read_body` is for one the transport has read already)."""

    def __init__(
        self,
        response: httpx.Response,
        max_bytes: int,
        deadline: float | None,
        scrub: Callable[[str], str],
    ) -> None:
        self._response = response
        self._scrub = scrub
        self._max_bytes = max_bytes
        self._deadline = deadline
        self._chunks: list[bytes] = []
        self._size = self._raw_size = 0
        try:
            self._chain = _Chain(_encodings(response))
        except httpx.DecodingError as exc:
            raise self._decoding_error(exc) from None

    def feed(self, raw: bytes) -> None:
        """Decode one raw chunk; raise when a limit is passed."""
        self._raw_size += len(raw)
        if self._raw_size > self._max_bytes:
            raise _too_large(self._response, self._max_bytes, self._scrub)
        try:
            for piece in self._chain.feed(raw):
                self._add(piece)
        except httpx.DecodingError as exc:
            raise self._decoding_error(exc) from None
        check_deadline(self._response.request, self._deadline)

    def finish(self) -> bytes:
        """The whole decoded body."""
        try:
            for piece in self._chain.flush():
                self._add(piece)
        except httpx.DecodingError as exc:
            raise self._decoding_error(exc) from None
        return b"".join(self._chunks)

    def _add(self, piece: bytes) -> None:
        self._size += len(piece)
        if self._size > self._max_bytes:
            raise _too_large(self._response, self._max_bytes, self._scrub)
        self._chunks.append(piece)

    def _decoding_error(self, exc: httpx.DecodingError) -> APIResponseValidationError:
        encoding = self._response.headers.get("content-encoding") or "none"
        error = APIResponseValidationError(
            "response body could not be decoded",
            response=self._response,
            detail=_where(self._response, f": Content-Encoding {encoding}: {exc}"),
        )
        return redact_error(error, self._scrub)


def _too_large(
    response: httpx.Response, max_bytes: int, scrub: Callable[[str], str]
) -> APIResponseValidationError:
    encoding = response.headers.get("content-encoding") or "none"
    error = APIResponseValidationError(
        "response body is too large",
        response=response,
        detail=_where(
            response,
            f": over {max_bytes} bytes once decoded "
            f"(Content-Encoding {encoding}); not read further",
        ),
    )
    return redact_error(error, scrub)


def check_json_values(response: httpx.Response, max_values: int) -> None:
    """Refuse a JSON body holding more than `max_values` values before decoding it:
    Python objects cost far more than their JSON text (64 MiB of `{},` is 21 million
    dicts, 4.6 GiB). Every comma is counted, those in strings too: an upper bound."""
    content = response.content
    if len(content) < _COUNT_FROM:
        return
    content_type = (response.headers.get("content-type") or "json").lower()
    if "json" not in content_type:
        return
    values = content.count(b",") + 1
    if values > max_values:
        raise APIResponseValidationError(
            "response body holds too many JSON values",
            response=response,
            detail=_where(
                response, f": up to {values}, more than {max_values}; not decoded"
            ),
        )
