"""Retries, in one place: which failures and statuses are retried, how often, how long
the client waits (`Retry-After`, backoff), what is never retried (unsafe methods without
an `Idempotency-Key`, streamed bodies), and the idempotency key reused across attempts."""

from __future__ import annotations

import asyncio
import email.utils
import io
import time
import types
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.runtime import archal, direct, servers

pytestmark = pytest.mark.usefixtures("no_real_sleep")


# -- the runtime's base client (hand-made endpoints) ------------------------------------

# ============================================================================= retries


class TestSyncRetries:
    def test_connect_error_retried_then_raised(self, m):
        server = direct.Server(httpx.ConnectError)
        client = direct.sync_client(m, server, max_retries=2)
        with pytest.raises(m.errors.APIConnectionError) as info:
            client._request(direct.ep(m))
        assert type(info.value) is m.errors.APIConnectionError
        assert isinstance(info.value.__cause__, httpx.ConnectError)
        assert info.value.request is server.last
        assert server.calls == 3
        assert len(client.sleeps) == 2

    def test_timeout_retried_then_raised(self, m):
        server = direct.Server(httpx.ReadTimeout)
        client = direct.sync_client(m, server, max_retries=3)
        with pytest.raises(m.errors.APITimeoutError) as info:
            client._request(direct.ep(m))
        assert isinstance(info.value, m.errors.APIConnectionError)
        assert info.value.message == "Request timed out."
        assert server.calls == 4
        assert len(client.sleeps) == 3

    def test_connect_error_then_success(self, m):
        server = direct.Server(httpx.ConnectError, (200, {"json": {"ok": 1}}))
        client = direct.sync_client(m, server)
        assert client._request(direct.ep(m)) == {"ok": 1}
        assert server.calls == 2

    @pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
    def test_retryable_statuses(self, m, status):
        server = direct.Server((status, {"json": {}}), (200, {"json": {"done": True}}))
        client = direct.sync_client(m, server)
        assert client._request(direct.ep(m)) == {"done": True}
        assert server.calls == 2
        assert len(client.sleeps) == 1

    @pytest.mark.parametrize("status", [400, 401, 404, 409, 422])
    def test_non_retryable_statuses(self, m, status):
        server = direct.Server((status, {"json": {}}), (200, {"json": {}}))
        client = direct.sync_client(m, server)
        with pytest.raises(m.errors.APIStatusError):
            client._request(direct.ep(m))
        assert server.calls == 1
        assert client.sleeps == []

    def test_retries_exhausted_raise_status_error(self, m):
        server = direct.Server((503, {"json": {"e": 1}}))
        client = direct.sync_client(m, server, max_retries=2)
        with pytest.raises(m.errors.InternalServerError) as info:
            client._request(direct.ep(m))
        assert info.value.status_code == 503
        assert server.calls == 3

    def test_max_retries_zero(self, m):
        server = direct.Server((503, {"json": {}}), (200, {"json": {}}))
        client = direct.sync_client(m, server, max_retries=0)
        with pytest.raises(m.errors.InternalServerError):
            client._request(direct.ep(m))
        assert server.calls == 1 and client.sleeps == []

        server = direct.Server(httpx.ConnectError)
        client = direct.sync_client(m, server, max_retries=0)
        with pytest.raises(m.errors.APIConnectionError):
            client._request(direct.ep(m))
        assert server.calls == 1 and client.sleeps == []

    def test_negative_max_retries_rejected(self, m):
        with pytest.raises(ValueError):
            direct.sync_client(m, direct.Server(), max_retries=-1)

    def test_backoff_grows_within_jitter_bounds(self, m):
        server = direct.Server((503, {}))
        client = direct.sync_client(m, server, max_retries=6)
        with pytest.raises(m.errors.InternalServerError):
            client._request(direct.ep(m))
        bases = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
        assert len(client.sleeps) == 6
        for delay, base in zip(client.sleeps, bases, strict=True):
            assert 0.75 * base <= delay <= base

    @pytest.mark.parametrize(("rand", "factor"), [(0.0, 1.0), (0.5, 0.875), (0.9999999, 0.75)])
    def test_backoff_exact_values(self, m, monkeypatch, rand, factor):
        monkeypatch.setattr(m.pkg._failures.random, "random", lambda: rand)
        server = direct.Server(httpx.ConnectError)
        client = direct.sync_client(m, server, max_retries=6)
        with pytest.raises(m.errors.APIConnectionError):
            client._request(direct.ep(m))
        expected = [b * factor for b in (0.5, 1.0, 2.0, 4.0, 8.0, 8.0)]
        assert client.sleeps == pytest.approx(expected, rel=1e-6)

    def test_retry_after_seconds(self, m):
        server = direct.Server((429, {"headers": {"Retry-After": "3"}}), (200, {"json": {}}))
        client = direct.sync_client(m, server)
        client._request(direct.ep(m))
        assert client.sleeps == [3.0]

    def test_retry_after_ms_wins(self, m):
        server = direct.Server(
            (503, {"headers": {"retry-after-ms": "1500", "Retry-After": "30"}}),
            (200, {"json": {}}),
        )
        client = direct.sync_client(m, server)
        client._request(direct.ep(m))
        assert client.sleeps == [1.5]

    def test_retry_after_http_date(self, m):
        when = email.utils.formatdate(time.time() + 10, usegmt=True)
        server = direct.Server((503, {"headers": {"Retry-After": when}}), (200, {"json": {}}))
        client = direct.sync_client(m, server)
        client._request(direct.ep(m))
        assert len(client.sleeps) == 1
        assert 8.5 <= client.sleeps[0] <= 10.0

    def test_retry_after_past_http_date_is_zero(self, m):
        when = email.utils.formatdate(time.time() - 100, usegmt=True)
        server = direct.Server((503, {"headers": {"Retry-After": when}}), (200, {"json": {}}))
        client = direct.sync_client(m, server)
        client._request(direct.ep(m))
        assert client.sleeps == [0.0]

    def test_unparsable_retry_after_falls_back_to_backoff(self, m, monkeypatch):
        monkeypatch.setattr(m.pkg._failures.random, "random", lambda: 0.0)
        server = direct.Server((503, {"headers": {"Retry-After": "soon-ish"}}), (200, {"json": {}}))
        client = direct.sync_client(m, server)
        client._request(direct.ep(m))
        assert client.sleeps == [0.5]

    @pytest.mark.parametrize(
        "headers", [{"Retry-After": "120"}, {"retry-after-ms": "61000"}, {"Retry-After": "3600"}]
    )
    def test_retry_after_too_long_is_not_waited_for(self, m, headers):
        server = direct.Server((503, {"headers": headers}), (200, {"json": {}}))
        client = direct.sync_client(m, server)
        with pytest.raises(m.errors.InternalServerError):
            client._request(direct.ep(m))
        assert server.calls == 1
        assert client.sleeps == []

    def test_retry_after_sixty_is_waited_for(self, m):
        server = direct.Server((429, {"headers": {"Retry-After": "60"}}), (200, {"json": {}}))
        client = direct.sync_client(m, server)
        client._request(direct.ep(m))
        assert client.sleeps == [60.0]

    @pytest.mark.parametrize("method", ["POST", "PATCH"])
    def test_post_patch_not_retried_without_idempotency_key(self, m, method):
        server = direct.Server((503, {}), (200, {"json": {}}))
        client = direct.sync_client(m, server)
        with pytest.raises(m.errors.InternalServerError):
            client._request(direct.ep(m, method))
        assert server.calls == 1

        server = direct.Server(httpx.ConnectError, (200, {"json": {}}))
        client = direct.sync_client(m, server)
        with pytest.raises(m.errors.APIConnectionError):
            client._request(direct.ep(m, method))
        assert server.calls == 1

    @pytest.mark.parametrize("method", ["POST", "PATCH"])
    def test_post_patch_retried_with_idempotency_key(self, m, method):
        server = direct.Server((503, {}), (200, {"json": {"ok": True}}))
        client = direct.sync_client(m, server)
        out = client._request(direct.ep(m, method), extra_headers={"Idempotency-Key": "k-1"})
        assert out == {"ok": True}
        assert server.calls == 2
        assert [r.headers["Idempotency-Key"] for r in server.requests] == ["k-1", "k-1"]

    def test_generated_idempotency_key_is_reused_across_retries(self, m):
        server = direct.Server((500, {}), (500, {}), (200, {"json": {}}))
        client = direct.sync_client(m, server)
        endpoint = direct.ep(
            m,
            "POST",
            body=m.Body("application/json", "json"),
            idempotency_header="Idempotency-Key",
        )
        client._request(endpoint, body={"a": 1})
        assert server.calls == 3
        keys = {r.headers["Idempotency-Key"] for r in server.requests}
        assert len(keys) == 1
        assert uuid.UUID(keys.pop()).version == 4
        assert server.bodies == [b'{"a":1}'] * 3

    @pytest.mark.parametrize("method", ["PUT", "DELETE", "HEAD", "OPTIONS"])
    def test_idempotent_methods_retried(self, m, method):
        server = direct.Server((503, {}), (200, {"json": {}}))
        client = direct.sync_client(m, server)
        endpoint = direct.ep(m, method, responses={"200": m.resp.NO_CONTENT})
        client._request(endpoint)
        assert server.calls == 2

    @pytest.mark.parametrize("kind", ["generator", "unseekable file"])
    def test_non_rewindable_body_not_retried(self, m, kind):
        server = direct.Server((503, {}), (200, {"json": {}}))
        client = direct.sync_client(m, server)
        endpoint = direct.ep(m, "PUT", body=m.Body("application/octet-stream", "binary"))

        def chunks():
            yield b"abc"
            yield b"def"

        class Pipe(io.BytesIO):  # a pipe or a socket: it cannot seek
            def seek(self, *args: object) -> int:
                raise io.UnsupportedOperation("seek")

        body = chunks() if kind == "generator" else Pipe(b"abcdef")
        with pytest.raises(m.errors.InternalServerError):
            client._request(endpoint, body=body)
        assert server.calls == 1
        assert server.bodies == [b"abcdef"]

    @pytest.mark.parametrize("aio", [False, True])
    async def test_seekable_file_body_sent_again_from_where_it_was(self, m, aio):
        """A seekable file (on disk, BytesIO) is sent from where it is, and again from
        there on a retry, with the length of what is left; it is left where it was."""
        server = direct.Server((503, {}), (503, {}), (200, {"json": {}}))
        client = (direct.async_client if aio else direct.sync_client)(m, server)
        endpoint = direct.ep(m, "PUT", body=m.Body("application/octet-stream", "binary"))
        body = io.BytesIO(b"headerPAYLOAD" * 10000)
        body.seek(6)
        sent = client._request(endpoint, body=body)
        if aio:
            await sent
        expected = b"PAYLOAD" + b"headerPAYLOAD" * 9999
        assert server.bodies == [expected] * 3
        lengths = {r.headers["Content-Length"] for r in server.requests}
        assert lengths == {str(len(expected))}
        assert all("transfer-encoding" not in r.headers for r in server.requests)
        assert body.tell() == 6

    def test_bytes_binary_body_retried(self, m):
        server = direct.Server((503, {}), (200, {"json": {}}))
        client = direct.sync_client(m, server)
        endpoint = direct.ep(m, "PUT", body=m.Body("application/octet-stream", "binary"))
        client._request(endpoint, body=b"abcdef")
        assert server.bodies == [b"abcdef", b"abcdef"]

    def test_rewindable_multipart_body_retried(self, m):
        """A multipart body made of bytes can be sent twice: a PUT is retried like any other."""
        server = direct.Server((503, {}), (200, {"json": {}}))
        client = direct.sync_client(m, server)
        endpoint = direct.ep(m, "PUT", body=m.Body("multipart/form-data", "multipart"))
        client._request(endpoint, body={"file": b"abc"})
        assert server.calls == 2

    @pytest.mark.parametrize("aio", [False, True])
    async def test_seekable_multipart_files_are_sent_whole_again(self, m, aio):
        """A part's seekable file (a file on disk, BytesIO) is read from its start on
        every send: the retry carries the same body; a file that cannot seek, or a
        closed one, makes the call not retried."""
        server = direct.Server((503, {}), (200, {"json": {}}))
        make = direct.async_client if aio else direct.sync_client
        client = make(m, server)
        endpoint = direct.ep(m, "PUT", body=m.Body("multipart/form-data", "multipart"))
        body = {"file": ("a.bin", io.BytesIO(b"abcdef"), "application/octet-stream")}
        sent = client._request(endpoint, body=body)
        if aio:
            await sent
        assert server.calls == 2
        assert server.bodies[0] == server.bodies[1] and b"abcdef" in server.bodies[0]

        class Unseekable(io.BytesIO):
            def seekable(self) -> bool:
                return False

        server = direct.Server((503, {}), (200, {"json": {}}))
        client = make(m, server)
        with pytest.raises(m.errors.InternalServerError):
            sent = client._request(endpoint, body={"file": Unseekable(b"abc")})
            if aio:
                await sent
        assert server.calls == 1
        closed = io.BytesIO(b"abc")
        closed.close()
        assert not m.bc._is_resendable(("a", closed))
        assert m.bc._is_resendable(("a", "text")) and not m.bc._is_resendable(("a",))

    def test_idempotency_header_endpoint_post_connect_error(self, m):
        server = direct.Server(httpx.ConnectError, (200, {"json": {"ok": 1}}))
        client = direct.sync_client(m, server)
        endpoint = direct.ep(m, "POST", idempotency_header="Idempotency-Key")
        assert client._request(endpoint) == {"ok": 1}
        assert server.calls == 2


