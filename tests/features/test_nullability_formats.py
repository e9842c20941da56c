"""Nullability in its three spellings, absent vs null, and string formats."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from oagen.ir import Nullable, Prim, Ref

from .conftest import (
    BASE,
    HEAD_30,
    HEAD_31,
    Reply,
    build_ir,
    call,
    feature_spec,
    fields,
    json_body,
    model,
    models_of,
)

_PATHS = """\
paths:
  /rec:
    get:
      operationId: getRec
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Rec'}
    put:
      operationId: putRec
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Rec'}
      responses:
        '204': {description: done}
"""

NULL_30 = feature_spec(
    "nullable_30",
    HEAD_30
    + _PATHS
    + """\
components:
  schemas:
    Inner:
      type: object
      properties:
        v: {type: integer}
    Rec:
      type: object
      required: [req]
      properties:
        req: {type: string, nullable: true}
        x: {type: string, nullable: true}
        n: {type: integer, nullable: true}
        inner:
          allOf: [{$ref: '#/components/schemas/Inner'}]
          nullable: true
""",
)

NULL_31 = feature_spec(
    "nullable_31",
    HEAD_31
    + _PATHS
    + """\
components:
  schemas:
    Inner:
      type: object
      properties:
        v: {type: integer}
    Rec:
      type: object
      required: [req]
      properties:
        req: {type: [string, 'null']}
        x: {type: [string, 'null']}
        n: {type: ['null', integer]}
        inner:
          anyOf:
            - $ref: '#/components/schemas/Inner'
            - type: 'null'
""",
)

NULL_ANYOF = feature_spec(
    "nullable_anyof",
    HEAD_31
    + _PATHS
    + """\
components:
  schemas:
    Inner:
      type: object
      properties:
        v: {type: integer}
    Rec:
      type: object
      required: [req]
      properties:
        req:
          anyOf: [{type: string}, {type: 'null'}]
        x:
          anyOf: [{type: string}, {type: 'null'}]
        n:
          oneOf: [{type: 'null'}, {type: integer}]
        inner:
          oneOf:
            - type: 'null'
            - $ref: '#/components/schemas/Inner'
""",
)

NULL_SPECS = [NULL_30, NULL_31, NULL_ANYOF]


@pytest.mark.parametrize("spec", NULL_SPECS, ids=lambda s: s.key)
def test_nullability_ir(tmp_path: Path, spec: Any) -> None:
    api = build_ir(tmp_path, spec)
    rec = fields(model(api, "Rec"))
    assert {k: (f.type, f.is_required) for k, f in rec.items()} == {
        "req": (Nullable(Prim("str")), True),
        "x": (Nullable(Prim("str")), False),
        "n": (Nullable(Prim("int")), False),
        "inner": (Nullable(Ref("Inner")), False),
    }


@pytest.mark.parametrize("spec", NULL_SPECS, ids=lambda s: s.key)
def test_absent_vs_null_round_trip(package: Any, spec: Any) -> None:
    pkg = package(spec)
    m = models_of(pkg)
    absent = m.Rec.from_dict({"req": None})
    assert absent.req is None
    assert absent.x is pkg.UNSET and absent.n is pkg.UNSET and absent.inner is pkg.UNSET
    assert absent.to_dict() == {"req": None}

    nulls = {"req": "r", "x": None, "n": None, "inner": None}
    rec = m.Rec.from_dict(nulls)
    assert (rec.x, rec.n, rec.inner) == (None, None, None)
    assert rec.to_dict() == nulls

    full = {"req": "r", "x": "s", "n": 3, "inner": {"v": 1}}
    rec = m.Rec.from_dict(full)
    assert isinstance(rec.inner, m.Inner) and rec.to_dict() == full

    got, _ = call(pkg, lambda c: c.get_rec(), Reply(200, {"req": "r", "x": None}))
    assert got.x is None and got.n is pkg.UNSET

    _, req = call(pkg, lambda c: c.put_rec(body=m.Rec(req=None, n=None)), Reply(204))
    assert (req.method, str(req.url)) == ("PUT", f"{BASE}/rec")
    assert json_body(req) == {"req": None, "n": None}


# --------------------------------------------------------------------------- formats

FORMATS = feature_spec(
    "formats",
    HEAD_31
    + """\
