"""Encoding Objects of request bodies: `encoding` of multipart/form-data parts (content
types, JSON parts, file parts, fixed part headers) and of urlencoded fields (style,
explode, allowReserved), and 3.2 `prefixEncoding`/`itemEncoding` of positional
multipart bodies (`multipart/mixed`), checked in the IR and on the wire."""

from __future__ import annotations

import email.parser
import email.policy
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from oagen.builder import build
from oagen.diagnostics import Diagnostics
from oagen.ir import ListOf, MapOf, PartEncoding, Prim, Ref, TupleOf
from oagen.load import load
from oagen.validate import validate

from .conftest import (
    HEAD_30,
    FeatureSpec,
    Reply,
    Server,
    async_client,
    build_ir,
    call,
    client,
    feature_spec,
    fields,
    json_body,
    model,
    models_of,
    multipart_parts,
    op_by_id,
)

HEAD_32 = "openapi: 3.2.0\ninfo: {title: Feature API, version: '1.0.0'}\nservers: [{url: 'https://api.test'}]\n"

ENCODING = feature_spec(
    "mp_encoding",
    HEAD_32
    + """\
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [meta, image]
              properties:
                meta: {$ref: '#/components/schemas/Meta'}
                image: {type: string}
                count: {type: integer}
                tags: {type: array, items: {type: string}}
                note: {type: string}
                data: {type: string, format: binary}
                plain: {$ref: '#/components/schemas/Meta'}
            encoding:
              meta: {contentType: application/json}
              image:
                contentType: image/png
                headers:
                  X-Part-Version: {schema: {type: string, const: '2'}}
              count: {contentType: application/json}
              note: {contentType: text/csv}
              data: {contentType: 'image/*'}
      responses: {'204': {description: done}}
  /styled:
    post:
      operationId: sendStyled
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                filter: {type: object, properties: {a: {type: string}, b: {type: array, items: {type: integer}}}}
                ids: {type: array, items: {type: integer}}
                name: {type: string}
            encoding:
              filter: {style: deepObject, explode: true}
              ids: {style: form, explode: false, contentType: application/json}
      responses: {'204': {description: done}}
  /note:
    post:
      operationId: sendNote
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                title: {type: string}
                tags: {type: array, items: {type: string}}
      responses: {'204': {description: done}}
  /form:
    post:
      operationId: sendForm
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                ids: {type: array, items: {type: integer}}
                filter: {type: object, properties: {a: {type: string}, b: {type: string}}}
                path: {type: string}
                meta: {$ref: '#/components/schemas/Meta'}
                tags: {type: array, items: {type: string}}
            encoding:
              ids: {style: pipeDelimited, explode: false}
              filter: {style: deepObject, explode: true}
              path: {allowReserved: true}
              meta: {contentType: application/json}
      responses: {'204': {description: done}}
  /batch:
    post:
      operationId: sendBatch
      requestBody:
        content:
          multipart/mixed:
            schema: {type: array, items: {$ref: '#/components/schemas/Meta'}}
            itemEncoding: {contentType: application/json}
      responses: {'204': {description: done}}
  /images:
    post:
      operationId: sendImages
      requestBody:
        content:
          multipart/mixed:
            itemSchema: {type: string}
            itemEncoding:
              contentType: image/png
              headers:
                X-Kind: {schema: {type: string, enum: [thumbnail]}}
      responses: {'204': {description: done}}
  /envelope:
    post:
      operationId: sendEnvelope
      requestBody:
        content:
          multipart/related:
            schema:
              type: array
              prefixItems:
                - {$ref: '#/components/schemas/Meta'}
                - {type: string}
                - {type: string}
            prefixEncoding:
              - {contentType: application/json}
              - {contentType: text/csv}
              - {contentType: image/png}
      responses: {'204': {description: done}}
components:
  schemas:
    Meta:
      type: object
      properties:
        title: {type: string}
""",
    typecheck="""\
        import io

        from feat_mp_encoding_client import AsyncClient, Client
        from feat_mp_encoding_client.models import Meta, UploadBody

        def use(c: Client) -> None:
            c.upload(body=UploadBody(meta=Meta(title="t"), image=b"png", data=io.BytesIO(b"x")))
            c.send_batch(body=[Meta(title="a"), Meta()])
            c.send_images(body=[b"a", ("b.png", b"b", "image/png"), io.BytesIO(b"c")])
            c.send_envelope(body=(Meta(title="m"), "a,b", b"png"))

        async def ause(c: AsyncClient) -> None:
            await c.send_images(body=[b"a"])
    """,
)


