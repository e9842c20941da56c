"""3.2 `itemSchema` event unions: each variant's `data` decoded as it says (the
OpenAPI 3.2 specification's own `text/event-stream` example)."""

from __future__ import annotations

from typing import Any

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
