"""Generated stream methods against a real streaming server (Starlette
`StreamingResponse` under uvicorn, started here): the same chat/events API in OpenAPI
3.1 (`schema`: an item is the event's JSON data) and 3.2 (`itemSchema`: an item is the
event), sync and async. The server sends item k+1 only once the client reported item k
(a bounded wait), so passing shows each item arrived before the stream ended."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.e2e._harness import Generated, generated_client, mypy_strict, serve_asgi

HERE = Path(__file__).parent
GATE_SECONDS = 10.0


class Gate:
    """What the client reported receiving; the server waits (bounded) for it."""

    def __init__(self) -> None:
        self.received: list[Any] = []
        self.waited_out = 0
        self.queries: list[str] = []  # the query strings of QUERY / PURGE requests

    async def wait_for(self, count: int) -> None:
        for _ in range(int(GATE_SECONDS / 0.01)):
            if len(self.received) >= count:
                return
            await asyncio.sleep(0.01)
        self.waited_out += 1


def make_app(gate: Gate) -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import (
        JSONResponse,
        PlainTextResponse,
        Response,
        StreamingResponse,
    )
    from starlette.routing import Route

    async def chat(request: Request) -> Any:
        body = await request.json()
        if not body.get("stream"):
            return JSONResponse({"id": "c1", "content": "hello world"})
        assert request.headers["accept"] == "text/event-stream"

        async def events() -> AsyncIterator[bytes]:
            for k, word in enumerate(["hel", "lo", " world"]):
                await gate.wait_for(k)
                chunk = {"id": "c1", "choices": [{"delta": {"content": word}}]}
                yield f"data: {json.dumps(chunk)}\n\n".encode()
            await gate.wait_for(3)
            yield b"data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    async def watch(request: Request) -> Any:
        since = int(request.query_params.get("since", "0"))

        async def events() -> AsyncIterator[bytes]:
            yield b": keep-alive\r\n\r\n"
            for k in range(3):
                await gate.wait_for(k)
                yield f'event: tick\r\nid: {since + k}\r\ndata: {{"n": {since + k}}}\r\n\r\n'.encode()

        return StreamingResponse(events(), media_type="text/event-stream")

    async def ticks(request: Request) -> Any:
        async def lines() -> AsyncIterator[bytes]:
            for k in range(3):
                await gate.wait_for(k)
                yield f'{{"n": {k}}}\n'.encode()

        return StreamingResponse(lines(), media_type="application/jsonl")

    async def search(request: Request) -> Any:
        # 3.2: a QUERY request, its whole query string one (form) parameter
        gate.queries.append(request.url.query)
        body = await request.json()
        params = request.query_params
        low, high = int(params["from"]), int(params.get("to", "10"))
        found = [{"n": n} for n in range(low, high) if n >= body["min"]]
        return JSONResponse([*found, *({"n": -1} for _ in params.getlist("labels"))])

    async def purge(request: Request) -> Any:
        gate.queries.append(f"{request.method} {request.path_params['n']}")
        return Response(status_code=204)

    async def probe(request: Request) -> Any:
        return PlainTextResponse("streams-e2e")

    return Starlette(
        routes=[
            Route("/chat/completions", chat, methods=["POST"]),
            Route("/events", watch),
            Route("/ticks", ticks),
            Route("/ticks/search", search, methods=["QUERY"]),
            Route("/ticks/{n}", purge, methods=["PURGE"]),
            Route("/", probe),
        ]
    )


@pytest.fixture(scope="module")
def gate() -> Gate:
    return Gate()


@pytest.fixture(scope="module")
def server(gate: Gate) -> Iterator[str]:
    with serve_asgi(make_app(gate), "/", lambda r: r.text == "streams-e2e", "streams") as url:
        yield url


@pytest.fixture(scope="module", params=["31", "32"])
def gen(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    spec = yaml.safe_load((HERE / f"chat{request.param}.yaml").read_text(encoding="utf-8"))
    with generated_client(spec, f"chat{request.param}_client", tmp_path_factory.mktemp("s")) as g:
        yield request.param, g


@pytest.fixture(scope="module")
def gen32(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    spec = yaml.safe_load((HERE / "chat32.yaml").read_text(encoding="utf-8"))
    with generated_client(spec, "chat32x_client", tmp_path_factory.mktemp("q")) as g:
        yield g


def _text(version: str, item: Any) -> str:
    chunk = item.data if version == "32" else item
    return str(chunk.choices[0].delta.content)


def test_chat_json_and_stream_methods_sync(
    gen: tuple[str, Generated], server: str, gate: Gate
) -> None:
    version, g = gen
    gate.received.clear()
    with g.pkg.Client(base_url=server) as client:
        assert client.chat.create_chat_completion(body={"model": "m"}).content == "hello world"
        stream = client.chat.create_chat_completion_stream(body={"model": "m"})
        with stream:
            for item in stream:
                gate.received.append(_text(version, item))
        assert stream.response.is_closed
    assert gate.received == ["hel", "lo", " world"]
    assert gate.waited_out == 0


async def test_chat_stream_async(gen: tuple[str, Generated], server: str, gate: Gate) -> None:
    version, g = gen
    gate.received.clear()
    async with g.pkg.AsyncClient(base_url=server) as client:
        stream = await client.chat.create_chat_completion_stream(body={"model": "m"})
        async for item in stream:
            gate.received.append(_text(version, item))
    assert gate.received == ["hel", "lo", " world"]
    assert gate.waited_out == 0


def test_events_and_json_lines(gen: tuple[str, Generated], server: str, gate: Gate) -> None:
    version, g = gen
    with g.pkg.Client(base_url=server) as client:
        gate.received.clear()
        for item in client.events.watch_events(since=5):
            gate.received.append(item)
        if version == "32":  # the event, its data decoded through contentSchema
            assert [(e.event, e.id, e.data.n) for e in gate.received] == [
                ("tick", "5", 5),
                ("tick", "6", 6),
                ("tick", "7", 7),
            ]
            assert gate.received[0].retry is g.pkg.UNSET
        else:  # the event's data
            assert [t.n for t in gate.received] == [5, 6, 7]
        gate.received.clear()
        for tick in client.events.list_ticks():
            gate.received.append(tick.n)
        assert gate.received == [0, 1, 2]
    assert gate.waited_out == 0


async def test_async_json_lines(gen: tuple[str, Generated], server: str, gate: Gate) -> None:
    _, g = gen
    gate.received.clear()
    async with g.pkg.AsyncClient(base_url=server) as client:
        stream = await client.events.list_ticks()
        async with stream:
            async for tick in stream:
                gate.received.append(tick.n)
    assert gate.received == [0, 1, 2]


def test_stream_error_status_is_typed(gen: tuple[str, Generated]) -> None:
    _, g = gen

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"message": "bad model"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = g.pkg.Client(base_url="http://api.test", http_client=http)
    with pytest.raises(g.errors.BadRequestError) as info:
        client.chat.create_chat_completion_stream(body={"model": "m"})
    assert "bad model" in str(info.value)


def test_stream_sends_the_stream_flag_and_accept(gen: tuple[str, Generated]) -> None:
    _, g = gen
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=b"")

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with g.pkg.Client(base_url="http://api.test", http_client=http) as client:
        body = g.models.CreateChatCompletionRequest(model="m")
        assert list(client.chat.create_chat_completion_stream(body=body)) == []
    assert json.loads(seen[0].content) == {"model": "m", "stream": True}
    assert seen[0].headers["accept"] == "text/event-stream"


def test_json_method_of_a_streamed_operation_accepts_json_only(
    gen: tuple[str, Generated],
) -> None:
    """`create_chat_completion` cannot read a stream: a server choosing by `Accept`
    must answer it with JSON."""
    _, g = gen
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "c1", "content": "hi"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with g.pkg.Client(base_url="http://api.test", http_client=http) as client:
        client.chat.create_chat_completion(body={"model": "m"})
    assert seen[0].headers["accept"] == "application/json"
    assert json.loads(seen[0].content) == {"model": "m"}


def test_diff_json_to_stream_is_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from oagen.cli import main

    old = yaml.safe_load((HERE / "chat31.yaml").read_text(encoding="utf-8"))
    new = yaml.safe_load((HERE / "chat31.yaml").read_text(encoding="utf-8"))
    content = new["paths"]["/ticks"]["get"]["responses"]["200"]["content"]
    old["paths"]["/ticks"]["get"]["responses"]["200"]["content"] = {
        "application/json": content["application/jsonl"]
    }
    paths = []
    for name, spec in (("old", old), ("new", new)):
        (tmp_path / name).mkdir()
        path = tmp_path / name / "chat.yaml"
        path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        paths.append(str(path))
    assert main(["diff", *paths, "--fail-on-breaking"]) == 1
    out = capsys.readouterr().out
    assert "list_ticks" in out and "Stream[Tick]" in out


def test_query_method_and_querystring_sync(server: str, gate: Gate, gen32: Generated) -> None:
    models = gen32.models
    window = models.SearchTicksWindow(from_=2, to=6, labels=["a b"])
    with gen32.pkg.Client(base_url=server) as client:
        gate.queries.clear()
        ticks = client.events.history.search_ticks(window=window, body={"min": 3})
        assert [t.n for t in ticks] == [3, 4, 5, -1]
        assert client.events.history.purge_tick(7) is None
        raw = client.with_raw_response.events.history.search_ticks(
            window=models.SearchTicksWindow(from_=0), body=models.SearchTicksBody(min=9)
        )
        assert raw.status_code == 200 and [t.n for t in raw.parse()] == [9]
    assert gate.queries == ["from=2&to=6&labels=a+b", "PURGE 7", "from=0"]


async def test_query_method_and_querystring_async(
    server: str, gate: Gate, gen32: Generated
) -> None:
    async with gen32.pkg.AsyncClient(base_url=server) as client:
        gate.queries.clear()
        window = gen32.models.SearchTicksWindow(from_=8)
        ticks = await client.events.history.search_ticks(window=window, body={"min": 0})
        assert [t.n for t in ticks] == [8, 9]
        assert await client.events.history.purge_tick(1) is None
    assert gate.queries == ["from=8", "PURGE 1"]


USAGE_32 = """\
from chat32x_client import AsyncClient, Client
from chat32x_client.models import SearchTicksBody, SearchTicksWindow, Tick


