"""The streaming runtime (`_streams`): SSE, JSON Lines and JSON text sequences decoded
incrementally whatever the chunk boundaries; `Stream`/`AsyncStream` through the
client's request path (errors, no retries once streaming, connections released)."""

from __future__ import annotations

import gc
import itertools
import json
import threading
import types
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.runtime.servers import LocalServer, async_client, sync_client


@pytest.fixture(scope="module")
def s(m: types.SimpleNamespace) -> types.ModuleType:
    from archal_client import _streams

    return _streams


def ident(value: Any) -> Any:
    return value


def decode_all(s: Any, items: Any, chunks: list[bytes]) -> list[Any]:
    decoder = items.decoder()
    out: list[Any] = []
    for chunk in chunks:
        out.extend(decoder.feed(chunk))
    out.extend(decoder.end())
    return out


def splits(data: bytes, pieces: int) -> Iterator[list[bytes]]:
    """Every way of cutting `data` into `pieces` parts (some possibly empty)."""
    for cuts in itertools.combinations_with_replacement(range(len(data) + 1), pieces - 1):
        bounds = (0, *cuts, len(data))
        yield [data[a:b] for a, b in itertools.pairwise(bounds)]


SSE = (
    b"\xef\xbb\xbf: a comment\r\n"
    b"event: greet\r\n"
    b"id: 7\r\n"
    b"retry: 1500\r\n"
    b'data: {"n": 1,\r\n'
    b'data:  "s": "x"}\r\n'
    b"\r\n"
    b"data: 2\r"
    b"\r"
    b"id\n"
    b"data:3\n"
    b"\n"
    b"event: ignored\n"
    b"\n"
    b"data: [DONE]\n\n"
    b"data: 4\n\n"
)
SSE_EVENTS = [
    {"event": "greet", "id": "7", "retry": 1500, "data": {"n": 1, "s": "x"}},
    {"id": "7", "data": 2},
    {"id": "", "data": 3},
]


def test_sse_events_whatwg_every_two_and_three_way_split(s: Any) -> None:
    items = s.Items("sse", ident, event=True)
    for pieces in (1, 2, 3):
        for chunks in splits(SSE, pieces):
            assert decode_all(s, items, chunks) == SSE_EVENTS, chunks


def test_sse_integer_ids_only_where_the_event_types_them_so(s: Any) -> None:
    """With `integer_id` an `id` of an integer's digits is that integer; any other
    `id` (the empty reset included) stays the text it is, for decoding to refuse."""
    body = b"id: 7\ndata: 1\n\ndata: 2\n\nid: -12\ndata: 3\n\nid: 1e3\ndata: 4\n\nid\ndata: 5\n\n"
    ids = [
        e["id"] for e in decode_all(s, s.Items("sse", ident, event=True, integer_id=True), [body])
    ]
    assert ids == [7, 7, -12, "1e3", ""]
    ids = [e["id"] for e in decode_all(s, s.Items("sse", ident, event=True), [body])]
    assert ids == ["7", "7", "-12", "1e3", ""]
    huge = b"id: " + b"9" * 5000 + b"\ndata: 1\n\n"  # past what `int` takes from text
    assert decode_all(s, s.Items("sse", ident, event=True, integer_id=True), [huge]) == [
        {"id": "9" * 5000, "data": 1}
    ]


def test_sse_data_mode_gives_the_decoded_data_and_stops_at_done(s: Any) -> None:
    items = s.Items("sse", ident)
    assert decode_all(s, items, [SSE]) == [{"n": 1, "s": "x"}, 2, 3]


def test_sse_text_data_and_line_endings(s: Any) -> None:
    items = s.Items("sse", ident, event=True, data_json=False)
    for eol in (b"\r\n", b"\n", b"\r"):
        body = eol.join([b"data: a", b"data", b"data: b", b"", b"event: x", b"data:c", b"", b""])
        for chunks in splits(body, 2):
            assert decode_all(s, items, chunks) == [
                {"data": "a\n\nb"},
                {"event": "x", "data": "c"},
            ]


def test_sse_data_without_a_schema_is_json_or_the_text(s: Any) -> None:
    """A stream the spec gives no schema: JSON data decoded, any other data as sent."""
    items = s.Items("sse", s.json_or_text, data_json=False)
    body = b'data: hello\ndata: world\n\ndata: {"a": [1]}\n\ndata: 2\n\ndata: {oops\n\n'
    assert decode_all(s, items, [body]) == ["hello\nworld", {"a": [1]}, 2, "{oops"]


