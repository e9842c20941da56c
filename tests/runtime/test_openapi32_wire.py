"""OpenAPI 3.2 on the wire (httpx.MockTransport): the `query` method with its body,
`additionalOperations` sent with their own method, `in: querystring` parameters
written as the whole query string, and nested-tag resources, sync and async."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.e2e._harness import Generated, generated_client

SPEC = """\
openapi: 3.2.0
info: {title: W, version: "1"}
servers: [{url: "https://api.test/v1"}]
tags:
  - {name: pets}
  - {name: toys, parent: pets, summary: Toys of pets}
paths:
  /search:
    query:
      operationId: search
      tags: [pets]
      parameters:
        - name: filter
          in: querystring
          content:
            application/x-www-form-urlencoded:
              schema:
                type: object
                required: [q]
                properties:
                  q: {type: string}
                  tags: {type: array, items: {type: string}}
                  limit: {type: integer, maximum: 50}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {term: {type: string}}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: array, items: {type: string}}}}
  /toys/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    additionalOperations:
      LINK:
        tags: [toys]
        parameters:
          - name: where
            in: querystring
            content: {application/json: {schema: {type: object, properties: {to: {type: string}}}}}
        responses: {"204": {description: linked}}
    get:
      operationId: getToy
      tags: [toys]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}
"""


@pytest.fixture(scope="module")
def w(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    spec = yaml.safe_load(SPEC)
    with generated_client(spec, "wire32_client", tmp_path_factory.mktemp("w32")) as g:
        yield g


class Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, str, bytes]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, str(request.url), request.read()))
        if request.method == "QUERY":
            return httpx.Response(200, json=["found"])
        if request.method == "GET":
            return httpx.Response(200, json={"name": "ball"})
        return httpx.Response(204)


def _client(w: Generated, recorder: Recorder) -> Any:
    return w.pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(recorder)))


def test_query_method_sends_its_body_and_form_querystring(w: Generated) -> None:
    recorder = Recorder()
    client = _client(w, recorder)
    window = w.models.SearchFilter(q="a b&c", tags=["x", "y"])
    assert client.pets.search(filter=window, body={"term": "t"}) == ["found"]
    assert recorder.seen == [
        (
            "QUERY",
            "https://api.test/v1/search?q=a+b%26c&tags=x&tags=y",
            b'{"term":"t"}',
        )
    ]


def test_querystring_and_extra_query_together(w: Generated) -> None:
    recorder = Recorder()
    client = _client(w, recorder)
    client.pets.search(filter={"q": "z"}, body={}, extra_query={"trace": "1"})
    assert recorder.seen[0][1] == "https://api.test/v1/search?q=z&trace=1"


def test_querystring_is_checked_before_sending(w: Generated) -> None:
    recorder = Recorder()
    client = _client(w, recorder)
    with pytest.raises(w.errors.RequestValidationError):
        client.pets.search(filter=w.models.SearchFilter(q="z", limit=51), body={})
    assert recorder.seen == []


def test_additional_operation_sends_its_method_and_json_querystring(w: Generated) -> None:
    recorder = Recorder()
    client = _client(w, recorder)
    assert client.pets.toys.link_toys_id("7", where={"to": "box 1"}) is None
    assert client.pets.toys.link_toys_id("8") is None
    assert recorder.seen == [
        ("LINK", "https://api.test/v1/toys/7?%7B%22to%22%3A%22box%201%22%7D", b""),
        ("LINK", "https://api.test/v1/toys/8", b""),
    ]


def test_nested_resources_sync_raw_and_async(w: Generated) -> None:
    recorder = Recorder()
    client = _client(w, recorder)
    assert client.pets.toys.get_toy("1").name == "ball"
    raw = client.with_raw_response.pets.toys.get_toy("2")
    assert raw.status_code == 200 and raw.parse().name == "ball"
    assert client.pets.toys is client.pets.toys  # one resource object per client

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
        async with w.pkg.AsyncClient(http_client=http) as aclient:
            assert (await aclient.pets.toys.get_toy("3")).name == "ball"
            assert await aclient.pets.search(filter={"q": "q"}, body={}) == ["found"]
            raw = await aclient.with_raw_response.pets.toys.get_toy("4")
            assert raw.status_code == 200

    asyncio.run(main())
    assert [(m, u) for m, u, _ in recorder.seen] == [
        ("GET", "https://api.test/v1/toys/1"),
        ("GET", "https://api.test/v1/toys/2"),
        ("GET", "https://api.test/v1/toys/3"),
        ("QUERY", "https://api.test/v1/search?q=q"),
        ("GET", "https://api.test/v1/toys/4"),
    ]


def test_query_is_retried_like_other_idempotent_methods(w: Generated) -> None:
    calls: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) == 1:
            return httpx.Response(503, headers={"retry-after": "0"})
        return httpx.Response(200, json=[])

    http = httpx.Client(transport=httpx.MockTransport(flaky))
    client = w.pkg.Client(http_client=http, max_retries=1)
    assert client.pets.search(filter={"q": "q"}, body={}) == []
    assert calls == ["QUERY", "QUERY"]


def test_client_has_only_top_level_resources(w: Generated, tmp_path: Path) -> None:
    client = w.pkg.Client()
    assert hasattr(client, "pets") and not hasattr(client, "toys")