class TestAsyncRetries:
    async def test_connect_error_uses_async_sleep(self, m, monkeypatch):
        server = direct.Server(httpx.ConnectError)
        client = direct.async_client(m, server, max_retries=2)
        with pytest.raises(m.errors.APIConnectionError) as info:
            await client._request(direct.ep(m))
        assert type(info.value) is m.errors.APIConnectionError
        assert server.calls == 3
        assert len(client.sleeps) == 2
        assert 0.375 <= client.sleeps[0] <= 0.5
        assert 0.75 <= client.sleeps[1] <= 1.0

    async def test_default_sleep_is_asyncio_sleep(self, m):
        client = m.bc.AsyncAPIClient(
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(direct.Server())),
            **direct._config(m),
        )
        assert client._sleep is asyncio.sleep

    async def test_timeout(self, m):
        server = direct.Server(httpx.ReadTimeout)
        client = direct.async_client(m, server, max_retries=1)
        with pytest.raises(m.errors.APITimeoutError):
            await client._request(direct.ep(m))
        assert server.calls == 2 and len(client.sleeps) == 1

    async def test_status_retry_and_retry_after(self, m):
        server = direct.Server(
            (429, {"headers": {"Retry-After": "3"}}),
            (503, {"headers": {"retry-after-ms": "1500"}}),
            (200, {"json": {"ok": True}}),
        )
        client = direct.async_client(m, server)
        assert await client._request(direct.ep(m)) == {"ok": True}
        assert client.sleeps == [3.0, 1.5]

    async def test_non_retryable_and_long_retry_after(self, m):
        server = direct.Server((404, {"json": {}}))
        client = direct.async_client(m, server)
        with pytest.raises(m.errors.NotFoundError):
            await client._request(direct.ep(m))
        assert server.calls == 1

        server = direct.Server((503, {"headers": {"Retry-After": "61"}}), (200, {"json": {}}))
        client = direct.async_client(m, server)
        with pytest.raises(m.errors.InternalServerError):
            await client._request(direct.ep(m))
        assert server.calls == 1 and client.sleeps == []

    async def test_post_needs_idempotency_key(self, m):
        server = direct.Server((503, {}), (200, {"json": {}}))
        client = direct.async_client(m, server)
        with pytest.raises(m.errors.InternalServerError):
            await client._request(direct.ep(m, "POST"))
        assert server.calls == 1

        server = direct.Server((503, {}), (200, {"json": {"ok": 1}}))
        client = direct.async_client(m, server)
        endpoint = direct.ep(m, "POST", idempotency_header="Idempotency-Key")
        assert await client._request(endpoint) == {"ok": 1}
        assert server.calls == 2
        assert (
            server.requests[0].headers["Idempotency-Key"]
            == server.requests[1].headers["Idempotency-Key"]
        )

    async def test_async_stream_body_not_retried(self, m):
        server = direct.Server((503, {}), (200, {"json": {}}))
        client = direct.async_client(m, server)

        async def chunks():
            yield b"ab"
            yield b"cd"

        endpoint = direct.ep(m, "PUT", body=m.Body("application/octet-stream", "binary"))
        with pytest.raises(m.errors.InternalServerError):
            await client._request(endpoint, body=chunks())
        assert server.calls == 1
        assert server.bodies == [b"abcd"]

    async def test_max_retries_zero(self, m):
        server = direct.Server((500, {}))
        client = direct.async_client(m, server, max_retries=0)
        with pytest.raises(m.errors.InternalServerError):
            await client._request(direct.ep(m))
        assert server.calls == 1 and client.sleeps == []


