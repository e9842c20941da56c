"""End-to-end tests: a client generated from a live Django REST framework API's
drf-spectacular document.

`tests/e2e/drf_app.py` (an events API: a GenericViewSet with list, create, retrieve,
partial_update, destroy and a `cancel` action, plus a plain APIView; Django configured
in-process, no database) is served by the standard library's threading WSGI server on
127.0.0.1 in a background thread. The OpenAPI 3.0 document `SpectacularAPIView` serves
(JSON) is turned into `events_client`, which is imported from a temp dir and drives every
route over real HTTP: `Client` for all of them, `AsyncClient` for several. The app
records every matched route; a later test checks that all were called. Slow tests
type-check the generated package, and typical calls, with `mypy --strict`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.e2e import drf_app
from tests.e2e._harness import Generated, generated_client, mypy_strict, serve_wsgi

PACKAGE = "events_client"
SCHEMA = "/api/schema/?format=json"
STARTS = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_wsgi(
        drf_app.wsgi_app(),
        SCHEMA,
        lambda r: r.status_code == 200 and r.json().get("info", {}).get("title") == "Events",
        "drf",
    ) as url:
        yield url


@pytest.fixture(scope="module")
def ev(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    import httpx

    spec = httpx.get(base_url + SCHEMA, timeout=5.0).json()
    with generated_client(spec, PACKAGE, tmp_path_factory.mktemp("drf")) as generated:
        yield generated


@pytest.fixture
def client(ev: Generated, base_url: str) -> Iterator[Any]:
    with ev.pkg.Client(base_url=base_url, timeout=10.0, max_retries=0) as c:
        yield c


def _new_event(ev: Generated, **overrides: Any) -> Any:
    m = ev.models
    fields: dict[str, Any] = dict(
        title="PyCon sprint",
        kind="workshop",
        priority="high",
        starts_at=STARTS,
        capacity=40,
        tags=["python", "sprint"],
        venue=m.VenueRequest(name="Hall B", city="Pittsburgh", room="B-12"),
        access_code="open-sesame",
    )
    fields.update(overrides)
    return m.EventRequest(**fields)


# --------------------------------------------------------------------------- the document


def test_document_is_what_drf_spectacular_emits(ev: Generated) -> None:
    """Guards the premises of the other tests: the shapes drf-spectacular really emits."""
    spec = ev.spec
    assert spec["openapi"].startswith("3.0")
    schemas = spec["components"]["schemas"]
    # split request/response components
    assert {"Event", "EventRequest", "PatchedEventRequest", "Venue", "VenueRequest"} <= set(schemas)
    event, request = schemas["Event"]["properties"], schemas["EventRequest"]["properties"]
    assert event["id"]["readOnly"] is True
    assert "id" in schemas["Event"]["required"]
    assert "access_code" not in event
    assert request["access_code"]["writeOnly"] is True
    assert "access_code" in schemas["EventRequest"]["required"]
    assert "required" not in schemas["PatchedEventRequest"]
    # allow_blank + allow_null choices
    assert event["priority"] == {
        "nullable": True,
        "oneOf": [
            {"$ref": "#/components/schemas/PriorityEnum"},
            {"$ref": "#/components/schemas/BlankEnum"},
            {"$ref": "#/components/schemas/NullEnum"},
        ],
    }
    assert schemas["BlankEnum"] == {"enum": [""]}
    assert schemas["NullEnum"] == {"enum": [None]}
    # the page envelope
    assert set(schemas["PaginatedEventList"]["properties"]) == {
        "count",
        "next",
        "previous",
        "results",
    }
    operation_ids = {op["operationId"] for item in spec["paths"].values() for op in item.values()}
    assert operation_ids == {
        "events_list",
        "events_create",
        "events_retrieve",
        "events_partial_update",
        "events_destroy",
        "events_cancel_create",
        "ping_retrieve",
    }


# --------------------------------------------------------------------------- sync client


def test_api_view(client: Any, ev: Generated) -> None:
    ping = client.ping.retrieve()
    assert isinstance(ping, ev.models.Ping)
    assert ping.status == "ok"
    assert ping.server_time == datetime(2024, 5, 17, 12, 30, tzinfo=UTC)


def test_event_lifecycle(client: Any, ev: Generated) -> None:
    m, errors = ev.models, ev.errors

    created = client.events.create(body=_new_event(ev))
    assert isinstance(created, m.Event)
    assert isinstance(created.id, int)
    assert (created.title, created.kind, created.priority) == ("PyCon sprint", "workshop", "high")
    assert created.starts_at == STARTS
    assert created.capacity == 40
    assert created.tags == ["python", "sprint"]
    assert isinstance(created.venue, m.Venue)
    assert (created.venue.name, created.venue.city, created.venue.room) == (
        "Hall B",
        "Pittsburgh",
        "B-12",
    )
    # write-only: sent, never returned; read-only: set by the server
    assert created.has_access_code is True
    assert created.additional_properties == {}
    assert created.cancelled is False
    assert created.created_at == datetime(2024, 5, 17, 12, 30, tzinfo=UTC)
    assert m.Event.from_dict(created.to_dict()) == created

    assert client.events.retrieve(created.id) == created

    # PATCH with the Patched...Request model: only what is given is sent
    patched = client.events.partial_update(
        created.id, body=m.PatchedEventRequest(title="PyCon sprints", capacity=60)
    )
    assert isinstance(patched, m.Event)
    assert (patched.title, patched.capacity, patched.kind) == ("PyCon sprints", 60, "workshop")
    patched = client.events.partial_update(
        created.id, body=m.PatchedEventRequest(venue=m.VenueRequest(name="Hall C", city="Pgh"))
    )
    assert patched.venue == m.Venue(name="Hall C", city="Pgh", room=None)

    cancelled = client.events.cancel_create(created.id, body=m.CancelRequest(reason="rain"))
    assert isinstance(cancelled, m.Cancel)
    assert cancelled.reason == "rain"
    assert client.events.retrieve(created.id).cancelled is True

    assert client.events.destroy(created.id) is None
    with pytest.raises(errors.NotFoundError) as missing:
        client.events.retrieve(created.id)
    assert missing.value.status_code == 404
    assert missing.value.body == {"detail": f"event {created.id} not found"}
    with pytest.raises(errors.NotFoundError):
        client.events.destroy(created.id)


def test_blank_and_null_choices(client: Any, ev: Generated) -> None:
    """`ChoiceField(allow_blank=True, allow_null=True)`: "" and null round-trip."""
    m = ev.models
    blank = client.events.create(body=_new_event(ev, priority=""))
    assert blank.priority == ""
    unset = client.events.create(body=_new_event(ev, priority=ev.pkg.UNSET))
    assert unset.priority is None  # not sent: the serializer gives null
    try:
        nulled = client.events.partial_update(blank.id, body=m.PatchedEventRequest(priority=None))
        assert nulled.priority is None
        low = client.events.partial_update(blank.id, body={"priority": "low"})
        assert low.priority == "low"
        assert client.events.retrieve(blank.id).priority == "low"
    finally:
        client.events.destroy(blank.id)
        client.events.destroy(unset.id)


def test_event_from_plain_dict(client: Any, ev: Generated) -> None:
    event = client.events.create(
        body={
            "title": "Meetup",
            "kind": "meetup",
            "starts_at": "2025-03-14T18:00:00Z",
            "capacity": 25,
            "venue": {"name": "Pub", "city": "Leeds", "room": None},
            "access_code": "abcd",
        }
    )
    assert isinstance(event, ev.models.Event)
    assert event.starts_at == datetime(2025, 3, 14, 18, 0, tzinfo=UTC)
    assert event.venue.room is None
    assert event.tags == []
    client.events.destroy(event.id)


def test_paginated_list(client: Any, ev: Generated) -> None:
    m = ev.models
    before = client.events.list().count  # events other tests left behind, if any
    made = [
        client.events.create(body=_new_event(ev, title=f"E{i}", kind=kind))
        for i, kind in enumerate(["meetup", "conference", "meetup", "workshop", "meetup"])
    ]
    try:
        page = client.events.list(offset=before)
        assert isinstance(page, m.PaginatedEventList)
        assert page.count == before + 5
        assert page.next is None
        assert all(isinstance(e, m.Event) for e in page.results)
        assert [e.id for e in page.results] == [e.id for e in made]

        page = client.events.list(limit=2, offset=before + 2)
        assert page.count == before + 5
        assert [e.title for e in page.results] == ["E2", "E3"]
        assert isinstance(page.next, str)
        assert f"offset={before + 4}" in page.next
        assert isinstance(page.previous, str)

        meetups = client.events.list(kind="meetup", limit=50)
        assert {e.kind for e in meetups.results} == {"meetup"}
        mine = {e.id for e in made}
        assert [e.title for e in meetups.results if e.id in mine] == ["E0", "E2", "E4"]
        with pytest.raises(ValueError, match="kind"):
            client.events.list(kind="party")
    finally:
        for e in made:
            client.events.destroy(e.id)


def test_request_constraints_checked_locally(ev: Generated) -> None:
    with pytest.raises(ValueError, match="capacity"):
        _new_event(ev, capacity=0)
    with pytest.raises(ValueError, match="capacity"):
        _new_event(ev, capacity=1001)
    with pytest.raises(ValueError, match="access_code"):
        _new_event(ev, access_code="123")  # minLength 4
    with pytest.raises(ValueError, match="kind"):
        _new_event(ev, kind="party")
    with pytest.raises(ValueError, match="title"):
        _new_event(ev, title="x" * 101)


def test_choice_constraint_checked_locally(ev: Generated) -> None:
    """A value in none of the oneOf branches (PriorityEnum, BlankEnum, NullEnum).

    Known open generator item ("anyOf/oneOf branch constraints"): the branches' enums
    are not checked yet, so this test fails until that lands."""
    with pytest.raises(ValueError, match="priority"):
        _new_event(ev, priority="urgent")


def test_server_validation_error(client: Any, ev: Generated) -> None:
    """A rule the schema cannot express (DRF trims whitespace, then rejects blank)."""
    with pytest.raises(ev.errors.BadRequestError) as bad:
        client.events.create(body=_new_event(ev, title="   "))
    assert bad.value.status_code == 400
    assert bad.value.body == {"title": ["This field may not be blank."]}


# --------------------------------------------------------------------------- async client


async def test_async_client(ev: Generated, base_url: str) -> None:
    m, errors = ev.models, ev.errors
    async with ev.pkg.AsyncClient(base_url=base_url, timeout=10.0, max_retries=0) as client:
        ping = await client.ping.retrieve()
        assert ping.status == "ok"
        event = await client.events.create(body=_new_event(ev, title="Async"))
        assert isinstance(event, m.Event)
        assert await client.events.retrieve(event.id) == event
        patched = await client.events.partial_update(
            event.id, body=m.PatchedEventRequest(kind="conference")
        )
        assert patched.kind == "conference"
        page = await client.events.list(kind="conference")
        assert event.id in {e.id for e in page.results}
        cancel = await client.events.cancel_create(event.id, body={"reason": "async"})
        assert cancel.reason == "async"
        assert await client.events.destroy(event.id) is None
        with pytest.raises(errors.NotFoundError):
            await client.events.retrieve(event.id)


# --------------------------------------------------------------------------- coverage, types


def test_every_route_was_called(ev: Generated) -> None:
    """Runs after the tests above: every route of the API was reached through the client."""
    routes = drf_app.api_routes()
    assert len(routes) == 7
    missing = routes - drf_app.CALLED
    assert not missing, f"routes never called: {sorted(missing)}"


@pytest.mark.slow
def test_generated_package_passes_mypy_strict(ev: Generated) -> None:
    proc = mypy_strict(ev.root, PACKAGE)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# The calls above written as a user would, with the types the contract promises.
USAGE = """\
from __future__ import annotations

