"""The generated Archal client on the wire, operation by operation (MockTransport)."""

from __future__ import annotations

import json

import pytest

from tests.runtime.archal import (
    BASE,
    DEVICE_JSON,
    ISSUES,
    ME_JSON,
    MIN_SESSION_JSON,
    MODES,
    ROUTE,
    SESSION_JSON,
    SINCE,
    SINCE_Q,
    TOKEN,
    Case,
    Reply,
    Server,
    call_api,
    check_device,
    check_dict,
    check_me,
    check_none,
    check_ok,
    check_raw,
    check_session,
    check_session_list,
    device_token_request,
    session_request,
)

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