# -- retries against real local servers --------------------------------------------------

# =========================================================================== retries


class TestRetries:
    @pytest.mark.parametrize("method", ["POST", "PATCH"])
    def test_unsafe_methods_not_repeated_without_idempotency_key(
        self, m: types.SimpleNamespace, serve: Callable[..., servers.LocalServer], method: str
    ) -> None:
        a = serve(lambda h: (503, {}, b"busy"))
        client = servers.sync_client(m, a.url, max_retries=3)
        client._sleep = lambda s: None
        with pytest.raises(m.errors.InternalServerError):
            client._request(servers.ep(m, method))
        assert len(a.seen) == 1

    def test_unsafe_method_retried_with_idempotency_key_same_key(
        self, m: types.SimpleNamespace, serve: Callable[..., servers.LocalServer]
    ) -> None:
        a = serve(lambda h: (503, {}, b"busy"))
        client = servers.sync_client(m, a.url, max_retries=2)
        client._sleep = lambda s: None
        with pytest.raises(m.errors.InternalServerError):
            client._request(servers.ep(m, "POST", idempotency_header="Idempotency-Key"))
        keys = {s.headers["idempotency-key"] for s in a.seen}
        assert len(a.seen) == 3 and len(keys) == 1

    @pytest.mark.parametrize("header", ["61", "3600", "100000000"])
    def test_retry_after_over_cap_is_not_waited_for(
        self, m: types.SimpleNamespace, header: str
    ) -> None:
        calls: list[float] = []
        handler = lambda r: httpx.Response(503, headers={"Retry-After": header})  # noqa: E731
        client = servers.sync_client(
            m,
            "https://api.test",
            httpx.Client(transport=httpx.MockTransport(handler)),
            max_retries=3,
        )
        client._sleep = calls.append
        start = time.monotonic()
        with pytest.raises(m.errors.InternalServerError):
            client._request(servers.ep(m))
        assert calls == []
        assert time.monotonic() - start < 5
        assert m.pkg._failures.MAX_RETRY_AFTER == 60.0

    def test_retry_after_at_cap_is_waited_for(self, m: types.SimpleNamespace) -> None:
        replies = iter(
            [httpx.Response(429, headers={"Retry-After": "60"}), httpx.Response(200, json=1)]
        )
        client = servers.sync_client(
            m,
            "https://api.test",
            httpx.Client(transport=httpx.MockTransport(lambda r: next(replies))),
            max_retries=1,
        )
        calls: list[float] = []
        client._sleep = calls.append
        assert client._request(servers.ep(m)) == 1
        assert calls == [60.0]

    def test_streamed_body_not_retried(
        self, m: types.SimpleNamespace, serve: Callable[..., servers.LocalServer]
    ) -> None:
        a = serve(lambda h: (503, {}, b""))
        client = servers.sync_client(m, a.url, max_retries=3)
        client._sleep = lambda s: None
        body_spec = m.bc.Body("application/octet-stream", "binary")
        with pytest.raises(m.errors.InternalServerError):
            body = iter([b"chunk-1", b"chunk-2"])
            client._request(servers.ep(m, "PUT", body=body_spec), body=body)
        assert len(a.seen) == 1

    @pytest.mark.parametrize("aio", [False, True])
    async def test_file_on_disk_retried_whole(
        self,
        m: types.SimpleNamespace,
        serve: Callable[..., servers.LocalServer],
        tmp_path: Path,
        aio: bool,
    ) -> None:
        """An upload of a file on disk (a PUT: idempotent) is retried, the whole file
        sent each time over a real socket, with its length."""
        a = serve(lambda h: (503, {}, b"") if len(a.seen) < 3 else (204, {}, b""))
        make = servers.async_client if aio else servers.sync_client
        client = make(m, a.url, max_retries=3)
        client._sleep = (lambda s: asyncio.sleep(0)) if aio else (lambda s: None)
        path = tmp_path / "upload.bin"
        path.write_bytes(bytes(range(256)) * 1000)
        body_spec = m.bc.Body("application/octet-stream", "binary")
        with path.open("rb") as body:
            sent = client._request(
                servers.ep(m, "PUT", body=body_spec, responses={"204": m.resp.NO_CONTENT}),
                body=body,
            )
            if aio:
                await sent
        assert [s.body for s in a.seen] == [path.read_bytes()] * 3
        assert {s.headers["content-length"] for s in a.seen} == {"256000"}

    def test_bytes_body_is_retried(
        self, m: types.SimpleNamespace, serve: Callable[..., servers.LocalServer]
    ) -> None:
        a = serve(lambda h: (503, {}, b""))
        client = servers.sync_client(m, a.url, max_retries=2)
        client._sleep = lambda s: None
        with pytest.raises(m.errors.InternalServerError):
            client._request(
                servers.ep(m, "PUT", body=m.bc.Body("application/octet-stream", "binary")),
                body=b"abc",
            )
        assert [s.body for s in a.seen] == [b"abc"] * 3

    async def test_async_retry_sleep_does_not_block_the_event_loop(
        self, m: types.SimpleNamespace, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def no_blocking_sleep(*args: object) -> None:
            raise AssertionError("time.sleep called by the async client")

        monkeypatch.setattr(m.bc.time, "sleep", no_blocking_sleep)
        replies = iter(
            [
                httpx.Response(503, headers={"Retry-After": "0.3"}),
                httpx.Response(200, json={"done": True}),
            ]
        )
        http = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: next(replies)))
        client = servers.async_client(m, "https://api.test", http, max_retries=1)
        assert client._sleep is asyncio.sleep  # the real, non-blocking sleep
        ticks = 0
        stop = asyncio.Event()

        async def ticker() -> None:
            nonlocal ticks
            while not stop.is_set():
                ticks += 1
                await asyncio.sleep(0.01)

        task = asyncio.create_task(ticker())
        start = time.monotonic()
        result = await client._request(servers.ep(m))
        elapsed = time.monotonic() - start
        stop.set()
        await task
        assert result == {"done": True}
        assert elapsed >= 0.25
        assert ticks >= 10  # the loop kept running other tasks during the retry wait

    async def test_async_concurrent_calls_retry_independently(
        self, m: types.SimpleNamespace
    ) -> None:
        calls: dict[str, int] = {}

        def handler(request: httpx.Request) -> httpx.Response:
            key = request.url.path
            calls[key] = calls.get(key, 0) + 1
            if calls[key] == 1:
                return httpx.Response(503, headers={"Retry-After": "0.2"})
            return httpx.Response(200, json=key)

        client = servers.async_client(
            m,
            "https://api.test",
            httpx.AsyncClient(transport=httpx.MockTransport(handler)),
            max_retries=1,
        )
        start = time.monotonic()
        results = await asyncio.gather(
            *(client._request(servers.ep(m, path=f"/p{i}")) for i in range(5))
        )
        assert results == [f"/p{i}" for i in range(5)]
        assert time.monotonic() - start < 0.9  # the five waits overlapped


