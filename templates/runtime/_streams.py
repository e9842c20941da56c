"""Streaming responses: `Stream[T]` and `AsyncStream[T]` over server-sent events,
JSON Lines (`application/jsonl`, `application/x-ndjson`) and JSON text sequences
(`application/json-seq`). Static runtime, copied verbatim.

A stream operation's request goes through the client's `_request` like any other
(retries, redirects, errors for non-2xx statuses); a 2xx response is returned
unread and wrapped here. Its body is decoded incrementally: each item is decoded
and yielded as soon as its last byte arrived, nothing buffers the whole body, and
the connection is released on every exit path (end, `break`, `close()`, an error,
garbage collection).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

import httpx

from ._failures import _connection_error
from ._response import _where
from .errors import APIResponseValidationError

__all__ = [
    "AsyncStream",
    "Items",
    "Stream",
    "StreamDecoder",
    "json_or_text",
    "with_stream_flag",
]

T = TypeVar("T")
Framing = Literal["sse", "jsonl", "json-seq"]

# An item (an event, a line, a record) larger than this is refused: a server that
# never ends its line cannot make the client buffer without bound.
MAX_ITEM_BYTES = 64 * 1024 * 1024
_EOL = re.compile(rb"\r\n|\r|\n")
_BOM = b"\xef\xbb\xbf"
_RS = b"\x1e"
_INTEGER = re.compile(r"-?[0-9]{1,4000}")  # (`int` refuses longer digit strings)
_DONE = "[DONE]"


@dataclass(frozen=True)
class Items(Generic[T]):
    """How a stream's body is cut into items and how an item is decoded.

    `framing`: "sse" (`text/event-stream`), "jsonl" (JSON Lines, NDJSON) or
    "json-seq" (RFC 7464). For SSE, `event=False` makes an item the JSON in an
    event's `data` (the 3.0/3.1 convention); `event=True` makes it the event itself,
    a mapping of `event`, `id`, `retry` (those present) and `data` (parsed as JSON
    when `data_json`), given to `decode` (the event model's `from_dict`); with
    `integer_id`, an `id` that is an integer's digits is given as that integer.
    """

    framing: Framing
    decode: Callable[[Any], T]
    event: bool = False
    data_json: bool = True
    # Events whose `data` is JSON text (the others' is not): parsed for those only.
    json_events: tuple[str, ...] = ()
    integer_id: bool = False

    def decoder(self) -> StreamDecoder[T]:
        return StreamDecoder(self)


class _Lines:
    """Bytes -> lines ending in CRLF, LF or CR, whatever the chunk boundaries."""

    def __init__(self, limit: int) -> None:
        self._buf = bytearray()
        self._after_cr = False  # the last chunk ended in CR: a LF next is its end
        self._limit = limit

    def feed(self, chunk: bytes) -> list[bytes]:
        if self._after_cr:
            self._after_cr = False
            if chunk.startswith(b"\n"):
                chunk = chunk[1:]
        lines: list[bytes] = []
        start = 0
        for match in _EOL.finditer(chunk):
            piece = chunk[start : match.start()]
            if self._buf:
                self._buf += piece
                lines.append(bytes(self._buf))
                self._buf.clear()
            else:
                lines.append(piece)
            start = match.end()
        self._after_cr = chunk.endswith(b"\r")
        self._buf += chunk[start:]
        if len(self._buf) > self._limit:
            raise ValueError(f"a line is longer than {self._limit} bytes")
        return lines

    def end(self) -> bytes | None:
        """The unterminated last line, if any."""
        rest = bytes(self._buf) if self._buf else None
        self._buf.clear()
        return rest


class _Done(Exception):
    """A `data: [DONE]` event: the stream ends here."""


class StreamDecoder(Generic[T]):
    """The incremental decoder of one stream: `feed(chunk)` returns the items whose
    last byte is in `chunk`; `end()` those completed by the end of the body.
    `done` turns true at a `data: [DONE]` event (nothing is decoded after it)."""

    def __init__(self, items: Items[T], limit: int = MAX_ITEM_BYTES) -> None:
        self._items = items
        self._limit = limit
        self._lines = _Lines(limit)
        self._head = b""  # the first bytes, until a BOM can be told apart
        self._started = False
        self.done = False
        # SSE state (WHATWG HTML "server-sent events", "Interpreting an event stream")
        self._data: list[str] = []
        self._size = 0
        self._event: str | None = None
        self._retry: int | None = None
        self._last_id: str | None = None
        # json-seq: the record being read, and whether it was already decoded
        self._record = bytearray()
        self._record_done = False

    def feed(self, chunk: bytes) -> Iterator[T]:
        if self.done or not chunk:
            return
        if not self._started:
            self._head += chunk
            if len(self._head) < len(_BOM) and _BOM.startswith(self._head):
                return  # maybe a BOM still arriving
            chunk = self._start()
        yield from self._chunk(chunk)

    def end(self) -> Iterator[T]:
        if not self._started:
            yield from self._chunk(self._start())
        if self.done:
            return
        if self._items.framing == "json-seq":
            yield from self._seq(b"", end=True)
            return
        last = self._lines.end()
        if self._items.framing == "jsonl" and last is not None:
            yield from self._take([last])
        # SSE: an event not ended by an empty line is discarded (WHATWG)

    def _start(self) -> bytes:
        """The first bytes, a leading BOM dropped."""
        self._started = True
        head, self._head = self._head, b""
        return head.removeprefix(_BOM)

    def _chunk(self, chunk: bytes) -> Iterator[T]:
        if self._items.framing == "json-seq":
            return self._seq(chunk, end=False)
        return self._take(self._lines.feed(chunk))

    def _take(self, lines: list[bytes]) -> Iterator[T]:
        for raw in lines:
            if self.done:
                return
            if self._items.framing == "jsonl":
                if raw.strip():
                    yield self._decode(_json(raw))
                continue
            item = self._sse_line(raw.decode("utf-8", errors="replace"))
            if item is not None:
                yield item

    # -- server-sent events ---------------------------------------------------------

    def _sse_line(self, line: str) -> T | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None  # a comment
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._size += len(value) + 1
            if self._size > self._limit:
                raise ValueError(f"an event is longer than {self._limit} bytes")
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> T | None:
        data, event, retry = self._data, self._event, self._retry
        self._data, self._event, self._retry, self._size = [], None, None, 0
        if not data:
            return None  # no `data` line: nothing is dispatched (WHATWG)
        text = "\n".join(data)
        if text == _DONE:
            self.done = True
            return None
        if not self._items.event:
            return self._decode(_json(text) if self._items.data_json else text)
        fields: dict[str, Any] = {}
        if event is not None:
            fields["event"] = event
        if self._last_id is not None:
            fields["id"] = self._last_id
            if self._items.integer_id and _INTEGER.fullmatch(self._last_id):
                fields["id"] = int(self._last_id)
        if retry is not None:
            fields["retry"] = retry
        as_json = (
            self._items.data_json or (event or "message") in self._items.json_events
        )
        fields["data"] = _json(text) if as_json else text
        return self._decode(fields)

    # -- JSON text sequences (RFC 7464) ---------------------------------------------

    def _seq(self, chunk: bytes, *, end: bool) -> Iterator[T]:
        out: list[T] = []
        parts = chunk.split(_RS)
        for index, part in enumerate(parts):
            if index > 0:  # a record separator: the record before it is complete
                self._seq_record(out, final=True)
                yield from out
                out.clear()
                self._record.clear()
                self._record_done = False
            self._record += part
            if len(self._record) > self._limit:
                raise ValueError(f"a record is longer than {self._limit} bytes")
            if part.endswith(b"\n") and not self._record_done:
                self._seq_record(out, final=False)  # decoded as soon as it is whole
        if end:
            self._seq_record(out, final=True)
        yield from out

    def _seq_record(self, out: list[T], *, final: bool) -> None:
        if self._record_done:
            if self._record.strip() and final and not _only_one(self._record):
                raise ValueError(
                    "a JSON text sequence record holds more than one value"
                )
            return
        text = bytes(self._record)
        if not text.strip():
            return
        if not final:
            try:
                value = json.loads(text)
            except ValueError:
                return  # not whole yet: wait for more
        else:
            value = _json(text)
        self._record_done = True
        out.append(self._decode(value))

    def _decode(self, value: Any) -> T:
        return self._items.decode(value)


def _only_one(record: bytearray) -> bool:
    try:
        json.loads(bytes(record))
    except ValueError:
        return False
    return True


def json_or_text(text: str) -> Any:
    """The `data` of an event the spec gives no schema: its JSON value when it is JSON
    (the usual convention), else the text as sent."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return text


class _BadItem(ValueError):
    """An item that is not valid JSON."""

    def __init__(self, text: str | bytes, reason: str) -> None:
        super().__init__(reason)
        self.text = text if isinstance(text, str) else text.decode("utf-8", "replace")


def _json(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _BadItem(text, str(exc)[:200]) from None


def _item_error(
    response: httpx.Response, exc: Exception, number: int
) -> APIResponseValidationError:
    """`APIResponseValidationError` for item `number` (0-based), which `exc` broke."""
    if isinstance(exc, APIResponseValidationError):
        return exc.at(number).with_response(response, exc.body)
    if isinstance(exc, _BadItem):
        return APIResponseValidationError(
            "stream item is not valid JSON",
            path=(number,),
            response=response,
            body=exc.text[:2000],
            detail=_where(response, f": {exc}"),
        )
    return APIResponseValidationError(
        "stream is malformed",
        path=(number,),
        response=response,
        detail=_where(response, f": {exc}"[:300]),
    )


class _Base(Generic[T]):
    def __init__(self, response: httpx.Response, items: Items[T]) -> None:
        self.response = response
        self._decoder = items.decoder()
        self._count = 0
        self._closed = False

    @property
    def http_response(self) -> httpx.Response:
        return self.response

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers

    def _step(self, chunk: bytes | None) -> Iterator[T]:
        """The items completed by `chunk` (None: the end of the body), one by one:
        a broken item raises once the ones before it were taken."""
        items = self._decoder.end() if chunk is None else self._decoder.feed(chunk)
        while True:
            try:
                item = next(items)
            except StopIteration:
                return
            except (ValueError, RecursionError, APIResponseValidationError) as exc:
                raise _item_error(self.response, exc, self._count) from None
            self._count += 1
            yield item

    def _failure(self, exc: Exception) -> Exception:
        if isinstance(exc, httpx.DecodingError):
            encoding = self.response.headers.get("content-encoding") or "none"
            detail = _where(self.response, f": Content-Encoding {encoding}: {exc}")
            return APIResponseValidationError(
                "response body could not be decoded",
                response=self.response,
                detail=detail,
            )
        return _connection_error(self.response.request, exc)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.response.status_code}]>"


