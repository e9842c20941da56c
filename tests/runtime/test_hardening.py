"""The runtime against hostile conditions: secrets never shown, redirects never carry
credentials to another origin (real local servers), lying responses give typed errors,
gzip bombs are capped."""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import logging
import struct
import time
import traceback
import types
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.runtime.servers import (
    COOKIE_KEY,
    QUERY_KEY,
    ROUTE_KEY,
    TOKEN,
    LocalServer,
    Seen,
    _config,
    assert_no_secret,
    async_client,
    ep,
    ok_json,
    redirect_to,
    sync_client,
)

# =========================================================================== secrets


class TestSecretsNeverShown:
    def test_client_and_resource_reprs(self, m: types.SimpleNamespace) -> None:
        with m.pkg.Client(archal_token=TOKEN, route_authorization=ROUTE_KEY) as client:
            assert_no_secret(repr(client))
            assert_no_secret(repr(client.sessions))
            assert_no_secret(str(client))
        with m.pkg.Client(
            archal_token=TOKEN, default_headers={"Authorization": f"Bearer {TOKEN}"}
        ) as client:
            assert_no_secret(repr(client))

    def test_status_error_message_redacts_echoed_credentials(
        self, m: types.SimpleNamespace
    ) -> None:
        def handler(request: httpx.Request) -> httpx.Response:
            echo = f"bad token {TOKEN} / key {ROUTE_KEY} / url {request.url}"
            return httpx.Response(401, text=echo)

        client = sync_client(
            m, "https://api.test", httpx.Client(transport=httpx.MockTransport(handler))
        )
        with pytest.raises(m.errors.AuthenticationError) as info:
            client._request(ep(m))
        exc = info.value
        assert_no_secret(str(exc))
        assert_no_secret(repr(exc))
        assert_no_secret(exc.message)
        assert "[REDACTED]" in str(exc)
        assert_no_secret(repr(exc.request))
        assert "api_key=%5BREDACTED%5D" in repr(exc.request) or "[REDACTED]" in repr(exc.request)
        # the request itself is intact: the key was really sent
        assert exc.request.url.params["api_key"] == QUERY_KEY

    def test_basic_credentials_redacted(self, m: types.SimpleNamespace) -> None:
        import base64

        token = base64.b64encode(b"alice:pa55-SECRET-word").decode()

        def handler(request: httpx.Request) -> httpx.Response:
            return httpx.Response(
                403, text=f"no: {request.headers['authorization']} pa55-SECRET-word"
            )

        client = m.bc.SyncAPIClient(
            http_client=httpx.Client(transport=httpx.MockTransport(handler)),
            **_config(
                m,
                "https://api.test",
                security_schemes={"basic": m.bc.HttpBasic()},
                credentials={"basic": ("alice", "pa55-SECRET-word")},
            ),
        )
        with pytest.raises(m.errors.PermissionDeniedError) as info:
            client._request(ep(m, security=(("basic",),)))
        assert token not in str(info.value)
        assert "pa55-SECRET-word" not in str(info.value)
        assert "pa55-SECRET-word" not in repr(client)

    @pytest.mark.parametrize("mode", ["sync", "async"])
    def test_connection_error_shows_no_secret(self, m: types.SimpleNamespace, mode: str) -> None:
        # a port nobody listens on: the connection is refused
        url = "http://127.0.0.1:9"
        if mode == "sync":
            client = sync_client(m, url)
            with pytest.raises(m.errors.APIConnectionError) as info:
                client._request(ep(m))
        else:
            client = async_client(m, url)
            with pytest.raises(m.errors.APIConnectionError) as info:
                asyncio.run(client._request(ep(m)))
        exc = info.value
        assert_no_secret(str(exc))
        assert_no_secret(repr(exc))
        assert_no_secret(repr(exc.request))
        assert_no_secret("".join(traceback.format_exception(exc)))

    def test_timeout_error_shows_no_secret(self, m: types.SimpleNamespace) -> None:
        def handler(request: httpx.Request) -> httpx.Response:
            raise httpx.ReadTimeout("timed out", request=request)

        client = sync_client(
            m, "https://api.test", httpx.Client(transport=httpx.MockTransport(handler))
        )
        with pytest.raises(m.errors.APITimeoutError) as info:
            client._request(ep(m))
        assert_no_secret(str(info.value) + repr(info.value) + repr(info.value.request))

    @pytest.mark.parametrize("status", [200, 404, 503])
    def test_debug_logs_show_no_secret(
        self,
        m: types.SimpleNamespace,
        serve: Callable[..., LocalServer],
        caplog: pytest.LogCaptureFixture,
        status: int,
    ) -> None:
        server = serve(lambda h: (status, {"Content-Type": "application/json"}, b'{"a": 1}'))
        client = sync_client(m, server.url, max_retries=1)
        client._sleep = lambda s: None
        caplog.set_level(logging.DEBUG)
        try:
            client._request(ep(m))
        except m.errors.APIError as exc:
            assert_no_secret(str(exc))
        assert server.seen[0].query["api_key"] == QUERY_KEY  # it was sent...
        records = [r.getMessage() for r in caplog.records]
        assert any("HTTP Request" in r for r in records)  # httpx did log the URL
        assert any(r.startswith("send_request_headers") for r in records)  # httpcore too
        for message in records:
            assert_no_secret(message)  # ...and never logged
        assert any("[REDACTED]" in r or "%5BREDACTED%5D" in r for r in records)

    async def test_async_debug_logs_show_no_secret(
        self,
        m: types.SimpleNamespace,
        serve: Callable[..., LocalServer],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        server = serve(ok_json())
        client = async_client(m, server.url)
        caplog.set_level(logging.DEBUG)
        assert await client._request(ep(m)) == {"ok": True}
        assert server.seen[0].query["api_key"] == QUERY_KEY
        assert caplog.records
        for record in caplog.records:
            assert_no_secret(record.getMessage())


# =========================================================================== redirects


class TestRedirects:
    def _creds_of(self, seen: Seen) -> list[str]:
        found = [
            name for name in ("authorization", "x-route-authorization") if name in seen.headers
        ]
        if "api_key" in seen.query:
            found.append("api_key")
        if COOKIE_KEY in seen.headers.get("cookie", ""):
            found.append("cookie")
        return found

    @pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
    def test_cross_origin_redirect_drops_every_credential(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer], status: int
    ) -> None:
        b = serve(ok_json({"from": "b"}))
        a = serve(redirect_to(lambda: b.url + "/landing", status, echo_query=True))
        client = sync_client(m, a.url, httpx.Client(follow_redirects=True))
        assert client._request(ep(m)) == {"from": "b"}
        assert self._creds_of(a.seen[0]) == [
            "authorization",
            "x-route-authorization",
            "api_key",
            "cookie",
        ]
        assert len(b.seen) == 1
        assert self._creds_of(b.seen[0]) == []
        assert_no_secret(json.dumps(b.seen[0].__dict__, default=str))
        assert b.seen[0].path == "/landing"

    def test_cross_origin_307_post_keeps_body_drops_credentials(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        b = serve(ok_json())
        a = serve(redirect_to(lambda: b.url + "/moved", 307))
        client = sync_client(m, a.url, httpx.Client(follow_redirects=True))
        body = m.bc.Body("application/json", "json")
        client._request(ep(m, "POST", body=body), body={"x": 1})
        assert b.seen[0].method == "POST"
        assert json.loads(b.seen[0].body) == {"x": 1}
        assert self._creds_of(b.seen[0]) == []

    def test_same_origin_redirect_keeps_credentials(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        def answer(h: Any) -> Any:
            if h.path.startswith("/things"):
                return 302, {"Location": "/elsewhere?api_key=" + QUERY_KEY}, b""
            return ok_json({"here": True})(h)

        a = serve(answer)
        client = sync_client(m, a.url, httpx.Client(follow_redirects=True))
        assert client._request(ep(m)) == {"here": True}
        assert [s.path for s in a.seen] == ["/things", "/elsewhere"]
        assert self._creds_of(a.seen[1]) == [
            "authorization",
            "x-route-authorization",
            "api_key",
            "cookie",
        ]

    def test_same_origin_redirect_keeps_the_query_key_its_location_leaves_out(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        def answer(h: Any) -> Any:
            if h.path.startswith("/things"):
                return 302, {"Location": "/elsewhere?page=2"}, b""
            return ok_json({"here": True})(h)

        a = serve(answer)
        client = sync_client(m, a.url, httpx.Client(follow_redirects=True))
        assert client._request(ep(m)) == {"here": True}
        assert "api_key" in self._creds_of(a.seen[1])
        assert a.seen[1].query.get("page") == "2"

    def test_the_generated_clients_follow_redirects_by_default_credentials_kept_home(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        """As openai-python's: a moved endpoint is followed (httpx's own default
        raised a 302 at the caller); another origin gets no credential."""
        b = serve(ok_json({"sessions": []}))
        a = serve(redirect_to(lambda: b.url + "/api/sessions", 302))
        with m.pkg.Client(base_url=a.url, archal_token=TOKEN, max_retries=0) as client:
            assert client.sessions.list_sessions().sessions == []
        assert a.seen[0].headers["authorization"] == f"Bearer {TOKEN}"
        assert "authorization" not in b.seen[0].headers
        assert m.pkg.AsyncClient(archal_token=TOKEN)._http_client.follow_redirects

    async def test_async_cross_origin_redirect_drops_credentials(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        b = serve(ok_json({"from": "b"}))
        a = serve(redirect_to(lambda: b.url + "/x", 302, echo_query=True))
        client = async_client(m, a.url, httpx.AsyncClient(follow_redirects=True))
        assert await client._request(ep(m)) == {"from": "b"}
        assert self._creds_of(b.seen[0]) == []

    def test_generated_client_drops_route_authorization(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        b = serve(ok_json({"sessions": []}))
        a = serve(redirect_to(lambda: b.url + "/api/sessions", 302))
        with m.pkg.Client(
            base_url=a.url,
            archal_token=TOKEN,
            route_authorization=ROUTE_KEY,
            http_client=httpx.Client(follow_redirects=True),
            max_retries=0,
        ) as client:
            client.sessions.list_sessions()
        assert a.seen[0].headers["authorization"] == f"Bearer {TOKEN}"
        assert "authorization" not in b.seen[0].headers
        assert "x-route-authorization" not in b.seen[0].headers

    def test_redirects_not_followed_unless_the_http_client_does(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        b = serve(ok_json())
        a = serve(redirect_to(lambda: b.url, 302))
        client = sync_client(m, a.url, httpx.Client())  # httpx's default: no redirects
        with pytest.raises(m.errors.APIStatusError) as info:
            client._request(ep(m))
        assert info.value.status_code == 302
        assert b.seen == []

    def test_redirect_loop_stops_at_max_redirects(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        a = serve(lambda h: (302, {"Location": "/again"}, b""))
        client = sync_client(m, a.url, httpx.Client(follow_redirects=True, max_redirects=3))
        with pytest.raises(m.errors.APIStatusError) as info:
            client._request(ep(m))
        assert info.value.status_code == 302
        assert len(a.seen) == 4
        assert len(info.value.response.history) == 3

    def test_streamed_body_not_resent_on_307(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        a = serve(redirect_to(lambda: "/other", 307))
        client = sync_client(m, a.url, httpx.Client(follow_redirects=True))
        body = m.bc.Body("application/octet-stream", "binary")
        stream = iter([b"abc", b"def"])
        with pytest.raises(m.errors.APIStatusError) as info:
            client._request(ep(m, "PUT", body=body), body=stream)
        assert info.value.status_code == 307
        assert len(a.seen) == 1

    def test_seekable_file_resent_whole_on_307(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        """A 307 asks for the same request elsewhere: a seekable file body is sent
        again from where it was (a stream that cannot be read twice is not)."""
        b = serve(lambda h: (204, {}, b""))
        a = serve(redirect_to(lambda: b.url + "/moved", 307))
        client = sync_client(m, a.url, httpx.Client(follow_redirects=True))
        body = m.bc.Body("application/octet-stream", "binary")
        upload = io.BytesIO(b"skip-" + b"content" * 1000)
        upload.seek(5)
        endpoint = ep(m, "PUT", body=body, responses={"204": m.resp.NO_CONTENT})
        client._request(endpoint, body=upload)
        assert [s.body for s in a.seen + b.seen] == [b"content" * 1000] * 2
        assert b.seen[0].path == "/moved" and b.seen[0].method == "PUT"


# =========================================================================== lying responses


def mock_client(
    m: types.SimpleNamespace, handler: Callable[[httpx.Request], httpx.Response], mode: str = "sync"
) -> Any:
    if mode == "sync":
        return sync_client(
            m, "https://api.test", httpx.Client(transport=httpx.MockTransport(handler))
        )
    return async_client(
        m, "https://api.test", httpx.AsyncClient(transport=httpx.MockTransport(handler))
    )


def call(m: types.SimpleNamespace, client: Any, endpoint: Any | None = None) -> Any:
    endpoint = endpoint or ep(m)
    if isinstance(client, m.bc.AsyncAPIClient):
        return asyncio.run(client._request(endpoint))
    return client._request(endpoint)


class TestLyingResponses:
    @pytest.mark.parametrize("mode", ["sync", "async"])
    def test_html_content_type_with_json_schema(self, m: types.SimpleNamespace, mode: str) -> None:
        page = b"<html><body>Gateway says hi</body></html>"
        client = mock_client(
            m,
            lambda r: httpx.Response(200, content=page, headers={"Content-Type": "text/html"}),
            mode,
        )
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            call(m, client)
        err = info.value
        assert err.problem == "response Content-Type is not JSON"
        assert "HTTP 200" in str(err) and "text/html" in str(err) and "HTML page" in str(err)
        assert err.path == () and err.status_code == 200
        assert err.body == page.decode()

    def test_html_error_page_labelled_json(self, m: types.SimpleNamespace) -> None:
        client = mock_client(
            m,
            lambda r: httpx.Response(
                200,
                content=b"<!DOCTYPE html><h1>502</h1>",
                headers={"Content-Type": "application/json"},
            ),
        )
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            call(m, client)
        assert info.value.problem == "response body is not valid JSON"
        assert "looks like HTML" in str(info.value)
        assert "HTTP 200, Content-Type application/json" in str(info.value)

    @pytest.mark.parametrize(
        ("content", "expected"),
        [
            (b'{"sessions": [1, 2', "truncated"),
            (b'{"a": 1} trailing', "Extra data"),
            (b"{'single': 'quotes'}", "Expecting property name"),
            (b"\xff\xfe\x00garbage", "not valid JSON"),
            (b"9" * 5000, "not valid JSON"),  # too many digits for int()
            (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),  # nesting
        ],
    )
    def test_invalid_json(self, m: types.SimpleNamespace, content: bytes, expected: str) -> None:
        client = mock_client(
            m,
            lambda r: httpx.Response(
                200, content=content, headers={"Content-Type": "application/json"}
            ),
        )
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            call(m, client)
        assert info.value.problem == "response body is not valid JSON"
        assert expected in str(info.value)
        assert "HTTP 200" in str(info.value)

    def test_empty_body_where_json_declared(self, m: types.SimpleNamespace) -> None:
        client = mock_client(
            m, lambda r: httpx.Response(200, headers={"Content-Type": "application/json"})
        )
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            call(m, client)
        assert info.value.problem == "response body is empty"
        assert "HTTP 200, Content-Type application/json" in str(info.value)

    def test_json_variants_accepted(self, m: types.SimpleNamespace) -> None:
        for content_type in (
            "application/json; charset=utf-8",
            "application/problem+json",
            "text/plain",
            None,
        ):
            headers = {"Content-Type": content_type} if content_type else {}
            client = mock_client(
                m, lambda r, h=headers: httpx.Response(200, content=b'{"a": 1}', headers=h)
            )
            assert call(m, client) == {"a": 1}

    def test_too_deep_for_the_decoder(self, m: types.SimpleNamespace) -> None:
        def deep(value: Any) -> Any:
            return deep(value)  # a decoder that recurses forever

        endpoint = ep(m, responses={"200": m.resp.json_response(deep)})
        client = mock_client(m, lambda r: httpx.Response(200, json=[]))
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            call(m, client, endpoint)
        assert "nested too deeply" in str(info.value)

    def test_transport_truncated_body_is_a_connection_error(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        def answer(h: Any) -> None:
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", "1000")
            h.end_headers()
            h.wfile.write(b'{"sessions": [')
            h.wfile.flush()
            h.close_connection = True

        a = serve(answer)
        client = sync_client(m, a.url)
        with pytest.raises(m.errors.APIConnectionError):
            client._request(ep(m))
        retrying = sync_client(m, a.url, max_retries=2)
        retrying._sleep = lambda s: None
        with pytest.raises(m.errors.APIConnectionError):
            retrying._request(ep(m))
        assert len(a.seen) == 1 + 3  # a GET with a truncated body is retried

    def test_error_status_with_html_body_is_a_status_error(self, m: types.SimpleNamespace) -> None:
        client = mock_client(
            m,
            lambda r: httpx.Response(
                502, content=b"<html>bad gateway</html>", headers={"Content-Type": "text/html"}
            ),
        )
        with pytest.raises(m.errors.InternalServerError) as info:
            call(m, client)
        assert info.value.body == "<html>bad gateway</html>"

    def test_corrupt_gzip(self, m: types.SimpleNamespace) -> None:
        client = mock_client(
            m,
            lambda r: httpx.Response(
                200,
                stream=httpx.ByteStream(b"\x1f\x8bnot really gzip"),
                headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
            ),
        )
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            call(m, client)
        assert info.value.problem == "response body could not be decoded"
        assert "Content-Encoding gzip" in str(info.value)


# =========================================================================== gzip bombs

BOMB_SIZE = 1 << 30  # 1 GiB of zeros once decompressed


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """A valid gzip stream of 1 GiB of zeros (about 1 MiB compressed).

    Each 1 MiB block is compressed after a full flush, so every block but the first
    compresses to the same bytes: the stream is built by repetition, and closed with
    an empty final block and the gzip trailer (CRC-32 and size).
    """
    block = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(BOMB_SIZE >> 20):
        crc = zlib.crc32(block, crc)
    trailer = b"\x03\x00" + struct.pack("<II", crc, BOMB_SIZE & 0xFFFFFFFF)
    bomb = first + repeat * ((BOMB_SIZE >> 20) - 1) + trailer
    assert len(bomb) < 2 << 20
    return bomb


class CountingStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body handed out in small raw chunks, counting what was consumed."""

    def __init__(self, data: bytes, chunk: int = 16 * 1024) -> None:
        self.data = data
        self.chunk = chunk
        self.consumed = 0

    def _chunks(self) -> Iterator[bytes]:
        for start in range(0, len(self.data), self.chunk):
            piece = self.data[start : start + self.chunk]
            self.consumed += len(piece)
            yield piece

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks()

    async def __aiter__(self) -> Any:
        for piece in self._chunks():
            yield piece


BOMB_HEADERS = {"Content-Encoding": "gzip", "Content-Type": "application/json"}


class TestGzipBomb:
    @pytest.mark.parametrize("mode", ["sync", "async"])
    def test_bomb_stops_at_the_default_cap(
        self, m: types.SimpleNamespace, gzip_bomb: bytes, mode: str
    ) -> None:
        streams: list[CountingStream] = []

        def handler(request: httpx.Request) -> httpx.Response:
            streams.append(CountingStream(gzip_bomb))
            return httpx.Response(200, headers=BOMB_HEADERS, stream=streams[-1])

        client = mock_client(m, handler, mode)
        assert client.max_response_bytes == m.bc.MAX_RESPONSE_BYTES == 64 * 1024 * 1024
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            call(m, client)
        err = info.value
        assert err.problem == "response body is too large"
        assert (
            "67108864 bytes" in str(err)
            and "Content-Encoding gzip" in str(err)
            and "HTTP 200" in str(err)
        )
        # it stopped near the cap: ~64 KiB of the ~1 MiB of raw bytes were read
        assert streams[0].consumed < len(gzip_bomb) // 4

    @pytest.mark.parametrize("mode", ["sync", "async"])
    def test_a_body_read_by_the_transport_counts_against_the_cap(
        self, m: types.SimpleNamespace, mode: str
    ) -> None:
        """`httpx.MockTransport` (and an in-process app) hands over a body read
        already: it is held to the cap too, and one under it is decoded."""
        body = b'{"pad": "' + b"x" * (1 << 20) + b'"}'
        client = mock_client(m, lambda r: httpx.Response(200, content=body), mode)
        client.max_response_bytes = 1 << 20
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            call(m, client)
        assert info.value.problem == "response body is too large"
        assert "over 1048576 bytes once decoded (Content-Encoding none)" in str(info.value)
        client.max_response_bytes = 2 << 20
        assert call(m, client) == {"pad": "x" * (1 << 20)}

    def test_bomb_from_a_real_server_with_a_smaller_cap(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer], gzip_bomb: bytes
    ) -> None:
        a = serve(lambda h: (200, BOMB_HEADERS, gzip_bomb))
        client = sync_client(m, a.url)
        client.max_response_bytes = 1 << 20
        start = time.monotonic()
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            client._request(ep(m))
        assert "over 1048576 bytes once decoded" in str(info.value)
        assert time.monotonic() - start < 10

    async def test_async_bomb_from_a_real_server(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer], gzip_bomb: bytes
    ) -> None:
        a = serve(lambda h: (200, BOMB_HEADERS, gzip_bomb))
        client = async_client(m, a.url)
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            await client._request(ep(m))
        assert info.value.problem == "response body is too large"

    def test_bomb_in_an_error_response(self, m: types.SimpleNamespace, gzip_bomb: bytes) -> None:
        client = mock_client(
            m, lambda r: httpx.Response(500, headers=BOMB_HEADERS, stream=CountingStream(gzip_bomb))
        )
        client.max_response_bytes = 1 << 20
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            call(m, client)
        assert info.value.status_code == 500

    def test_bomb_not_read_when_the_response_is_retried(
        self, m: types.SimpleNamespace, gzip_bomb: bytes
    ) -> None:
        streams: list[CountingStream] = []

        def handler(request: httpx.Request) -> httpx.Response:
            if streams:
                return httpx.Response(200, json={"fine": True})
            streams.append(CountingStream(gzip_bomb))
            return httpx.Response(503, headers=BOMB_HEADERS, stream=streams[-1])

        client = sync_client(
            m,
            "https://api.test",
            httpx.Client(transport=httpx.MockTransport(handler)),
            max_retries=1,
        )
        client._sleep = lambda s: None
        assert client._request(ep(m)) == {"fine": True}
        assert streams[0].consumed == 0

    def test_raw_response_is_capped_too(self, m: types.SimpleNamespace, gzip_bomb: bytes) -> None:
        client = mock_client(
            m, lambda r: httpx.Response(200, headers=BOMB_HEADERS, stream=CountingStream(gzip_bomb))
        )
        client.max_response_bytes = 1 << 20
        token = m.resp.RAW_RESPONSE.set(True)
        try:
            with pytest.raises(m.errors.APIResponseValidationError):
                call(m, client)
        finally:
            m.resp.RAW_RESPONSE.reset(token)

    def test_body_under_the_cap_is_decoded(self, m: types.SimpleNamespace) -> None:
        payload = json.dumps({"items": list(range(1000))}).encode()
        client = mock_client(
            m, lambda r: httpx.Response(200, headers=BOMB_HEADERS, content=gzip.compress(payload))
        )
        assert call(m, client) == {"items": list(range(1000))}
        client.max_response_bytes = len(payload)
        assert call(m, client) == {"items": list(range(1000))}
        client.max_response_bytes = len(payload) - 1
        with pytest.raises(m.errors.APIResponseValidationError):
            call(m, client)


def test_gzip_bomb_fixture_is_a_valid_1_gib_stream(gzip_bomb: bytes) -> None:
    decompressor = zlib.decompressobj(31)
    size = 0
    for start in range(0, len(gzip_bomb), 1 << 16):
        size += len(decompressor.decompress(gzip_bomb[start : start + (1 << 16)], 1 << 26))
        while decompressor.unconsumed_tail:
            size += len(decompressor.decompress(decompressor.unconsumed_tail, 1 << 26))
    size += len(decompressor.flush())
    assert decompressor.eof and size == BOMB_SIZE
