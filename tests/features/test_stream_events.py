"""3.2 `itemSchema` events: each variant's `data` decoded as it says (the OpenAPI 3.2
specification's own `text/event-stream` example); an `id` typed an integer."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import HEAD_31, Reply, call, feature_spec, models_of

EVENTS = feature_spec(
    "stream_events",
    HEAD_31.replace("3.1.0", "3.2.0")
    + """\
paths:
  /events:
    get:
      operationId: getEvents
      responses:
        '200':
          description: a stream of events
          content:
            text/event-stream:
              itemSchema:
                type: object
                properties:
                  event: {type: string}
                  data: {type: string}
                required: [event]
                oneOf:
                  - properties:
                      event: {const: addString}
                  - properties:
                      event: {const: addJson}
                      data:
                        contentMediaType: application/json
                        contentSchema:
                          type: object
                          required: [foo]
                          properties: {foo: {type: integer}}
                  - properties:
                      event: {const: addBinaryEncodedData}
                      data:
                        contentEncoding: base64
                        contentMediaType: application/octet-stream
""",
)

STREAM = (
    b"event: addString\ndata: This data is formatted\ndata: across two lines\n\n"
    b'event: addJson\ndata: {"foo": 42}\n\n'
    b"event: addBinaryEncodedData\ndata: AP8=\n\n"
)


def test_each_event_variant_decodes_its_data_as_it_says(package: Any) -> None:
    pkg = package(EVENTS)
    m = models_of(pkg)
    reply = Reply(200, content=STREAM, headers={"content-type": "text/event-stream"})
    events, request = call(pkg, lambda c: list(c.get_events()), reply)
    assert request.headers["accept"] == "text/event-stream"
    assert [type(e).__name__ for e in events] == [
        "GetEventsItemOption1",
        "GetEventsItemOption2",
        "GetEventsItemOption3",
    ]
    assert events[0].data == "This data is formatted\nacross two lines"
    assert isinstance(events[1].data, m.GetEventsItemOption2Data)  # JSON by contentSchema
    assert events[1].data.foo == 42
    assert events[2].data == b"\x00\xff"  # base64
    assert [e.event for e in events] == ["addString", "addJson", "addBinaryEncodedData"]


NUMBERED = feature_spec(
    "stream_numbered_events",
    HEAD_31.replace("3.1.0", "3.2.0")
    + """\
paths:
  /ticks:
    get:
      operationId: getTicks
      responses:
        '200':
          description: events numbered by an integer `id`
          content:
            text/event-stream:
              itemSchema:
                type: object
                required: [data]
                properties:
                  id: {type: integer}
                  retry: {type: integer}
                  data: {type: string}
""",
)


def test_an_event_id_typed_integer_is_decoded_as_one(package: Any) -> None:
    """An SSE `id` is text on the wire; an event schema that types it an integer gets
    the integer (`retry` is one already), and an `id` that is not one fails to
    decode as such rather than being passed on as text."""
    pkg = package(NUMBERED)
    errors = pkg.errors
    stream = b"id: 7\nretry: 1500\ndata: a\n\ndata: b\n\nid: -3\ndata: c\n\n"
    reply = Reply(200, content=stream, headers={"content-type": "text/event-stream"})
    events, _ = call(pkg, lambda c: list(c.get_ticks()), reply)
    assert [(e.id, e.data) for e in events] == [(7, "a"), (7, "b"), (-3, "c")]  # ids persist
    assert events[0].retry == 1500
    bad = Reply(200, content=b"id: x7\ndata: a\n\n", headers={"content-type": "text/event-stream"})
    with pytest.raises(errors.APIResponseValidationError):
        call(pkg, lambda c: list(c.get_ticks()), bad)


def test_an_event_id_typed_text_stays_text(package: Any) -> None:
    pkg = package(EVENTS)
    stream = b"id: 7\nevent: addString\ndata: a\n\n"
    reply = Reply(200, content=stream, headers={"content-type": "text/event-stream"})
    events, _ = call(pkg, lambda c: list(c.get_events()), reply)
    assert events[0].additional_properties == {"id": "7"}
