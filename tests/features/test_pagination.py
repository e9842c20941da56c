"""Pagination against a real local server that pages four ways (Link header,
`has_more` cursor, offset/limit, page/page_size), sync and async."""

from __future__ import annotations

import asyncio
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from .conftest import HEAD_30, HEAD_31, async_client, build_ir, client, feature_spec, ops

PAGES = feature_spec(
    "pages",
    HEAD_31
    + """\
paths:
  /linked:
    get:
      operationId: list_linked
      tags: [things]
      parameters:
        - {name: per_page, in: query, schema: {type: integer}}
        - {name: page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          headers: {Link: {schema: {type: string}}}
          content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}}}
  /stripe:
    get:
      operationId: list_stripe
      tags: [things]
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: starting_after, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [data, has_more]
                properties:
                  data: {type: array, items: {$ref: '#/components/schemas/Thing'}}
                  has_more: {type: boolean}
  /offset:
    get:
      operationId: list_offset
      tags: [things]
      parameters:
        - {name: offset, in: query, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  results: {type: array, items: {$ref: '#/components/schemas/Thing'}}
                  total: {type: integer}
  /paged:
    get:
      operationId: list_paged
      tags: [things]
      parameters:
        - {name: page, in: query, schema: {type: integer}}
        - {name: page_size, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}}}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        n: {type: integer}
""",
    typecheck="""\
        from collections.abc import AsyncIterator, Iterator
        from feat_pages_client import AsyncClient, Client
        from feat_pages_client.models import Thing

        def use(c: Client, a: AsyncClient) -> None:
            it: Iterator[Thing] = c.things.list_linked_iter(per_page=5)
            ait: AsyncIterator[Thing] = a.things.list_stripe_iter(limit=5)
    """,
)

SIZES = {"/linked": 23, "/stripe": 41, "/offset": 57, "/paged": 30}


class _Handler(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.requests.append(self.path)
        url = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        things = [{"id": f"t{i:03d}", "n": i} for i in range(SIZES[url.path])]
        headers: dict[str, str] = {}
        body: Any
        if url.path == "/linked":
            size, page = int(q.get("per_page", 10)), int(q.get("page", 1))
            body = things[(page - 1) * size : page * size]
            if page * size < len(things):
                nxt = f"http://{self.headers['Host']}/linked?per_page={size}&page={page + 1}"
                headers["Link"] = f'<{nxt}>; rel="next", <{nxt}>; rel="last"'
        elif url.path == "/stripe":
            size = int(q.get("limit", 10))
            start = 0
            if "starting_after" in q:
                start = [t["id"] for t in things].index(q["starting_after"]) + 1
            data = things[start : start + size]
            body = {"data": data, "has_more": start + size < len(things)}
        elif url.path == "/offset":
            offset, limit = int(q.get("offset", 0)), int(q.get("limit", 10))
            body = {"results": things[offset : offset + limit], "total": len(things)}
        else:
            page, size = int(q.get("page", 1)), int(q.get("page_size", 10))
            body = things[(page - 1) * size : page * size]
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("H", (_Handler,), {"requests": seen})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


METHODS = [
    ("list_linked_iter", {"per_page": 5}, 23, 5),
    ("list_stripe_iter", {"limit": 7}, 41, 6),
    ("list_offset_iter", {"limit": 10}, 57, 6),
    ("list_paged_iter", {"page_size": 4}, 30, 8),
]


def _all_items(
    pkg: Any, url: str, seen: list[str], mode: str, method: str, kwargs: Any
) -> list[int]:
    """Every item's `n` from `client.things.<method>(...)`, sync or async; checks that
    nothing is sent before the first item is asked for."""
    if mode == "sync":
        with pkg.Client(base_url=url, max_retries=0) as client:
            iterator = getattr(client.things, method)(**kwargs)
            assert seen == []  # lazy: nothing sent before the first item
            return [t.n for t in iterator]

    async def run() -> list[int]:
        async with pkg.AsyncClient(base_url=url, max_retries=0) as client:
            iterator = getattr(client.things, method)(**kwargs)  # not awaited
            assert seen == []
            return [t.n async for t in iterator]

    return asyncio.run(run())


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("method", "kwargs", "total", "requests"), METHODS)
def test_pagination_yields_every_item_once_in_order(
    package: Any,
    server: tuple[str, list[str]],
    method: str,
    kwargs: Any,
    total: int,
    requests: int,
    mode: str,
) -> None:
    url, seen = server
    assert _all_items(package(PAGES), url, seen, mode, method, kwargs) == list(range(total))
    assert len(seen) == requests