# -- the generated Archal client ----------------------------------------------------------

# ----------------------------------------------------------- idempotency and retries


@pytest.mark.parametrize("mode", archal.MODES)
async def test_create_session_generates_uuid4_idempotency_key_per_call(
    mode: str,
) -> None:
    server = archal.Server(archal.Reply(body=archal.SESSION_JSON))

    def twice(client: Any) -> Any:
        body = {"clones": ["github"]}
        calls = [client.sessions.create_session(body=body) for _ in range(2)]
        if mode == "sync":
            return calls

        async def gather() -> None:
            for call in calls:
                await call

        return gather()

    await archal.call_api(mode, server, twice)
    keys = [r.headers["idempotency-key"] for r in server.requests]
    assert len(keys) == 2
    for key in keys:
        assert str(uuid.UUID(key)) == key
        assert uuid.UUID(key).version == 4
    assert keys[0] != keys[1]


@pytest.mark.parametrize("mode", archal.MODES)
@pytest.mark.parametrize("given", [None, "caller-key-1"])
async def test_create_session_retries_reuse_the_same_idempotency_key(
    mode: str, given: str | None
) -> None:
    kwargs = {} if given is None else {"idempotency_key": given}
    server = archal.Server(
        archal.Reply(status=503, body={"error": "busy"}, headers={"Retry-After": "1"}),
        archal.Reply(status=429, body={"error": "slow"}, headers={"Retry-After": "2"}),
        archal.Reply(body=archal.SESSION_JSON),
    )
    sleeps: list[float] = []
    result = await archal.call_api(
        mode,
        server,
        lambda c: c.sessions.create_session(body={"clones": ["github"]}, **kwargs),
        sleeps=sleeps,
    )
    archal.check_session(result)
    assert len(server.requests) == 3
    keys = {r.headers["idempotency-key"] for r in server.requests}
    assert len(keys) == 1
    if given is not None:
        assert keys == {given}
    assert sleeps == [1.0, 2.0]
    assert {r.content for r in server.requests} == {b'{"clones":["github"]}'}


