"""The request path of the runtime: one `httpx.Request` per call, built by the
`httpx.Client`'s `build_request`, sent as it is (retries included), and what the wire
then carries, exactly; each `Endpoint`'s layout worked out once.

Driven through `httpx.MockTransport` with the generated Archal client (fixture
`archal_package`) and with hand-built `Endpoint`s; retries never really sleep.
"""

from __future__ import annotations

import ast
import types
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

TOKEN = "tok_archal"
SESSION = {
    "sessionId": "env_1",
    "status": "running",
    "cloneIds": ["github"],
    "endpoints": {"github": "https://env.archal.test/github"},
    "apiBaseUrls": {"github": "https://env.archal.test/github/api"},
    "createdAt": "2025-01-01T00:00:00Z",
    "expiresAt": "2025-01-01T01:00:00Z",
}
MODES = ("sync", "async")


@pytest.fixture(scope="module")
def m(archal_package: Path) -> types.SimpleNamespace:
    import archal_client
    from archal_client import _auth, _base_client, _request, _response, _serde, errors
    from archal_client.resources import sessions

    return types.SimpleNamespace(
        pkg=archal_client,
        auth=_auth,
        bc=_base_client,
        request=_request,
        resp=_response,
        serde=_serde,
        errors=errors,
        sessions=sessions,
    )


class Recorder:
    """A MockTransport handler answering `replies` in order (the last repeats), and a
    request event hook; both record the request they see and what its body reads."""

    def __init__(self, *replies: tuple[int, Any]) -> None:
        self.replies = list(replies) or [(200, SESSION)]
        self.sent: list[httpx.Request] = []
        self.hooked: list[httpx.Request] = []
        self.hook_contents: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        status, payload = self.replies[min(len(self.sent), len(self.replies)) - 1]
        return httpx.Response(status, json=payload)

    def hook(self, request: httpx.Request) -> None:
        self.hooked.append(request)
        self.hook_contents.append(request.content)  # as plain httpx allows

    async def async_hook(self, request: httpx.Request) -> None:
        self.hook(request)


async def call(
    mode: str,
    recorder: Recorder,
    operation: Callable[[Any], Any],
    *,
    count_builds: list[httpx.Request] | None = None,
    **http_kwargs: Any,
) -> Any:
    """`operation(client)` on a sync or async Archal client sending through `recorder`
    (its hook registered on the `httpx` client); every `build_request` result is
    appended to `count_builds`."""
    transport = httpx.MockTransport(recorder)
    if mode == "sync":
        http: Any = httpx.Client(
            transport=transport, event_hooks={"request": [recorder.hook]}, **http_kwargs
        )
    else:
        http = httpx.AsyncClient(
            transport=transport, event_hooks={"request": [recorder.async_hook]}, **http_kwargs
        )
    if count_builds is not None:
        build = http.build_request

        def counting(*args: Any, **kwargs: Any) -> httpx.Request:
            count_builds.append(build(*args, **kwargs))
            return count_builds[-1]

        http.build_request = counting
    from archal_client import AsyncClient, Client

    if mode == "sync":
        with Client(http_client=http, archal_token=TOKEN) as client:
            client._sleep = lambda delay: None
            return operation(client)

    async def no_sleep(delay: float) -> None:
        return None

    async with AsyncClient(http_client=http, archal_token=TOKEN) as aclient:
        aclient._sleep = no_sleep
        return await operation(aclient)


def create_body(m: types.SimpleNamespace) -> Any:
    return m.pkg.models.CreateSessionRequest(clones=["github"], ttl_seconds=60)


# ======================================================== event hooks see the body


@pytest.mark.parametrize("mode", MODES)
async def test_request_hook_reads_json_body(m: types.SimpleNamespace, mode: str) -> None:
    """Issue 12 item 1: a request hook on the user's `httpx` client reads
    `request.content` of a JSON body (it raised `RequestNotRead` when the runtime
    rebuilt the request from its stream)."""
    recorder = Recorder()
    await call(mode, recorder, lambda c: c.sessions.create_session(body=create_body(m)))
    expected = b'{"clones":["github"],"ttlSeconds":60}'
    assert recorder.hook_contents == [expected]
    assert recorder.sent[0].content == expected
    # the hook saw the very request the transport received
    assert recorder.hooked[0] is recorder.sent[0]


@pytest.mark.parametrize("mode", MODES)
async def test_request_hook_reads_body_on_every_retry(m: types.SimpleNamespace, mode: str) -> None:
    recorder = Recorder((503, {"error": "busy"}), (200, SESSION))
    await call(mode, recorder, lambda c: c.sessions.create_session(body=create_body(m)))
    assert len(recorder.hook_contents) == 2
    assert recorder.hook_contents[0] == recorder.hook_contents[1] != b""


