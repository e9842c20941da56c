"""Limits that hold whatever a server sends (issue 13 items 5 and 8), against real
local servers: the decoded-size cap for any chain of encodings (stacked gzip), one
deadline per attempt however slowly the bytes come, and what decoding JSON may cost."""

from __future__ import annotations

import gzip
import json
import struct
import time
import tracemalloc
import types
import zlib
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.runtime.servers import LocalServer, async_client, ep, ok_json, sync_client

MiB = 1 << 20


def zeros_gzip(size: int) -> bytes:
    """A valid gzip stream of `size` zero bytes (a multiple of 1 MiB), built by
    repeating one fully flushed compressed block."""
    block = bytes(MiB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // MiB):
        crc = zlib.crc32(block, crc)
    trailer = b"\x03\x00" + struct.pack("<II", crc, size & 0xFFFFFFFF)
    return first + repeat * (size // MiB - 1) + trailer


@pytest.fixture(scope="module")
def stacked_bomb() -> bytes:
    """256 MiB of zeros, gzipped twice: a few KB on the wire."""
    bomb = gzip.compress(zeros_gzip(256 * MiB), 9)
    assert len(bomb) < 64 * 1024
    return bomb


def reply(headers: dict[str, str], body: bytes) -> Callable[[Any], Any]:
    return lambda h: (200, {"Content-Type": "application/json", **headers}, body)


# =========================================================================== item 5


class TestEncodingChains:
    def test_stacked_gzip_bomb_stops_at_the_cap_without_inflating(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer], stacked_bomb: bytes
    ) -> None:
        a = serve(reply({"Content-Encoding": "gzip, gzip"}, stacked_bomb))
        client = sync_client(m, a.url)
        client.max_response_bytes = MiB
        tracemalloc.start()
        try:
            with pytest.raises(m.errors.APIResponseValidationError) as info:
                client._request(ep(m))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert info.value.problem == "response body is too large"
        assert "over 1048576 bytes once decoded (Content-Encoding gzip, gzip)" in str(info.value)
        assert peak < 16 * MiB  # httpx inflated the inner layer whole: 256 MiB

    async def test_async_stacked_bomb_stops_at_the_cap(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        bomb = gzip.compress(zeros_gzip(128 * MiB), 9)
        a = serve(reply({"Content-Encoding": "gzip, gzip"}, bomb))
        client = async_client(m, a.url)
        client.max_response_bytes = 4 * MiB
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            await client._request(ep(m))
        assert info.value.problem == "response body is too large"

    @pytest.mark.parametrize(
        ("encoding", "encode"),
        [
            ("gzip, deflate", lambda b: zlib.compress(gzip.compress(b))),
            ("deflate, gzip", lambda b: gzip.compress(zlib.compress(b))),
            ("deflate", zlib.compress),
            ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, no zlib header
            ("gzip, identity", gzip.compress),
            ("x-gzip", gzip.compress),
        ],
    )
    def test_encoding_chains_decode(
        self,
        m: types.SimpleNamespace,
        serve: Callable[..., LocalServer],
        encoding: str,
        encode: Callable[[bytes], bytes],
    ) -> None:
        payload = {"items": list(range(50_000))}
        a = serve(reply({"Content-Encoding": encoding}, encode(json.dumps(payload).encode())))
        assert sync_client(m, a.url)._request(ep(m)) == payload

    def test_only_bounded_encodings_are_asked_for_and_others_refused(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        a = serve(reply({"Content-Encoding": "br"}, b"\x0b\x02\x80{}\x03"))
        client = sync_client(m, a.url)
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            client._request(ep(m))
        assert a.seen[0].headers["accept-encoding"] == "gzip, deflate"
        assert info.value.problem == "response body could not be decoded"
        assert "'br' is not an encoding the client decodes" in str(info.value)

    def test_corrupt_inner_layer_is_a_decoding_error(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        a = serve(reply({"Content-Encoding": "gzip, gzip"}, gzip.compress(b"not gzip at all")))
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            sync_client(m, a.url)._request(ep(m))
        assert info.value.problem == "response body could not be decoded"

    def test_raw_bytes_after_a_tiny_stream_count_against_the_cap(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        a = serve(reply({"Content-Encoding": "gzip"}, gzip.compress(b"{}") + bytes(2 * MiB)))
        client = sync_client(m, a.url)
        client.max_response_bytes = MiB
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            client._request(ep(m))
        assert info.value.problem == "response body is too large"


# =========================================================================== item 8


def trickle_body(h: Any) -> None:
    """Headers at once, then a 40-byte JSON body one byte every 0.5 s (20 s)."""
    body = b'{"padding": "' + b"x" * 25 + b'"}'
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    _drip(h, body)


def trickle_headers(h: Any) -> None:
    """The status line and headers one byte every 0.5 s."""
    _drip(h, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: " + b"y" * 40)


def _drip(h: Any, data: bytes) -> None:
    for i in range(len(data)):
        try:
            h.wfile.write(data[i : i + 1])
            h.wfile.flush()
        except OSError:
            return  # the client gave up
        time.sleep(0.5)


class TestDeadline:
    @pytest.mark.parametrize("mode", ["sync", "async"])
    async def test_timeout_bounds_an_attempt_whose_body_trickles(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer], mode: str
    ) -> None:
        a = serve(trickle_body)
        make = sync_client if mode == "sync" else async_client
        client = make(m, a.url, timeout=1.0)
        start = time.monotonic()
        with pytest.raises(m.errors.APITimeoutError):
            result = client._request(ep(m))
            if mode == "async":
                await result
        assert time.monotonic() - start < 5  # it was 20 s

    async def test_async_timeout_bounds_an_attempt_whose_headers_trickle(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        a = serve(trickle_headers)
        client = async_client(m, a.url, timeout=1.0)
        start = time.monotonic()
        with pytest.raises(m.errors.APITimeoutError):
            await client._request(ep(m))
        assert time.monotonic() - start < 5

    def test_each_retry_gets_its_own_deadline(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        calls: list[float] = []

        def answer(h: Any) -> Any:
            calls.append(time.monotonic())
            if len(calls) == 1:
                return trickle_body(h)
            return ok_json({"second": True})(h)

        a = serve(answer)
        client = sync_client(m, a.url, timeout=1.0, max_retries=1)
        client._sleep = lambda s: None
        assert client._request(ep(m)) == {"second": True}
        assert len(calls) == 2

    def test_fast_responses_unaffected_by_the_deadline(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        a = serve(ok_json({"fine": True}))
        client = sync_client(m, a.url, timeout=httpx.Timeout(2.0, connect=1.0))
        assert client._request(ep(m)) == {"fine": True}


class TestJsonCost:
    @pytest.mark.parametrize("status", [200, 500])
    def test_json_with_too_many_values_is_refused_before_decoding(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer], status: int
    ) -> None:
        body = b"[" + b"{}," * 1_200_000 + b"{}]"
        a = serve(lambda h: (status, {"Content-Type": "application/json"}, body))
        client = sync_client(m, a.url)
        assert client.max_json_values == m.bc.MAX_JSON_VALUES == 1_000_000
        start = time.monotonic()
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            client._request(ep(m))
        assert time.monotonic() - start < 5
        assert info.value.problem == "response body holds too many JSON values"
        assert "more than 1000000; not decoded" in str(info.value)

    def test_json_under_the_value_cap_is_decoded(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        payload = [{"i": i} for i in range(200_000)]
        a = serve(ok_json(payload))
        client = sync_client(m, a.url)
        assert client._request(ep(m)) == payload
        client.max_json_values = 100_000
        with pytest.raises(m.errors.APIResponseValidationError):
            client._request(ep(m))