def test_sse_unterminated_last_event_is_discarded(s: Any) -> None:
    items = s.Items("sse", ident)
    assert decode_all(s, items, [b"data: 1\n\ndata: 2\n"]) == [1]


def test_sse_bom_only_at_the_start_and_split(s: Any) -> None:
    items = s.Items("sse", ident, event=True, data_json=False)
    body = b"\xef\xbb\xbfdata: x\n\n"
    for chunks in splits(body, 3):
        assert decode_all(s, items, chunks) == [{"data": "x"}]
    assert decode_all(s, items, [b"\xef\xbb"]) == []


JSONL = b'{"a": 1}\r\n\n  {"a": [2, 3]}\n"four"\r5'


@pytest.mark.parametrize("framing", ["jsonl"])
def test_json_lines_every_three_way_split(s: Any, framing: str) -> None:
    items = s.Items(framing, ident)
    for chunks in splits(JSONL, 3):
        assert decode_all(s, items, chunks) == [{"a": 1}, {"a": [2, 3]}, "four", 5]


JSON_SEQ = b'\x1e{"a": 1}\n\x1e[1,\n 2]\n\x1e"x"\n\x1e7'


def test_json_seq_every_three_way_split(s: Any) -> None:
    items = s.Items("json-seq", ident)
    for chunks in splits(JSON_SEQ, 3):
        assert decode_all(s, items, chunks) == [{"a": 1}, [1, 2], "x", 7]


def test_json_seq_record_decoded_when_its_newline_arrives(s: Any) -> None:
    decoder = s.Items("json-seq", ident).decoder()
    assert list(decoder.feed(b'\x1e{"a": 1}')) == []
    assert list(decoder.feed(b"\n")) == [{"a": 1}]
    assert list(decoder.feed(b"\x1e")) == []


@settings(max_examples=150, deadline=None)
@given(
    events=st.lists(
        st.tuples(
            st.sampled_from([None, "a", "b c"]),
            st.lists(st.text("xyz :é{}\x00", max_size=6), min_size=1, max_size=3),
        ),
        max_size=5,
    ),
    eol=st.sampled_from([b"\n", b"\r", b"\r\n"]),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=8),
)
def test_sse_any_chunking_gives_the_same_events(
    s: Any, events: list[tuple[str | None, list[str]]], eol: bytes, cuts: list[int]
) -> None:
    lines: list[bytes] = []
    expected = []
    for name, data in events:
        if name is not None:
            lines.append(b"event: " + name.encode())
        lines.extend(b"data: " + d.encode() for d in data)
        lines.append(b"")
        expected.append({**({"event": name} if name else {}), "data": "\n".join(data)})
    body = b"".join(line + eol for line in lines)
    bounds = sorted({0, len(body), *(c for c in cuts if c <= len(body))})
    chunks = [body[a:b] for a, b in itertools.pairwise(bounds)]
    items = s.Items("sse", ident, event=True, data_json=False)
    assert decode_all(s, items, chunks) == expected


def test_huge_event_in_small_chunks(s: Any) -> None:
    big = "x" * 3_000_000
    body = b"data: " + json.dumps(big).encode() + b"\n\n"
    chunks = [body[i : i + 4096] for i in range(0, len(body), 4096)]
    assert decode_all(s, s.Items("sse", ident), chunks) == [big]


def test_an_item_over_the_limit_is_refused(s: Any) -> None:
    decoder = s.StreamDecoder(s.Items("jsonl", ident), limit=100)
    with pytest.raises(ValueError):
        list(decoder.feed(b"1" * 200))


# --------------------------------------------------------------------------- streams


def stream_endpoint(m: types.SimpleNamespace, **kw: Any) -> Any:
    kw.setdefault("responses", {"200": m.resp.RAW})
    return m.bc.Endpoint(
        method="POST", path="/stream", security=(), stream_media="text/event-stream", **kw
    )


