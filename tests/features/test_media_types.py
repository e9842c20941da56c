"""Media types on the wire: `Accept` per operation, `format: binary` inside JSON, and
request bodies offered in several media types (issue 12 items 2-4)."""

from __future__ import annotations

import datetime
import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from oagen.ir import Body, ListOf, Prim, Ref, UnionOf

from .conftest import (
    HEAD_30,
    HEAD_31,
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

# --------------------------------------------------------------------------- Accept

ACCEPT = feature_spec(
    "accept",
    HEAD_31
    + """\
paths:
  /text:
    get:
      operationId: getText
      responses:
        '200':
          description: ok
          content: {text/plain: {schema: {type: string}}}
  /bytes:
    get:
      operationId: getBytes
      responses:
        '200':
          description: ok
          content:
            application/octet-stream: {schema: {type: string, format: binary}}
            text/plain: {schema: {type: string}}
  /mixed:
    get:
      operationId: getMixed
      responses:
        '200':
          description: ok
          content:
            text/csv: {schema: {type: string}}
            application/json: {schema: {type: object}}
        '404':
          description: missing
          content:
            application/problem+json: {schema: {type: object}}
            text/csv: {schema: {type: string}}
        default:
          description: anything
          content:
            '*/*': {schema: {}}
  /word:
    get:
      operationId: getWord
      responses:
        '200':
          description: a string, for any media type (as Spring's specs declare it)
          content: {'*/*': {schema: {type: string}}}
  /nothing:
    delete:
      operationId: deleteIt
      responses:
        '204': {description: gone}
""",
)


def test_accept_lists_declared_response_media_types_json_first(tmp_path: Path) -> None:
    api = build_ir(tmp_path, ACCEPT)
    assert op_by_id(api, "getText").accept == ("text/plain",)
    assert op_by_id(api, "getBytes").accept == ("application/octet-stream", "text/plain")
    # read as JSON, the responses cannot return their CSV: only what they are read as
    assert op_by_id(api, "getMixed").accept == (
        "application/json",
        "application/problem+json",
        "*/*",
    )
    assert op_by_id(api, "deleteIt").accept == ()


@pytest.mark.parametrize(
    ("method", "reply", "accept"),
    [
        (
            "get_text",
            Reply(200, content=b"hi", headers={"content-type": "text/plain"}),
            "text/plain",
        ),
        (
            "get_bytes",
            Reply(200, content=b"\x00", headers={"content-type": "application/octet-stream"}),
            "application/octet-stream, text/plain",
        ),
        ("get_mixed", Reply(200, {}), "application/json, application/problem+json, */*"),
        ("delete_it", Reply(204), "*/*"),  # nothing declared: httpx's `*/*`
    ],
)
def test_accept_names_only_media_types_the_operation_returns(
    package: Any, method: str, reply: Reply, accept: str
) -> None:
    pkg = package(ACCEPT)
    _, req = call(pkg, lambda c: getattr(c, method)(), reply)
    assert req.headers.get_list("accept") == [accept]


def test_a_string_for_any_media_type_is_json_or_the_text(package: Any) -> None:
    pkg = package(ACCEPT)
    text = Reply(200, content=b"hello", headers={"content-type": "text/plain"})
    assert call(pkg, lambda c: c.get_word(), text)[0] == "hello"
    assert call(pkg, lambda c: c.get_word(), Reply(200, "hi"))[0] == "hi"  # a JSON string
    with pytest.raises(pkg.errors.APIResponseValidationError):
        call(pkg, lambda c: c.get_word(), Reply(200, {"not": "a string"}))


def test_accept_given_by_the_caller_wins(package: Any) -> None:
    pkg = package(ACCEPT)
    text = Reply(200, content=b"hi", headers={"content-type": "text/plain"})
    _, req = call(pkg, lambda c: c.get_text(), text, default_headers={"Accept": "text/*"})
    assert req.headers.get_list("accept") == ["text/*"]
    _, req = call(pkg, lambda c: c.get_text(extra_headers={"Accept": "text/plain; q=1"}), text)
    assert req.headers.get_list("accept") == ["text/plain; q=1"]


# --------------------------------------------------------------------------- format: binary

BINARY_STRINGS = feature_spec(
    "binary_strings",
    HEAD_31
    + """\
paths:
  /docs:
    post:
      operationId: echoDoc
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Doc'}}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Doc'}}}
  /form:
    post:
      operationId: sendForm
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Doc'}}
      responses:
        '204': {description: done}
  /upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content: {multipart/form-data: {schema: {$ref: '#/components/schemas/Upload'}}}
      responses:
        '204': {description: done}
components:
  schemas:
    Blob: {type: string, format: binary}
    Doc:
      type: object
      required: [blob]
      properties:
        blob: {type: string, format: binary}
        named: {$ref: '#/components/schemas/Blob'}
        png: {type: string, contentMediaType: image/png}
        raw: {type: string, format: byte}
        enc: {type: string, contentEncoding: base64, contentMediaType: image/png}
    Upload:
      type: object
      required: [file]
      properties:
        file: {type: string, format: binary}
        named: {$ref: '#/components/schemas/Blob'}
        more: {type: array, items: {type: string, format: binary}}
        doc: {$ref: '#/components/schemas/Doc'}
        either:
          oneOf:
            - {type: string, format: binary}
            - $ref: '#/components/schemas/Doc'
""",
    typecheck="""\
        from feat_binary_strings_client.models import Doc, Upload

        doc: Doc = Doc(blob="abc", named="n", png="p", raw=b"\\x00", enc=b"\\x01")
        up = Upload(file=b"x", named=("n.bin", b"y"), more=[b"z"], doc=doc)
    """,
)


def test_binary_strings_are_files_only_in_multipart_bodies(tmp_path: Path) -> None:
    api = build_ir(tmp_path, BINARY_STRINGS)
    doc = {k: f.type for k, f in fields(model(api, "Doc")).items()}
    assert doc == {
        "blob": Prim("str"),
        "named": Ref("Blob"),  # an alias of a plain string here
        "png": Prim("str"),  # contentMediaType without contentEncoding: the text as is
        "raw": Prim("base64"),
        "enc": Prim("base64"),  # contentEncoding: base64, as format: byte
    }
    upload = {k: f.type for k, f in fields(model(api, "Upload")).items()}
    assert upload == {
        "file": Prim("file"),
        "named": Prim("file"),
        "more": ListOf(Prim("file")),
        "doc": Ref("Doc"),  # a JSON part: its binary strings stay text
        "either": UnionOf((Prim("file"), Ref("Doc"))),
    }


def test_binary_format_inside_json_is_a_plain_string(package: Any) -> None:
    pkg = package(BINARY_STRINGS)
    m = models_of(pkg)
    sent = {"blob": "abc", "named": "n", "png": "not base64!", "raw": "AAE=", "enc": "AQ=="}
    got, req = call(pkg, lambda c: c.echo_doc(body=m.Doc.from_dict(sent)), Reply(200, sent))
    assert (got.blob, got.named, got.png) == ("abc", "n", "not base64!")
    assert (got.raw, got.enc) == (b"\x00\x01", b"\x01")
    assert json_body(req) == sent
    assert got.to_dict() == sent


def test_binary_format_inside_a_form_is_a_plain_string(package: Any) -> None:
    pkg = package(BINARY_STRINGS)
    m = models_of(pkg)
    _, req = call(pkg, lambda c: c.send_form(body=m.Doc(blob="a b")), Reply(204))
    assert req.content == b"blob=a+b"


def test_binary_format_in_a_multipart_body_is_a_file_part(package: Any) -> None:
    pkg = package(BINARY_STRINGS)
    m = models_of(pkg)
    body = m.Upload(file=b"\x00f", named=io.BytesIO(b"n"), more=[b"1"], doc=m.Doc(blob="t"))
    _, req = call(pkg, lambda c: c.upload(body=body), Reply(204))
    parts = {p.name: p for p in multipart_parts(req)}
    assert parts["file"].data == b"\x00f" and parts["file"].filename is not None
    assert parts["named"].data == b"n" and parts["named"].filename is not None
    assert parts["more"].data == b"1" and parts["more"].filename is not None
    assert parts["doc"].data == b'{"blob":"t"}' and parts["doc"].filename is None


@pytest.mark.parametrize("given", [b"raw", io.BytesIO(b"raw"), ("e.bin", b"raw")])
def test_a_file_in_a_union_of_a_multipart_body_is_a_file_part(package: Any, given: Any) -> None:
    """`oneOf: [binary, Doc]`: a file given goes as its bytes (not base64 text), a Doc
    as a JSON part."""
    pkg = package(BINARY_STRINGS)
    m = models_of(pkg)
    _, req = call(pkg, lambda c: c.upload(body=m.Upload(file=b"f", either=given)), Reply(204))
    either = {p.name: p for p in multipart_parts(req)}["either"]
    assert (either.data, either.filename is not None) == (b"raw", True)
    _, req = call(
        pkg, lambda c: c.upload(body=m.Upload(file=b"f", either=m.Doc(blob="t"))), Reply(204)
    )
    either = {p.name: p for p in multipart_parts(req)}["either"]
    assert (either.data, either.filename) == (b'{"blob":"t"}', None)


# --------------------------------------------------------------------------- several body media types

SEVERAL = feature_spec(
    "several_bodies",
    HEAD_30
    + """\
paths:
  /pets:
    post:
      operationId: createPet
      parameters:
        - {name: contentType, in: query, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/octet-stream: {schema: {type: string, format: binary}}
          application/json: {schema: {$ref: '#/components/schemas/Pet'}}
          multipart/form-data: {schema: {$ref: '#/components/schemas/PetUpload'}}
          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Pet'}}
      responses:
        '204': {description: done}
  /notes:
    put:
      operationId: putNote
      requestBody:
        content:
          text/plain: {schema: {type: string}}
          application/json: {schema: {$ref: '#/components/schemas/Pet'}}
      responses:
        '204': {description: done}
  /docs:
    patch:
      operationId: patchDoc
      requestBody:
        content:
          application/merge-patch+json: {schema: {$ref: '#/components/schemas/Pet'}}
          application/json-patch+json: {schema: {$ref: '#/components/schemas/Ops'}}
      responses:
        '204': {description: done}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
    PetUpload:
      type: object
      required: [photo]
      properties:
        photo: {type: string, format: binary}
        name: {type: string}
    Ops:
      type: array
      items: {type: object, properties: {op: {type: string}, path: {type: string}}}
""",
    typecheck="""\
        import io

        from feat_several_bodies_client import Client
        from feat_several_bodies_client.models import OpsItem, Pet, PetUpload

        def use(client: Client) -> None:
            client.create_pet(body=Pet(name="a"))
            client.create_pet(body={"name": "a"}, content_type="application/x-www-form-urlencoded")
            client.create_pet(body=b"raw")
            client.create_pet(body=io.BytesIO(b"raw"), content_type="application/octet-stream")
            client.create_pet(body=PetUpload(photo=b"p"), content_type_="q")
            client.put_note(body="text")
            client.put_note(body=Pet(name="a"), content_type="application/json")
            client.put_note()
            client.patch_doc(body=[OpsItem(op="remove", path="/a")])
    """,
)


def test_body_media_types_all_kept_default_json(tmp_path: Path) -> None:
    api = build_ir(tmp_path, SEVERAL)
    op = op_by_id(api, "createPet")
    assert op.body == Body("application/json", "json", Ref("Pet"), True, None)
    assert op.other_bodies == (
        Body("application/octet-stream", "binary", Prim("binary"), True, None),
        Body("multipart/form-data", "multipart", Ref("PetUpload"), True, None),
        Body("application/x-www-form-urlencoded", "form", Ref("Pet"), True, None),
    )
    assert [p.python_name for p in op.params] == ["content_type_"]  # the keyword is ours
    note = op_by_id(api, "putNote")
    assert [b.media_type for b in note.bodies] == ["application/json", "text/plain"]


@pytest.mark.parametrize(
    ("body", "media"),
    [
        (lambda m: m.Pet(name="Rex"), "application/json"),
        (lambda m: {"name": "Rex"}, "application/json"),  # a dict: the default
        (lambda m: b"\x00raw", "application/octet-stream"),
        (lambda m: io.BytesIO(b"\x00raw"), "application/octet-stream"),
        (lambda m: m.PetUpload(photo=b"\x00raw"), "multipart/form-data"),
    ],
    ids=["model", "dict", "bytes", "file", "other-model"],
)
def test_body_media_type_chosen_by_the_value_type(package: Any, body: Any, media: str) -> None:
    pkg = package(SEVERAL)
    value = body(models_of(pkg))
    _, req = call(pkg, lambda c: c.create_pet(body=value), Reply(204))
    assert req.headers["content-type"].split(";")[0] == media
    if media == "application/json":
        assert json_body(req) == {"name": "Rex"}
    elif media == "application/octet-stream":
        assert req.content == b"\x00raw"
    else:
        assert [(p.name, p.data) for p in multipart_parts(req)] == [("photo", b"\x00raw")]


def test_content_type_chooses_the_media_type_explicitly(package: Any) -> None:
    pkg = package(SEVERAL)
    m = models_of(pkg)
    form = "application/x-www-form-urlencoded"
    _, req = call(
        pkg, lambda c: c.create_pet(body=m.Pet(name="a b"), content_type=form), Reply(204)
    )
    assert (req.headers["content-type"], req.content) == (form, b"name=a+b")
    _, req = call(
        pkg,
        lambda c: c.create_pet(body={"photo": b"p"}, content_type="multipart/form-data"),
        Reply(204),
    )
    assert [(p.name, p.data) for p in multipart_parts(req)] == [("photo", b"p")]
    _, req = call(pkg, lambda c: c.put_note(body="hello"), Reply(204))
    assert (req.headers["content-type"], req.content) == ("text/plain", b"hello")
    _, req = call(pkg, lambda c: c.put_note(), Reply(204))  # optional body: none sent
    assert req.content == b"" and "content-type" not in req.headers


def test_content_type_not_declared_is_refused_before_sending(package: Any) -> None:
    pkg = package(SEVERAL)
    server = Server()
    with client(pkg, server) as c, pytest.raises(ValueError, match="content_type") as caught:
        c.create_pet(body={"name": "a"}, content_type="text/xml")
    assert isinstance(caught.value, pkg.errors.RequestValidationError)
    assert server.requests == []


async def test_body_media_type_choice_async(package: Any) -> None:
    pkg = package(SEVERAL)
    server = Server(Reply(204))
    async with async_client(pkg, server) as c:
        await c.create_pet(body=b"x")
        await c.create_pet(body={"name": "n"}, content_type="application/x-www-form-urlencoded")
    types = [r.headers["content-type"] for r in server.requests]
    assert types == ["application/octet-stream", "application/x-www-form-urlencoded"]


def test_a_list_goes_as_the_media_type_whose_schema_is_an_array(package: Any) -> None:
    """JSON Patch beside JSON Merge Patch: a list is sent as the array media type (it
    was sent as the default, whose schema is an object), a dict as the default."""
    pkg = package(SEVERAL)
    ops = [{"op": "remove", "path": "/a"}]
    _, req = call(pkg, lambda c: c.patch_doc(body=ops), Reply(204))
    assert req.headers["content-type"] == "application/json-patch+json"
    assert json_body(req) == ops
    _, req = call(pkg, lambda c: c.patch_doc(body={"name": "a"}), Reply(204))
    assert req.headers["content-type"] == "application/merge-patch+json"
    doc = " ".join(pkg.Client.patch_doc.__doc__.split())
    assert "a list: application/json-patch+json" in doc


def test_several_media_types_documented_in_the_method(package: Any) -> None:
    pkg = package(SEVERAL)
    doc = " ".join(pkg.Client.create_pet.__doc__.split())
    assert "bytes or a file: application/octet-stream" in doc
    assert "a `PetUpload`: multipart/form-data" in doc
    assert "anything else: application/json" in doc
    assert "content_type: The media type to send `body` as" in doc


# ------------------------------------------------- JSON media types and ranges in bodies

JSON_KINDS = feature_spec(
    "json_kinds",
    HEAD_30
    + """\
paths:
  /w:
    post:
      operationId: createWhatever
      requestBody:
        content:
          application/json-patch+json: {schema: {$ref: '#/components/schemas/Whatever'}}
          application/json: {schema: {$ref: '#/components/schemas/Whatever'}}
          text/json: {schema: {$ref: '#/components/schemas/Whatever'}}
          application/*+json: {schema: {$ref: '#/components/schemas/Whatever'}}
      responses:
        '201':
          description: ok
          content:
            text/plain: {schema: {$ref: '#/components/schemas/Whatever'}}
            application/json: {schema: {$ref: '#/components/schemas/Whatever'}}
            text/json: {schema: {$ref: '#/components/schemas/Whatever'}}
  /any:
    put:
      operationId: putAny
      requestBody:
        content: {'*/*': {schema: {$ref: '#/components/schemas/Whatever'}}}
      responses:
        '204': {description: done}
components:
  schemas:
    Whatever: {type: object, properties: {someProperty: {type: string}}}
""",
)


def test_json_media_types_and_ranges_of_a_body(tmp_path: Path) -> None:
    """`application/json` is the default even when a `+json` type (a JSON Patch is a
    list of operations) comes first; `text/json` is JSON; a range is sent as the
    type of its kind, once (a `Content-Type` names no range)."""
    op = op_by_id(build_ir(tmp_path, JSON_KINDS), "createWhatever")
    assert op.body is not None
    bodies = [op.body, *op.other_bodies]
    assert [(b.media_type, b.kind) for b in bodies] == [
        ("application/json", "json"),
        ("application/json-patch+json", "json"),
        ("text/json", "json"),
    ]
    assert op.accept == ("application/json", "text/json")  # read as JSON: text/json too


def test_text_json_and_ranges_go_as_json(package: Any) -> None:
    pkg = package(JSON_KINDS)
    body = models_of(pkg).Whatever(some_property="x")
    for content_type, sent in [
        (pkg.UNSET, "application/json"),
        ("text/json", "text/json"),
        ("application/json-patch+json", "application/json-patch+json"),
    ]:
        _, req = call(
            pkg,
            lambda c, chosen=content_type: c.create_whatever(body=body, content_type=chosen),
            Reply(201, {"someProperty": "y"}),
        )
        assert (req.headers["content-type"], json_body(req)) == (sent, {"someProperty": "x"})
    text_json = Reply(201, content=b'{"someProperty": "y"}', headers={"content-type": "text/json"})
    assert call(pkg, lambda c: c.create_whatever(body=body), text_json)[0].some_property == "y"
    _, req = call(pkg, lambda c: c.put_any(body=body), Reply(204))
    assert (req.headers["content-type"], json_body(req)) == (
        "application/json",
        {"someProperty": "x"},
    )


IMAGE_RANGE = feature_spec(
    "image_range",
    HEAD_31
    + """\
paths:
  /avatar:
    put:
      operationId: putAvatar
      requestBody:
        required: true
        content: {'image/*': {schema: {type: string, format: binary}}}
      responses:
        '204': {description: done}
  /files/{name}:
    parameters: [{name: name, in: path, required: true, schema: {type: string}}]
    get:
      operationId: download
      responses:
        '200':
          description: springdoc's download
          content: {'*/*': {schema: {$ref: '#/components/schemas/File'}}}
    put:
      operationId: upload
      requestBody:
        content: {'*/*': {schema: {type: string, format: binary}}}
      responses:
        '200':
          description: any JSON
          content: {'*/*': {schema: {type: object}}}
  /archives/{name}:
    get:
      operationId: getArchive
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: Swashbuckle's [Produces("text/plain", "application/zip")] file
          content:
            text/plain: {schema: {type: string, format: binary}}
            application/zip: {schema: {type: string, format: binary}}
  /pictures/{name}:
    get:
      operationId: getPicture
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: 3.1's spelling of a binary string
          content: {'*/*': {schema: {type: string, contentMediaType: image/png}}}
components:
  schemas:
    File: {type: string, format: binary}
""",
)


def test_a_binary_string_under_any_type_is_bytes_not_json(package: Any) -> None:
    """`*/*` is read as JSON when it parses, but a binary string under it is raw
    octets both ways (decoding them as UTF-8 text would lose them)."""
    pkg = package(IMAGE_RANGE)
    octets = b"\x89PNG\r\n\x1a\n\xff\xfe"
    for content_type in ("application/octet-stream", "image/png"):
        reply = Reply(200, content=octets, headers={"content-type": content_type})
        got, req = call(pkg, lambda c: c.download("cat.png"), reply)
        assert (got, req.headers["accept"]) == (octets, "*/*")
    _, req = call(pkg, lambda c: c.upload("cat", body=octets), Reply(200, {"ok": True}))
    assert (req.headers["content-type"], req.content) == ("application/octet-stream", octets)
    got, _ = call(pkg, lambda c: c.upload("cat", body=octets), Reply(200, {"ok": True}))
    assert got == {"ok": True}  # an object schema under `*/*` is still JSON
    zipped = Reply(200, content=b"PK\x03\x04\xff", headers={"content-type": "application/zip"})
    png = Reply(200, content=b"\x89PNG\xff", headers={"content-type": "image/png"})
    assert call(pkg, lambda c: c.get_picture("p"), png)[0] == b"\x89PNG\xff"
    got, req = call(pkg, lambda c: c.get_archive("a"), zipped)  # text/plain first: a file
    assert (got, req.headers["accept"]) == (b"PK\x03\x04\xff", "text/plain, application/zip")


@pytest.mark.parametrize(
    ("name", "sent"),
    [
        ("cat.png", "image/png"),  # a named file in the range: its type
        ("/tmp/photos/cat.JPG", "image/jpeg"),
        ("notes.txt", "application/octet-stream"),  # out of the range: no false claim
        (None, "application/octet-stream"),  # bytes: nothing to go by
    ],
)
def test_a_binary_body_under_a_range_goes_as_the_file_names_type(
    package: Any, name: str | None, sent: str
) -> None:
    """A `Content-Type` names no range: a file whose name's type is in `image/*` goes
    as that type (as a multipart part would), else `application/octet-stream`."""
    pkg = package(IMAGE_RANGE)
    body: Any = b"\x89PNG"
    if name is not None:
        body = io.BytesIO(b"\x89PNG")
        body.name = name
    _, req = call(pkg, lambda c: c.put_avatar(body=body), Reply(204))
    assert (req.headers["content-type"], req.content) == (sent, b"\x89PNG")
    headers = {"Content-Type": "image/webp"}  # the caller's type wins
    _, req = call(pkg, lambda c: c.put_avatar(body=body, extra_headers=headers), Reply(204))
    assert req.headers["content-type"] == "image/webp"


# ------------------------------------------------------------------- text bodies of scalars

TEXT_SCALARS = feature_spec(
    "text_scalars",
    HEAD_30
    + """\
paths:
  /u:
    post:
      operationId: sendUuid
      requestBody: {content: {text/plain: {schema: {type: string, format: uuid}}}}
      responses: {'204': {description: ok}}
  /b:
    post:
      operationId: sendFlag
      requestBody: {content: {text/plain: {schema: {type: boolean}}}}
      responses: {'204': {description: ok}}
  /o:
    post:
      operationId: sendObject
      requestBody: {content: {text/plain: {schema: {type: object}}}}
      responses: {'204': {description: ok}}
  /count:
    get:
      operationId: getCount
      responses: {'200': {description: ok, content: {text/plain: {schema: {type: integer}}}}}
  /ratio:
    get:
      operationId: getRatio
      responses: {'200': {description: ok, content: {text/plain: {schema: {type: [number, 'null']}}}}}
  /day:
    get:
      operationId: getDay
      responses: {'200': {description: ok, content: {text/plain: {schema: {type: string, format: date}}}}}
  /code:
    get:
      operationId: getCode
      responses: {'200': {description: ok, content: {text/csv: {schema: {$ref: '#/components/schemas/Code'}}}}}
  /word:
    get:
      operationId: getWord
      responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}
components:
  schemas:
    Code: {type: string, enum: ['007', '42']}
""",
    typecheck="""\
        import datetime
        import uuid
        from feat_text_scalars_client import Client

        def send(c: Client) -> None:
            c.send_uuid(body=uuid.uuid4())
            c.send_flag(body=False)
            c.send_object(body="as it is")
            count: int = c.get_count()
            ratio: float | None = c.get_ratio()
            day: datetime.date = c.get_day()
            word: str = c.get_word()
    """,
)


def test_a_text_body_of_a_scalar_is_typed_and_sent_as_its_text(package: Any) -> None:
    """DESIGN 5: uuid -> UUID, in a text/plain body too; the body is the value's text."""
    pkg = package(TEXT_SCALARS)
    value = uuid.UUID(int=1)
    _, req = call(pkg, lambda c: c.send_uuid(body=value), Reply(204))
    assert (req.content, req.headers["content-type"]) == (str(value).encode(), "text/plain")
    _, req = call(pkg, lambda c: c.send_flag(body=True), Reply(204))
    assert req.content == b"true"  # JSON's spelling, not Python's `True`
    _, req = call(pkg, lambda c: c.send_object(body="as it is"), Reply(204))
    assert req.content == b"as it is"


def test_a_text_response_of_a_scalar_is_decoded_as_its_schema_says(package: Any) -> None:
    """DESIGN 4: a scalar per its schema, from a text/* body too: the number or
    boolean its text spells, a string type's text as it is (`'42'` of a string
    enum stays a string); text that is none of those is a validation error."""
    pkg = package(TEXT_SCALARS)

    def text(body: bytes, media: str = "text/plain; charset=utf-8") -> Reply:
        return Reply(200, content=body, headers={"content-type": media})

    assert call(pkg, lambda c: c.get_count(), text(b"42\n"))[0] == 42
    assert call(pkg, lambda c: c.get_ratio(), text(b"0.5"))[0] == 0.5
    assert call(pkg, lambda c: c.get_ratio(), text(b"7"))[0] == 7.0
    assert call(pkg, lambda c: c.get_ratio(), text(b"null"))[0] is None
    assert call(pkg, lambda c: c.get_day(), text(b"2026-12-04"))[0] == datetime.date(2026, 12, 4)
    assert call(pkg, lambda c: c.get_code(), text(b"42", "text/csv"))[0] == "42"
    assert call(pkg, lambda c: c.get_word(), text(b"123"))[0] == "123"
    for bad in (b"forty-two", b"[1]", b"4.5"):
        with pytest.raises(pkg.errors.APIResponseValidationError) as info:
            call(pkg, lambda c: c.get_count(), text(bad))
        assert info.value.body == bad.decode()
