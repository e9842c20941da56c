"""Security schemes (each kind, OR alternatives, AND combinations) and servers."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from oagen.builder import build
from oagen.diagnostics import Diagnostics
from oagen.load import load

from .conftest import (
    Reply,
    Server,
    build_ir,
    call,
    client,
    feature_spec,
    op_by_id,
    query_pairs,
    submodule,
)


def _op(path: str, op_id: str, security: str) -> str:
    return f"""\
  {path}:
    get:
      operationId: {op_id}
      security: {security}
      responses: {{'204': {{description: done}}}}
"""


SECURITY = feature_spec(
    "security",
    "openapi: 3.1.0\ninfo: {title: Sec, version: '1'}\nservers: [{url: 'https://api.test'}]\n"
    + "paths:\n"
    + _op("/bearer", "useBearer", "[{bearerAuth: []}]")
    + _op("/basic", "useBasic", "[{basicAuth: []}]")
    + _op("/header", "useHeader", "[{headerKey: []}]")
    + _op("/query", "useQuery", "[{queryKey: []}]")
    + _op("/cookie", "useCookie", "[{cookieKey: []}]")
    + _op("/oauth", "useOauth", "[{oauth: [read]}]")
    + _op("/oidc", "useOidc", "[{oidc: []}]")
    + _op("/either", "useEither", "[{bearerAuth: []}, {headerKey: []}]")
    + _op("/both", "useBoth", "[{headerKey: [], queryKey: []}]")
    + _op("/none", "useNone", "[]")
    + """\
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer}
    basicAuth: {type: http, scheme: basic}
    headerKey: {type: apiKey, in: header, name: X-API-Key}
    queryKey: {type: apiKey, in: query, name: api_key}
    cookieKey: {type: apiKey, in: cookie, name: sid}
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.test/token
          scopes: {read: read things}
    oidc: {type: openIdConnect, openIdConnectUrl: 'https://auth.test/.well-known/openid-configuration'}
""",
)

ALL_CREDS = {
    "bearer_auth": "tok",
    "basic_auth": ("user", "p:w"),
    "header_key": "hk",
    "query_key": "qk",
    "cookie_key": "ck",
    "oauth": "oa",
    "oidc": "oi",
}
BASIC = "Basic " + base64.b64encode(b"user:p:w").decode()


def test_security_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, SECURITY)
    schemes = {
        s.wire_name: (s.python_name, s.kind, s.location, s.param_name) for s in api.security_schemes
    }
    assert schemes == {
        "bearerAuth": ("bearer_auth", "bearer", None, None),
        "basicAuth": ("basic_auth", "basic", None, None),
        "headerKey": ("header_key", "api_key", "header", "X-API-Key"),
        "queryKey": ("query_key", "api_key", "query", "api_key"),
        "cookieKey": ("cookie_key", "api_key", "cookie", "sid"),
        "oauth": ("oauth", "bearer", None, None),
        "oidc": ("oidc", "bearer", None, None),
    }
    assert op_by_id(api, "useEither").security == (("bearer_auth",), ("header_key",))
    assert op_by_id(api, "useBoth").security == (("header_key", "query_key"),)
    assert op_by_id(api, "useNone").security == ()


@pytest.mark.parametrize(
    ("method", "where", "name", "value"),
    [
        ("use_bearer", "header", "Authorization", "Bearer tok"),
        ("use_basic", "header", "Authorization", BASIC),
        ("use_header", "header", "X-API-Key", "hk"),
        ("use_query", "query", "api_key", "qk"),
        ("use_cookie", "header", "Cookie", "sid=ck"),
        ("use_oauth", "header", "Authorization", "Bearer oa"),
        ("use_oidc", "header", "Authorization", "Bearer oi"),
    ],
)
def test_each_scheme_on_the_wire(
    package: Any, method: str, where: str, name: str, value: str
) -> None:
    pkg = package(SECURITY)
    _, req = call(pkg, lambda c: getattr(c, method)(), Reply(204), **ALL_CREDS)
    if where == "query":
        assert query_pairs(req) == [(name, value)]
    else:
        assert req.headers[name] == value
        assert query_pairs(req) == []
    others = {"authorization", "x-api-key", "cookie"} - {name.lower()}
    assert not others & {k.lower() for k in req.headers}


def test_alternatives_use_the_first_configured(package: Any) -> None:
    pkg = package(SECURITY)
    _, req = call(pkg, lambda c: c.use_either(), Reply(204), **ALL_CREDS)
    assert req.headers["Authorization"] == "Bearer tok" and "x-api-key" not in req.headers
    _, req = call(pkg, lambda c: c.use_either(), Reply(204), header_key="hk")
    assert req.headers["X-API-Key"] == "hk" and "authorization" not in req.headers
    _, req = call(pkg, lambda c: c.use_either(), Reply(204))
    assert "authorization" not in req.headers and "x-api-key" not in req.headers


def test_combination_sends_both(package: Any) -> None:
    pkg = package(SECURITY)
    _, req = call(pkg, lambda c: c.use_both(), Reply(204), header_key="hk", query_key="qk")
    assert req.headers["X-API-Key"] == "hk"
    assert query_pairs(req) == [("api_key", "qk")]


def test_basic_credentials_that_are_no_pair_are_refused_at_once(package: Any) -> None:
    pkg = package(SECURITY)
    with pytest.raises(TypeError, match="basic_auth: http basic credentials are a"):
        client(pkg, Server(Reply(204)), basic_auth="user:password")
    readme = (Path(pkg.__file__).parent / "README.md").read_text()
    assert 'basic_auth=("user", "password")' in readme and 'bearer_auth="..."' in readme


def test_empty_security_sends_nothing(package: Any) -> None:
    pkg = package(SECURITY)
    _, req = call(pkg, lambda c: c.use_none(), Reply(204), **ALL_CREDS)
    assert str(req.url) == "https://api.test/none"
    assert not {"authorization", "x-api-key", "cookie"} & {k.lower() for k in req.headers}


BAD_KEYS = feature_spec(
    "bad_keys",
    "openapi: 3.1.0\ninfo: {title: Keys, version: '1'}\nservers: [{url: 'https://api.test'}]\n"
    + "paths:\n"
    + _op("/spaced", "useSpaced", "[{spaced: []}]")
    + _op("/token", "useToken", "[{token: []}]")
    + _op("/cookie", "useCookie", "[{cookieKey: []}]")
    + """\
