"""OAuth2 grants: tokens fetched from the spec's `tokenUrl`, cached until shortly
before they expire, fetched again once after a 401; secrets never shown."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from typing import Any

import httpx
import pytest

from .conftest import HEAD_31, feature_spec

SECRET = "s3cr3t-CLIENT-secret-77"

# One operation, for every spec of this module.
THINGS = """\
paths:
  /things:
    get:
      operationId: list_things
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
"""

OAUTH = feature_spec(
    "oauth",
    HEAD_31
    + THINGS
    + """\
  /files/{name}:
    put:
      operationId: upload_file
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content: {application/octet-stream: {schema: {type: string, format: binary}}}
      responses: {'204': {description: stored}}
components:
  securitySchemes:
    machine:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: /oauth/token
          scopes: {read: read things}
    login:
      type: oauth2
      flows:
        password: {tokenUrl: /oauth/token, scopes: {}}
security: [{machine: [read]}]
""",
    typecheck="""\
        from feat_oauth_client import Client, OAuth2ClientCredentials, OAuth2RefreshToken

        c = Client(machine=OAuth2ClientCredentials("id", "secret", scopes=["read"]))
        d = Client(machine=OAuth2RefreshToken("refresh", "id"))
        e = Client(machine="a token")
        # a password flow's tokenUrl refuses a client credentials grant: no such type
        f = Client(login=OAuth2ClientCredentials("id", "secret"))  # type: ignore[arg-type]
        g = Client(login=OAuth2RefreshToken("refresh", "id"))
    """,
)


class TokenServer:
    """A MockTransport handler: the token endpoint (2 s tokens) and the API."""

    def __init__(self, lifetime: float = 2.0) -> None:
        self.lifetime = lifetime
        self.token_requests: list[httpx.Request] = []
        self.api_requests: list[httpx.Request] = []
        self.reject_next = 0  # answer the next N API calls with 401

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            self.token_requests.append(request)
            token = f"token-{len(self.token_requests)}"
            return httpx.Response(
                200,
                json={"access_token": token, "token_type": "bearer", "expires_in": self.lifetime},
            )
        self.api_requests.append(request)
        if self.reject_next:
            self.reject_next -= 1
            return httpx.Response(401, json={"message": "expired"})
        return httpx.Response(200, json=[request.headers.get("authorization", "")])


def _client(pkg: Any, server: TokenServer, **kw: Any) -> Any:
    grant = pkg.OAuth2ClientCredentials("my-client", SECRET, scopes=["read"])
    http = httpx.Client(transport=httpx.MockTransport(server))
    return pkg.Client(base_url="https://api.test/v1", machine=grant, http_client=http, **kw)


def test_oauth2_client_credentials_token_cached_then_renewed(package: Any) -> None:
    pkg = package(OAUTH)
    server = TokenServer()
    client = _client(pkg, server)
    for _ in range(5):
        assert client.list_things() == ["Bearer token-1"]
    assert len(server.token_requests) == 1
    token_request = server.token_requests[0]
    assert str(token_request.url) == "https://api.test/oauth/token"
    form = dict(httpx.QueryParams(token_request.content.decode()))
    assert form == {"grant_type": "client_credentials", "scope": "read"}
    assert token_request.headers["authorization"].startswith("Basic ")
    time.sleep(2.0)  # past the 2 s lifetime (less its 0.2 s margin)
    assert client.list_things() == ["Bearer token-2"]
    assert len(server.token_requests) == 2
    for shown in (repr(client), repr(client._credentials["machine"]), str(client.__dict__)):
        assert SECRET not in shown


def test_oauth2_a_401_fetches_a_new_token_once(package: Any) -> None:
    pkg = package(OAUTH)
    server = TokenServer(lifetime=3600)
    client = _client(pkg, server, max_retries=0)
    assert client.list_things() == ["Bearer token-1"]
    server.reject_next = 1
    assert client.list_things() == ["Bearer token-2"]  # one new token, one retry
    assert len(server.token_requests) == 2
    server.reject_next = 2
    with pytest.raises(pkg_errors(pkg).AuthenticationError):
        client.list_things()  # renewed once only, then the 401 is raised
    assert len(server.token_requests) == 3


def test_oauth2_a_401_sends_a_file_body_again_whole(package: Any, tmp_path: Any) -> None:
    """The call a 401 turned back is made again with a new token: a file being
    uploaded is sent again from where it was, whole."""
    pkg = package(OAUTH)
    server = TokenServer(lifetime=3600)
    client = _client(pkg, server, max_retries=0)
    path = tmp_path / "report.bin"
    path.write_bytes(b"%PDF" + bytes(range(256)) * 400)
    server.reject_next = 1
    with path.open("rb") as upload:
        upload.seek(4)
        client.upload_file("report.bin", body=upload)
        assert upload.tell() == 4
    assert len(server.token_requests) == 2
    sent = [r.content for r in server.api_requests]
    assert sent == [bytes(range(256)) * 400] * 2
    assert [r.headers["authorization"] for r in server.api_requests] == [
        "Bearer token-1",
        "Bearer token-2",
    ]


def pkg_errors(pkg: Any) -> Any:
    import importlib

    return importlib.import_module(pkg.__name__ + ".errors")


def test_oauth2_token_errors_are_typed_and_hide_the_secret(package: Any) -> None:
    pkg = package(OAUTH)

    def handler(request: httpx.Request) -> httpx.Response:
        basic = request.headers["authorization"].split()[1]  # echoed, as some servers do
        described = f"bad {SECRET} from {basic}"
        return httpx.Response(400, json={"error": "invalid_client", "error_description": described})

    grant = pkg.OAuth2ClientCredentials("my-client", SECRET)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = pkg.Client(base_url="https://api.test", machine=grant, http_client=http)
    oauth2 = __import__(pkg.__name__ + "._oauth2", fromlist=["x"])
    with pytest.raises(oauth2.OAuth2TokenError) as caught:
        client.list_things()
    assert caught.value.error == "invalid_client"
    shown = [str(caught.value), repr(caught.value), caught.value.error_description]
    basic = base64.b64encode(f"my-client:{SECRET}".encode()).decode()
    assert not [text for text in shown if SECRET in str(text) or basic in str(text)]
    assert caught.value.error_description == "bad [REDACTED] from [REDACTED]"


def test_oauth2_one_token_fetch_for_concurrent_tasks(package: Any) -> None:
    pkg = package(OAUTH)
    server = TokenServer(lifetime=3600)

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            await asyncio.sleep(0.05)
        return server(request)

    async def run() -> list[Any]:
        grant = pkg.OAuth2ClientCredentials("my-client", SECRET)
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with pkg.AsyncClient(
            base_url="https://api.test", machine=grant, http_client=http
        ) as client:
            return await asyncio.gather(*(client.list_things() for _ in range(10)))

    assert asyncio.run(run()) == [["Bearer token-1"]] * 10
    assert len(server.token_requests) == 1


def test_oauth2_one_grant_serves_clients_in_several_event_loops(package: Any) -> None:
    """A grant shared across `asyncio.run` calls (a worker running one per job): its
    lock is per event loop (an `asyncio.Lock` is bound to the first loop it waits in)."""
    pkg = package(OAUTH)
    server = TokenServer(lifetime=0.001)  # expired at once: every run fetches
    grant = pkg.OAuth2ClientCredentials("my-client", SECRET)

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            await asyncio.sleep(0.01)
        return server(request)

    async def run() -> list[Any]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with pkg.AsyncClient(
            base_url="https://api.test", machine=grant, http_client=http
        ) as client:
            return await asyncio.gather(*(client.list_things() for _ in range(3)))

    for _ in range(2):
        assert len(asyncio.run(run())) == 3


def test_oauth2_a_token_endpoint_out_of_reach_is_a_typed_error(package: Any) -> None:
    pkg = package(OAUTH)

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    grant = pkg.OAuth2ClientCredentials("my-client", SECRET)
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = pkg.Client(base_url="https://api.test", machine=grant, http_client=http)
    with pytest.raises(pkg.errors.APIConnectionError, match="OAuth2 token request failed"):
        client.list_things()


def test_oauth2_a_token_given_no_lifetime_is_used_for_its_call(package: Any) -> None:
    """`expires_in: 0`: the token fetched for a call is sent with it (it went without,
    met a 401, and failed), and the next call fetches another."""
    pkg = package(OAUTH)
    server = TokenServer(lifetime=0)
    client = _client(pkg, server)
    assert client.list_things() == ["Bearer token-1"]
    assert client.list_things() == ["Bearer token-2"]


def test_oauth2_token_string_is_sent_as_bearer(package: Any) -> None:
    pkg = package(OAUTH)
    server = TokenServer()
    http = httpx.Client(transport=httpx.MockTransport(server))
    client = pkg.Client(base_url="https://api.test", machine="plain-token", http_client=http)
    assert client.list_things() == ["Bearer plain-token"]
    assert server.token_requests == []
    assert json.dumps(repr(client)).find("plain-token") == -1


def test_oauth2_secrets_and_tokens_echoed_by_the_api_are_redacted(package: Any) -> None:
    """An API error echoing the grant's client secret or its current token does not
    show them in the exception's message."""
    pkg = package(OAUTH)
    server = TokenServer(lifetime=3600)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return server(request)
        echoed = f"{request.headers['authorization']} / {SECRET}"
        return httpx.Response(400, json={"message": echoed})

    grant = pkg.OAuth2ClientCredentials("my-client", SECRET, scopes=["read"])
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = pkg.Client(base_url="https://api.test/v1", machine=grant, http_client=http)
    with pytest.raises(pkg_errors(pkg).BadRequestError) as caught:
        client.list_things()
    assert SECRET not in str(caught.value) and "token-1" not in str(caught.value)


