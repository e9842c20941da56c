"""End-to-end tests: the generated Archal client against a Stoplight Prism mock.

Prism validates every request against specs/archal.yaml: a request that breaks the
spec gets a 4xx and an `sl-violations` header naming the violation. Every operation
is called through `Client` and `AsyncClient`; every response is captured with an
httpx event hook and must be 2xx without `sl-violations`; the decoded result must
have the type the spec promises. The last test checks that every operation of the
generated resources was called.

Prism is installed by `npm ci --prefix tools/prism`; without it these tests FAIL
(they never skip, so CI proves they ran).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e._prism import prism_mock

pytestmark = pytest.mark.prism

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "specs" / "archal.yaml"
RESOURCES = ("auth", "catalog", "sessions", "results", "runtime")

TOKEN = "archal_test_token"
ROUTE_TOKEN = "Bearer archal_route_token"


# --------------------------------------------------------------------------- Prism


@pytest.fixture(scope="module")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`prism mock` of the document on a free port; stopped afterwards."""
    with prism_mock(Path(SPEC), tmp_path_factory.mktemp("prism")) as url:
        yield url


# --------------------------------------------------------------------- recording


@dataclass
class Recorder:
    """Every response seen by the httpx client (via a response event hook)."""

    responses: list[httpx.Response] = field(default_factory=list)

    def hook(self, response: httpx.Response) -> None:
        self.responses.append(response)

    async def async_hook(self, response: httpx.Response) -> None:
        self.responses.append(response)

    def take(self) -> list[httpx.Response]:
        out, self.responses = self.responses, []
        return out


def _describe(response: httpx.Response) -> str:
    request = response.request
    try:
        body = response.read().decode(errors="replace")[:1000]
    except Exception:  # pragma: no cover - only for the failure message
        body = "<unreadable>"
    sent = request.content.decode(errors="replace")[:1000] if request.content else ""
    return (
        f"{request.method} {request.url} -> {response.status_code}\n"
        f"  request headers: {dict(request.headers)}\n"
        f"  request body: {sent}\n"
        f"  sl-violations: {response.headers.get('sl-violations')}\n"
        f"  response body: {body}"
    )


def _assert_clean(responses: list[httpx.Response]) -> None:
    assert len(responses) == 1, "expected exactly one HTTP exchange:\n" + "\n".join(
        _describe(r) for r in responses
    )
    (response,) = responses
    assert "sl-violations" not in response.headers, (
        "Prism reports that the request breaks the spec:\n" + _describe(response)
    )
    assert 200 <= response.status_code < 300, _describe(response)


# ------------------------------------------------------------------------ cases


@dataclass(frozen=True)
class Case:
    """One operation: how to call it (sync or async client alike), what to expect."""

    resource: str
    method: str
    call: Callable[[Any], Any]
    check: Callable[[Any, Any], None]  # (archal_client module, result)
    expect: tuple[str, str]  # HTTP method and URL path Prism must have seen

    @property
    def op(self) -> str:
        return f"{self.resource}.{self.method}"


SINCE = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)


def _check_auth_me(m: Any, r: Any) -> None:
    assert isinstance(r, m.models.AuthMeResponse)
    assert isinstance(r.user_id, str)
    assert isinstance(r.plan, str)
    assert isinstance(r.selected_clone_ids, list)
    assert isinstance(r.managed_evaluator_available, bool)


def _check_device_create(m: Any, r: Any) -> None:
    assert isinstance(r, m.models.DeviceAuthCreateResponse)
    assert isinstance(r.device_code, str)
    assert isinstance(r.user_code, str)
    assert isinstance(r.expires_in, int)
    assert isinstance(r.interval, int)


def _check_dict(m: Any, r: Any) -> None:
    assert isinstance(r, dict)


def _check_ok(m: Any, r: Any) -> None:
    assert isinstance(r, m.models.OkResponse)
    assert r.ok is True


def _check_session(m: Any, r: Any) -> None:
    assert isinstance(r, m.models.SessionSummary)
    assert isinstance(r.session_id, str)
    assert isinstance(r.clone_ids, list)
    assert isinstance(r.endpoints, dict)
    assert isinstance(r.created_at, datetime)
    assert isinstance(r.expires_at, datetime)


def _check_session_list(m: Any, r: Any) -> None:
    assert isinstance(r, m.models.SessionListResponse)
    assert isinstance(r.sessions, list)
    for s in r.sessions:
        _check_session(m, s)


def _check_none(m: Any, r: Any) -> None:
    assert r is None


def _check_raw(m: Any, r: Any) -> None:
    assert isinstance(r, httpx.Response)
    assert 200 <= r.status_code < 300


def _create_session_body() -> Any:
    from archal_client.models import CreateSessionRequest

    return CreateSessionRequest(clones=["github"], ttl_seconds=600, preflight_only=False)


