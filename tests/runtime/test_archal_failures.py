"""The generated Archal client's errors, response and request validation, security,
path encoding, raw responses and options (MockTransport)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.runtime.archal import (
    BASE,
    ERROR_JSON,
    ISSUES,
    ME_JSON,
    MIN_SESSION_JSON,
    MODES,
    ROUTE,
    SESSION_JSON,
    TOKEN,
    Reply,
    Server,
    call_api,
    expected_session,
    utc,
)

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