REFRESH = feature_spec(
    "oauth_refresh",
    HEAD_31
    + THINGS
    + """\
components:
  securitySchemes:
    user:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://auth.test/authorize
          tokenUrl: /oauth/token
          refreshUrl: /oauth/refresh
          scopes: {read: read things}
security: [{user: [read]}]
""",
)


class RefreshServer:
    """Token endpoints (any host) rotate the refresh token with every access token;
    `reject` API calls are answered 401 first."""

    def __init__(self, reject: int = 0) -> None:
        self.token_requests: list[httpx.Request] = []
        self.reject = reject

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path in ("/oauth/token", "/oauth/refresh", "/token"):
            self.token_requests.append(request)
            n = len(self.token_requests)
            return httpx.Response(
                200,
                json={
                    "access_token": f"token-{n}",
                    "token_type": "bearer",
                    "expires_in": 3600,
                    "refresh_token": f"refresh-{n}",
                },
            )
        if self.reject:
            self.reject -= 1
            return httpx.Response(401, json={"message": "expired"})
        return httpx.Response(200, json=[request.headers.get("authorization", "")])


def _form(request: httpx.Request) -> dict[str, str]:
    return dict(httpx.QueryParams(request.content.decode()))


def test_oauth2_refresh_token_grant_uses_refresh_url_and_rotated_token(package: Any) -> None:
    """A public client (no secret) sends its id in the form, to the spec's
    `refreshUrl`; a refresh token the server rotates is the one sent next time."""
    pkg = package(REFRESH)
    server = RefreshServer(reject=1)
    grant = pkg.OAuth2RefreshToken("refresh-0", "my-app", scopes=["read"])
    http = httpx.Client(transport=httpx.MockTransport(server))
    client = pkg.Client(base_url="https://api.test/v1", user=grant, http_client=http)
    assert client.list_things() == ["Bearer token-2"]  # token-1 rejected: renewed once
    first, second = server.token_requests
    assert str(first.url) == "https://api.test/oauth/refresh"
    assert "authorization" not in first.headers
    assert _form(first) == {
        "grant_type": "refresh_token",
        "refresh_token": "refresh-0",
        "client_id": "my-app",
        "scope": "read",
    }
    assert _form(second)["refresh_token"] == "refresh-1"  # the rotated one
    assert grant.refresh_token == "refresh-2"
    for shown in (repr(client), repr(grant)):
        assert "refresh-" not in shown


