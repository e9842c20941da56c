"""Behaviour of the generated Archal client on the wire, driven through httpx.MockTransport."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

TOKEN = "tok_archal"
ROUTE = "Bearer route_tok"
BASE = "https://archal.ai"
MODES = ("sync", "async")
_NO_BODY = object()


@pytest.fixture(autouse=True)
def _fresh_package(archal_package: object) -> None:
    """Every test imports `archal_client` from the freshly generated copy."""


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

CASES = [
    Case(
        "get_current_cli_user",
        lambda c: c.auth.get_current_cli_user(),
        "GET",
        f"{BASE}/auth/me",
        Reply(body=ME_JSON),
        check_me,
    ),
    Case(
        "create_device_auth_request",
        lambda c: c.auth.create_device_auth_request(),
        "POST",
        f"{BASE}/auth/device",
        Reply(body=DEVICE_JSON),
        check_device,
        security="none",
    ),
    Case(
        "poll_device_auth_token-model",
        lambda c: c.auth.poll_device_auth_token(body=device_token_request()),
        "POST",
        f"{BASE}/auth/device/token",
        Reply(body={"access_token": "at_1", "token_type": "bearer"}),
        check_dict({"access_token": "at_1", "token_type": "bearer"}),
        security="none",
        body=b'{"device_code":"dc_1"}',
    ),
    Case(
        "poll_device_auth_token-dict",
        lambda c: c.auth.poll_device_auth_token(body={"device_code": "dc_2"}),
        "POST",
        f"{BASE}/auth/device/token",
        Reply(body={"access_token": "at_2"}),
        check_dict({"access_token": "at_2"}),
        security="none",
        body=b'{"device_code":"dc_2"}',
    ),
    Case(
        "list_clones",
        lambda c: c.catalog.list_clones(),
        "GET",
        f"{BASE}/api/clones",
        Reply(body={"clones": [{"id": "github", "tools": 42}]}),
        check_dict({"clones": [{"id": "github", "tools": 42}]}),
    ),
    Case(
        "list_scenarios",
        lambda c: c.catalog.list_scenarios(),
        "GET",
        f"{BASE}/api/scenarios",
        Reply(body={"scenarios": ["triage", "refund"], "total": 2}),
        check_dict({"scenarios": ["triage", "refund"], "total": 2}),
    ),
    Case(
        "list_sessions",
        lambda c: c.sessions.list_sessions(),
        "GET",
        f"{BASE}/api/sessions",
        Reply(body={"sessions": [SESSION_JSON, MIN_SESSION_JSON]}),
        check_session_list,
    ),
    Case(
        "create_session",
        lambda c: c.sessions.create_session(body=session_request(), idempotency_key="idem-1"),
        "POST",
        f"{BASE}/api/sessions",
        Reply(body=SESSION_JSON),
        check_session,
        body=(
            b'{"clones":["github"],"preflightOnly":false,"ttlSeconds":3600,'
            b'"routing":{"mode":"direct"},"seeds":{"github":"small-org"}}'
        ),
        headers={"idempotency-key": "idem-1"},
    ),
    Case(
        "create_session-dict",
        lambda c: c.sessions.create_session(
            body={"clones": ["slack", "github"], "scenarioId": "sc_1"},
            idempotency_key="idem-2",
        ),
        "POST",
        f"{BASE}/api/sessions",
        Reply(body=SESSION_JSON),
        check_session,
        body=b'{"clones":["slack","github"],"scenarioId":"sc_1"}',
        headers={"idempotency-key": "idem-2"},
    ),
    Case(
        "get_session",
        lambda c: c.sessions.get_session("env_12345"),
        "GET",
        f"{BASE}/api/sessions/env_12345",
        Reply(body=SESSION_JSON),
        check_session,
    ),
    Case(
        "delete_session",
        lambda c: c.sessions.delete_session("env_12345"),
        "DELETE",
        f"{BASE}/api/sessions/env_12345",
        Reply(status=204),
        check_none,
    ),
    Case(
        "get_run",
        lambda c: c.results.get_run("run_1"),
        "GET",
        f"{BASE}/api/runs/run_1",
        Reply(body={"runId": "run_1", "passed": True, "score": 0.5}),
        check_dict({"runId": "run_1", "passed": True, "score": 0.5}),
    ),
    Case(
        "list_traces-all-params",
        lambda c: c.results.list_traces(
            limit=5,
            since=SINCE,
            session_id="env_1",
            scenario="triage",
            include_stats=True,
        ),
        "GET",
        f"{BASE}/api/traces?limit=5&since={SINCE_Q}&sessionId=env_1"
        "&scenario=triage&includeStats=true",
        Reply(body={"traces": [], "stats": {"count": 0}}),
        check_dict({"traces": [], "stats": {"count": 0}}),
    ),
    Case(
        "list_traces-no-params",
        lambda c: c.results.list_traces(),
        "GET",
        f"{BASE}/api/traces",
        Reply(body={"traces": [{"rootTraceId": "tr_1"}]}),
        check_dict({"traces": [{"rootTraceId": "tr_1"}]}),
    ),
    Case(
        "list_traces-false",
        lambda c: c.results.list_traces(include_stats=False, scenario="a b&c"),
        "GET",
        f"{BASE}/api/traces?scenario=a+b%26c&includeStats=false",
        Reply(body={}),
        check_dict({}),
    ),
    Case(
        "ingest_trace",
        lambda c: c.results.ingest_trace(
            body={"traceId": "t_1", "spans": [{"name": "root", "ms": 12}], "é": None}
        ),
        "POST",
        f"{BASE}/api/traces",
        Reply(body={"ok": True, "id": "tr_1"}),
        check_ok({"id": "tr_1"}),
        body='{"traceId":"t_1","spans":[{"name":"root","ms":12}],"é":null}'.encode(),
    ),
    Case(
        "delete_traces",
        lambda c: c.results.delete_traces(root_trace_id="tr_1", all=False),
        "DELETE",
        f"{BASE}/api/traces?rootTraceId=tr_1&all=false",
        Reply(body={"ok": True}),
        check_ok({}),
    ),
    Case(
        "delete_traces-before-all",
        lambda c: c.results.delete_traces(before=SINCE, all=True),
        "DELETE",
        f"{BASE}/api/traces?before={SINCE_Q}&all=true",
        Reply(body={"ok": True, "deleted": 3}),
        check_ok({"deleted": 3}),
    ),
    Case(
        "get_trace",
        lambda c: c.results.get_trace("tr_1"),
        "GET",
        f"{BASE}/api/traces/tr_1",
        Reply(body={"root": {"id": "tr_1"}, "spans": []}),
        check_dict({"root": {"id": "tr_1"}, "spans": []}),
    ),
    Case(
        "proxy_clone_get",
        lambda c: c.runtime.proxy_clone_get("env_1", "github", "repos/acme/widgets/issues"),
        "GET",
        f"{BASE}{ISSUES}",
        Reply(body=[{"number": 1, "title": "Bug"}]),
        check_raw(200, [{"number": 1, "title": "Bug"}]),
        security="route",
    ),
    Case(
        "proxy_clone_post",
        lambda c: c.runtime.proxy_clone_post(
            "env_1", "github", "repos/acme/widgets/issues", body={"title": "Bug"}
        ),
        "POST",
        f"{BASE}{ISSUES}",
        Reply(status=201, body={"number": 2}),
        check_raw(201, {"number": 2}),
        security="route",
        body=b'{"title":"Bug"}',
    ),
    Case(
        "proxy_clone_post-no-body",
        lambda c: c.runtime.proxy_clone_post("env_1", "slack", "chat.postMessage"),
        "POST",
        f"{BASE}/runtime/env_1/slack/api/chat.postMessage",
        Reply(status=200, body={"ok": True}),
        check_raw(200, {"ok": True}),
        security="route",
    ),
]


def test_cases_cover_all_16_operations() -> None:
    operations = {case.id.split("-")[0] for case in CASES}
    assert len(operations) == 16


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_operation_request_and_decoding(mode: str, case: Case) -> None:
    server = Server(case.reply)
    result = await call_api(mode, server, case.call)

    request = server.only
    assert request.method == case.method
    assert str(request.url) == case.url
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"] == "archal_client/0.3.0 (oagen)"
    for name, value in case.headers.items():
        assert request.headers.get(name) == value, name
    if case.security == "archal":
        assert request.headers.get("authorization") == f"Bearer {TOKEN}"
        assert "x-route-authorization" not in request.headers
    elif case.security == "route":
        assert request.headers.get("x-route-authorization") == ROUTE
        assert "authorization" not in request.headers
    else:
        assert "authorization" not in request.headers
        assert "x-route-authorization" not in request.headers
    assert request.content == case.body
    if case.body:
        assert request.headers["content-type"] == "application/json"
        json.loads(case.body)  # the expectation itself is valid JSON
    else:
        assert "content-type" not in request.headers
    case.check(result)


# --------------------------------------------------------------------------- errors

ERROR_CASES = [
    # (status, error class, call, spec declares ErrorResponse for that status)
    (
        400,
        "BadRequestError",
        lambda c: c.auth.poll_device_auth_token(body={"device_code": "x"}),
        True,
    ),
    (401, "AuthenticationError", lambda c: c.auth.get_current_cli_user(), True),
    (403, "PermissionDeniedError", lambda c: c.sessions.get_session("env_1"), True),
    (404, "NotFoundError", lambda c: c.sessions.get_session("env_1"), True),
    (409, "ConflictError", lambda c: c.sessions.get_session("env_1"), False),
    (422, "UnprocessableEntityError", lambda c: c.results.get_run("run_1"), False),
    (429, "RateLimitError", lambda c: c.auth.create_device_auth_request(), True),
    (500, "InternalServerError", lambda c: c.sessions.list_sessions(), False),
    (502, "InternalServerError", lambda c: c.sessions.delete_session("env_1"), False),
    (503, "InternalServerError", lambda c: c.results.list_traces(), True),
    (504, "InternalServerError", lambda c: c.results.get_trace("tr_1"), False),
    (
        428,
        "APIStatusError",
        lambda c: c.auth.poll_device_auth_token(body={"device_code": "x"}),
        False,
    ),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("status", "error_name", "call", "declared"),
    ERROR_CASES,
    ids=[f"{s}-{n}" for s, n, _, _ in ERROR_CASES],
)
async def test_error_status_maps_to_exception(
    mode: str, status: int, error_name: str, call: Any, declared: bool
) -> None:
    from archal_client import UNSET, errors
    from archal_client.models import ErrorResponse

    server = Server(Reply(status=status, body=ERROR_JSON))
    with pytest.raises(errors.APIStatusError) as info:
        await call_api(mode, server, call, max_retries=0)

    exc = info.value
    assert type(exc) is getattr(errors, error_name)
    assert isinstance(exc, errors.APIError)
    assert exc.status_code == status
    assert exc.response.status_code == status
    assert str(exc).startswith(f"Error code: {status}")
    assert len(server.requests) == 1
    if declared:
        assert exc.body == ErrorResponse(
            error="nope",
            message="Session env_1 not found",
            additional_properties={"requestId": "r1"},
        )
        assert exc.body.code is UNSET
    else:
        assert exc.body == ERROR_JSON
        assert type(exc.body) is dict


@pytest.mark.parametrize("mode", MODES)
async def test_error_body_that_is_not_json_is_kept_as_text(mode: str) -> None:
    from archal_client import errors

    server = Server(Reply(status=404, content=b"no such session"))
    with pytest.raises(errors.NotFoundError) as info:
        await call_api(mode, server, lambda c: c.sessions.get_session("env_1"))
    assert info.value.body == "no such session"


@pytest.mark.parametrize("mode", MODES)
async def test_error_raised_through_with_raw_response(mode: str) -> None:
    from archal_client import errors

    server = Server(Reply(status=403, body={"error": "forbidden"}))
    with pytest.raises(errors.PermissionDeniedError) as info:
        await call_api(mode, server, lambda c: c.with_raw_response.sessions.get_session("env_1"))
    assert info.value.body.error == "forbidden"


# --------------------------------------------------------------------------- response validation

VALIDATION_CASES = [
    (
        "list-item-datetime",
        lambda c: c.sessions.list_sessions(),
        {"sessions": [MIN_SESSION_JSON, {**MIN_SESSION_JSON, "createdAt": 12}]},
        ("sessions", 1, "createdAt"),
        "$.sessions[1].createdAt: expected string, got integer",
    ),
    (
        "missing-required",
        lambda c: c.auth.get_current_cli_user(),
        {k: v for k, v in ME_JSON.items() if k != "userId"},
        ("userId",),
        "$.userId: missing required property",
    ),
    (
        "bad-datetime",
        lambda c: c.sessions.get_session("env_2"),
        {**MIN_SESSION_JSON, "expiresAt": "tomorrow"},
        ("expiresAt",),
        "$.expiresAt: invalid date-time 'tomorrow'",
    ),
    (
        "map-value",
        lambda c: c.sessions.get_session("env_2"),
        {**MIN_SESSION_JSON, "endpoints": {"github": 7}},
        ("endpoints", "github"),
        "$.endpoints.github: expected string, got integer",
    ),
    (
        "json-object-is-array",
        lambda c: c.catalog.list_clones(),
        [{"id": "github"}],
        (),
        "$: expected object, got array",
    ),
    (
        "bool-field",
        lambda c: c.auth.get_current_cli_user(),
        {**ME_JSON, "managedEvaluatorAvailable": "yes"},
        ("managedEvaluatorAvailable",),
        "$.managedEvaluatorAvailable: expected boolean, got string",
    ),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("call", "payload", "path", "message"),
    [c[1:] for c in VALIDATION_CASES],
    ids=[c[0] for c in VALIDATION_CASES],
)
async def test_response_validation_error_names_json_path(
    mode: str, call: Any, payload: Any, path: tuple[Any, ...], message: str
) -> None:
    from archal_client import errors

    server = Server(Reply(body=payload))
    with pytest.raises(errors.APIResponseValidationError) as info:
        await call_api(mode, server, call)
    exc = info.value
    assert isinstance(exc, errors.APIError)
    assert exc.path == path
    assert str(exc) == message
    assert exc.status_code == 200
    assert exc.body == payload
    assert len(server.requests) == 1  # a decoding error is not retried


@pytest.mark.parametrize("mode", MODES)
async def test_response_that_is_not_json_raises_validation_error(mode: str) -> None:
    from archal_client import errors

    server = Server(Reply(content=b"<html>oops</html>"))
    with pytest.raises(errors.APIResponseValidationError) as info:
        await call_api(mode, server, lambda c: c.sessions.get_session("env_1"))
    assert info.value.path == ()
    assert "not valid JSON" in str(info.value)


def test_models_keep_unknown_keys_and_enum_values_and_round_trip() -> None:
    from archal_client.models import ErrorResponse, SessionSummary, TestCaseResult

    session = SessionSummary.from_dict(SESSION_JSON)
    assert session.additional_properties == {"region": "eu-west"}
    assert session.to_dict()["region"] == "eu-west"
    assert SessionSummary.from_dict(session.to_dict()) == session

    error = ErrorResponse.from_dict({"code": "E1", "hint": {"retry": False}})
    assert error.code == "E1"
    assert error.additional_properties == {"hint": {"retry": False}}

    # An enum value the spec does not list must not crash decoding.
    result = TestCaseResult.from_dict(
        {"name": "t", "file": "a.py", "status": "flaky", "duration": 1}
    )
    assert result.status == "flaky"
    assert result.duration == 1


# --------------------------------------------------------------------------- security


@pytest.mark.parametrize("mode", MODES)
async def test_security_bearer_token_absent_when_not_configured(mode: str) -> None:
    server = Server(Reply(body=SESSION_JSON))
    await call_api(mode, server, lambda c: c.sessions.get_session("env_1"), archal_token=None)
    assert "authorization" not in server.only.headers


@pytest.mark.parametrize("mode", MODES)
async def test_security_runtime_without_route_credential_sends_neither(
    mode: str,
) -> None:
    server = Server(Reply(body={}))
    await call_api(
        mode,
        server,
        lambda c: c.runtime.proxy_clone_get("env_1", "github", "user"),
        route_authorization=None,
    )
    assert "authorization" not in server.only.headers
    assert "x-route-authorization" not in server.only.headers


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("configured", [ROUTE, None])
async def test_security_explicit_route_header_wins(mode: str, configured: str | None) -> None:
    server = Server(Reply(status=201, body={}))
    await call_api(
        mode,
        server,
        lambda c: c.runtime.proxy_clone_post(
            "env_1",
            "github",
            "repos/acme/widgets/issues",
            x_route_authorization="Bearer explicit",
            body={},
        ),
        route_authorization=configured,
    )
    headers = server.only.headers
    assert headers.get_list("x-route-authorization") == ["Bearer explicit"]
    assert "authorization" not in headers


# ----------------------------------------------------------- idempotency and retries


@pytest.mark.parametrize("mode", MODES)
async def test_create_session_generates_uuid4_idempotency_key_per_call(
    mode: str,
) -> None:
    server = Server(Reply(body=SESSION_JSON))

    def twice(client: Any) -> Any:
        body = {"clones": ["github"]}
        calls = [client.sessions.create_session(body=body) for _ in range(2)]
        if mode == "sync":
            return calls

        async def gather() -> None:
            for call in calls:
                await call

        return gather()

    await call_api(mode, server, twice)
    keys = [r.headers["idempotency-key"] for r in server.requests]
    assert len(keys) == 2
    for key in keys:
        assert str(uuid.UUID(key)) == key
        assert uuid.UUID(key).version == 4
    assert keys[0] != keys[1]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("given", [None, "caller-key-1"])
async def test_create_session_retries_reuse_the_same_idempotency_key(
    mode: str, given: str | None
) -> None:
    kwargs = {} if given is None else {"idempotency_key": given}
    server = Server(
        Reply(status=503, body={"error": "busy"}, headers={"Retry-After": "1"}),
        Reply(status=429, body={"error": "slow"}, headers={"Retry-After": "2"}),
        Reply(body=SESSION_JSON),
    )
    sleeps: list[float] = []
    result = await call_api(
        mode,
        server,
        lambda c: c.sessions.create_session(body={"clones": ["github"]}, **kwargs),
        sleeps=sleeps,
    )
    check_session(result)
    assert len(server.requests) == 3
    keys = {r.headers["idempotency-key"] for r in server.requests}
    assert len(keys) == 1
    if given is not None:
        assert keys == {given}
    assert sleeps == [1.0, 2.0]
    assert {r.content for r in server.requests} == {b'{"clones":["github"]}'}


@pytest.mark.parametrize("mode", MODES)
async def test_get_retried_on_503_up_to_max_retries(mode: str) -> None:
    from archal_client import errors
    from archal_client.models import ErrorResponse

    server = Server(Reply(status=503, body={"error": "down"}))
    sleeps: list[float] = []
    with pytest.raises(errors.InternalServerError) as info:
        await call_api(mode, server, lambda c: c.results.list_traces(limit=2), sleeps=sleeps)
    assert len(server.requests) == 3
    assert {str(r.url) for r in server.requests} == {f"{BASE}/api/traces?limit=2"}
    assert info.value.status_code == 503
    assert info.value.body == ErrorResponse(error="down")
    # exponential backoff with up to 25% jitter: 0.5s then 1s
    assert len(sleeps) == 2
    assert 0.375 <= sleeps[0] <= 0.5
    assert 0.75 <= sleeps[1] <= 1.0


@pytest.mark.parametrize("mode", MODES)
async def test_retry_honours_retry_after_and_then_succeeds(mode: str) -> None:
    server = Server(
        Reply(status=503, headers={"Retry-After": "2"}),
        Reply(status=500, headers={"retry-after-ms": "250"}),
        Reply(body=SESSION_JSON),
    )
    sleeps: list[float] = []
    result = await call_api(
        mode, server, lambda c: c.sessions.get_session("env_12345"), sleeps=sleeps
    )
    check_session(result)
    assert sleeps == [2.0, 0.25]
    assert len(server.requests) == 3


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("max_retries", "attempts"), [(0, 1), (1, 2), (4, 5)])
async def test_max_retries_bounds_attempts(mode: str, max_retries: int, attempts: int) -> None:
    from archal_client import errors

    server = Server(Reply(status=503, headers={"Retry-After": "0"}))
    sleeps: list[float] = []
    with pytest.raises(errors.InternalServerError):
        await call_api(
            mode,
            server,
            lambda c: c.sessions.delete_session("env_1"),
            sleeps=sleeps,
            max_retries=max_retries,
        )
    assert len(server.requests) == attempts
    assert sleeps == [0.0] * (attempts - 1)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.results.ingest_trace(body={"traceId": "t_1"}),
        lambda c: c.auth.create_device_auth_request(),
        lambda c: c.runtime.proxy_clone_post("env_1", "github", "x", body={}),
    ],
    ids=["ingest_trace", "create_device_auth_request", "proxy_clone_post"],
)
async def test_post_without_idempotency_key_is_not_retried(mode: str, call: Any) -> None:
    from archal_client import errors

    server = Server(
        Reply(status=503, body={"error": "down"}, headers={"Retry-After": "0"}),
        Reply(body={"ok": True}),
    )
    sleeps: list[float] = []
    with pytest.raises(errors.InternalServerError):
        await call_api(mode, server, call, sleeps=sleeps)
    assert len(server.requests) == 1
    assert "idempotency-key" not in server.requests[0].headers
    assert sleeps == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("status", "retried"),
    [(408, True), (429, True), (500, True), (504, True), (400, False), (409, False)],
)
async def test_which_statuses_are_retried(mode: str, status: int, retried: bool) -> None:
    server = Server(
        Reply(status=status, body={}, headers={"Retry-After": "0"}),
        Reply(body={"traces": []}),
    )
    sleeps: list[float] = []
    try:
        result = await call_api(mode, server, lambda c: c.results.list_traces(), sleeps=sleeps)
    except Exception as exc:
        from archal_client import errors

        assert isinstance(exc, errors.APIStatusError)
        assert exc.status_code == status
        result = None
    assert len(server.requests) == (2 if retried else 1)
    assert result == ({"traces": []} if retried else None)
    assert sleeps == ([0.0] if retried else [])


@pytest.mark.parametrize("mode", MODES)
async def test_client_error_is_not_retried(mode: str) -> None:
    from archal_client import errors

    server = Server(Reply(status=404, body={}), Reply(body=SESSION_JSON))
    sleeps: list[float] = []
    with pytest.raises(errors.NotFoundError):
        await call_api(mode, server, lambda c: c.sessions.get_session("env_1"), sleeps=sleeps)
    assert len(server.requests) == 1
    assert sleeps == []


@pytest.mark.parametrize("mode", MODES)
async def test_connection_errors_are_retried_then_raised(mode: str) -> None:
    from archal_client import errors

    server = Server(httpx.ConnectError("refused"))
    with pytest.raises(errors.APIConnectionError) as info:
        await call_api(mode, server, lambda c: c.catalog.list_clones())
    assert type(info.value) is errors.APIConnectionError
    assert len(server.requests) == 3

    server = Server(httpx.ReadTimeout("slow"), Reply(body={"clones": []}))
    result = await call_api(mode, server, lambda c: c.catalog.list_clones())
    assert result == {"clones": []}
    assert len(server.requests) == 2

    server = Server(httpx.ReadTimeout("slow"))
    with pytest.raises(errors.APITimeoutError):
        await call_api(mode, server, lambda c: c.catalog.list_clones(), max_retries=0)
    assert len(server.requests) == 1


# --------------------------------------------------------------------------- request validation


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("make_call", "field_name"),
    [
        (
            lambda m: lambda c: c.sessions.create_session(body=m.CreateSessionRequest(clones=[])),
            "CreateSessionRequest.clones",
        ),
        (
            lambda m: (
                lambda c: c.sessions.create_session(
                    body=m.CreateSessionRequest(clones=["github"], ttl_seconds=0)
                )
            ),
            "CreateSessionRequest.ttl_seconds",
        ),
        (
            lambda m: (
                lambda c: c.sessions.create_session(
                    body=m.CreateSessionRequest(clones=["github"], scenario_run_count=1001)
                )
            ),
            "CreateSessionRequest.scenario_run_count",
        ),
        (
            lambda m: (
                lambda c: c.sessions.create_session(
                    body={"clones": ["github"]}, idempotency_key="k" * 201
                )
            ),
            "idempotency_key",
        ),
        (lambda m: lambda c: c.results.list_traces(limit=0), "limit"),
    ],
    ids=["clones-empty", "ttl-zero", "run-count-high", "idempotency-key-long", "limit-0"],
)
async def test_request_validation_raises_before_sending(
    mode: str, make_call: Any, field_name: str
) -> None:
    from archal_client import errors, models

    server = Server(Reply(body=SESSION_JSON))
    with pytest.raises(errors.RequestValidationError) as info:
        await call_api(mode, server, make_call(models))
    assert isinstance(info.value, ValueError)
    assert info.value.field == field_name
    assert server.requests == []


@pytest.mark.parametrize("mode", MODES)
async def test_request_validation_of_model_mutated_after_construction(
    mode: str,
) -> None:
    from archal_client import errors
    from archal_client.models import CreateSessionRequest

    body = CreateSessionRequest(clones=["github"])
    body.ttl_seconds = 0
    server = Server(Reply(body=SESSION_JSON))
    with pytest.raises(errors.RequestValidationError) as info:
        await call_api(mode, server, lambda c: c.sessions.create_session(body=body))
    assert info.value.field == "CreateSessionRequest.ttl_seconds"
    assert server.requests == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("body", "field_part"),
    [({"clones": []}, "clones"), ({"clones": ["github"], "ttlSeconds": 0}, "ttl")],
    ids=["clones-empty", "ttl-zero"],
)
async def test_request_validation_of_plain_dict_body(
    mode: str, body: dict[str, Any], field_part: str
) -> None:
    """DESIGN §4/§5: a JSON body may be a plain dict, and request bodies are checked
    against their constraints before anything is sent."""
    from archal_client import errors

    server = Server(Reply(body=SESSION_JSON))
    with pytest.raises(errors.RequestValidationError) as info:
        await call_api(mode, server, lambda c: c.sessions.create_session(body=body))
    assert field_part in info.value.field
    assert server.requests == []


def make_payload(project_name: str) -> Any:
    from archal_client.models import TestCaseResult, TestResultPayload, TestResultSummary

    return TestResultPayload(
        project_name=project_name,
        services=["github"],
        results=[TestCaseResult(name="t1", file="a.py", status="passed", duration=0.5)],
        summary=TestResultSummary(total=1, passed=1, failed=0, skipped=0, duration=0.5),
        timestamp=utc(2025, 1, 1, 0, 0, 0),
    )


def test_test_result_payload_project_name_max_length() -> None:
    from archal_client import errors
    from archal_client.models import TestCaseResult

    assert make_payload("p" * 200).to_dict()["projectName"] == "p" * 200
    with pytest.raises(errors.RequestValidationError) as info:
        make_payload("p" * 201)
    assert info.value.field == "TestResultPayload.project_name"
    assert "200" in info.value.problem

    with pytest.raises(errors.RequestValidationError) as info:
        TestCaseResult(name="t", file="a.py", status="flaky", duration=1.0)  # type: ignore[arg-type]
    assert info.value.field == "TestCaseResult.status"


@pytest.mark.parametrize("mode", MODES)
async def test_test_result_payload_inside_a_body_is_checked_before_sending(
    mode: str,
) -> None:
    from archal_client import errors

    payload = make_payload("widgets")
    payload.project_name = "p" * 201
    server = Server(Reply(body={"ok": True}))
    with pytest.raises(errors.RequestValidationError) as info:
        await call_api(
            mode,
            server,
            lambda c: c.results.ingest_trace(body={"testResults": payload}),
        )
    assert info.value.field.endswith("project_name")
    assert server.requests == []

    payload.project_name = "widgets"
    await call_api(mode, server, lambda c: c.results.ingest_trace(body={"testResults": payload}))
    sent = json.loads(server.only.content)
    assert sent["testResults"]["projectName"] == "widgets"
    assert sent["testResults"]["timestamp"] == "2025-01-01T00:00:00+00:00"
    assert sent["testResults"]["results"][0] == {
        "name": "t1",
        "file": "a.py",
        "status": "passed",
        "duration": 0.5,
    }


# --------------------------------------------------------------------------- path encoding

PATH_CASES = [
    (lambda c: c.sessions.get_session("a/b c"), "/api/sessions/a%2Fb%20c"),
    (lambda c: c.sessions.delete_session("x?y#z%"), "/api/sessions/x%3Fy%23z%25"),
    (lambda c: c.sessions.get_session(".."), "/api/sessions/%2E%2E"),
    (lambda c: c.results.get_trace("tr:1+2"), "/api/traces/tr%3A1%2B2"),
    (
        lambda c: c.runtime.proxy_clone_get("env_1", "github", "repos/acme/widgets/issues"),
        ISSUES,
    ),
    (
        lambda c: c.runtime.proxy_clone_get("env 1", "git/hub", "repos/a b/c:d@e"),
        "/runtime/env%201/git%2Fhub/api/repos/a%20b/c:d@e",
    ),
    (
        lambda c: c.runtime.proxy_clone_post("env_1", "github", "q?x=1#frag", body={}),
        "/runtime/env_1/github/api/q%3Fx=1%23frag",
    ),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("call", "raw_path"), PATH_CASES, ids=[p for _, p in PATH_CASES])
async def test_path_parameters_are_percent_encoded(mode: str, call: Any, raw_path: str) -> None:
    server = Server(Reply(body=SESSION_JSON))
    await call_api(mode, server, call)
    assert server.only.url.raw_path == raw_path.encode()
    assert str(server.only.url) == BASE + raw_path


# --------------------------------------------------------------------------- raw responses


@pytest.mark.parametrize("mode", MODES)
async def test_with_raw_response_returns_api_response(mode: str) -> None:
    server = Server(Reply(body=SESSION_JSON, headers={"x-request-id": "req_7"}))
    raw = await call_api(
        mode, server, lambda c: c.with_raw_response.sessions.get_session("env_12345")
    )
    from archal_client._response import APIResponse

    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "req_7"
    assert isinstance(raw.http_response, httpx.Response)
    assert raw.http_response.json() == SESSION_JSON
    assert raw.parse() == expected_session()
    assert str(server.only.url) == f"{BASE}/api/sessions/env_12345"


@pytest.mark.parametrize("mode", MODES)
async def test_with_raw_response_other_shapes(mode: str) -> None:
    server = Server(Reply(status=204))
    raw = await call_api(
        mode, server, lambda c: c.with_raw_response.sessions.delete_session("env_1")
    )
    assert raw.status_code == 204
    assert raw.parse() is None

    server = Server(Reply(status=201, body={"n": 1}))
    raw = await call_api(
        mode,
        server,
        lambda c: c.with_raw_response.runtime.proxy_clone_post("e", "g", "p", body={}),
    )
    assert raw.status_code == 201
    assert raw.parse() is raw.http_response

    server = Server(Reply(body={"ok": True, "id": "tr_9"}))
    raw = await call_api(
        mode,
        server,
        lambda c: c.results.with_raw_response.ingest_trace(body={"a": 1}),
    )
    assert raw.parse().additional_properties == {"id": "tr_9"}
    assert raw.parse().ok is True


@pytest.mark.parametrize("mode", MODES)
async def test_with_raw_response_does_not_leak_into_later_calls(mode: str) -> None:
    server = Server(Reply(body={"clones": []}))

    def both(client: Any) -> Any:
        first = client.with_raw_response.catalog.list_clones()
        if mode == "sync":
            return first, client.catalog.list_clones()

        async def run() -> Any:
            return await first, await client.catalog.list_clones()

        return run()

    raw, plain = await call_api(mode, server, both)
    assert raw.status_code == 200
    assert plain == {"clones": []}


# --------------------------------------------------------------------------- options


@pytest.mark.parametrize("mode", MODES)
async def test_extra_headers_and_extra_query(mode: str) -> None:
    server = Server(Reply(body={}))
    await call_api(
        mode,
        server,
        lambda c: c.results.list_traces(
            limit=3,
            extra_query={"cursor": "c2"},
            extra_headers={"X-Trace": "abc", "Authorization": "Bearer override"},
        ),
    )
    request = server.only
    assert str(request.url) == f"{BASE}/api/traces?limit=3&cursor=c2"
    assert request.headers["x-trace"] == "abc"
    assert request.headers.get_list("authorization") == ["Bearer override"]


@pytest.mark.parametrize("mode", MODES)
async def test_default_headers_are_sent(mode: str) -> None:
    server = Server(Reply(body={}))
    await call_api(
        mode,
        server,
        lambda c: c.catalog.list_scenarios(),
        default_headers={"X-Archal-Cli": "1.2.3"},
    )
    assert server.only.headers["x-archal-cli"] == "1.2.3"
    assert server.only.headers["authorization"] == f"Bearer {TOKEN}"


def _timeouts(value: float | None) -> dict[str, float | None]:
    return {"connect": value, "read": value, "write": value, "pool": value}


@pytest.mark.parametrize("mode", MODES)
async def test_timeout_default_client_and_per_call(mode: str) -> None:
    server = Server(Reply(body={}))
    await call_api(mode, server, lambda c: c.catalog.list_clones())
    assert server.requests[-1].extensions["timeout"] == _timeouts(60.0)

    await call_api(mode, server, lambda c: c.catalog.list_clones(timeout=5.0))
    assert server.requests[-1].extensions["timeout"] == _timeouts(5.0)

    await call_api(
        mode,
        server,
        lambda c: c.catalog.list_clones(timeout=httpx.Timeout(1.0, read=9.0)),
    )
    assert server.requests[-1].extensions["timeout"] == {
        "connect": 1.0,
        "read": 9.0,
        "write": 1.0,
        "pool": 1.0,
    }

    # The client's timeout applies on top of the caller's http_client.
    await call_api(
        mode,
        server,
        lambda c: c.catalog.list_clones(),
        timeout=12.5,
        http_kwargs={"timeout": 3.0},
    )
    assert server.requests[-1].extensions["timeout"] == _timeouts(12.5)


@pytest.mark.parametrize("mode", MODES)
async def test_base_url_default_and_override(mode: str) -> None:
    import archal_client

    with archal_client.Client() as client:
        assert client.base_url == "https://archal.ai"
    async with archal_client.AsyncClient() as aclient:
        assert aclient.base_url == "https://archal.ai"

    server = Server(Reply(body={"sessions": []}))
    await call_api(
        mode,
        server,
        lambda c: c.sessions.list_sessions(),
        base_url="http://localhost:8080/prefix/",
        http_kwargs={"base_url": "http://ignored.example"},
    )
    assert str(server.only.url) == "http://localhost:8080/prefix/api/sessions"


def test_client_context_manager_sync() -> None:
    import archal_client

    server = Server(Reply(body={"sessions": []}))
    http = httpx.Client(transport=httpx.MockTransport(server))
    with archal_client.Client(http_client=http, archal_token=TOKEN) as client:
        assert isinstance(client, archal_client.Client)
        assert client.sessions.list_sessions().sessions == []
    assert len(server.requests) == 1

    with archal_client.Client() as owned:
        inner = owned._http_client
        assert not inner.is_closed
    assert inner.is_closed


async def test_client_context_manager_async() -> None:
    import archal_client

    server = Server(Reply(body={"sessions": []}))
    http = httpx.AsyncClient(transport=httpx.MockTransport(server))
    async with archal_client.AsyncClient(http_client=http, archal_token=TOKEN) as client:
        assert isinstance(client, archal_client.AsyncClient)
        assert (await client.sessions.list_sessions()).sessions == []
    assert len(server.requests) == 1

    async with archal_client.AsyncClient() as owned:
        inner = owned._http_client
        assert not inner.is_closed
    assert inner.is_closed


def test_package_exports_and_version() -> None:
    import archal_client

    assert archal_client.__version__ == "0.3.0"
    assert not archal_client.UNSET
    with archal_client.Client(archal_token=TOKEN) as client:
        assert TOKEN not in repr(client)