# --------------------------------------------------------------------------- IR


def test_encoding_in_the_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, ENCODING)
    upload = op_by_id(api, "upload").body
    assert upload is not None and not upload.is_positional
    parts = {p.name: p for p in upload.parts}
    assert parts["meta"] == PartEncoding("meta", "application/json", is_json=True, is_file=False)
    assert parts["image"] == PartEncoding(
        "image", "image/png", is_json=False, is_file=True, headers=(("X-Part-Version", "2"),)
    )
    assert parts["note"] == PartEncoding("note", "text/csv", is_json=False, is_file=False)
    assert parts["data"] == PartEncoding("data", None, is_json=False, is_file=True)  # a range
    body_fields = {k: f.type for k, f in fields(model(api, "UploadBody")).items()}
    assert body_fields["image"] == Prim("file")  # a string sent as image/png: a file part
    assert body_fields["note"] == Prim("str")
    form = op_by_id(api, "sendForm").body
    assert form is not None
    form_parts = {p.name: p for p in form.parts}
    assert (form_parts["ids"].style, form_parts["ids"].explode) == ("pipeDelimited", False)
    assert form_parts["path"].allow_reserved and form_parts["path"].style == "form"
    assert form_parts["meta"].is_json and form_parts["meta"].style is None


def test_positional_encoding_in_the_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, ENCODING)
    batch = op_by_id(api, "sendBatch").body
    assert batch is not None and batch.is_positional
    assert batch.type == ListOf(Ref("Meta"))
    assert batch.item_part == PartEncoding("", "application/json", is_json=True, is_file=False)
    images = op_by_id(api, "sendImages").body
    assert images is not None and images.type == ListOf(Prim("file"))  # itemSchema, image/png
    assert images.item_part is not None and images.item_part.headers == (("X-Kind", "thumbnail"),)
    envelope = op_by_id(api, "sendEnvelope").body
    assert envelope is not None and envelope.is_positional
    assert envelope.type == TupleOf((Ref("Meta"), Prim("str"), Prim("file")), exact=False)
    assert [p.content_type for p in envelope.prefix_parts] == [
        "application/json",
        "text/csv",
        "image/png",
    ]


def _findings(tmp_path: Path, media: str, entry: str) -> list[str]:
    spec = FeatureSpec(
        "mp_bad",
        HEAD_32
        + f"""\
paths:
  /x:
    post:
      operationId: x
      requestBody:
        content:
          {media}:
{entry}
      responses: {{'204': {{description: done}}}}
""",
    )
    return _findings_of(tmp_path, spec)


def _findings_of(tmp_path: Path, spec: FeatureSpec) -> list[str]:
    path = spec.write_to(tmp_path / "bad")
    loaded = load(path)
    sink = Diagnostics(loaded.locate)
    validate(loaded, sink)
    build(loaded, sink, spec.package_name)
    return [str(d) for d in sink.items]


@pytest.mark.parametrize(
    ("media", "entry", "expected"),
    [
        (
            "multipart/form-data",
            "            schema: {type: array, items: {type: string}}\n"
            "            itemEncoding: {contentType: text/plain}",
            "error: `itemEncoding` encodes parts by position, but multipart/form-data parts"
            " are named",
        ),
        (
            "multipart/mixed",
            "            schema: {type: object, properties: {a: {type: string}}}\n"
            "            prefixEncoding: [{contentType: text/plain}]",
            "error: `prefixEncoding` needs an array `schema` or an `itemSchema`",
        ),
        (
            "multipart/mixed",
            "            schema: {type: array, items: {type: string}}\n"
            "            itemEncoding:\n"
            "              contentType: multipart/mixed\n"
            "              itemEncoding: {contentType: text/plain}",
            "error: `itemEncoding` in an Encoding Object (a nested multipart part) is not"
            " generated yet",
        ),
        (
            "application/json",
            "            schema: {type: object}\n"
            "            encoding: {a: {contentType: text/plain}}",
            "warning: `encoding` applies to form and multipart bodies only; ignored",
        ),
        (
            "multipart/form-data",
            "            schema: {type: object, properties: {a: {type: string}}}\n"
            "            encoding:\n"
            "              a: {headers: {X-Free: {schema: {type: string}}}}",
            "warning: part header 'X-Free' is not sent",
        ),
    ],
)
def test_encodings_that_cannot_apply_are_reported_at_their_line(
    tmp_path: Path, media: str, entry: str, expected: str
) -> None:
    found = _findings(tmp_path, media, entry)
    assert any(expected in text and "mp_bad.yaml:" in text for text in found), found