class Stream(_Base[T]):
    """The items of a streamed response, decoded as they arrive.

    Iterate it (once), or use it as a context manager to release the connection on
    exit; `close()` releases it early. `response` is the `httpx.Response` (status,
    headers). A malformed item raises `APIResponseValidationError` once the items
    before it were yielded; a connection lost midway raises `APIConnectionError`
    (`APITimeoutError` when the server stalls longer than the read timeout).
    """

    def __init__(self, response: httpx.Response, items: Items[T]) -> None:
        super().__init__(response, items)
        self._iterator = self._iterate()

    def _iterate(self) -> Iterator[T]:
        try:
            chunks = self.response.iter_bytes()
            while not (self._decoder.done or self._closed):
                try:
                    chunk = next(chunks, None)
                except httpx.StreamClosed:
                    return
                except (httpx.TransportError, httpx.DecodingError) as exc:
                    raise self._failure(exc) from None
                for item in self._step(chunk):
                    if self._closed:
                        return
                    yield item
                if chunk is None:
                    return
        finally:
            self.close()

    def __iter__(self) -> Iterator[T]:
        return self._iterator

    def __next__(self) -> T:
        return next(self._iterator)

    def parse(self) -> Stream[T]:
        """The stream itself (what `with_raw_response` callers decode)."""
        return self

    def close(self) -> None:
        """Release the connection; iteration ends."""
        self._closed = True
        self.response.close()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # best effort while collected or at exit
            if not self.response.is_closed:
                self.response.close()