@pytest.mark.parametrize(("method", "kwargs", "total", "requests"), METHODS)
def test_pagination_max_items_stops_without_another_request(
    package: Any,
    server: tuple[str, list[str]],
    method: str,
    kwargs: Any,
    total: int,
    requests: int,
) -> None:
    pkg = package(PAGES)
    url, seen = server
    size = next(iter(kwargs.values()))
    with pkg.Client(base_url=url, max_retries=0) as client:
        first = list(getattr(client.things, method)(max_items=2 * size, **kwargs))
        assert [t.n for t in first] == list(range(2 * size))
        assert len(seen) == 2  # exactly two full pages: no third request
        seen.clear()
        iterator = getattr(client.things, method)(max_items=size + 1, **kwargs)
        assert next(iterator).n == 0
        assert len(seen) == 1  # the next page only when the items run out
        assert len(list(iterator)) == size
        assert len(seen) == 2

    async def run() -> list[int]:
        async with pkg.AsyncClient(base_url=url, max_retries=0) as client:
            it = getattr(client.things, method)(max_items=size, **kwargs)
            return [t.n async for t in it]

    seen.clear()
    assert asyncio.run(run()) == list(range(size))
    assert len(seen) == 1


@pytest.mark.parametrize("method", ["list_stripe_iter", "list_linked_iter"])
def test_pagination_a_repeated_cursor_or_link_stops_with_an_error(
    package: Any, method: str
) -> None:
    """A server that answers every page with the same cursor (or the same next link)
    ends the iteration with `PaginationError` instead of looping forever."""
    import httpx

    pkg = package(PAGES)
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        if request.url.path == "/stripe":
            return httpx.Response(200, json={"data": [{"id": "a", "n": 1}], "has_more": True})
        link = '<https://api.test/linked?page=2>; rel="next"'
        return httpx.Response(200, json=[{"id": "a", "n": 1}], headers={"Link": link})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    pagination = __import__(pkg.__name__ + "._pagination", fromlist=["x"])
    client = pkg.Client(base_url="https://api.test", http_client=http)
    with client, pytest.raises(pagination.PaginationError):
        list(getattr(client.things, method)())
    assert 2 <= len(sent) <= 3  # stopped at the first repeat


@pytest.mark.parametrize("rel", ['rel="next last"', 'REL="next"', 'rel="Next"', "rel=NEXT"])
def test_pagination_link_relations_are_a_case_blind_list(package: Any, rel: str) -> None:
    """RFC 8288: `rel` holds space-separated relation types, its name and the types
    case-insensitive; each of these has a next page (the first page was the last)."""
    import httpx

    pkg = package(PAGES)
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        if "page=2" in str(request.url):
            return httpx.Response(200, json=[{"id": "b", "n": 2}])
        link = f"<https://api.test/linked?page=2>; {rel}"
        return httpx.Response(200, json=[{"id": "a", "n": 1}], headers={"Link": link})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with pkg.Client(base_url="https://api.test", http_client=http) as client:
        assert [t.id for t in client.things.list_linked_iter()] == ["a", "b"]
    assert len(sent) == 2