class Feed:
    """A response body produced one chunk at a time, recording what was produced."""

    def __init__(self, chunks: list[bytes], fail: Exception | None = None) -> None:
        self.chunks = chunks
        self.fail = fail
        self.produced = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            for chunk in self.chunks:
                self.produced += 1
                yield chunk
            if self.fail is not None:
                raise self.fail
        finally:
            self.closed = True


class AsyncFeed:
    """`Feed` as an async body."""

    def __init__(self, feed: Feed) -> None:
        self.feed = feed

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.feed:
            yield chunk


def body(feed: Feed, aio: bool) -> Any:
    return AsyncFeed(feed) if aio else feed


def client_for(
    m: types.SimpleNamespace,
    answer: Callable[[httpx.Request], httpx.Response],
    aio: bool = False,
    **kw: Any,
) -> Any:
    transport = httpx.MockTransport(answer)
    if aio:
        return async_client(m, "https://api.test", httpx.AsyncClient(transport=transport), **kw)
    return sync_client(m, "https://api.test", httpx.Client(transport=transport), **kw)


SSE_HEADERS = {"content-type": "text/event-stream"}


def test_stream_items_arrive_before_the_body_ends(m: Any, s: Any) -> None:
    feed = Feed([b"data: 1\n\n", b"data: 2\n", b"\n", b"data: [DONE]\n\n", b"data: 9\n\n"])
    client = client_for(m, lambda r: httpx.Response(200, headers=SSE_HEADERS, content=feed))
    response = client._request(stream_endpoint(m))
    stream = s.Stream(response, s.Items("sse", ident))
    assert stream.response.status_code == 200
    seen = []
    for item in stream:
        seen.append((item, feed.produced))
    assert seen == [(1, 1), (2, 3)]
    assert response.is_closed
    assert feed.produced == 4  # nothing read after [DONE]


async def test_async_stream_items_arrive_before_the_body_ends(m: Any, s: Any) -> None:
    feed = Feed([b'{"a": 1}\n', b'{"a"', b": 2}\n"])
    client = client_for(
        m,
        lambda r: httpx.Response(
            200, headers={"content-type": "application/jsonl"}, content=AsyncFeed(feed)
        ),
        aio=True,
    )
    stream = s.AsyncStream(await client._request(stream_endpoint(m)), s.Items("jsonl", ident))
    seen = [(item, feed.produced) async for item in stream]
    assert seen == [({"a": 1}, 1), ({"a": 2}, 3)]
    assert stream.response.is_closed


def test_broken_item_raises_after_the_good_ones(m: Any, s: Any) -> None:
    feed = Feed([b"data: 1\n\ndata: 2\n\ndata: {oops\n\ndata: 4\n\n"])
    client = client_for(m, lambda r: httpx.Response(200, headers=SSE_HEADERS, content=feed))
    stream = s.Stream(client._request(stream_endpoint(m)), s.Items("sse", ident))
    seen = []
    with pytest.raises(m.errors.APIResponseValidationError) as info:
        for item in stream:
            seen.append(item)
    assert seen == [1, 2]
    assert info.value.path == (2,)
    assert "not valid JSON" in str(info.value)
    assert stream.response.is_closed


def test_model_mismatch_names_the_item_and_field(m: Any, s: Any) -> None:
    def decode(value: Any) -> Any:
        if not isinstance(value.get("n"), int):
            raise m.errors.APIResponseValidationError("expected an integer", path=("n",))
        return value["n"]

    feed = Feed([b'{"n": 1}\n{"n": "x"}\n'])
    client = client_for(m, lambda r: httpx.Response(200, content=feed))
    stream = s.Stream(client._request(stream_endpoint(m)), s.Items("jsonl", decode))
    it = iter(stream)
    assert next(it) == 1
    with pytest.raises(m.errors.APIResponseValidationError) as info:
        next(it)
    assert info.value.path == (1, "n")


@pytest.mark.parametrize("aio", [False, True])
async def test_connection_lost_midway_is_a_connection_error_never_retried(
    m: Any, s: Any, aio: bool
) -> None:
    calls = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        feed = Feed([b"data: 1\n\n", b"data: 2"], fail=httpx.ReadError("peer went away"))
        return httpx.Response(200, headers=SSE_HEADERS, content=body(feed, aio))

    client = client_for(m, answer, aio=aio, max_retries=3)
    ep = stream_endpoint(m, idempotency_header="Idempotency-Key")
    seen = []
    with pytest.raises(m.errors.APIConnectionError):
        if aio:
            async for item in s.AsyncStream(await client._request(ep), s.Items("sse", ident)):
                seen.append(item)
        else:
            for item in s.Stream(client._request(ep), s.Items("sse", ident)):
                seen.append(item)
    assert seen == [1]
    assert len(calls) == 1


