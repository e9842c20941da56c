"""Helpers of the generated Archal client's wire tests: scripted replies, and one call
run on a sync or an async client."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx

TOKEN = "tok_archal"
ROUTE = "Bearer route_tok"
BASE = "https://archal.ai"
MODES = ("sync", "async")
_NO_BODY = object()


# --------------------------------------------------------------------------- helpers


@dataclass
class Reply:
    """A canned response; built afresh for every request."""

    status: int = 200
    body: Any = _NO_BODY  # JSON value
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def build(self) -> httpx.Response:
        if self.body is not _NO_BODY:
            return httpx.Response(self.status, json=self.body, headers=self.headers)
        return httpx.Response(self.status, content=self.content, headers=self.headers)


class Server:
    """MockTransport handler: records requests, answers with the replies in order
    (the last one repeats); an exception instance in the list is raised instead."""

    def __init__(self, *replies: Reply | Exception) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies[min(len(self.requests), len(self.replies)) - 1]
        if isinstance(reply, Exception):
            raise reply
        return reply.build()

    @property
    def only(self) -> httpx.Request:
        assert len(self.requests) == 1, [str(r.url) for r in self.requests]
        return self.requests[0]


async def call_api(
    mode: str,
    server: Server,
    call: Callable[[Any], Any],
    *,
    sleeps: list[float] | None = None,
    http_kwargs: dict[str, Any] | None = None,
    **config: Any,
) -> Any:
    """Run `call(client)` on a sync or async client whose transport is `server`.

    `call` is the same lambda for both modes: with the async client it returns a
    coroutine, which is awaited. Sleeping between retries is recorded, never done.
    """
    import archal_client

    recorded = sleeps if sleeps is not None else []
    options = {"archal_token": TOKEN, "route_authorization": ROUTE, **config}
    transport = httpx.MockTransport(server)
    if mode == "sync":
        http = httpx.Client(transport=transport, **(http_kwargs or {}))
        with archal_client.Client(http_client=http, **options) as client:
            client._sleep = recorded.append
            return call(client)

    async def fake_sleep(delay: float) -> None:
        recorded.append(delay)

    ahttp = httpx.AsyncClient(transport=transport, **(http_kwargs or {}))
    async with archal_client.AsyncClient(http_client=ahttp, **options) as aclient:
        aclient._sleep = fake_sleep
        return await call(aclient)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --------------------------------------------------------------------------- data

SESSION_JSON: dict[str, Any] = {
    "sessionId": "env_12345",
    "status": "running",
    "alive": True,
    "cloneIds": ["github", "slack"],
    "endpoints": {"github": "https://env-12345.archal.run/github"},
    "mcp": {"github": "https://env-12345.archal.run/github/mcp"},
    "apiBaseUrls": {"github": "https://env-12345.archal.run/github/api"},
    "resolvedSeeds": {"github": "small-org"},
    "evidence": {"checks": 3},
    "runtimeProvider": "fly",
    "scenarioId": None,
    "batchId": "batch_7",
    "createdAt": "2025-03-01T10:00:00Z",
    "expiresAt": "2025-03-01T11:30:00.250+02:00",
    "endedAt": None,
    "lastError": None,
    "region": "eu-west",
}
MIN_SESSION_JSON: dict[str, Any] = {
    "sessionId": "env_2",
    "status": "starting",
    "cloneIds": ["stripe"],
    "endpoints": {},
    "apiBaseUrls": {},
    "createdAt": "2025-03-02T08:15:30.5Z",
    "expiresAt": "2025-03-02T09:15:30Z",
}
ERROR_JSON = {"error": "nope", "message": "Session env_1 not found", "requestId": "r1"}


def expected_session() -> Any:
    from archal_client.models import SessionSummary

    return SessionSummary(
        session_id="env_12345",
        status="running",
        clone_ids=["github", "slack"],
        endpoints={"github": "https://env-12345.archal.run/github"},
        api_base_urls={"github": "https://env-12345.archal.run/github/api"},
        created_at=utc(2025, 3, 1, 10, 0, 0),
        expires_at=datetime(2025, 3, 1, 11, 30, 0, 250000, tzinfo=timezone(timedelta(hours=2))),
        alive=True,
        mcp={"github": "https://env-12345.archal.run/github/mcp"},
        resolved_seeds={"github": "small-org"},
        evidence={"checks": 3},
        runtime_provider="fly",
        scenario_id=None,
        batch_id="batch_7",
        ended_at=None,
        last_error=None,
        additional_properties={"region": "eu-west"},
    )


def check_session(result: Any) -> None:
    from archal_client.models import SessionSummary

    assert type(result) is SessionSummary
    assert result == expected_session()
    assert type(result.created_at) is datetime
    assert result.created_at.utcoffset() == timedelta(0)
    assert result.expires_at.utcoffset() == timedelta(hours=2)
    assert result.additional_properties == {"region": "eu-west"}


def check_session_list(result: Any) -> None:
    from archal_client import UNSET
    from archal_client.models import SessionListResponse

    assert type(result) is SessionListResponse
    assert [s.session_id for s in result.sessions] == ["env_12345", "env_2"]
    assert result.sessions[0] == expected_session()
    minimal = result.sessions[1]
    assert minimal.created_at == utc(2025, 3, 2, 8, 15, 30, 500000)
    assert minimal.clone_ids == ["stripe"]
    assert minimal.endpoints == {}
    for name in ("alive", "mcp", "scenario_id", "ended_at", "last_error"):
        assert getattr(minimal, name) is UNSET, name
    assert minimal.additional_properties == {}


def check_me(result: Any) -> None:
    from archal_client.models import AuthMeResponse

    assert result == AuthMeResponse(
        user_id="u_1",
        plan="pro",
        selected_clone_ids=["github", "slack"],
        managed_evaluator_available=True,
        email=None,
        additional_properties={"orgId": "org_9"},
    )


def check_device(result: Any) -> None:
    from archal_client.models import DeviceAuthCreateResponse

    # additionalProperties: false -> the unknown key is ignored, not rejected.
    assert result == DeviceAuthCreateResponse(
        device_code="dc_1",
        user_code="ABCD-EFGH",
        verification_uri="https://archal.ai/device",
        verification_uri_complete="https://archal.ai/device?code=ABCD-EFGH",
        expires_in=600,
        interval=5,
    )
    assert not hasattr(result, "additional_properties")


def check_ok(extra: dict[str, Any]) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        from archal_client.models import OkResponse

        assert type(result) is OkResponse
        assert result.ok is True
        assert result.additional_properties == extra

    return check


def check_dict(expected: dict[str, Any]) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        assert type(result) is dict
        assert result == expected

    return check


def check_none(result: Any) -> None:
    assert result is None


def check_raw(status: int, payload: Any) -> Callable[[Any], None]:
    def check(result: Any) -> None:
        assert isinstance(result, httpx.Response)
        assert result.status_code == status
        assert result.json() == payload

    return check


def session_request() -> Any:
    from archal_client.models import CreateSessionRequest

    return CreateSessionRequest(
        clones=["github"],
        ttl_seconds=3600,
        preflight_only=False,
        seeds={"github": "small-org"},
        routing={"mode": "direct"},
    )


def device_token_request() -> Any:
    from archal_client.models import DeviceAuthTokenRequest

    return DeviceAuthTokenRequest(device_code="dc_1")


@dataclass
class Case:
    """One call, the request it must send, a canned reply and the decoded result."""

    id: str
    call: Callable[[Any], Any]
    method: str
    url: str
    reply: Reply
    check: Callable[[Any], None]
    security: str = "archal"  # "archal" | "none" | "route"
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


DEVICE_JSON = {
    "device_code": "dc_1",
    "user_code": "ABCD-EFGH",
    "verification_uri": "https://archal.ai/device",
    "verification_uri_complete": "https://archal.ai/device?code=ABCD-EFGH",
    "expires_in": 600,
    "interval": 5,
    "unexpected": "ignored",
}
ME_JSON = {
    "userId": "u_1",
    "email": None,
    "plan": "pro",
    "selectedCloneIds": ["github", "slack"],
    "managedEvaluatorAvailable": True,
    "orgId": "org_9",
}
SINCE = utc(2024, 1, 2, 3, 4, 5)
SINCE_Q = "2024-01-02T03%3A04%3A05%2B00%3A00"
ISSUES = "/runtime/env_1/github/api/repos/acme/widgets/issues"
