"""Where credentials go and where they show (issue 13 items 4, 6, 7; issue 14 items 7c
and 8; issue 12 items 12 and 13), against real local servers: the `httpx` client's own
`auth=` and credential headers never follow a redirect to another origin, an
operation's plain-http server elsewhere gets none, messages redact before they cut,
a 401 names the missing keyword, credentials come from the environment, http schemes
are sent as written, headers and cookies that cannot be sent are refused, unretried."""

from __future__ import annotations

import base64
import json
import types
from collections.abc import Callable, Generator
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
    assert_no_secret,
    async_client,
    ep,
    ok_json,
    redirect_to,
    sync_client,
)

BASIC_PASSWORD = "pa55-SECRET-httpx"
HTTPX_TOKEN = "httpx-SECRET-bearer-5151"


def credentials_in(seen: Seen) -> list[str]:
    """Every credential-carrying part of a request a server received."""
    found = [
        name
        for name in ("authorization", "proxy-authorization", "x-route-authorization", "x-api-key")
        if name in seen.headers
    ]
    if "api_key" in seen.query:
        found.append("api_key")
    if "cookie" in seen.headers:
        found.append("cookie")
    return found


class BearerAuth(httpx.Auth):
    """An `httpx.Auth` adding a bearer token, as users configure their `httpx` client."""

    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


# =========================================================================== item 4