@pytest.mark.parametrize("mode", archal.MODES)
async def test_get_retried_on_503_up_to_max_retries(mode: str) -> None:
    from archal_client import errors
    from archal_client.models import ErrorResponse

    server = archal.Server(archal.Reply(status=503, body={"error": "down"}))
    sleeps: list[float] = []
    with pytest.raises(errors.InternalServerError) as info:
        await archal.call_api(mode, server, lambda c: c.results.list_traces(limit=2), sleeps=sleeps)
    assert len(server.requests) == 3
    assert {str(r.url) for r in server.requests} == {f"{archal.BASE}/api/traces?limit=2"}
    assert info.value.status_code == 503
    assert info.value.body == ErrorResponse(error="down")
    # exponential backoff with up to 25% jitter: 0.5s then 1s
    assert len(sleeps) == 2
    assert 0.375 <= sleeps[0] <= 0.5
    assert 0.75 <= sleeps[1] <= 1.0


@pytest.mark.parametrize("mode", archal.MODES)
async def test_retry_honours_retry_after_and_then_succeeds(mode: str) -> None:
    server = archal.Server(
        archal.Reply(status=503, headers={"Retry-After": "2"}),
        archal.Reply(status=500, headers={"retry-after-ms": "250"}),
        archal.Reply(body=archal.SESSION_JSON),
    )
    sleeps: list[float] = []
    result = await archal.call_api(
        mode, server, lambda c: c.sessions.get_session("env_12345"), sleeps=sleeps
    )
    archal.check_session(result)
    assert sleeps == [2.0, 0.25]
    assert len(server.requests) == 3