def _device_token_body() -> Any:
    from archal_client.models import DeviceAuthTokenRequest

    return DeviceAuthTokenRequest(device_code="dev_abc123")


CASES: list[Case] = [
    # Auth
    Case(
        "auth",
        "get_current_cli_user",
        lambda c: c.auth.get_current_cli_user(),
        _check_auth_me,
        ("GET", "/auth/me"),
    ),
    Case(
        "auth",
        "create_device_auth_request",
        lambda c: c.auth.create_device_auth_request(),
        _check_device_create,
        ("POST", "/auth/device"),
    ),
    Case(
        "auth",
        "poll_device_auth_token",
        lambda c: c.auth.poll_device_auth_token(body=_device_token_body()),
        _check_dict,
        ("POST", "/auth/device/token"),
    ),
    # Catalog
    Case(
        "catalog",
        "list_clones",
        lambda c: c.catalog.list_clones(),
        _check_dict,
        ("GET", "/api/clones"),
    ),
    Case(
        "catalog",
        "list_scenarios",
        lambda c: c.catalog.list_scenarios(),
        _check_dict,
        ("GET", "/api/scenarios"),
    ),
    # Sessions
    Case(
        "sessions",
        "list_sessions",
        lambda c: c.sessions.list_sessions(),
        _check_session_list,
        ("GET", "/api/sessions"),
    ),
    Case(
        "sessions",
        "create_session",
        lambda c: c.sessions.create_session(
            body=_create_session_body(), idempotency_key="e2e-key-1"
        ),
        _check_session,
        ("POST", "/api/sessions"),
    ),
    Case(
        "sessions",
        "get_session",
        lambda c: c.sessions.get_session("env_12345"),
        _check_session,
        ("GET", "/api/sessions/env_12345"),
    ),
    Case(
        "sessions",
        "delete_session",
        lambda c: c.sessions.delete_session("env_12345"),
        _check_none,
        ("DELETE", "/api/sessions/env_12345"),
    ),
    # Results
    Case(
        "results",
        "get_run",
        lambda c: c.results.get_run("run_42"),
        _check_dict,
        ("GET", "/api/runs/run_42"),
    ),
    Case(
        "results",
        "list_traces",
        lambda c: c.results.list_traces(
            limit=5,
            since=SINCE,
            session_id="env_12345",
            scenario="smoke",
            include_stats=True,
        ),
        _check_dict,
        ("GET", "/api/traces"),
    ),
    Case(
        "results",
        "ingest_trace",
        lambda c: c.results.ingest_trace(
            body={"traceId": "tr_1", "spans": [{"name": "root", "ms": 12}]}
        ),
        _check_ok,
        ("POST", "/api/traces"),
    ),
    Case(
        "results",
        "delete_traces",
        lambda c: c.results.delete_traces(root_trace_id="tr_1", before=SINCE, all=False),
        _check_ok,
        ("DELETE", "/api/traces"),
    ),
    Case(
        "results",
        "get_trace",
        lambda c: c.results.get_trace("tr_1"),
        _check_dict,
        ("GET", "/api/traces/tr_1"),
    ),
    # Runtime: Prism matches `{path}` as one segment only, so use one segment.
    Case(
        "runtime",
        "proxy_clone_get",
        lambda c: c.runtime.proxy_clone_get("env_12345", "github", "repos"),
        _check_raw,
        ("GET", "/runtime/env_12345/github/api/repos"),
    ),
    Case(
        "runtime",
        "proxy_clone_post",
        lambda c: c.runtime.proxy_clone_post(
            "env_12345", "github", "issues", body={"title": "hello", "labels": ["bug"]}
        ),
        _check_raw,
        ("POST", "/runtime/env_12345/github/api/issues"),
    ),
]

CASE_IDS = [case.op for case in CASES]

# Operations whose call succeeded with a clean exchange, per client flavour.
CALLED: dict[str, set[str]] = {"sync": set(), "async": set()}


def _resource_operations(module: Any, prefix: str) -> set[str]:
    """`resource.method` of every public operation on the generated resource classes."""
    ops: set[str] = set()
    for resource in RESOURCES:
        mod = __import__(f"archal_client.resources.{resource}", fromlist=["_"])
        cls = getattr(mod, f"{prefix}{resource.capitalize()}Resource")
        for name, member in vars(cls).items():
            if name.startswith("_") or not inspect.isfunction(member):
                continue
            ops.add(f"{resource}.{name}")
    return ops