# --------------------------------------------------------------------------- wire


def test_form_data_parts_follow_their_encoding(package: Any) -> None:
    pkg = package(ENCODING)
    m = models_of(pkg)
    body = m.UploadBody(
        meta=m.Meta(title="t"),
        image=b"\x89PNG",
        count=3,
        tags=["a", "b"],
        note="x,y",
        data=io.BytesIO(b"raw"),
        plain=m.Meta(title="p"),
    )
    _, req = call(pkg, lambda c: c.upload(body=body), Reply(204))
    parts = {(p.name, p.data): p for p in multipart_parts(req)}
    by_name = {p.name: p for p in multipart_parts(req)}
    assert by_name["meta"].content_type == "application/json"
    assert json.loads(by_name["meta"].data) == {"title": "t"}
    assert by_name["meta"].filename is None
    assert by_name["image"].content_type == "image/png"
    assert by_name["image"].data == b"\x89PNG" and by_name["image"].filename == "upload"
    assert by_name["count"].content_type == "application/json" and by_name["count"].data == b"3"
    assert by_name["note"].content_type == "text/csv" and by_name["note"].data == b"x,y"
    assert ("tags", b"a") in parts and ("tags", b"b") in parts  # an array: a part per item
    assert parts[("tags", b"a")].content_type is None  # text/plain by default
    assert by_name["data"].content_type == "application/octet-stream"  # `image/*`: guessed
    # an object property without an encoding: JSON, as the default contentType says
    assert by_name["plain"].content_type == "application/json"
    raw = req.content.decode("latin-1")
    head = raw[raw.index('name="image"') : raw.index("\x89PNG")]
    assert head == (
        'name="image"; filename="upload"\r\nX-Part-Version: 2\r\nContent-Type: image/png\r\n\r\n'
    )


def test_form_data_without_a_file_is_still_form_data(package: Any) -> None:
    # httpx writes a form (urlencoded) when no part is a file: the spec says form-data
    pkg = package(ENCODING)
    _, req = call(pkg, lambda c: c.send_note(body={"title": "t", "tags": ["a", "b"]}), Reply(204))
    parts = [(p.name, p.filename, p.content_type, p.data) for p in multipart_parts(req)]
    assert parts == [
        ("title", None, None, b"t"),
        ("tags", None, None, b"a"),
        ("tags", None, None, b"b"),
    ]
    _, req = call(pkg, lambda c: c.send_note(body={}), Reply(204))
    boundary = req.headers["content-type"].removeprefix("multipart/form-data; boundary=")
    assert req.content == f"--{boundary}--\r\n".encode()


def test_a_callers_file_tuple_keeps_its_content_type(package: Any) -> None:
    pkg = package(ENCODING)
    m = models_of(pkg)
    body = m.UploadBody(meta=m.Meta(), image=("a.jpg", b"j", "image/jpeg"))
    _, req = call(pkg, lambda c: c.upload(body=body), Reply(204))
    image = {p.name: p for p in multipart_parts(req)}["image"]
    assert (image.filename, image.content_type, image.data) == ("a.jpg", "image/jpeg", b"j")
    two = m.UploadBody(meta=m.Meta(), image=("b.bin", b"k"))
    _, req = call(pkg, lambda c: c.upload(body=two), Reply(204))
    image = {p.name: p for p in multipart_parts(req)}["image"]
    assert (image.filename, image.content_type) == ("b.bin", "image/png")


def test_multipart_form_data_fields_follow_their_style_from_openapi_3_1(package: Any) -> None:
    """OpenAPI 3.1 applies `style` and `explode` to multipart/form-data too (3.0 to
    urlencoded bodies only): text parts named as a form names its fields, unencoded;
    `contentType` is then ignored. They were ignored, with a warning, and the object
    sent as one JSON part."""
    pkg = package(ENCODING)
    body = {"filter": {"a": "x y", "b": [1, 2]}, "ids": [3, 4], "name": "n"}
    _, req = call(pkg, lambda c: c.send_styled(body=body), Reply(204))
    parts = [(p.name, p.content_type, p.data) for p in multipart_parts(req)]
    assert parts == [
        ("filter[a]", None, b"x y"),
        ("filter[b][0]", None, b"1"),
        ("filter[b][1]", None, b"2"),
        ("ids", None, b"3,4"),
        ("name", None, b"n"),
    ]


