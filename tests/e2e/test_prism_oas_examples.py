"""End-to-end: every operation of an @readme/oas-examples document through Prism.

The document is the Train Travel API (`3.1/json/train-travel.json` of
@readme/oas-examples@8.2.2, fetched with `npm pack` into the ignored `.cache/corpus/` by
the corpus machinery): OpenAPI 3.1, an OAuth2 scheme (a bearer token), path-item
parameters, UUID and date-time query parameters, request and response bodies offered as
JSON and XML, a 201, a 204, `oneOf` payment sources and HATEOAS link wrappers.

Prism validates every request against the document; each operation is called through
`Client` and `AsyncClient`, every exchange must be 2xx without `sl-violations`, ask for
JSON first, and decode to the type the document promises. The last test checks that
every operation of the generated resources was called on both clients.

Prism is installed by `npm ci --prefix tools/prism`; without it these tests FAIL.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from tests.corpus import corpus
from tests.e2e._harness import Generated, generated_client
from tests.e2e._prism import prism_mock

pytestmark = pytest.mark.prism

REPO = Path(__file__).resolve().parents[2]
SPEC = "oas-examples:3.1/json/train-travel.json"
PACKAGE = "train_travel_client"
TOKEN = "train-token"

TRIP = UUID("4f4e4e1c-c824-4d63-b37a-d8d698862f1d")
STATION_A = UUID("efdbb9d1-02c2-4bc3-afb7-6788d8782b1e")
STATION_B = UUID("b2e783e1-c824-4d63-b37a-d8d698862f1d")
BOOKING = UUID("1725ff48-ab45-4bb5-9d02-88745177dedb")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def spec_path() -> Path:
    return corpus.fetch([SPEC])[SPEC]


@pytest.fixture(scope="module")
def prism_url(spec_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`prism mock` of the document on a free port; stopped afterwards."""
    with prism_mock(Path(spec_path), tmp_path_factory.mktemp("prism-oas")) as url:
        yield url


