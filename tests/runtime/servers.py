"""Helpers of the runtime's hardening tests: secrets, clients with every credential
kind, and real local HTTP servers."""

from __future__ import annotations

import http.server
import json
import threading
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

TOKEN = "tok-SECRET-bearer-4242"
ROUTE_KEY = "route-SECRET-key-1717"
QUERY_KEY = "query-SECRET-key-9090"
COOKIE_KEY = "cookie-SECRET-key-3131"
SECRETS = (TOKEN, ROUTE_KEY, QUERY_KEY, COOKIE_KEY)


def _schemes(m: types.SimpleNamespace) -> dict[str, Any]:
    return {
        "bearer": m.bc.HttpBearer(),
        "route": m.bc.ApiKey("header", "x-route-authorization"),
        "qkey": m.bc.ApiKey("query", "api_key"),
        "ckey": m.bc.ApiKey("cookie", "session_key"),
    }


ALL_SCHEMES = (("bearer", "route", "qkey", "ckey"),)


def _config(m: types.SimpleNamespace, base_url: str, **overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = dict(
        base_url=base_url,
        security_schemes=_schemes(m),
        credentials={"bearer": TOKEN, "route": ROUTE_KEY, "qkey": QUERY_KEY, "ckey": COOKIE_KEY},
        timeout=5.0,
        max_retries=0,
        default_headers=None,
        user_agent="hardening-tests/1.0",
    )
    config.update(overrides)
    return config


def sync_client(
    m: types.SimpleNamespace, base_url: str, http: httpx.Client | None = None, **kw: Any
) -> Any:
    return m.bc.SyncAPIClient(http_client=http or httpx.Client(), **_config(m, base_url, **kw))


def async_client(
    m: types.SimpleNamespace, base_url: str, http: httpx.AsyncClient | None = None, **kw: Any
) -> Any:
    return m.bc.AsyncAPIClient(
        http_client=http or httpx.AsyncClient(), **_config(m, base_url, **kw)
    )


def ep(m: types.SimpleNamespace, method: str = "GET", path: str = "/things", **kw: Any) -> Any:
    kw.setdefault("responses", {"200": m.resp.json_response(m.serde.any_)})
    kw.setdefault("security", ALL_SCHEMES)
    return m.bc.Endpoint(method=method, path=path, **kw)


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked in {text!r}"


# --------------------------------------------------------------------------- real servers


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-request (as clients under test do) is no error."""


@dataclass
class LocalServer:
    """A threaded `http.server` on 127.0.0.1; `answer(handler)` returns
    `(status, headers, body)` and may write the response itself (returning None)."""

    answer: Callable[[Any], tuple[int, dict[str, str], bytes] | None]
    seen: list[Seen] = field(default_factory=list)
    httpd: http.server.ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.httpd is not None
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> LocalServer:
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                owner.seen.append(
                    Seen(
                        self.command,
                        parts.path,
                        dict(parse_qsl(parts.query)),
                        {k.lower(): v for k, v in self.headers.items()},
                        body,
                    )
                )
                reply = owner.answer(self)
                if reply is None:
                    return
                status, headers, content = reply
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        assert self.httpd is not None
        self.httpd.shutdown()
        self.httpd.server_close()


def ok_json(payload: Any = None) -> Callable[[Any], tuple[int, dict[str, str], bytes]]:
    body = json.dumps({"ok": True} if payload is None else payload).encode()
    return lambda h: (200, {"Content-Type": "application/json"}, body)


def redirect_to(target: Callable[[], str], status: int = 302, echo_query: bool = False) -> Any:
    def answer(h: Any) -> tuple[int, dict[str, str], bytes]:
        location = target()
        if echo_query and "?" in h.path:
            location += "?" + h.path.split("?", 1)[1]
        return status, {"Location": location}, b""

    return answer