def _check_exchange(case: Case, responses: list[httpx.Response]) -> None:
    _assert_clean(responses)
    request = responses[0].request
    assert (request.method, request.url.path) == case.expect, _describe(responses[0])
    # Credentials: the runtime ops use the route header, all others the bearer token
    # (except the two device-auth ops, which declare `security: []`).
    if case.resource == "runtime":
        assert request.headers.get("x-route-authorization") == ROUTE_TOKEN
        assert "authorization" not in request.headers
    elif case.method in {"create_device_auth_request", "poll_device_auth_token"}:
        assert "authorization" not in request.headers
    else:
        assert request.headers.get("authorization") == f"Bearer {TOKEN}"


# ------------------------------------------------------------------- sync tests


@pytest.fixture(scope="module")
def archal(archal_package: Path) -> Any:
    import archal_client

    assert Path(archal_client.__file__).resolve().parent == archal_package.resolve()
    return archal_client


@pytest.fixture(scope="module")
def sync_setup(archal: Any, prism_url: str) -> Iterator[tuple[Any, Recorder]]:
    recorder = Recorder()
    http = httpx.Client(event_hooks={"response": [recorder.hook]})
    client = archal.Client(
        base_url=prism_url,
        archal_token=TOKEN,
        route_authorization=ROUTE_TOKEN,
        max_retries=0,
        http_client=http,
    )
    with http, client:
        yield client, recorder


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_sync_operation(case: Case, archal: Any, sync_setup: tuple[Any, Recorder]) -> None:
    client, recorder = sync_setup
    recorder.take()
    try:
        result = case.call(client)
    except archal.errors.APIStatusError as exc:
        pytest.fail(f"{case.op} raised {exc!r}:\n{_describe(exc.response)}")
    _check_exchange(case, recorder.take())
    case.check(archal, result)
    CALLED["sync"].add(case.op)


def test_sync_create_session_generated_idempotency_key(
    archal: Any, sync_setup: tuple[Any, Recorder]
) -> None:
    """Without a caller key, the client generates one (within the spec's maxLength)."""
    client, recorder = sync_setup
    recorder.take()
    result = client.sessions.create_session(body={"clones": ["github", "slack"]})
    responses = recorder.take()
    _assert_clean(responses)
    key = responses[0].request.headers.get("idempotency-key")
    assert key and len(key) <= 200
    assert isinstance(result, archal.models.SessionSummary)


def test_sync_raw_response(archal: Any, sync_setup: tuple[Any, Recorder]) -> None:
    client, recorder = sync_setup
    recorder.take()
    raw = client.with_raw_response.sessions.get_session("env_12345")
    _assert_clean(recorder.take())
    assert raw.status_code == 200
    assert isinstance(raw.parse(), archal.models.SessionSummary)


def test_prism_reports_violations(archal: Any, sync_setup: tuple[Any, Recorder]) -> None:
    """Sentinel: a request that breaks the spec is flagged, so the checks above bite."""
    client, recorder = sync_setup
    recorder.take()
    with pytest.raises(archal.errors.BadRequestError):
        # DeviceAuthTokenRequest has `additionalProperties: false`.
        client.auth.poll_device_auth_token(body={"device_code": "x", "extra": 1})
    (response,) = recorder.take()
    assert "additionalProperties" in response.headers.get("sl-violations", "")


# ------------------------------------------------------------------ async tests


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_async_operation(case: Case, archal: Any, prism_url: str) -> None:
    recorder = Recorder()
    hooks = {"response": [recorder.async_hook]}
    async with (
        httpx.AsyncClient(event_hooks=hooks) as http,
        archal.AsyncClient(
            base_url=prism_url,
            archal_token=TOKEN,
            route_authorization=ROUTE_TOKEN,
            max_retries=0,
            http_client=http,
        ) as client,
    ):
        try:
            result = await case.call(client)
        except archal.errors.APIStatusError as exc:
            pytest.fail(f"{case.op} raised {exc!r}:\n{_describe(exc.response)}")
    _check_exchange(case, recorder.take())
    case.check(archal, result)
    CALLED["async"].add(case.op)


# ---------------------------------------------------------------------- coverage


def test_cases_cover_every_operation(archal: Any) -> None:
    """The parametrization names every operation of the generated resources."""
    expected = _resource_operations(archal, "")
    assert len(expected) == 16
    assert _resource_operations(archal, "Async") == expected
    assert set(CASE_IDS) == expected, (
        f"missing: {sorted(expected - set(CASE_IDS))}, unknown: {sorted(set(CASE_IDS) - expected)}"
    )


def test_every_operation_was_called(archal: Any) -> None:
    """Ordered last: every operation was called, and succeeded, on both clients.

    Needs the whole module to run (not a `-k` selection).
    """
    expected = _resource_operations(archal, "")
    for flavour in ("sync", "async"):
        called = CALLED[flavour]
        assert called == expected, (
            f"{flavour}: operations not called successfully: "
            f"{sorted(expected - called)}; unexpected: {sorted(called - expected)}"
        )