def test_urlencoded_fields_follow_style_explode_and_allow_reserved(package: Any) -> None:
    pkg = package(ENCODING)
    body = {
        "ids": [1, 2],
        "filter": {"a": "x", "b": "y"},
        "path": "a/b?c d",
        "meta": {"title": "t"},
        "tags": ["p", "q"],
    }
    _, req = call(pkg, lambda c: c.send_form(body=body), Reply(204))
    assert req.headers["content-type"] == "application/x-www-form-urlencoded"
    assert req.content == (
        b"ids=1%7C2&filter%5Ba%5D=x&filter%5Bb%5D=y&path=a/b?c%20d"
        b"&meta=%7B%22title%22%3A%22t%22%7D&tags=p&tags=q"
    )


def _mixed(request: httpx.Request, subtype: str = "mixed") -> tuple[str, list[Any]]:
    """The boundary and parts (email.message objects) of a multipart body."""
    content_type = request.headers["content-type"]
    assert content_type.startswith(f"multipart/{subtype}; boundary="), content_type
    boundary = content_type.split("boundary=", 1)[1]
    raw = f"Content-Type: {content_type}\r\n\r\n".encode() + request.content
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    assert message.is_multipart() and not message.defects
    return boundary, list(message.iter_parts())


def test_multipart_mixed_items_follow_item_encoding(package: Any) -> None:
    pkg = package(ENCODING)
    m = models_of(pkg)
    _, req = call(pkg, lambda c: c.send_batch(body=[m.Meta(title="a"), m.Meta()]), Reply(204))
    boundary, parts = _mixed(req)
    assert (
        req.content
        == (
            f"--{boundary}\r\nContent-Type: application/json\r\n\r\n"
            f'{{"title":"a"}}\r\n'
            f"--{boundary}\r\nContent-Type: application/json\r\n\r\n"
            f"{{}}\r\n"
            f"--{boundary}--\r\n"
        ).encode()
    )
    assert [json.loads(p.get_payload(decode=True)) for p in parts] == [{"title": "a"}, {}]
    assert len(boundary) == 32


def test_multipart_mixed_file_items_with_item_encoding(package: Any) -> None:
    pkg = package(ENCODING)
    body = [b"\x00\r\n--x", ("b.png", b"b", "image/gif"), io.BytesIO(b"c")]
    _, req = call(pkg, lambda c: c.send_images(body=body), Reply(204))
    boundary, parts = _mixed(req)
    assert boundary.encode() not in b"\x00\r\n--x"
    assert [p.get_payload(decode=True) for p in parts] == [b"\x00\r\n--x", b"b", b"c"]
    assert [p["content-type"] for p in parts] == ["image/png", "image/gif", "image/png"]
    assert [p["x-kind"] for p in parts] == ["thumbnail"] * 3
    assert parts[1]["content-disposition"] == 'attachment; filename="b.png"'
    assert parts[0]["content-disposition"] is None


def test_prefix_encoding_writes_each_position_its_way(package: Any) -> None:
    pkg = package(ENCODING)
    m = models_of(pkg)
    body = (m.Meta(title="m"), "a,b", b"\x89PNG")
    _, req = call(pkg, lambda c: c.send_envelope(body=body), Reply(204))
    boundary, _ = _mixed(req, "related")
    assert req.content == (
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n"
        f'{{"title":"m"}}\r\n'
        f"--{boundary}\r\nContent-Type: text/csv\r\n\r\na,b\r\n"
        f"--{boundary}\r\nContent-Type: image/png\r\n\r\n".encode()
        + b"\x89PNG\r\n"
        + f"--{boundary}--\r\n".encode()
    )


async def test_async_multipart_mixed(package: Any) -> None:
    pkg = package(ENCODING)
    server = Server(Reply(204))
    async with async_client(pkg, server) as c:
        await c.send_images(body=[b"a"])
    _, parts = _mixed(server.only)
    assert [p.get_payload(decode=True) for p in parts] == [b"a"]


# --------------------------------------------------------------------------- unnamed parts

UNNAMED = feature_spec(
    "unnamed_parts",
    """\
openapi: 3.0.3
info: {title: Unnamed, version: '1'}
servers: [{url: 'https://api.test'}]
paths:
  /upload:
    post:
      operationId: uploadMany
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {type: array, items: {type: string, format: binary}}
      responses: {'204': {description: done}}
  /form:
    post:
      operationId: postForm
      requestBody:
        content: {application/x-www-form-urlencoded: {schema: {type: string}}}
      responses: {'204': {description: done}}
""",
)


