"""OpenAI's published spec (specs/openai-openapi.yaml): the generated client's chat
methods replayed through `httpx.MockTransport`. `create_chat_completion` returns the
typed JSON response; `create_chat_completion_stream` sends `Accept: text/event-stream`
and `"stream": true`, and yields one typed chunk per SSE event until `data: [DONE]`
(recorded bytes, as OpenAI sends them: CRLF-free `data:` lines, blank-line separated)."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from oagen.pipeline import generate_files
from oagen.write import write

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "specs" / "openai-openapi.yaml"
PACKAGE = "openai_client"
BASE = "https://api.openai.com/v1"

# Generating the OpenAI client (1,300 files) takes a few seconds.
pytestmark = pytest.mark.slow


def _chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-AbC123",
        "object": "chat.completion.chunk",
        "created": 1733000000,
        "model": "gpt-4o-mini-2024-07-18",
        "system_fingerprint": "fp_0ba0d124f1",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }


CHUNKS = [
    _chunk({"role": "assistant", "content": "", "refusal": None}),
    _chunk({"content": "Hello"}),
    _chunk({"content": " there"}),
    _chunk({"content": "!"}),
    _chunk({}, "stop"),
]
# What the API sends: one `data:` line per event, `data: [DONE]` last. Anything after
# [DONE] must never be read as an item.
RECORDED = (
    b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in CHUNKS)
    + b"data: [DONE]\n\n"
    + b'data: {"not": "an item"}\n\n'
)
COMPLETION = {
    "id": "chatcmpl-AbC124",
    "object": "chat.completion",
    "created": 1733000001,
    "model": "gpt-4o-mini-2024-07-18",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Hello there!", "refusal": None},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12},
}
REQUEST = {"messages": [{"content": "Say hello", "role": "user"}], "model": "gpt-4o-mini"}


@pytest.fixture(scope="session")
def openai(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """`openai_client` generated from the committed spec into a temp folder, imported."""
    root = tmp_path_factory.mktemp("openai")
    write(root / PACKAGE, generate_files(SPEC, package_name=PACKAGE).files)
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


class Recorder:
    """A MockTransport handler: keeps each request, answers with the canned response."""

    def __init__(self, content: bytes, content_type: str) -> None:
        self.requests: list[httpx.Request] = []
        self._content = content
        self._content_type = content_type

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(
            200, headers={"content-type": self._content_type}, content=self._content
        )


def _client(openai: ModuleType, recorder: Recorder) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    return openai.Client(api_key_auth="sk-test", http_client=http, max_retries=0)


def _request_body() -> Any:
    models = importlib.import_module(f"{PACKAGE}.models")
    return models.CreateChatCompletionRequest(
        messages=[models.ChatCompletionRequestUserMessage(content="Say hello")],
        model="gpt-4o-mini",
    )


def test_openai_chat_stream_yields_typed_chunks_until_done(openai: ModuleType) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    recorder = Recorder(RECORDED, "text/event-stream; charset=utf-8")
    with (
        _client(openai, recorder) as client,
        client.chat.create_chat_completion_stream(body=_request_body()) as stream,
    ):
        chunks = list(stream)
    assert [type(c) for c in chunks] == [models.CreateChatCompletionStreamResponse] * 5
    assert chunks == [models.CreateChatCompletionStreamResponse.from_dict(c) for c in CHUNKS]
    assert [c.choices[0].delta.content for c in chunks[:4]] == ["", "Hello", " there", "!"]
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[1].object_ == "chat.completion.chunk"
    (request,) = recorder.requests
    assert request.method == "POST"
    assert str(request.url) == f"{BASE}/chat/completions"
    assert request.headers["accept"] == "text/event-stream"
    assert request.headers["authorization"] == "Bearer sk-test"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {**REQUEST, "stream": True}


def test_openai_chat_stream_from_plain_dict_body(openai: ModuleType) -> None:
    recorder = Recorder(RECORDED, "text/event-stream")
    with _client(openai, recorder) as client:
        stream = client.chat.create_chat_completion_stream(body=dict(REQUEST))
        contents = [chunk.choices[0].delta.content for chunk in stream]
        stream.close()
    # the last chunk's delta is empty: its content is absent, not null
    assert contents == ["", "Hello", " there", "!", openai.UNSET]
    (request,) = recorder.requests
    assert json.loads(request.content) == {**REQUEST, "stream": True}


def test_openai_chat_json_returns_typed_completion(openai: ModuleType) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    recorder = Recorder(json.dumps(COMPLETION).encode(), "application/json")
    with _client(openai, recorder) as client:
        completion = client.chat.create_chat_completion(body=_request_body())
    assert isinstance(completion, models.CreateChatCompletionResponse)
    assert completion == models.CreateChatCompletionResponse.from_dict(COMPLETION)
    assert completion.choices[0].message.content == "Hello there!"
    assert completion.usage.total_tokens == 12
    (request,) = recorder.requests
    assert request.method == "POST"
    assert str(request.url) == f"{BASE}/chat/completions"
    # what this method can read (DESIGN §4): the 200's JSON, not its stream (that is
    # `create_chat_completion_stream`'s), so a server choosing by `Accept` sends JSON
    assert request.headers["accept"] == "application/json"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["authorization"] == "Bearer sk-test"
    assert json.loads(request.content) == REQUEST  # no `stream` key: the JSON method


async def test_openai_chat_stream_async(openai: ModuleType) -> None:
    recorder = Recorder(RECORDED, "text/event-stream")
    http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    async with openai.AsyncClient(api_key_auth="sk-test", http_client=http) as client:
        stream = await client.chat.create_chat_completion_stream(body=_request_body())
        contents = [chunk.choices[0].delta.content async for chunk in stream]
        await stream.close()
    assert contents == ["", "Hello", " there", "!", openai.UNSET]
    (request,) = recorder.requests
    assert request.headers["accept"] == "text/event-stream"
    assert json.loads(request.content) == {**REQUEST, "stream": True}