def test_pagination_inference_can_be_turned_off(tmp_path: Any) -> None:
    """`--no-pagination-inference`: recognised patterns give no `_iter` method."""
    from oagen.cli import main

    spec = PAGES.write_to(tmp_path / "spec")
    out = tmp_path / "out"
    assert main(["generate", str(spec), "-o", str(out), "--no-pagination-inference"]) == 0
    assert "_iter(" not in (out / "resources" / "things.py").read_text(encoding="utf-8")
    assert main(["generate", str(spec), "-o", str(out)]) == 0
    assert "def list_stripe_iter(" in (out / "resources" / "things.py").read_text("utf-8")


KEYED = feature_spec(
    "keyed_pages",
    HEAD_31
    + """\
paths:
  /items:
    get:
      operationId: list_items
      parameters:
        - {name: per_page, in: query, schema: {type: integer}}
        - {name: page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          headers: {Link: {schema: {type: string}}}
          content: {application/json: {schema: {type: array, items: {type: integer}}}}
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: api_key}
security: [{key: []}]
""",
)


def test_pagination_next_link_keeps_its_query_beside_a_query_api_key(package: Any) -> None:
    """A next link's query (its cursor) is sent as written, with the API key of the
    query added (once): httpx's `params` would have replaced the link's query."""
    pkg = package(KEYED)
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if "&page=2" in str(request.url):
            return httpx.Response(200, json=[3])
        link = '<https://api.test/items?per_page=2&page=2&api_key=K>; rel="next"'
        return httpx.Response(200, json=[1, 2], headers={"Link": link})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = pkg.Client(base_url="https://api.test", key="K", http_client=http)
    assert list(client.list_items_iter(per_page=2)) == [1, 2, 3]
    assert seen == [
        "https://api.test/items?api_key=K&per_page=2",
        "https://api.test/items?per_page=2&page=2&api_key=K",
    ]


def _redirected_pages(seen: list[httpx.Request]) -> Callable[[httpx.Request], httpx.Response]:
    """api.test redirects the first page to another origin, whose page links a next
    page there (absolute) and relative, as a CDN's would."""

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.test":
            return httpx.Response(302, headers={"Location": "https://cdn.other/items?p=1"})
        if request.url.params.get("p") == "1":
            link = '<https://cdn.other/items?p=2>; rel="next"'
            return httpx.Response(200, json=[1, 2], headers={"Link": link})
        return httpx.Response(200, json=[3])

    return answer


def test_pagination_a_redirected_page_links_no_credential_to_its_origin(package: Any) -> None:
    """A page redirected to another origin (without credentials) whose next link stays
    there: the link is not followed, so the API key never reaches that origin (it was
    checked against the redirected page's origin, and then sent with the key)."""
    pkg = package(KEYED)
    pagination = __import__(pkg.__name__ + "._pagination", fromlist=["x"])
    seen: list[httpx.Request] = []
    transport = httpx.MockTransport(_redirected_pages(seen))
    http = httpx.Client(transport=transport, follow_redirects=True)
    client = pkg.Client(base_url="https://api.test", key="K-SECRET", http_client=http)
    with client, pytest.raises(pagination.PaginationError, match="another origin"):
        list(client.list_items_iter())
    assert [str(r.url) for r in seen] == [
        "https://api.test/items?api_key=K-SECRET",
        "https://cdn.other/items?p=1",
    ]

    async def run() -> list[httpx.Request]:
        sent: list[httpx.Request] = []
        transport = httpx.MockTransport(_redirected_pages(sent))
        async with pkg.AsyncClient(
            base_url="https://api.test",
            key="K-SECRET",
            http_client=httpx.AsyncClient(transport=transport, follow_redirects=True),
        ) as aclient:
            with pytest.raises(pagination.PaginationError):
                async for _ in aclient.list_items_iter():
                    pass
        return sent

    sent = asyncio.run(run())
    assert [r.url.host for r in sent] == ["api.test", "cdn.other"]
    assert all("K-SECRET" not in str(r.url) for r in sent[1:])