paths:
  /f:
    post:
      operationId: echoFormats
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Formats'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Formats'}
components:
  schemas:
    Formats:
      type: object
      properties:
        at: {type: string, format: date-time}
        day: {type: string, format: date}
        clock: {type: string, format: time}
        uid: {type: string, format: uuid}
        raw: {type: string, format: byte}
        blob: {type: string, format: binary}
        i32: {type: integer, format: int32}
        i64: {type: integer, format: int64}
        f32: {type: number, format: float}
        f64: {type: number, format: double}
        dur: {type: string, format: duration}
        link: {type: string, format: uri}
        mail: {type: string, format: email}
        ip4: {type: string, format: ipv4}
        ip6: {type: string, format: ipv6}
        money: {type: string, format: decimal}
""",
)

FORMATS_JSON = {
    "at": "2024-05-06T07:08:09Z",
    "day": "2024-05-06",
    "clock": "07:08:09",
    "uid": "12345678-1234-5678-1234-567812345678",
    "raw": base64.b64encode(b"\x00hi\xff").decode(),
    "i32": 5,
    "i64": 9007199254740993,
    "f32": 1.5,
    "f64": 2.25,
    "dur": "P1D",
    "link": "https://x.test/a",
    "mail": "a@b.test",
    "ip4": "10.0.0.1",
    "ip6": "::1",
    "money": "10.50",
}


def test_formats_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, FORMATS)
    types = {k: f.type for k, f in fields(model(api, "Formats")).items()}
    assert types.pop("blob") == Prim("str")  # inside JSON: text (test_media_types.py)
    assert types == {
        "at": Prim("datetime"),
        "day": Prim("date"),
        "clock": Prim("time"),
        "uid": Prim("uuid"),
        "raw": Prim("base64"),
        "i32": Prim("int"),
        "i64": Prim("int"),
        "f32": Prim("float"),
        "f64": Prim("float"),
        "dur": Prim("str"),
        "link": Prim("str"),
        "mail": Prim("str"),
        "ip4": Prim("str"),
        "ip6": Prim("str"),
        "money": Prim("str"),
    }


def test_formats_behaviour(package: Any) -> None:
    pkg = package(FORMATS)
    m = models_of(pkg)
    got, _ = call(pkg, lambda c: c.echo_formats(body={}), Reply(200, FORMATS_JSON))
    assert got.at == datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert got.day == date(2024, 5, 6)
    assert got.clock == time(7, 8, 9)
    assert got.uid == UUID("12345678-1234-5678-1234-567812345678")
    assert got.raw == b"\x00hi\xff"
    assert (got.i32, got.i64, got.f32, got.f64) == (5, 9007199254740993, 1.5, 2.25)
    for key in ("dur", "link", "mail", "ip4", "ip6", "money"):
        assert getattr(got, key) == FORMATS_JSON[key] and type(getattr(got, key)) is str
    out = got.to_dict()
    assert datetime.fromisoformat(out.pop("at").replace("Z", "+00:00")) == got.at
    assert out == {k: v for k, v in FORMATS_JSON.items() if k != "at"}

    body = m.Formats(
        at=datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC),
        day=date(2024, 5, 6),
        uid=UUID(int=1),
        raw=b"\x01\x02",
        money="1.10",
    )
    _, req = call(pkg, lambda c: c.echo_formats(body=body), Reply(200, {}))
    sent = json_body(req)
    assert sent == {
        "at": sent["at"],
        "day": "2024-05-06",
        "uid": "00000000-0000-0000-0000-000000000001",
        "raw": "AQI=",
        "money": "1.10",
    }
    assert datetime.fromisoformat(sent["at"].replace("Z", "+00:00")) == body.at