from datetime import datetime, timezone

from events_client import AsyncClient, Client, Unset
from events_client.errors import BadRequestError, NotFoundError
from events_client.models import (
    Cancel,
    CancelRequest,
    Event,
    EventRequest,
    PaginatedEventList,
    PatchedEventRequest,
    Ping,
    Venue,
    VenueRequest,
)


def sync_calls() -> None:
    with Client(base_url="http://127.0.0.1:1") as client:
        ping: Ping = client.ping.retrieve()
        event: Event = client.events.create(
            body=EventRequest(
                title="t",
                kind="meetup",
                priority="",
                starts_at=datetime(2025, 1, 1, tzinfo=timezone.utc),
                capacity=1,
                venue=VenueRequest(name="n", city="c", room=None),
                access_code="abcd",
            )
        )
        event = client.events.create(body={"title": "t"})
        page: PaginatedEventList = client.events.list(kind="meetup", limit=2, offset=0)
        results: list[Event] = page.results
        next_url: str | None | Unset = page.next
        event = client.events.retrieve(1)
        event = client.events.partial_update(1, body=PatchedEventRequest(priority=None))
        cancel: Cancel = client.events.cancel_create(1, body=CancelRequest(reason="r"))
        client.events.destroy(1)
        venue: Venue = event.venue
        try:
            client.events.retrieve(2)
        except (NotFoundError, BadRequestError) as exc:
            code: int = exc.status_code


async def async_calls() -> None:
    async with AsyncClient(base_url="http://127.0.0.1:1") as client:
        event: Event = await client.events.retrieve(1)
        page: PaginatedEventList = await client.events.list()
        await client.events.destroy(event.id if isinstance(event.id, int) else 0)
"""


@pytest.mark.slow
def test_documented_usage_type_checks(ev: Generated) -> None:
    (ev.root / "usage_check.py").write_text(USAGE, encoding="utf-8")
    proc = mypy_strict(ev.root, "usage_check.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