# ======================================================== built once, sent as built


@pytest.mark.parametrize("mode", MODES)
async def test_one_request_built_per_call_and_resent_on_retry(
    m: types.SimpleNamespace, mode: str
) -> None:
    built: list[httpx.Request] = []
    recorder = Recorder((503, {}), (502, {}), (200, SESSION))
    result = await call(
        mode,
        recorder,
        lambda c: c.sessions.create_session(body=create_body(m)),
        count_builds=built,
    )
    assert result.session_id == "env_1"
    assert len(built) == 1
    assert len(recorder.sent) == 3
    assert all(request is built[0] for request in recorder.sent)
    keys = {request.headers["Idempotency-Key"] for request in recorder.sent}
    assert len(keys) == 1
    assert uuid.UUID(keys.pop()).version == 4


@pytest.mark.parametrize("mode", MODES)
async def test_get_session_wire_request_exactly(m: types.SimpleNamespace, mode: str) -> None:
    recorder = Recorder()
    result = await call(mode, recorder, lambda c: c.sessions.get_session("env 1/x"))
    assert result.session_id == "env_1"
    [request] = recorder.sent
    assert request.method == "GET"
    assert str(request.url) == "https://archal.ai/api/sessions/env%201%2Fx"
    assert request.headers.multi_items() == [
        ("host", "archal.ai"),
        ("connection", "keep-alive"),
        ("user-agent", "archal_client/0.3.0 (oagen)"),
        ("accept-encoding", "gzip, deflate"),  # what the client decodes within limits
        ("authorization", f"Bearer {TOKEN}"),
        ("accept", "application/json"),
    ]
    assert request.content == b""
    assert request.extensions["timeout"] == httpx.Timeout(60.0).as_dict()


@pytest.mark.parametrize("mode", MODES)
async def test_create_session_wire_request_exactly(m: types.SimpleNamespace, mode: str) -> None:
    recorder = Recorder()
    await call(
        mode,
        recorder,
        lambda c: c.sessions.create_session(
            body={"clones": ["github"]},
            idempotency_key="key-1",
            extra_headers={"X-Trace": "t1"},
            extra_query={"debug": True},
            timeout=5.0,
        ),
    )
    [request] = recorder.sent
    assert request.method == "POST"
    assert str(request.url) == "https://archal.ai/api/sessions?debug=true"
    assert request.headers.multi_items() == [
        ("host", "archal.ai"),
        ("connection", "keep-alive"),
        ("user-agent", "archal_client/0.3.0 (oagen)"),
        ("accept-encoding", "gzip, deflate"),  # what the client decodes within limits
        ("authorization", f"Bearer {TOKEN}"),
        ("accept", "application/json"),
        ("idempotency-key", "key-1"),
        ("x-trace", "t1"),
        ("content-type", "application/json"),
        ("content-length", "21"),
    ]
    assert request.content == b'{"clones":["github"]}'
    assert request.extensions["timeout"] == httpx.Timeout(5.0).as_dict()


@pytest.mark.parametrize("mode", MODES)
async def test_http_client_headers_params_and_cookies_still_apply(
    m: types.SimpleNamespace, mode: str
) -> None:
    """What the user's `httpx` client carries is merged in by its `build_request`;
    the call's own headers win."""
    recorder = Recorder()
    await call(
        mode,
        recorder,
        lambda c: c.sessions.get_session("env_1"),
        headers={"X-Client": "c", "User-Agent": "theirs"},
        params={"tenant": "t"},
        cookies={"jar": "v"},
    )
    [request] = recorder.sent
    assert str(request.url) == "https://archal.ai/api/sessions/env_1?tenant=t"
    assert request.headers["x-client"] == "c"
    assert request.headers["user-agent"] == "archal_client/0.3.0 (oagen)"
    assert request.headers["cookie"] == "jar=v"


@pytest.mark.parametrize("mode", MODES)
async def test_headers_of_calls_with_and_without_a_body_alike(
    m: types.SimpleNamespace, mode: str
) -> None:
    """A body-less call's headers are put over the `httpx` client's own after
    `build_request` (a fraction of the cost of httpx's merge); a call with a body
    passes them to `build_request`. Both give the same headers in the same order,
    names as written."""
    recorder = Recorder()
    theirs = {"X-Client": "c", "user-agent": "theirs", "Accept": "*/*"}
    await call(mode, recorder, lambda c: c.sessions.get_session("env_1"), headers=theirs)
    await call(
        mode,
        recorder,
        lambda c: c.sessions.create_session(body={"clones": ["github"]}, idempotency_key="k"),
        headers=theirs,
    )
    get, post = recorder.sent
    expected = [
        (b"Host", b"archal.ai"),
        (b"Connection", b"keep-alive"),
        (b"X-Client", b"c"),
        (b"User-Agent", b"archal_client/0.3.0 (oagen)"),
        (b"Accept-Encoding", b"gzip, deflate"),
        (b"Authorization", f"Bearer {TOKEN}".encode()),
        (b"Accept", b"application/json"),
    ]
    assert get.headers.raw == expected
    of_the_body = {b"idempotency-key", b"content-type", b"content-length"}
    assert [item for item in post.headers.raw if item[0].lower() not in of_the_body] == (expected)