def test_a_page_request_on_another_origin_gets_no_credential(package: Any) -> None:
    """The second guard: a page's next URL that is on another origin than the calls'
    (were a link to one ever followed) is sent without the API key."""
    pkg = package(KEYED)
    pagination = __import__(pkg.__name__ + "._pagination", fromlist=["x"])
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = pkg.Client(base_url="https://api.test", key="K-SECRET", http_client=http)
    for url in ("https://cdn.other/items?p=2", "https://api.test/items?p=2"):
        token = pagination.NEXT_URL.set(url)
        try:
            assert client.list_items() == []
        finally:
            pagination.NEXT_URL.reset(token)
    assert [str(r.url) for r in seen] == [
        "https://cdn.other/items?p=2",
        "https://api.test/items?p=2&api_key=K-SECRET",
    ]


def _list_op(path: str, name: str, page: str, size: str, extra: str = "") -> str:
    """A GET returning an array of strings, paged by the query parameters `page` and
    `size` (each given as `{name: ..., schema: ...}` flow YAML)."""
    return f"""\
  {path}:
    get:
      operationId: {name}{extra}
      parameters:
        - {{in: query, {page}}}
        - {{in: query, {size}}}
      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{type: array, items: {{type: string}}}}}}}}}}}}
"""


FIRST_PAGES = feature_spec(
    "first_pages",
    HEAD_30
    + "paths:\n"
    + _list_op(  # openapi-generator's spring/issue_24719.yaml
        "/from_default",
        "list_from_default",
        "name: page, schema: {type: integer, minimum: 0, default: 0}",
        "name: size, schema: {type: integer, default: 2}",
    )
    + _list_op(
        "/from_minimum",
        "list_from_minimum",
        "name: page, schema: {type: integer, minimum: 0}",
        "name: size, schema: {type: integer}",
    )
    + _list_op(
        "/from_one",
        "list_from_one",
        "name: page, schema: {type: integer}",
        "name: size, schema: {type: integer}",
    )
    + _list_op(
        "/default_over_minimum",
        "list_default_over_minimum",
        "name: page, schema: {type: integer, minimum: 0, default: 1}",
        "name: size, schema: {type: integer}",
    )
    + _list_op(
        "/declared",
        "list_declared",
        "name: p, schema: {type: integer, default: 0}",
        "name: n, schema: {type: integer}",
        "\n      x-oagen-pagination: {style: page, param: p, size_param: n}",
    )
    + _list_op(  # a 1-based start index
        "/offsets",
        "list_offsets",
        "name: offset, schema: {type: integer, minimum: 1, default: 1}",
        "name: limit, schema: {type: integer, default: 2}",
    )
    + _list_op(
        "/offsets_from_zero",
        "list_offsets_from_zero",
        "name: offset, schema: {type: integer}",
        "name: limit, schema: {type: integer}",
    ),
)

LETTERS = ["a", "b", "c", "d", "e"]


def _numbered(
    first: int, sent: list[str], param: str = "page", size: str = "size", step: int = 1
) -> Callable[[httpx.Request], httpx.Response]:
    """A server holding a..e, 2 a page unless asked, whose pages (`step` 1) or offsets
    (`step` 0: an offset counts items) start at `first`: what it answers when `param`
    is not sent."""

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        n = int(request.url.params.get(size, 2))
        at = int(request.url.params.get(param, first)) - first
        start = at * n if step else at
        return httpx.Response(200, json=LETTERS[max(start, 0) : max(start, 0) + n])

    return answer