class AsyncStream(_Base[T]):
    """The async mirror of `Stream`: `async for`, `async with`, `await close()`."""

    def __init__(self, response: httpx.Response, items: Items[T]) -> None:
        super().__init__(response, items)
        self._iterator = self._iterate()

    async def _iterate(self) -> AsyncIterator[T]:
        try:
            chunks = self.response.aiter_bytes()
            while not (self._decoder.done or self._closed):
                try:
                    chunk: bytes | None = await chunks.__anext__()
                except StopAsyncIteration:
                    chunk = None
                except httpx.StreamClosed:
                    return
                except (httpx.TransportError, httpx.DecodingError) as exc:
                    raise self._failure(exc) from None
                for item in self._step(chunk):
                    if self._closed:
                        return
                    yield item
                if chunk is None:
                    return
        finally:
            await self.close()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterator

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    def parse(self) -> AsyncStream[T]:
        """The stream itself (what `with_raw_response` callers decode)."""
        return self

    async def close(self) -> None:
        """Release the connection; iteration ends."""
        self._closed = True
        await self.response.aclose()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def __del__(self) -> None:
        # An unfinished async generator is closed by the event loop's finaliser;
        # a stream never iterated closes its response in a task of the running loop.
        if self.response.is_closed:
            return
        with contextlib.suppress(Exception):  # no running loop, or at interpreter exit
            import asyncio

            loop = asyncio.get_running_loop()
            _PENDING.add(task := loop.create_task(self.response.aclose()))
            task.add_done_callback(_PENDING.discard)


_PENDING: set[Any] = set()


def with_stream_flag(body: object) -> object:
    """A JSON body with its `stream` property set to true (the request of a
    `name_stream` method), as a plain dict; the caller's body is not changed."""
    if hasattr(body, "to_dict"):
        data = body.to_dict()
    elif isinstance(body, Mapping):
        data = dict(body)
    else:
        return body
    data["stream"] = True
    return data