components:
  securitySchemes:
    spaced: {type: apiKey, in: header, name: X Api Key}
    token: {type: apiKey, in: header, name: Authorization}
    cookieKey: {type: apiKey, in: cookie, name: sid}
""",
)


def test_an_api_key_header_name_that_is_no_token_is_refused(tmp_path: Path, package: Any) -> None:
    """openapi-python-client's `name: "X Api Key"`: a warning at the name, and each call
    that would send the key raises before anything is sent (it went on the wire as an
    invalid header). A key a header or cookie cannot carry is refused the same way."""
    path = BAD_KEYS.write_to(tmp_path / "spec")
    loaded = load(path)
    sink = Diagnostics(loaded.locate)
    build(loaded, sink, "x_client")
    (warning,) = sink.items
    assert warning.pointer == "#/components/securitySchemes/spaced/name"
    assert "'X Api Key' of API key 'spaced' is not a valid HTTP token" in warning.message
    pkg = package(BAD_KEYS)
    errors = submodule(pkg, "errors")
    creds = {"spaced": "k", "token": "Token abc123", "cookie_key": "ck"}
    with pytest.raises(errors.RequestValidationError, match="API key 'X Api Key': the header"):
        call(pkg, lambda c: c.use_spaced(), Reply(204), **creds)
    _, req = call(pkg, lambda c: c.use_token(), Reply(204), **creds)  # a space: a header's
    assert req.headers["Authorization"] == "Token abc123"
    for bad, char, where in (
        ("café", "é", "token"),
        ("a\nb", "\n", "token"),
        ("a b", " ", "cookie_key"),
    ):
        method = "use_token" if where == "token" else "use_cookie"
        with pytest.raises(errors.RequestValidationError, match="cannot carry") as caught:
            call(pkg, lambda c, m=method: getattr(c, m)(), Reply(204), **{**creds, where: bad})
        assert bad not in str(caught.value)
        assert repr(char) not in str(caught.value)  # not even the character of the key


# --------------------------------------------------------------------------- servers

SERVERS = feature_spec(
    "servers",
    """\
openapi: 3.1.0
info: {title: Srv, version: '1'}
servers:
  - url: 'https://{region}.api.test/{version}'
    variables:
      region: {default: eu, enum: [eu, us]}
      version: {default: v2}
  - url: 'https://backup.test'
paths:
  /plain:
    get:
      operationId: plain
      responses: {'204': {description: done}}
  /upload:
    post:
      operationId: upload
      servers: [{url: 'https://uploads.api.test/u'}]
      responses: {'204': {description: done}}
  /reports:
    servers:
      - url: 'https://{host}.reports.test'
        variables:
          host: {default: r1}
    get:
      operationId: report
      responses: {'204': {description: done}}
""",
)


def test_servers_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, SERVERS)
    assert api.base_url == "https://eu.api.test/v2"
    # operation- and path-level servers are part of the operation (however spelled)
    assert "https://uploads.api.test/u" in repr(op_by_id(api, "upload"))
    assert "https://r1.reports.test" in repr(op_by_id(api, "report"))
    assert "uploads.api.test" not in repr(op_by_id(api, "plain"))


def test_server_variables_default_base_url(package: Any) -> None:
    pkg = package(SERVERS)
    _, req = call(pkg, lambda c: c.plain(), Reply(204), base_url=None)
    assert str(req.url) == "https://eu.api.test/v2/plain"


def test_operation_and_path_servers(package: Any) -> None:
    pkg = package(SERVERS)
    server = Server(Reply(204))
    with client(pkg, server, base_url=None) as c:
        c.upload()
        c.report()
        c.plain()
    assert [(r.method, str(r.url)) for r in server.requests] == [
        ("POST", "https://uploads.api.test/u/upload"),
        ("GET", "https://r1.reports.test/reports"),
        ("GET", "https://eu.api.test/v2/plain"),
    ]


def test_explicit_base_url_wins_over_operation_servers(package: Any) -> None:
    pkg = package(SERVERS)
    server = Server(Reply(204))
    with client(pkg, server, base_url="https://mine.test/x") as c:
        c.upload()
        c.report()
        c.plain()
    assert [str(r.url) for r in server.requests] == [
        "https://mine.test/x/upload",
        "https://mine.test/x/reports",
        "https://mine.test/x/plain",
    ]