@pytest.mark.parametrize("mode", archal.MODES)
@pytest.mark.parametrize(("max_retries", "attempts"), [(0, 1), (1, 2), (4, 5)])
async def test_max_retries_bounds_attempts(mode: str, max_retries: int, attempts: int) -> None:
    from archal_client import errors

    server = archal.Server(archal.Reply(status=503, headers={"Retry-After": "0"}))
    sleeps: list[float] = []
    with pytest.raises(errors.InternalServerError):
        await archal.call_api(
            mode,
            server,
            lambda c: c.sessions.delete_session("env_1"),
            sleeps=sleeps,
            max_retries=max_retries,
        )
    assert len(server.requests) == attempts
    assert sleeps == [0.0] * (attempts - 1)


@pytest.mark.parametrize("mode", archal.MODES)
@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.results.ingest_trace(body={"traceId": "t_1"}),
        lambda c: c.auth.create_device_auth_request(),
        lambda c: c.runtime.proxy_clone_post("env_1", "github", "x", body={}),
    ],
    ids=["ingest_trace", "create_device_auth_request", "proxy_clone_post"],
)
async def test_post_without_idempotency_key_is_not_retried(mode: str, call: Any) -> None:
    from archal_client import errors

    server = archal.Server(
        archal.Reply(status=503, body={"error": "down"}, headers={"Retry-After": "0"}),
        archal.Reply(body={"ok": True}),
    )
    sleeps: list[float] = []
    with pytest.raises(errors.InternalServerError):
        await archal.call_api(mode, server, call, sleeps=sleeps)
    assert len(server.requests) == 1
    assert "idempotency-key" not in server.requests[0].headers
    assert sleeps == []


