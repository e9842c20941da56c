"""Helpers of the runtime's direct tests: a scripted MockTransport handler, clients
built on the runtime's base classes with hand-made `Endpoint`s, sleeps recorded."""

from __future__ import annotations

import types
from typing import Any

import httpx


class Server:
    """A scripted MockTransport handler that records every request it receives.

    Each script item is either an exception class (raised as a transport error) or a
    `(status, kwargs)` pair for `httpx.Response`; the last item repeats.
    """

    def __init__(self, *script: Any) -> None:
        self.script = list(script) or [(200, {"json": {}})]
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append(request.content)
        index = min(len(self.requests) - 1, len(self.script) - 1)
        item = self.script[index]
        if isinstance(item, type) and issubclass(item, Exception):
            raise item("scripted failure", request=request)
        status, kwargs = item
        return httpx.Response(status, **kwargs)

    @property
    def calls(self) -> int:
        return len(self.requests)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def _config(m: types.SimpleNamespace, **overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = dict(
        base_url="https://api.test/v1/",
        security_schemes={},
        credentials={},
        timeout=5.0,
        max_retries=2,
        default_headers=None,
        user_agent="runtime-tests/1.0",
    )
    config.update(overrides)
    return config


def sync_client(m: types.SimpleNamespace, server: Server, **overrides: Any) -> Any:
    client = m.bc.SyncAPIClient(
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        **_config(m, **overrides),
    )
    client.sleeps = []
    client._sleep = client.sleeps.append
    return client


def async_client(m: types.SimpleNamespace, server: Server, **overrides: Any) -> Any:
    client = m.bc.AsyncAPIClient(
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)),
        **_config(m, **overrides),
    )
    client.sleeps = []

    async def fake_sleep(seconds: float) -> None:
        client.sleeps.append(seconds)

    client._sleep = fake_sleep
    return client


def any_json(m: types.SimpleNamespace) -> Any:
    return m.resp.json_response(m.serde.any_)


def ep(m: types.SimpleNamespace, method: str = "GET", path: str = "/things", **kw: Any) -> Any:
    kw.setdefault("responses", {"200": any_json(m)})
    return m.Endpoint(method=method, path=path, **kw)


def P(
    m: types.SimpleNamespace, name: str, location: str, style: str, explode: bool, **kw: Any
) -> Any:
    return m.Param(name, location, style, explode, **kw)


def _session(m, data: object) -> dict[str, Any]:
    """What a model's from_dict does: the declared properties taken out of a copy."""
    d = m.serde.object_copy(data)
    return {
        "id": m.serde.req_pop(d, "sessionId", m.serde.str_),
        "createdAt": m.serde.req_pop(d, "createdAt", m.serde.datetime_),
        "alive": m.serde.opt_pop(d, "alive", m.serde.bool_),
        "extra": d,
    }


def _session_list(m, data: object) -> list[dict[str, Any]]:
    d = m.serde.object_(data)
    return m.serde.req(d, "sessions", lambda v: m.serde.list_(v, lambda s: _session(m, s)))