class TestHttpxAuthNeverFollowsAcrossOrigins:
    def test_httpx_basic_auth_not_resent_on_a_cross_origin_302(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        b = serve(ok_json({"from": "b"}))
        a = serve(redirect_to(lambda: b.url + "/landing", 302))
        http = httpx.Client(auth=("user", BASIC_PASSWORD), follow_redirects=True)
        client = sync_client(m, a.url, http, security_schemes={}, credentials={})
        assert client._request(ep(m, security=())) == {"from": "b"}
        expected = base64.b64encode(f"user:{BASIC_PASSWORD}".encode()).decode()
        assert a.seen[0].headers["authorization"] == f"Basic {expected}"
        assert credentials_in(b.seen[0]) == []

    async def test_httpx_auth_bearer_not_resent_on_an_async_cross_origin_307(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        b = serve(ok_json({"from": "b"}))
        a = serve(redirect_to(lambda: b.url + "/moved", 307))
        http = httpx.AsyncClient(auth=BearerAuth(HTTPX_TOKEN), follow_redirects=True)
        client = async_client(m, a.url, http)
        body = m.bc.Body("application/json", "json")
        assert await client._request(ep(m, "POST", body=body), body={"x": 1}) == {"from": "b"}
        assert a.seen[0].headers["authorization"] == f"Bearer {HTTPX_TOKEN}"
        assert json.loads(b.seen[0].body) == {"x": 1}
        assert credentials_in(b.seen[0]) == []

    def test_httpx_auth_kept_on_a_same_origin_redirect(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        def answer(h: Any) -> Any:
            if h.path.startswith("/things"):
                return 302, {"Location": "/elsewhere"}, b""
            return ok_json({"here": True})(h)

        a = serve(answer)
        http = httpx.Client(auth=BearerAuth(HTTPX_TOKEN), follow_redirects=True)
        client = sync_client(m, a.url, http, security_schemes={}, credentials={})
        assert client._request(ep(m, security=())) == {"here": True}
        assert [s.headers.get("authorization") for s in a.seen] == [f"Bearer {HTTPX_TOKEN}"] * 2

    @pytest.mark.parametrize("where", ["default_headers", "httpx_headers"])
    def test_credential_headers_given_as_headers_not_sent_across_origins(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer], where: str
    ) -> None:
        b = serve(ok_json())
        a = serve(redirect_to(lambda: b.url, 302))
        headers = {
            "Authorization": f"Bearer {TOKEN}",
            "Proxy-Authorization": f"Basic {ROUTE_KEY}",
            "Cookie": f"sid={COOKIE_KEY}",
            "X-API-Key": QUERY_KEY,
        }
        if where == "default_headers":
            http = httpx.Client(follow_redirects=True)
            client = sync_client(m, a.url, http, credentials={}, default_headers=headers)
        else:
            http = httpx.Client(follow_redirects=True, headers=headers)
            client = sync_client(m, a.url, http, credentials={})
        client._request(ep(m, security=()))
        assert len(credentials_in(a.seen[0])) == 4
        assert credentials_in(b.seen[0]) == []
        assert_no_secret(json.dumps(b.seen[0].__dict__, default=str))


# =========================================================================== item 7


def server_client(m: types.SimpleNamespace, default_base_url: str, **kw: Any) -> Any:
    """A client that was given no `base_url`: operations with their own server use it."""
    return sync_client(m, None, default_base_url=default_base_url, **kw)  # type: ignore[arg-type]


class TestOperationServers:
    def test_plain_http_operation_server_on_another_origin_gets_no_credential(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        b = serve(ok_json({"from": "b"}))
        client = server_client(
            m, "https://api.example.invalid", default_headers={"X-API-Key": QUERY_KEY}
        )
        assert client._request(ep(m, server=b.url)) == {"from": "b"}
        assert credentials_in(b.seen[0]) == []
        assert_no_secret(json.dumps(b.seen[0].__dict__, default=str))

    def test_operation_server_on_the_base_url_origin_gets_credentials(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        a = serve(ok_json())
        client = server_client(m, a.url)
        client._request(ep(m, server=a.url + "/v2"))
        assert a.seen[0].path == "/v2/things"
        assert credentials_in(a.seen[0]) == [
            "authorization",
            "x-route-authorization",
            "api_key",
            "cookie",
        ]

    def test_https_operation_server_gets_credentials(self, m: types.SimpleNamespace) -> None:
        sent: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            sent.append(request)
            return httpx.Response(200, json={})

        http = httpx.Client(transport=httpx.MockTransport(handler))
        client = server_client(m, "http://127.0.0.1:9", http=http)
        client._request(ep(m, server="https://other.example/v1"))
        assert sent[0].headers["authorization"] == f"Bearer {TOKEN}"

    def test_withheld_credentials_explained_on_401(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        b = serve(lambda h: (401, {"Content-Type": "application/json"}, b'{"error": "who?"}'))
        client = server_client(m, "https://api.example.invalid")
        with pytest.raises(m.errors.AuthenticationError) as info:
            client._request(ep(m, server=b.url))
        assert "credentials were not sent" in str(info.value)
        assert "neither https nor the origin of base_url" in str(info.value)


# =========================================================================== item 6


def echo_server(status: int, body: str, content_type: str = "text/plain") -> Any:
    return lambda h: (status, {"Content-Type": content_type}, body.encode())


class TestRedactedMessages:
    @pytest.mark.parametrize("start", [480, 488, 492])
    def test_status_error_redacts_a_credential_across_the_500_character_cut(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer], start: int
    ) -> None:
        a = serve(echo_server(400, "x" * start + TOKEN + " more"))
        client = sync_client(m, a.url)
        with pytest.raises(m.errors.BadRequestError) as info:
            client._request(ep(m))
        # the first 500 characters of the body once redacted: no part of the token
        assert TOKEN[: 500 - start] not in str(info.value)
        assert str(info.value).startswith("Error code: 400 - " + "x" * start + "[REDACT")

    def test_validation_error_redacts_credentials_echoed_in_content_type(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        a = serve(echo_server(200, "<html>hi</html>", f"text/html; token={TOKEN}"))
        client = sync_client(m, a.url)
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            client._request(ep(m))
        assert "Content-Type text/html; token=[REDACTED]" in str(info.value)
        assert_no_secret(str(info.value) + repr(info.value) + info.value.detail)

    def test_raw_response_parse_redacts_too(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        a = serve(echo_server(200, "<html>hi</html>", f"text/html; key={ROUTE_KEY}"))
        client = sync_client(m, a.url)
        token = m.resp.RAW_RESPONSE.set(True)
        try:
            raw = client._request(ep(m))
        finally:
            m.resp.RAW_RESPONSE.reset(token)
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            raw.parse()
        assert_no_secret(str(info.value))

    def test_decoding_error_redacts_credentials_echoed_in_content_encoding(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        headers = {"Content-Type": "application/json", "Content-Encoding": f"x-{TOKEN}"}
        a = serve(lambda h: (200, headers, b"{}"))
        client = sync_client(m, a.url)
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            client._request(ep(m))
        assert info.value.problem == "response body could not be decoded"
        assert_no_secret(str(info.value))

    def test_status_error_body_is_the_response_as_received(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        """SECURITY.md: `exc.body` (like `exc.response`) is what the server sent,
        unredacted; only the message and reprs are redacted."""
        a = serve(echo_server(400, f"bad token {TOKEN}"))
        client = sync_client(m, a.url)
        with pytest.raises(m.errors.BadRequestError) as info:
            client._request(ep(m))
        assert info.value.body == f"bad token {TOKEN}"
        assert_no_secret(str(info.value) + repr(info.value))


# =========================================================================== issue 14 items 7c, 8


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("ARCHAL_ARCHAL_TOKEN", "ARCHAL_ROUTE_AUTHORIZATION", "ARCHAL_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def unauthorized(h: Any) -> tuple[int, dict[str, str], bytes]:
    return 401, {"Content-Type": "application/json"}, b'{"error": "unauthorized"}'


class TestMissingCredential:
    def test_401_names_the_missing_keyword_and_its_variable(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer], no_env: Any
    ) -> None:
        a = serve(unauthorized)
        client = m.pkg.Client(base_url=a.url, max_retries=0)
        with client, pytest.raises(m.errors.AuthenticationError) as info:
            client.sessions.list_sessions()
        message = str(info.value)
        assert message.startswith("Error code: 401 - this operation needs a credential")
        assert "none was given: pass archal_token= (or set ARCHAL_ARCHAL_TOKEN)" in message
        assert message.endswith('{"error": "unauthorized"}')

    def test_401_with_the_credential_given_adds_nothing(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer], no_env: Any
    ) -> None:
        a = serve(unauthorized)
        client = m.pkg.Client(base_url=a.url, archal_token=TOKEN, max_retries=0)
        with client, pytest.raises(m.errors.AuthenticationError) as info:
            client.sessions.list_sessions()
        assert str(info.value) == 'Error code: 401 - {"error": "unauthorized"}'


class TestEnvironment:
    def test_credentials_and_base_url_from_the_environment(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer], no_env: Any
    ) -> None:
        a = serve(ok_json({"sessions": []}))
        no_env.setenv("ARCHAL_BASE_URL", a.url)
        no_env.setenv("ARCHAL_ARCHAL_TOKEN", TOKEN)
        with m.pkg.Client(max_retries=0) as client:
            client.sessions.list_sessions()
            assert_no_secret(repr(client))
        assert a.seen[0].headers["authorization"] == f"Bearer {TOKEN}"

    def test_explicit_arguments_win_over_the_environment(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer], no_env: Any
    ) -> None:
        a = serve(ok_json({"sessions": []}))
        no_env.setenv("ARCHAL_BASE_URL", "http://127.0.0.1:9")
        no_env.setenv("ARCHAL_ARCHAL_TOKEN", "from-the-environment")
        with m.pkg.Client(base_url=a.url, archal_token=TOKEN, max_retries=0) as client:
            client.sessions.list_sessions()
        assert a.seen[0].headers["authorization"] == f"Bearer {TOKEN}"

    async def test_environment_read_when_the_client_is_constructed(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer], no_env: Any
    ) -> None:
        a = serve(ok_json({"sessions": []}))
        no_env.setenv("ARCHAL_ARCHAL_TOKEN", TOKEN)
        client = m.pkg.AsyncClient(base_url=a.url, max_retries=0)
        no_env.setenv("ARCHAL_ARCHAL_TOKEN", "changed-later")
        async with client:
            await client.sessions.list_sessions()
        assert a.seen[0].headers["authorization"] == f"Bearer {TOKEN}"

    def test_basic_credential_from_the_environment_is_user_colon_password(
        self, m: types.SimpleNamespace, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("T_LOGIN", "alice:pa:ss")
        found = m.pkg._auth.credentials_from_environment(
            "T_", {"login": m.bc.HttpBasic()}, {"login": None}
        )
        assert found == {"login": ("alice", "pa:ss")}


# =========================================================================== issue 12 items 12, 13


def test_http_scheme_other_than_bearer_sent_as_written(
    m: types.SimpleNamespace, serve: Callable[..., LocalServer]
) -> None:
    a = serve(ok_json())
    client = sync_client(
        m,
        a.url,
        security_schemes={"sig": m.bc.HttpScheme("Signature")},
        credentials={"sig": "keyId=k1,signature=abc"},
    )
    client._request(ep(m, security=(("sig",),)))
    assert a.seen[0].headers["authorization"] == "Signature keyId=k1,signature=abc"


class TestUnsendable:
    def _param_client(
        self, m: types.SimpleNamespace, url: str, location: str, name: str
    ) -> tuple[Any, Any, list[float]]:
        client = sync_client(m, url, max_retries=2)
        sleeps: list[float] = []
        client._sleep = sleeps.append
        style = "simple" if location == "header" else "form"
        param = m.Param(name, location, style, False, python_name="odd_param")
        return client, ep(m, params=(param,)), sleeps

    @pytest.mark.parametrize("location", ["header", "cookie"])
    def test_parameter_name_not_a_token_refused_naming_it(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer], location: str
    ) -> None:
        a = serve(ok_json())
        client, endpoint, sleeps = self._param_client(m, a.url, location, f"{location} param")
        with pytest.raises(m.errors.RequestValidationError) as info:
            client._request(endpoint, ("x",))
        assert info.value.field == "odd_param"
        assert f"the {location} name '{location} param' is not a valid HTTP token" in str(
            info.value
        )
        assert a.seen == [] and sleeps == []
        assert client._request(endpoint, (m.UNSET,)) == {"ok": True}  # not given: fine

    def test_parameter_value_that_cannot_be_sent_refused(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        a = serve(ok_json())
        client, endpoint, sleeps = self._param_client(m, a.url, "header", "fine")
        with pytest.raises(m.errors.RequestValidationError) as info:
            client._request(endpoint, ("a\r\nX-Evil: 1",))
        assert info.value.field == "odd_param"
        assert a.seen == [] and sleeps == []

    def test_a_cookie_value_cannot_add_a_cookie(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer]
    ) -> None:
        """Cookie values are percent-encoded (the `form` style): `;` and `=` stay in it."""
        a = serve(ok_json())
        client, endpoint, _ = self._param_client(m, a.url, "cookie", "fine")
        client._request(endpoint, ("a; admin=1",))
        assert a.seen[0].headers["cookie"].endswith("; fine=a%3B%20admin%3D1")

    @pytest.mark.parametrize("mode", ["sync", "async"])
    async def test_local_protocol_error_is_not_retried(
        self, m: types.SimpleNamespace, serve: Callable[..., LocalServer], mode: str
    ) -> None:
        a = serve(ok_json())
        make = sync_client if mode == "sync" else async_client
        client = make(m, a.url, max_retries=2)
        sleeps: list[float] = []
        client._sleep = sleeps.append
        with pytest.raises(m.errors.APIConnectionError) as info:
            result = client._request(ep(m), extra_headers={"bad name": "x"})
            if mode == "async":
                await result
        assert "could not be sent" in str(info.value) and "bad name" in str(info.value)
        assert a.seen == [] and sleeps == []


def test_unsupported_url_scheme_is_not_retried(m: types.SimpleNamespace) -> None:
    client = sync_client(m, "ftp://files.example", max_retries=2)
    sleeps: list[float] = []
    client._sleep = sleeps.append
    with pytest.raises(m.errors.APIConnectionError) as info:
        client._request(ep(m))
    assert "could not be sent" in str(info.value) and sleeps == []