@pytest.mark.parametrize("mode", archal.MODES)
@pytest.mark.parametrize(
    ("status", "retried"),
    [(408, True), (429, True), (500, True), (504, True), (400, False), (409, False)],
)
async def test_which_statuses_are_retried(mode: str, status: int, retried: bool) -> None:
    server = archal.Server(
        archal.Reply(status=status, body={}, headers={"Retry-After": "0"}),
        archal.Reply(body={"traces": []}),
    )
    sleeps: list[float] = []
    try:
        result = await archal.call_api(
            mode, server, lambda c: c.results.list_traces(), sleeps=sleeps
        )
    except Exception as exc:
        from archal_client import errors

        assert isinstance(exc, errors.APIStatusError)
        assert exc.status_code == status
        result = None
    assert len(server.requests) == (2 if retried else 1)
    assert result == ({"traces": []} if retried else None)
    assert sleeps == ([0.0] if retried else [])


@pytest.mark.parametrize("mode", archal.MODES)
async def test_client_error_is_not_retried(mode: str) -> None:
    from archal_client import errors

    server = archal.Server(
        archal.Reply(status=404, body={}), archal.Reply(body=archal.SESSION_JSON)
    )
    sleeps: list[float] = []
    with pytest.raises(errors.NotFoundError):
        await archal.call_api(
            mode, server, lambda c: c.sessions.get_session("env_1"), sleeps=sleeps
        )
    assert len(server.requests) == 1
    assert sleeps == []


@pytest.mark.parametrize("mode", archal.MODES)
async def test_connection_errors_are_retried_then_raised(mode: str) -> None:
    from archal_client import errors

    server = archal.Server(httpx.ConnectError("refused"))
    with pytest.raises(errors.APIConnectionError) as info:
        await archal.call_api(mode, server, lambda c: c.catalog.list_clones())
    assert type(info.value) is errors.APIConnectionError
    assert len(server.requests) == 3

    server = archal.Server(httpx.ReadTimeout("slow"), archal.Reply(body={"clones": []}))
    result = await archal.call_api(mode, server, lambda c: c.catalog.list_clones())
    assert result == {"clones": []}
    assert len(server.requests) == 2

    server = archal.Server(httpx.ReadTimeout("slow"))
    with pytest.raises(errors.APITimeoutError):
        await archal.call_api(mode, server, lambda c: c.catalog.list_clones(), max_retries=0)
    assert len(server.requests) == 1
