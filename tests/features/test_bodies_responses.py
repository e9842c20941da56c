"""Request bodies per media type, and responses per media type and status."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from oagen.ir import ListOf, Prim, Ref

from .conftest import (
    BASE,
    HEAD_31,
    Reply,
    build_ir,
    call,
    feature_spec,
    fields,
    json_body,
    model,
    models_of,
    multipart_parts,
    op_by_id,
    query_pairs,
    submodule,
)


def _post(path: str, op_id: str, media: str, schema: str, method: str = "post") -> str:
    return f"""\
  {path}:
    {method}:
      operationId: {op_id}
      requestBody:
        required: true
        content:
          {media}:
            schema: {schema}
      responses:
        '204': {{description: done}}
"""


BODIES = feature_spec(
    "bodies",
    HEAD_31
    + "paths:\n"
    + _post("/json", "sendJson", "application/json", "{$ref: '#/components/schemas/Pet'}")
    + _post("/vnd", "sendVnd", "application/vnd.x+json", "{$ref: '#/components/schemas/Pet'}")
    + _post(
        "/form",
        "sendForm",
        "application/x-www-form-urlencoded",
        "{$ref: '#/components/schemas/FormData'}",
    )
    + _post("/upload", "upload", "multipart/form-data", "{$ref: '#/components/schemas/Upload'}")
    + _post(
        "/uploads", "uploadMany", "multipart/form-data", "{$ref: '#/components/schemas/Uploads'}"
    )
    + _post("/raw", "sendRaw", "application/octet-stream", "{type: string, format: binary}", "put")
    + _post("/text", "sendText", "text/plain", "{type: string}")
    + """\
  /multi:
    post:
      operationId: sendMulti
      requestBody:
        required: true
        content:
          text/plain:
            schema: {type: string}
          application/xml:
            schema: {$ref: '#/components/schemas/Pet'}
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '204': {description: done}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        age: {type: integer}
    FormData:
      type: object
      required: [name]
      properties:
        name: {type: string}
        count: {type: integer}
        tags: {type: array, items: {type: string}}
    Upload:
      type: object
      required: [file]
      properties:
        file: {type: string, format: binary}
        description: {type: string}
        count: {type: integer}
    Uploads:
      type: object
      required: [files]
      properties:
        files:
          type: array
          items: {type: string, format: binary}