def sync_calls(client: Client) -> list[Tick]:
    client.events.history.purge_tick(1)
    window = SearchTicksWindow(from_=1, labels=["x"])
    return client.events.history.search_ticks(window=window, body=SearchTicksBody(min=0))


async def async_calls(client: AsyncClient) -> list[Tick]:
    await client.events.history.purge_tick(1)
    return await client.events.history.search_ticks(
        window=SearchTicksWindow(from_=1), body={"min": 0}
    )
"""


@pytest.mark.slow
def test_openapi_32_package_type_checks(gen32: Generated) -> None:
    (gen32.root / "usage_32.py").write_text(USAGE_32, encoding="utf-8")
    proc = mypy_strict(gen32.root, "chat32x_client", "usage_32.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_positional_encoding_of_named_parts_is_an_error_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from oagen.cli import main

    spec = yaml.safe_load((HERE / "chat32.yaml").read_text(encoding="utf-8"))
    parts = {"type": "array", "items": {"type": "string", "contentMediaType": "image/png"}}
    spec["paths"]["/upload"] = {
        "post": {
            "operationId": "upload",
            "requestBody": {
                "content": {
                    "multipart/form-data": {
                        "schema": parts,
                        "itemEncoding": {"contentType": "image/png"},
                    }
                }
            },
            "responses": {"204": {"description": "ok"}},
        }
    }
    path = tmp_path / "chat.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    assert main(["generate", str(path), "-o", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    text = captured.out + captured.err
    # 3.2 positional encodings are generated (tests/features/test_multipart_encoding.py),
    # but multipart/form-data parts are named: `itemEncoding` cannot apply there
    assert "`itemEncoding` encodes parts by position" in text
    assert "chat.yaml:" in text
    assert "#/paths/~1upload/post/requestBody/content/multipart~1form-data/itemEncoding" in text
    assert not (tmp_path / "out").exists()