def test_a_form_body_that_is_no_object_is_a_mapping_of_parts(tmp_path: Path, package: Any) -> None:
    """openapi-python-client's /tests/upload/multiple: a multipart/form-data body that
    is an array names no part. It was typed `list[str]` and every call raised
    TypeError; it is a mapping of part names to values now, with a warning."""
    api = build_ir(tmp_path, UNNAMED)
    assert op_by_id(api, "uploadMany").bodies[0].type == MapOf(Prim("any"))
    assert op_by_id(api, "postForm").bodies[0].type == MapOf(Prim("any"))
    found = _findings_of(tmp_path, UNNAMED)
    assert sum("are named by an object's properties" in text for text in found) == 2, found
    pkg = package(UNNAMED)
    files = {"files": [b"aa", ("b.txt", b"bb", "text/plain")]}
    _, req = call(pkg, lambda c: c.upload_many(body=files), Reply(204))
    parts = [(p.name, p.filename, p.data) for p in multipart_parts(req)]
    assert parts == [("files", "upload", b"aa"), ("files", "b.txt", b"bb")]
    _, req = call(pkg, lambda c: c.post_form(body={"a": "1"}), Reply(204))
    assert req.content == b"a=1"


SHARED_MODEL = feature_spec(
    "shared_model",
    HEAD_30
    + """\
paths:
  /items/:
    post:
      operationId: items_create
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: '#/components/schemas/ItemRequest'}}
          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/ItemRequest'}}
          multipart/form-data: {schema: {$ref: '#/components/schemas/ItemRequest'}}
      responses: {'204': {description: ok}}
  /notes/:
    post:
      operationId: notes_create
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses: {'204': {description: ok}}
components:
  schemas:
    ItemRequest:
      type: object
      required: [name]
      properties:
        name: {type: string}
        attachment: {type: string, format: binary, nullable: true}
""",
)


def test_a_body_holding_a_file_goes_as_the_multipart_media_type(package: Any) -> None:
    """drf-spectacular offers one model as JSON, a form and multipart: a file among its
    values can only go as multipart, which is chosen; JSON otherwise. A file a JSON
    body cannot carry is a `RequestValidationError`, before anything is sent."""
    pkg = package(SHARED_MODEL)
    m = models_of(pkg)
    upload = m.ItemRequest(name="n", attachment=("a.txt", b"hi", "text/plain"))
    for body in (upload, {"name": "n", "attachment": io.BytesIO(b"hi")}):
        _, req = call(pkg, lambda c, b=body: c.items_create(body=b), Reply(204))
        parts = multipart_parts(req)
        assert [(p.name, p.data) for p in parts] == [("name", b"n"), ("attachment", b"hi")]
    _, req = call(pkg, lambda c: c.items_create(body=m.ItemRequest(name="n")), Reply(204))
    assert (req.headers["content-type"], json_body(req)) == ("application/json", {"name": "n"})
    server = Server()
    with (
        client(pkg, server) as c,
        pytest.raises(pkg.errors.RequestValidationError, match=r"^body: cannot be sent as JSON"),
    ):
        c.notes_create(body={"file": io.BytesIO(b"raw")})
    assert server.requests == []


def test_a_multipart_style_in_openapi_3_0_is_ignored_with_a_warning(tmp_path: Path) -> None:
    """3.0 says `style` applies to urlencoded bodies only: a multipart part keeps its
    content type, and the warning says why the style does nothing."""
    spec = FeatureSpec(
        "mp_style_30",
        HEAD_30
        + """\
paths:
  /styled:
    post:
      operationId: sendStyled
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object, properties: {filter: {type: object}}}
            encoding:
              filter: {style: deepObject, contentType: application/json}
      responses: {'204': {description: done}}
""",
    )
    path = spec.write_to(tmp_path)
    loaded = load(path)
    sink = Diagnostics(loaded.locate)
    validate(loaded, sink)
    api = build(loaded, sink, spec.package_name)
    (part,) = op_by_id(api, "sendStyled").body.parts  # type: ignore[union-attr]
    assert (part.style, part.is_json) == (None, True)
    (warning,) = [d for d in sink.items if d.severity == "warning"]
    assert warning.message.startswith("`style` applies to urlencoded bodies (and multipart")
    assert warning.pointer.endswith("/encoding/filter/style")