@pytest.fixture(scope="module")
def tt(spec_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    import json

    import yaml

    text = spec_path.read_text(encoding="utf-8")
    spec = json.loads(text) if spec_path.suffix == ".json" else yaml.safe_load(text)
    with generated_client(spec, PACKAGE, tmp_path_factory.mktemp("train")) as generated:
        yield generated


# --------------------------------------------------------------------------- exchanges


class Recorder:
    def __init__(self) -> None:
        self.responses: list[httpx.Response] = []

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
    try:
        sent = request.content.decode(errors="replace")[:1000]
    except httpx.RequestNotRead:  # pragma: no cover - a streamed body
        sent = "<streamed>"
    return (
        f"{request.method} {request.url} -> {response.status_code}\n"
        f"  request headers: {dict(request.headers)}\n"
        f"  request body: {sent}\n"
        f"  sl-violations: {response.headers.get('sl-violations')}\n"
        f"  response body: {body}"
    )


@dataclass(frozen=True)
class Case:
    resource: str
    method: str
    call: Callable[[Any, Any], Any]  # (client, models) -> result
    check: Callable[[Any, Any], None]  # (models, result)
    expect: tuple[str, str]  # HTTP method and path Prism must see

    @property
    def op(self) -> str:
        return f"{self.resource}.{self.method}"


def _check_stations(m: Any, r: Any) -> None:
    assert isinstance(r, m.GetStationsResponse)
    assert isinstance(r.data, list) and r.data
    station = r.data[0]
    assert isinstance(station, m.Station)
    assert isinstance(station.id, UUID)
    assert isinstance(station.name, str)
    assert isinstance(station.country_code, str)


def _check_trips(m: Any, r: Any) -> None:
    assert isinstance(r, m.GetTripsResponse)
    assert isinstance(r.data, list) and r.data
    trip = r.data[0]
    assert isinstance(trip, m.Trip)
    assert isinstance(trip.id, UUID)
    assert isinstance(trip.departure_time, datetime)
    assert isinstance(trip.price, float | int)


def _check_bookings(m: Any, r: Any) -> None:
    assert isinstance(r, m.GetBookingsResponse)
    assert isinstance(r.data, list) and r.data
    assert all(isinstance(b, m.Booking) for b in r.data)
    assert isinstance(r.data[0].id, UUID)


def _check_booking(m: Any, r: Any) -> None:
    assert isinstance(r, m.Booking)  # the Booking fields plus the `links` wrapper
    assert isinstance(r.id, UUID)
    assert isinstance(r.passenger_name, str)


def _check_none(m: Any, r: Any) -> None:
    assert r is None


def _check_payment(m: Any, r: Any) -> None:
    assert isinstance(r, m.CreateBookingPaymentResponse)
    assert isinstance(r.id, UUID)
    assert r.status in {"pending", "succeeded", "failed"}
    assert isinstance(r.source, m.BookingPaymentSourceOption1 | m.BookingPaymentSourceOption2)


def _check_created_booking(m: Any, r: Any) -> None:
    # 201: the Booking schema plus `links` (allOf), named after the operation
    assert type(r).__name__ == "CreateBookingResponse201"
    assert isinstance(r.id, UUID)
    assert isinstance(r.trip_id, UUID)
    assert isinstance(r.passenger_name, str)


def _check_booking_wrapped(m: Any, r: Any) -> None:
    assert isinstance(r, m.GetBookingResponse)
    assert isinstance(r.id, UUID)
    assert isinstance(r.passenger_name, str)


def _card(m: Any) -> Any:
    return m.BookingPaymentSourceOption1(
        object_="card",
        name="J. Doe",
        number="4242424242424242",
        cvc=123,
        exp_month=12,
        exp_year=2030,
        address_country="gb",
    )


CASES = [
    Case(
        "stations",
        "get_stations",
        lambda c, m: c.stations.get_stations(),
        _check_stations,
        ("GET", "/stations"),
    ),
    Case(
        "trips",
        "get_trips",
        lambda c, m: c.trips.get_trips(
            origin=STATION_A,
            destination=STATION_B,
            date=datetime(2024, 2, 1, 9, 0, tzinfo=UTC),
            bicycles=True,
            dogs=False,
        ),
        _check_trips,
        ("GET", "/trips"),
    ),
    Case(
        "bookings",
        "get_bookings",
        lambda c, m: c.bookings.get_bookings(),
        _check_bookings,
        ("GET", "/bookings"),
    ),
    Case(
        "bookings",
        "create_booking",
        lambda c, m: c.bookings.create_booking(
            body=m.Booking(trip_id=TRIP, passenger_name="John Doe", has_bicycle=True, has_dog=False)
        ),
        _check_created_booking,
        ("POST", "/bookings"),
    ),
    Case(
        "bookings",
        "get_booking",
        lambda c, m: c.bookings.get_booking(BOOKING),
        _check_booking_wrapped,
        ("GET", f"/bookings/{BOOKING}"),
    ),
    Case(
        "bookings",
        "delete_booking",
        lambda c, m: c.bookings.delete_booking(BOOKING),
        _check_none,
        ("DELETE", f"/bookings/{BOOKING}"),
    ),
    Case(
        "payments",
        "create_booking_payment",
        lambda c, m: c.payments.create_booking_payment(
            BOOKING, body=m.BookingPayment(amount=49.99, currency="gbp", source=_card(m))
        ),
        _check_payment,
        ("POST", f"/bookings/{BOOKING}/payment"),
    ),
]
CASE_IDS = [c.op for c in CASES]
CALLED: dict[str, set[str]] = {"sync": set(), "async": set()}


def _check_exchange(case: Case, responses: list[httpx.Response]) -> None:
    assert len(responses) == 1, "expected one HTTP exchange:\n" + "\n".join(
        _describe(r) for r in responses
    )
    (response,) = responses
    assert "sl-violations" not in response.headers, (
        "Prism reports that the request breaks the document:\n" + _describe(response)
    )
    assert 200 <= response.status_code < 300, _describe(response)
    request = response.request
    assert (request.method, request.url.path) == case.expect, _describe(response)
    assert request.headers.get("authorization") == f"Bearer {TOKEN}"
    if case.expect[0] != "DELETE":
        # JSON first, never a type the operation cannot return
        assert request.headers["accept"].startswith("application/json"), _describe(response)
    if case.expect[0] == "POST":
        # a body offered as JSON and XML is sent as JSON
        assert request.headers["content-type"] == "application/json", _describe(response)


def _resource_operations(prefix: str) -> set[str]:
    ops: set[str] = set()
    for resource in ("stations", "trips", "bookings", "payments"):
        mod = __import__(f"{PACKAGE}.resources.{resource}", fromlist=["_"])
        cls = getattr(mod, f"{prefix}{resource.capitalize()}Resource")
        for name, member in vars(cls).items():
            if not name.startswith("_") and inspect.isfunction(member):
                ops.add(f"{resource}.{name}")
    return ops


# --------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def sync_setup(tt: Generated, prism_url: str) -> Iterator[tuple[Any, Recorder]]:
    recorder = Recorder()
    http = httpx.Client(event_hooks={"response": [recorder.hook]})
    client = tt.pkg.Client(base_url=prism_url, o_auth2=TOKEN, max_retries=0, http_client=http)
    with http, client:
        yield client, recorder


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_sync_operation(case: Case, tt: Generated, sync_setup: tuple[Any, Recorder]) -> None:
    client, recorder = sync_setup
    recorder.take()
    try:
        result = case.call(client, tt.models)
    except tt.errors.APIStatusError as exc:
        pytest.fail(f"{case.op} raised {exc!r}:\n{_describe(exc.response)}")
    _check_exchange(case, recorder.take())
    case.check(tt.models, result)
    CALLED["sync"].add(case.op)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_async_operation(case: Case, tt: Generated, prism_url: str) -> None:
    recorder = Recorder()
    async with (
        httpx.AsyncClient(event_hooks={"response": [recorder.async_hook]}) as http,
        tt.pkg.AsyncClient(
            base_url=prism_url, o_auth2=TOKEN, max_retries=0, http_client=http
        ) as client,
    ):
        try:
            result = await case.call(client, tt.models)
        except tt.errors.APIStatusError as exc:
            pytest.fail(f"{case.op} raised {exc!r}:\n{_describe(exc.response)}")
    _check_exchange(case, recorder.take())
    case.check(tt.models, result)
    CALLED["async"].add(case.op)


def test_prism_reports_violations(tt: Generated, sync_setup: tuple[Any, Recorder]) -> None:
    """Sentinel: a request that breaks the document is flagged, so the checks above bite."""
    client, recorder = sync_setup
    recorder.take()
    with pytest.raises(tt.errors.APIStatusError):
        client.trips.get_trips(
            origin=STATION_A,
            destination=STATION_B,
            date=datetime(2024, 2, 1, tzinfo=UTC),
            extra_query={"origin": "not-a-uuid"},
        )
    (response,) = recorder.take()
    assert "sl-violations" in response.headers


def test_every_operation_was_called(tt: Generated) -> None:
    """Ordered last: every operation succeeded on both clients (needs the whole module)."""
    expected = _resource_operations("")
    assert len(expected) == 7
    assert _resource_operations("Async") == expected
    assert set(CASE_IDS) == expected
    for flavour in ("sync", "async"):
        assert CALLED[flavour] == expected, (
            f"{flavour}: not called successfully: {sorted(expected - CALLED[flavour])}"
        )