""",
    typecheck="""\
        import io

        from feat_bodies_client.models import Upload, Uploads

        a = Upload(file=b"x")
        b = Upload(file=io.BytesIO(b"x"), description="d")
        c = Upload(file=("a.txt", b"x", "text/plain"))
        d = Uploads(files=[b"x", ("b.bin", io.BytesIO(b"y"), "application/octet-stream")])
    """,
)


def test_bodies_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, BODIES)
    kinds = {
        op_id: (op_by_id(api, op_id).body.media_type, op_by_id(api, op_id).body.kind)  # type: ignore[union-attr]
        for op_id in (
            "sendJson", "sendVnd", "sendForm", "upload", "uploadMany", "sendRaw", "sendText",
            "sendMulti",
        )
    }  # fmt: skip
    assert kinds == {
        "sendJson": ("application/json", "json"),
        "sendVnd": ("application/vnd.x+json", "json"),
        "sendForm": ("application/x-www-form-urlencoded", "form"),
        "upload": ("multipart/form-data", "multipart"),
        "uploadMany": ("multipart/form-data", "multipart"),
        "sendRaw": ("application/octet-stream", "binary"),
        "sendText": ("text/plain", "text"),
        "sendMulti": ("application/json", "json"),
    }
    assert op_by_id(api, "sendJson").body.type == Ref("Pet")  # type: ignore[union-attr]
    assert op_by_id(api, "upload").body.type == Ref("Upload")  # type: ignore[union-attr]
    upload = fields(model(api, "Upload"))
    assert upload["file"].type in (Prim("binary"), Prim("file"))
    files = fields(model(api, "Uploads"))["files"].type
    assert files in (ListOf(Prim("binary")), ListOf(Prim("file")))


@pytest.mark.parametrize(
    ("method", "path", "media"),
    [
        ("send_json", "/json", "application/json"),
        ("send_vnd", "/vnd", "application/vnd.x+json"),
        ("send_multi", "/multi", "application/json"),
    ],
)
def test_json_bodies(package: Any, method: str, path: str, media: str) -> None:
    pkg = package(BODIES)
    m = models_of(pkg)
    for body in (m.Pet(name="Rex", age=3), {"name": "Rex", "age": 3}):
        _, req = call(pkg, lambda c, body=body: getattr(c, method)(body=body), Reply(204))
        assert (req.method, str(req.url)) == ("POST", f"{BASE}{path}")
        assert req.headers["content-type"] == media
        assert json_body(req) == {"name": "Rex", "age": 3}


def test_form_body(package: Any) -> None:
    pkg = package(BODIES)
    m = models_of(pkg)
    body = m.FormData(name="a b&c", count=2, tags=["x", "y"])
    _, req = call(pkg, lambda c: c.send_form(body=body), Reply(204))
    assert req.headers["content-type"] == "application/x-www-form-urlencoded"
    assert req.content == b"name=a+b%26c&count=2&tags=x&tags=y"


@pytest.mark.parametrize(
    ("file_value", "filename", "content_type"),
    [
        (b"\x00data", None, None),
        (io.BytesIO(b"\x00data"), None, None),
        (("report.bin", b"\x00data", "application/x-thing"), "report.bin", "application/x-thing"),
    ],
    ids=["bytes", "fileobj", "tuple"],
)
def test_multipart_file_field(
    package: Any, file_value: Any, filename: str | None, content_type: str | None
) -> None:
    pkg = package(BODIES)
    m = models_of(pkg)
    body = m.Upload(file=file_value, description="hello", count=3)
    _, req = call(pkg, lambda c: c.upload(body=body), Reply(204))
    assert (req.method, str(req.url)) == ("POST", f"{BASE}/upload")
    parts = {p.name: p for p in multipart_parts(req)}
    assert set(parts) == {"file", "description", "count"}
    assert parts["file"].data == b"\x00data"
    assert parts["file"].filename is not None  # sent as a file part
    if filename is not None:
        assert parts["file"].filename == filename
    if content_type is not None:
        assert parts["file"].content_type == content_type
    assert parts["description"].data == b"hello" and parts["description"].filename is None
    assert parts["count"].data == b"3"


def test_multipart_plain_dict_body(package: Any) -> None:
    pkg = package(BODIES)
    _, req = call(pkg, lambda c: c.upload(body={"file": ("a.txt", b"A", "text/plain")}), Reply(204))
    parts = multipart_parts(req)
    assert [(p.name, p.filename, p.data) for p in parts] == [("file", "a.txt", b"A")]


def test_multipart_array_of_files(package: Any) -> None:
    pkg = package(BODIES)
    m = models_of(pkg)
    body = m.Uploads(files=[("a.txt", b"A", "text/plain"), ("b.txt", b"B", "text/plain")])
    _, req = call(pkg, lambda c: c.upload_many(body=body), Reply(204))
    parts = multipart_parts(req)
    assert [(p.name, p.filename, p.data) for p in parts] == [
        ("files", "a.txt", b"A"),
        ("files", "b.txt", b"B"),
    ]


def test_octet_stream_body_sent_as_is(package: Any) -> None:
    pkg = package(BODIES)
    data = bytes(range(256))
    _, req = call(pkg, lambda c: c.send_raw(body=data), Reply(204))
    assert (req.method, str(req.url)) == ("PUT", f"{BASE}/raw")
    assert req.headers["content-type"] == "application/octet-stream"
    assert req.content == data


def test_text_body(package: Any) -> None:
    pkg = package(BODIES)
    _, req = call(pkg, lambda c: c.send_text(body="héllo\nworld"), Reply(204))
    assert req.headers["content-type"].startswith("text/plain")
    assert req.content == "héllo\nworld".encode()


# --------------------------------------------------------------------------- responses

RESPONSES = feature_spec(
    "responses",
    HEAD_31
    + """\
paths:
  /json:
    get:
      operationId: getJson
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
  /list:
    get:
      operationId: getList
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/A'}}
  /text:
    get:
      operationId: getText
      responses:
        '200':
          description: ok
          content:
            text/plain:
              schema: {type: string}
  /binary:
    get:
      operationId: getBinary
      responses:
        '200':
          description: ok
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
  /empty:
    delete:
      operationId: deleteIt
      responses:
        '204': {description: gone}
  /default:
    get:
      operationId: getDefault
      responses:
        default:
          description: anything
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
  /range:
    get:
      operationId: getRange
      responses:
        2XX:
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
        4XX:
          description: client error
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
  /multi:
    post:
      operationId: upsert
      responses:
        '200':
          description: updated
          content:
            application/json:
              schema: {$ref: '#/components/schemas/A'}
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/B'}
components:
  schemas:
    A:
      type: object
      required: [a]
      properties:
        a: {type: integer}
    B:
      type: object
      required: [b]
      properties:
        b: {type: string}
    Error:
      type: object
      required: [message]
      properties:
        message: {type: string}