def test_oauth2_refresh_token_with_a_secret_authenticates_with_basic(package: Any) -> None:
    """A confidential client authenticates with HTTP basic (its id not in the form),
    at the grant's own `token_url` when given."""
    pkg = package(REFRESH)
    server = RefreshServer()
    grant = pkg.OAuth2RefreshToken(
        "refresh-0", "my-app", SECRET, token_url="https://auth.test/token"
    )
    http = httpx.Client(transport=httpx.MockTransport(server))
    client = pkg.Client(base_url="https://api.test/v1", user=grant, http_client=http)
    assert client.list_things() == ["Bearer token-1"]
    (token_request,) = server.token_requests
    assert str(token_request.url) == "https://auth.test/token"
    assert token_request.headers["authorization"].startswith("Basic ")
    assert _form(token_request) == {"grant_type": "refresh_token", "refresh_token": "refresh-0"}


# the same API, its security optional (`{}`: a call may go without)
OPTIONAL = feature_spec(
    "oauth_optional",
    OAUTH.text.replace("security: [{machine: [read]}]", "security: [{}, {machine: [read]}]"),
)
assert OPTIONAL.text != OAUTH.text


@pytest.mark.parametrize("aio", [False, True])
def test_oauth2_an_optional_security_uses_the_grant_given(package: Any, aio: bool) -> None:
    """`security: [{}, {machine: []}]` (the call may go without): a client given a
    grant fetches its token and sends it, as it sends a token given as a string."""
    pkg = package(OPTIONAL)
    server = TokenServer()
    grant = pkg.OAuth2ClientCredentials("my-client", SECRET, scopes=["read"])
    if aio:

        async def call() -> Any:
            http = httpx.AsyncClient(transport=httpx.MockTransport(server))
            async with pkg.AsyncClient(
                base_url="https://api.test/v1", machine=grant, http_client=http
            ) as client:
                return await client.list_things()

        assert asyncio.run(call()) == ["Bearer token-1"]
    else:
        http = httpx.Client(transport=httpx.MockTransport(server))
        client = pkg.Client(base_url="https://api.test/v1", machine=grant, http_client=http)
        assert client.list_things() == ["Bearer token-1"]
    assert len(server.token_requests) == 1
    bare = pkg.Client(
        base_url="https://api.test/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
    )
    assert bare.list_things() == [""]  # no grant: the call goes without