@pytest.mark.parametrize("aio", [False, True])
async def test_non_2xx_raises_the_typed_error_with_its_body(m: Any, s: Any, aio: bool) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"error": "nope"})

    client = client_for(m, answer, aio=aio)
    with pytest.raises(m.errors.NotFoundError) as info:
        if aio:
            await client._request(stream_endpoint(m))
        else:
            client._request(stream_endpoint(m))
    assert info.value.body == {"error": "nope"}


def test_status_retries_still_happen_before_the_stream_starts(m: Any, s: Any) -> None:
    statuses = [503, 200]

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(statuses.pop(0), headers=SSE_HEADERS, content=b"data: 1\n\n")

    client = client_for(m, answer, max_retries=2)
    client._sleep = lambda delay: None
    ep = stream_endpoint(m, idempotency_header="Idempotency-Key")
    assert list(s.Stream(client._request(ep), s.Items("sse", ident))) == [1]
    assert statuses == []


def test_break_context_manager_and_garbage_collection_release_the_connection(
    m: Any, s: Any
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=Feed([b"1\n", b"2\n", b"3\n"]))

    client = client_for(m, answer)
    with s.Stream(client._request(stream_endpoint(m)), s.Items("jsonl", ident)) as stream:
        for _item in stream:
            break
    assert stream.response.is_closed

    stream = s.Stream(client._request(stream_endpoint(m)), s.Items("jsonl", ident))
    next(iter(stream))
    stream.close()
    assert stream.response.is_closed
    assert list(stream) == []

    response = client._request(stream_endpoint(m))
    stream = s.Stream(response, s.Items("jsonl", ident))
    del stream
    gc.collect()
    assert response.is_closed


async def test_async_close_and_context_manager(m: Any, s: Any) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=AsyncFeed(Feed([b"1\n", b"2\n"])))

    client = client_for(m, answer, aio=True)
    async with s.AsyncStream(
        await client._request(stream_endpoint(m)), s.Items("jsonl", ident)
    ) as stream:
        async for _item in stream:
            break
    assert stream.response.is_closed
    stream = s.AsyncStream(await client._request(stream_endpoint(m)), s.Items("jsonl", ident))
    await stream.close()
    assert stream.response.is_closed


def test_with_stream_flag_sets_stream_true_without_changing_the_body(s: Any) -> None:
    body = {"model": "m", "stream": False}
    assert s.with_stream_flag(body) == {"model": "m", "stream": True}
    assert body["stream"] is False


# --------------------------------------------------------------------------- real server


def test_a_stalled_server_raises_a_timeout_after_the_items_before(
    m: Any, s: Any, serve: Callable[..., LocalServer]
) -> None:
    release = threading.Event()

    def answer(handler: Any) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        event = b"data: 1\n\n"
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
        handler.wfile.flush()
        release.wait(10)  # stalls until the client gave up

    server = serve(answer)
    client = sync_client(m, server.url, timeout=httpx.Timeout(5.0, read=0.3))
    seen = []
    try:
        with pytest.raises(m.errors.APITimeoutError):
            for item in s.Stream(
                client._request(stream_endpoint(m, responses={"200": m.resp.RAW})),
                s.Items("sse", ident),
            ):
                seen.append(item)
    finally:
        release.set()
        client.close()
    assert seen == [1]


def test_a_server_closing_mid_body_is_a_connection_error(
    m: Any, s: Any, serve: Callable[..., LocalServer]
) -> None:
    def answer(handler: Any) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/x-ndjson")
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        handler.wfile.write(b'{"a": 1}\n{"a"')
        handler.wfile.flush()
        handler.close_connection = True

    server = serve(answer)
    client = sync_client(m, server.url)
    seen = []
    with pytest.raises(m.errors.APIConnectionError):
        for item in s.Stream(client._request(stream_endpoint(m)), s.Items("jsonl", ident)):
            seen.append(item)
    assert seen == [{"a": 1}]
    client.close()