""",
)


def test_responses_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, RESPONSES)

    def succ(op_id: str) -> list[tuple[str, str, object]]:
        return [(r.status, r.kind, r.type) for r in op_by_id(api, op_id).successes]

    assert succ("getJson") == [("200", "json", Ref("A"))]
    assert succ("getList") == [("200", "json", ListOf(Ref("A")))]
    assert succ("getText") == [("200", "text", Prim("str"))]
    assert succ("getBinary") == [("200", "binary", Prim("binary"))]
    assert succ("deleteIt") == [("204", "empty", None)]
    assert [r.type for r in op_by_id(api, "getDefault").successes] == [Ref("A")]
    assert succ("getRange") == [("2XX", "json", Ref("A"))]
    errors = op_by_id(api, "getRange").errors
    assert [(r.status, r.type) for r in errors] == [("4XX", Ref("Error"))]
    assert succ("upsert") == [("200", "json", Ref("A")), ("201", "json", Ref("B"))]


def test_response_kinds(package: Any) -> None:
    pkg = package(RESPONSES)
    m = models_of(pkg)
    got, req = call(pkg, lambda c: c.get_json(), Reply(200, {"a": 1}))
    assert type(got) is m.A and got.a == 1
    got, _ = call(pkg, lambda c: c.get_list(), Reply(200, [{"a": 1}, {"a": 2}]))
    assert [type(x) for x in got] == [m.A, m.A] and [x.a for x in got] == [1, 2]
    got, _ = call(
        pkg,
        lambda c: c.get_text(),
        Reply(
            200, content="plain ✓".encode(), headers={"content-type": "text/plain; charset=utf-8"}
        ),
    )
    assert got == "plain ✓"
    got, _ = call(
        pkg,
        lambda c: c.get_binary(),
        Reply(200, content=b"\x00\xff", headers={"content-type": "application/octet-stream"}),
    )
    assert got == b"\x00\xff" and isinstance(got, bytes)
    got, req = call(pkg, lambda c: c.delete_it(), Reply(204))
    assert got is None and req.method == "DELETE" and str(req.url) == f"{BASE}/empty"


@pytest.mark.parametrize("status", [200, 202])
def test_default_and_range_responses_decode_successes(package: Any, status: int) -> None:
    pkg = package(RESPONSES)
    m = models_of(pkg)
    got, _ = call(pkg, lambda c: c.get_default(), Reply(status, {"a": 5}))
    assert type(got) is m.A and got.a == 5
    got, _ = call(pkg, lambda c: c.get_range(), Reply(status, {"a": 6}))
    assert type(got) is m.A and got.a == 6


@pytest.mark.parametrize("status", [400, 404, 418])
def test_4xx_range_error_body_is_decoded(package: Any, status: int) -> None:
    pkg = package(RESPONSES)
    m = models_of(pkg)
    errors = submodule(pkg, "errors")
    with pytest.raises(errors.APIStatusError) as info:
        call(pkg, lambda c: c.get_range(), Reply(status, {"message": "nope"}))
    assert info.value.status_code == status
    assert type(info.value.body) is m.Error and info.value.body.message == "nope"


def test_success_codes_decode_per_status(package: Any) -> None:
    pkg = package(RESPONSES)
    m = models_of(pkg)
    got, req = call(pkg, lambda c: c.upsert(), Reply(200, {"a": 1}))
    assert req.method == "POST" and type(got) is m.A and got.a == 1
    got, _ = call(pkg, lambda c: c.upsert(), Reply(201, {"b": "x"}))
    assert type(got) is m.B and got.b == "x"
    assert query_pairs(req) == []


# ------------------------------------------------------------ a stream with no schema

SCHEMALESS_STREAM = feature_spec(
    "schemaless_stream",
    HEAD_31
    + """\
paths:
  /events:
    get:
      operationId: getEvents
      responses:
        '200': {description: events, content: {text/event-stream: {}}}
""",
)


def test_the_events_of_a_stream_without_a_schema_are_json_or_their_text(package: Any) -> None:
    """Nothing says the data is JSON: a JSON value when it parses, else the text."""
    pkg = package(SCHEMALESS_STREAM)
    body = b'data: hello\ndata: world\n\ndata: {"n": [1]}\n\ndata: {oops\n\n'
    events = Reply(200, content=body, headers={"content-type": "text/event-stream"})
    got, _ = call(pkg, lambda c: list(c.get_events()), events)
    assert got == ["hello\nworld", {"n": [1]}, "{oops"]