# Google's specs: every operation requires two OAuth2 schemes together (scopes of
# two kinds), both sent as the one `Authorization` header; an API key beside them
GOOGLE = feature_spec(
    "oauth_together",
    HEAD_31
    + THINGS
    + """\
components:
  securitySchemes:
    Oauth2:
      type: oauth2
      flows: {implicit: {authorizationUrl: 'https://a.test/auth', scopes: {a: a}}}
    Oauth2c:
      type: oauth2
      flows: {authorizationCode: {authorizationUrl: 'https://a.test/auth', tokenUrl: 'https://a.test/token', scopes: {a: a}}}
    key: {type: apiKey, in: query, name: key}
security: [{Oauth2: [a], Oauth2c: [a], key: []}]
""",
)


def test_schemes_writing_the_same_header_stand_for_one_another(package: Any) -> None:
    """One token given for either of two schemes required together that both write
    `Authorization` is sent (no header was); the API key, a place of its own, is
    still required."""
    pkg = package(GOOGLE)
    server = TokenServer()
    http = httpx.Client(transport=httpx.MockTransport(server))
    for given in ({"oauth2": "tok"}, {"oauth2c": "tok"}):
        client = pkg.Client(base_url="https://api.test/v1", key="k", http_client=http, **given)
        assert client.list_things() == ["Bearer tok"]
        assert server.api_requests[-1].url.params["key"] == "k"
    client = pkg.Client(base_url="https://api.test/v1", oauth2="tok", http_client=http)
    assert client.list_things() == [""]  # no key: the requirement is not met, nothing sent
    assert "key" not in server.api_requests[-1].url.params