# ======================================================== with hand-built endpoints


def sync_client(
    m: types.SimpleNamespace, handler: Callable[[httpx.Request], httpx.Response], **config: Any
) -> Any:
    options: dict[str, Any] = dict(
        base_url="https://api.test/v1",
        security_schemes={},
        credentials={},
        timeout=5.0,
        max_retries=0,
        default_headers=None,
        user_agent="tests/1",
    )
    options.update(config)
    return m.bc.SyncAPIClient(
        http_client=httpx.Client(transport=httpx.MockTransport(handler)), **options
    )


def endpoint(m: types.SimpleNamespace, path: str, *params: Any, **kw: Any) -> Any:
    kw.setdefault("responses", {"200": m.resp.json_response(m.serde.any_)})
    return m.bc.Endpoint(method=kw.pop("method", "GET"), path=path, params=params, **kw)


def param(m: types.SimpleNamespace, name: str, location: str, **kw: Any) -> Any:
    kw.setdefault("style", "form" if location in ("query", "cookie") else "simple")
    kw.setdefault("explode", location in ("query", "cookie"))
    return m.bc.Param(name=name, location=location, python_name=name.lower(), **kw)


def ok(seen: list[httpx.Request]) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    return handler


def test_route_is_worked_out_once_per_endpoint(m: types.SimpleNamespace) -> None:
    e = endpoint(
        m,
        "/orgs/{org}/items/{item}.json",
        param(m, "item", "path"),
        param(m, "q", "query", checks={"max_length": 3}),
        param(m, "org", "path"),
        param(m, "X-Flag", "header"),
        param(m, "sid", "cookie"),
    )
    route = e.route
    assert e.route is route  # cached on the endpoint
    assert [p if isinstance(p, str) else p.param.name for p in route.path] == [
        "/orgs/",
        "org",
        "/items/",
        "item",
        ".json",
    ]
    assert [(s.index, s.param.name) for s in route.query] == [(1, "q")]
    assert [(s.index, s.param.name) for s in route.headers] == [(3, "X-Flag")]
    assert [(s.index, s.param.name) for s in route.cookies] == [(4, "sid")]
    assert [s.param.name for s in route.checked] == ["q"]
    assert route.is_idempotent
    assert not endpoint(m, "/x", method="POST").route.is_idempotent


def test_every_parameter_location_on_the_wire(m: types.SimpleNamespace) -> None:
    seen: list[httpx.Request] = []
    client = sync_client(m, ok(seen))
    e = endpoint(
        m,
        "/orgs/{org}/items/{item}",
        param(m, "item", "path"),
        param(m, "q", "query"),
        param(m, "org", "path"),
        param(m, "X-Flag", "header"),
        param(m, "sid", "cookie"),
    )
    for _ in range(2):  # the second call uses the cached route
        client._request(e, ("a/b", ["x", "y"], "..", True, "s1"))
    first, second = seen
    assert str(first.url) == "https://api.test/v1/orgs/%2E%2E/items/a%2Fb?q=x&q=y"
    assert first.headers["x-flag"] == "true"
    assert first.headers["cookie"] == "sid=s1"
    assert (str(second.url), second.headers.multi_items()) == (
        str(first.url),
        first.headers.multi_items(),
    )


def test_unset_and_unknown_path_placeholders_keep_their_text(m: types.SimpleNamespace) -> None:
    seen: list[httpx.Request] = []
    client = sync_client(m, ok(seen))
    e = endpoint(m, "/a/{known}/{unknown}", param(m, "known", "path"))
    client._request(e, (m.pkg.UNSET,))
    assert seen[0].url.raw_path == b"/v1/a/%7Bknown%7D/%7Bunknown%7D"


def test_checks_run_before_anything_is_built(m: types.SimpleNamespace) -> None:
    seen: list[httpx.Request] = []
    client = sync_client(m, ok(seen))
    e = endpoint(m, "/x", param(m, "q", "query", checks={"max_length": 2}))
    with pytest.raises(m.errors.RequestValidationError, match="q"):
        client._request(e, ("long",))
    assert seen == []