def test_pagination_first_page_is_the_page_parameters_default_or_minimum(
    tmp_path: Any,
) -> None:
    """The page (or offset) the server answers when none is sent: the parameter's
    `default`, else its `minimum`, else 1 (a page) or 0 (an offset)."""
    found = {name: op.pagination for name, op in ops(build_ir(tmp_path, FIRST_PAGES)).items()}
    assert {name: p.first for name, p in found.items() if p is not None} == {
        "list_from_default": 0,
        "list_from_minimum": 0,
        "list_from_one": 1,
        "list_default_over_minimum": 1,
        "list_declared": 0,
        "list_offsets": 1,
        "list_offsets_from_zero": 0,
    }


@pytest.mark.parametrize(
    ("method", "first", "requests"),
    [
        ("list_from_default_iter", 0, ["?size=2", "?page=1&size=2", "?page=2&size=2"]),
        ("list_from_minimum_iter", 0, ["?size=2", "?page=1&size=2", "?page=2&size=2"]),
        ("list_from_one_iter", 1, ["?size=2", "?page=2&size=2", "?page=3&size=2"]),
    ],
)
def test_pagination_pages_follow_the_first_page_the_server_uses(
    package: Any, method: str, first: int, requests: list[str]
) -> None:
    """openapi-generator's spring/issue_24719.yaml: pages numbered from 0. The first
    request sends no page (the server's default); the next asks for the one after it
    (page 1, not 2: page 1's items were skipped)."""
    pkg = package(FIRST_PAGES)
    sent: list[str] = []
    with client(pkg, _numbered(first, sent)) as c:
        assert list(getattr(c, method)(size=2)) == LETTERS
    path = "/" + method.removeprefix("list_").removesuffix("_iter")
    assert sent == [f"https://api.test{path}{query}" for query in requests]


def test_pagination_an_explicit_first_page_is_sent_and_followed(package: Any) -> None:
    pkg = package(FIRST_PAGES)
    sent: list[str] = []
    with client(pkg, _numbered(0, sent)) as c:
        assert list(c.list_from_default_iter(page=1, size=2)) == ["c", "d", "e"]
    assert sent == [
        "https://api.test/from_default?page=1&size=2",
        "https://api.test/from_default?page=2&size=2",
    ]


def test_pagination_declared_page_parameter_starts_at_its_default(package: Any) -> None:
    """`x-oagen-pagination` names the page parameter; its `default: 0` is the first page."""
    pkg = package(FIRST_PAGES)
    sent: list[str] = []
    with client(pkg, _numbered(0, sent, param="p", size="n")) as c:
        assert list(c.list_declared_iter(n=3)) == LETTERS
    assert sent == ["https://api.test/declared?n=3", "https://api.test/declared?p=1&n=3"]


def test_pagination_offsets_follow_the_offset_parameters_default(package: Any) -> None:
    """A 1-based offset (`default: 1`): the second page starts at 1 + 2 items, not 0 + 2
    (which would repeat `b`); async alike."""
    pkg = package(FIRST_PAGES)
    sent: list[str] = []
    server = _numbered(1, sent, param="offset", size="limit", step=0)
    with client(pkg, server) as c:
        assert list(c.list_offsets_iter(limit=2)) == LETTERS
    expected = [
        "https://api.test/offsets?limit=2",
        "https://api.test/offsets?offset=3&limit=2",
        "https://api.test/offsets?offset=5&limit=2",
    ]
    assert sent == expected

    async def run() -> list[str]:
        async with async_client(pkg, server) as ac:
            return [item async for item in ac.list_offsets_iter(limit=2)]

    sent.clear()
    assert asyncio.run(run()) == LETTERS
    assert sent == expected


def test_pagination_pages_from_zero_async(package: Any) -> None:
    pkg = package(FIRST_PAGES)
    sent: list[str] = []

    async def run() -> list[str]:
        async with async_client(pkg, _numbered(0, sent)) as ac:
            return [item async for item in ac.list_from_default_iter(size=2)]

    assert asyncio.run(run()) == LETTERS
    assert sent == [
        "https://api.test/from_default?size=2",
        "https://api.test/from_default?page=1&size=2",
        "https://api.test/from_default?page=2&size=2",
    ]