def test_credentials_per_security_requirement(m: types.SimpleNamespace) -> None:
    """Worked out once per requirement and client; `security: []` sends none, even
    after another operation of the client sent them."""
    seen: list[httpx.Request] = []
    client = sync_client(
        m,
        ok(seen),
        security_schemes={
            "bearer": m.bc.HttpBearer(),
            "key": m.bc.ApiKey(location="query", name="api_key"),
            "jar": m.bc.ApiKey(location="cookie", name="session"),
        },
        credentials={"bearer": "tok-123456", "key": "k-123456", "jar": "c-123456"},
    )
    secured = endpoint(m, "/s", security=(("missing",), ("bearer", "key", "jar")))
    public = endpoint(m, "/p")
    client._request(secured)
    client._request(public)
    client._request(secured)
    first, plain, again = seen
    assert str(first.url) == "https://api.test/v1/s?api_key=k-123456"
    assert first.headers["authorization"] == "Bearer tok-123456"
    assert first.headers["cookie"] == "session=c-123456"
    assert "authorization" not in plain.headers
    assert "cookie" not in plain.headers
    assert str(plain.url) == "https://api.test/v1/p"
    assert again.headers.multi_items() == first.headers.multi_items()
    assert str(again.url) == str(first.url)


def test_query_key_hidden_in_repr_of_the_sent_request(m: types.SimpleNamespace) -> None:
    seen: list[httpx.Request] = []
    client = sync_client(
        m,
        ok(seen),
        security_schemes={"key": m.bc.ApiKey(location="query", name="api_key")},
        credentials={"key": "k-secret-1"},
    )
    e = endpoint(
        m,
        "/s",
        method="POST",
        security=(("key",),),
        body=m.bc.Body(media_type="application/json", kind="json"),
    )
    client._request(e, body={"a": 1})
    [request] = seen
    assert "k-secret-1" not in repr(request)
    assert request.url.params["api_key"] == "k-secret-1"
    assert request.content == b'{"a":1}'


# ======================================================== decoding the response


@pytest.mark.parametrize(
    ("content", "content_type", "expected"),
    [
        (b'{"a": "\xc3\xa9"}', "application/json", {"a": "é"}),
        (b'{"a": "\xc3\xa9"}', "application/json; charset=UTF-8", {"a": "é"}),
        (b'{"a": "\xe9"}', "application/json; charset=latin-1", {"a": "é"}),
        (b'\xef\xbb\xbf{"a": 1}', "application/json", {"a": 1}),
        (b'{"a": 1}', "", {"a": 1}),
        (b'"text"', "text/plain", "text"),
    ],
)
def test_json_body_decoding(
    m: types.SimpleNamespace, content: bytes, content_type: str, expected: Any
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = httpx.Response(200, content=content, headers=headers)
    assert m.resp.json_response(m.serde.any_)(response) == expected


@pytest.mark.parametrize(
    ("content", "content_type", "problem"),
    [
        (b"", "application/json", "response body is empty"),
        (b'{"a": ', "application/json", "response body is not valid JSON"),
        (b'{"a": 1}', "text/html", "response Content-Type is not JSON"),
    ],
)
def test_json_body_errors(
    m: types.SimpleNamespace, content: bytes, content_type: str, problem: str
) -> None:
    response = httpx.Response(
        200,
        content=content,
        headers={"content-type": content_type},
        request=httpx.Request("GET", "https://api.test/x"),
    )
    with pytest.raises(m.errors.APIResponseValidationError, match=problem):
        m.resp.json_response(m.serde.any_)(response)


# ======================================================== generated declarations


def test_generated_declarations_use_keyword_arguments(archal_package: Path) -> None:
    """`Param(...)`, `Body(...)`, `Endpoint(...)` and `ApiKey(...)` take keyword
    arguments only in generated modules (no bare `False` or strings in a row)."""
    declared: list[str] = []
    for module in [archal_package / "_client.py", *(archal_package / "resources").glob("*.py")]:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("Param", "Body", "Endpoint", "ApiKey")
            ):
                declared.append(node.func.id)
                assert node.args == [], ast.unparse(node)
    assert set(declared) == {"Param", "Body", "Endpoint", "ApiKey"}
    sessions = (archal_package / "resources" / "sessions.py").read_text(encoding="utf-8")
    assert 'name="Idempotency-Key",\n            location="header",' in sessions


def test_endpoints_stay_plain_values(m: types.SimpleNamespace) -> None:
    """The cached route is no field: endpoints declared alike are equal, and their
    repr shows only what was declared."""
    responses = {"200": m.resp.json_response(m.serde.any_)}
    a = endpoint(m, "/x/{id}", param(m, "id", "path"), responses=responses)
    b = endpoint(m, "/x/{id}", param(m, "id", "path"), responses=responses)
    assert a.route.path[1].param.name == "id"
    assert a == b
    assert "route" not in repr(a)
