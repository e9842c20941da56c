"""Types that were not valid typing or too loose (issue 12 items 9 and 10): float and
boolean enums, and 3.1 `prefixItems` tuples (Litestar's `tuple[...]`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pytest
from oagen.builder import build
from oagen.diagnostics import Diagnostics
from oagen.ir import Constraints, EnumDef, ListOf, LiteralOf, Prim, TupleOf
from oagen.load import load

from .conftest import (
    HEAD_30,
    Reply,
    build_ir,
    call,
    defs,
    feature_spec,
    fields,
    json_body,
    model,
    models_of,
    submodule,
)
from .conftest import HEAD_31 as HEAD

_PATHS = """\
paths:
  /things:
    get:
      operationId: getThing
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '204': {description: created}
"""

# --------------------------------------------------------------------------- float and boolean enums

NUMBER_ENUMS = feature_spec(
    "number_enums",
    HEAD
    + _PATHS
    + """\
components:
  schemas:
    Ratio: {type: number, enum: [1.1, -1.2]}
    Flag: {type: boolean, enum: [false, true]}
    Answer: {enum: [Processing, true, false, Error]}
    Thing:
      type: object
      properties:
        ratio: {$ref: '#/components/schemas/Ratio'}
        flag: {$ref: '#/components/schemas/Flag'}
        scale: {type: number, enum: [0.5, 2]}
        on: {type: boolean, enum: [true, false]}
        level: {type: integer, enum: [1, 2]}
        only_true: {type: boolean, enum: [true]}
        answer: {$ref: '#/components/schemas/Answer'}
        mixed: {enum: [Processing, true, false]}
        wide: {type: integer, enum: [1180591620717411303424, 1]}
        huge: {type: integer, enum: [-9223372036854775809, 3]}
        edge: {type: integer, enum: [9223372036854775807, -9223372036854775807]}
        whole: {type: number, enum: [1, 2, 3]}
""",
    typecheck="""\
        from feat_number_enums_client.models import Flag, Ratio, Thing

        ratio: Ratio = 1.1
        flag: Flag = True
        thing = Thing(ratio=ratio, flag=flag, scale=2, on=False, level=1, only_true=True)
        wide = Thing(wide=1180591620717411303424, huge=-9223372036854775809, edge=-9223372036854775807)
    """,
)


def test_float_and_boolean_enums_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, NUMBER_ENUMS)
    assert defs(api)["Ratio"] == EnumDef(
        defs(api)["Ratio"].name, (1.1, -1.2), None, "#/components/schemas/Ratio"
    )
    thing = fields(model(api, "Thing"))
    assert thing["scale"].type == LiteralOf((0.5, 2))


def test_float_enums_are_floats_and_both_booleans_bool(package: Any) -> None:
    pkg = package(NUMBER_ENUMS)
    m = models_of(pkg)
    enums = submodule(pkg, "models._enums")
    assert (enums.Ratio, enums.Flag) == (float, bool)
    thing_module = submodule(pkg, "models._thing")
    hints = thing_module.Thing.__annotations__
    assert (hints["scale"], hints["on"]) == ("float | Unset", "bool | Unset")
    assert hints["level"] == "Literal[1, 2] | Unset"
    assert hints["only_true"] == "Literal[True] | Unset"
    # an integer beyond 64 bits is no valid Literal for mypy: typed `int` (and checked)
    assert hints["wide"] == "Literal[1] | int | Unset"
    assert (hints["huge"], hints["edge"]) == (
        "Literal[3] | int | Unset",
        "Literal[9223372036854775807, -9223372036854775807] | Unset",
    )
    with pytest.raises(ValueError, match="must be one of"):
        m.Thing(wide=2)
    got, _ = call(pkg, lambda c: c.get_thing(), Reply(200, {"wide": 2**70, "huge": -(2**63) - 1}))
    assert (got.wide, got.huge) == (2**70, -(2**63) - 1)
    # membership is still checked in requests ...
    for bad in ({"ratio": 2.0}, {"scale": 1}, {"level": 3}):
        with pytest.raises(ValueError, match="must be one of"):
            m.Thing(**bad)
    _, req = call(pkg, lambda c: c.create_thing(body=m.Thing(ratio=-1.2, scale=2)), Reply(204))
    assert json_body(req) == {"ratio": -1.2, "scale": 2}
    # ... and responses decode leniently
    got, _ = call(pkg, lambda c: c.get_thing(), Reply(200, {"ratio": 3.5, "flag": False}))
    assert (got.ratio, got.flag) == (3.5, False)
    # a `number` enum of whole numbers is a number: 2.5 has its type
    assert hints["whole"] == "float | Unset"
    got, _ = call(pkg, lambda c: c.get_thing(), Reply(200, {"whole": 2.5}))
    assert got.whole == 2.5
    with pytest.raises(ValueError, match="must be one of"):
        m.Thing(whole=4)
    m.Thing(whole=2)  # 2 == 2.0


def test_enums_of_strings_and_booleans_decode_to_their_type(package: Any) -> None:
    """zuora.com's `enum: [Processing, Yes, No, Error]` read by YAML 1.1 (`Yes`, `No`
    are booleans there): strings and booleans, typed `Literal[...] | bool`, decoded
    through a cast (mypy --strict: no `Any` returned, see test_mypy)."""
    pkg = package(NUMBER_ENUMS)
    hints = submodule(pkg, "models._thing").Thing.__annotations__
    assert hints["mixed"] == "Literal['Processing'] | bool | Unset"
    answer = submodule(pkg, "models._enums").Answer
    assert answer == Literal["Processing", "Error"] | bool
    reply = Reply(200, {"answer": True, "mixed": "Processing"})
    got, _ = call(pkg, lambda c: c.get_thing(), reply)
    assert (got.answer, got.mixed) == (True, "Processing")


# --------------------------------------------------------------------------- prefixItems

TUPLES = feature_spec(
    "tuples",
    HEAD
    + _PATHS
    + """\
components:
  schemas:
    Thing:
      type: object
      properties:
        pair:
          type: array
          prefixItems: [{type: integer}, {type: string, minLength: 2}]
        closed:
          type: array
          prefixItems: [{type: string, format: date}]
          items: false
        open:
          type: array
          prefixItems: [{type: integer}, {type: string}]
          items: {type: boolean}
        anything:
          type: array
          prefixItems: [{type: integer}]
          items: true
        pinned:
          type: array
          prefixItems: [{type: integer}, {type: string}]
          minItems: 2
          maxItems: 2
        shorter:
          type: array
          prefixItems: [{type: string}, {type: number}]
          maxItems: 2
        upTo:
          type: array
          prefixItems: [{type: string}, {type: integer}]
          minItems: 1
          items: false
""",
    typecheck="""\
        from datetime import date

        from feat_tuples_client.models import Thing

        pair: tuple[int, str] = (1, "ab")
        thing = Thing(pair=pair, closed=(date(2024, 1, 2),), open=[1, "x", True])
    """,
)


def test_prefix_items_ir(tmp_path: Path) -> None:
    thing = fields(model(build_ir(tmp_path, TUPLES), "Thing"))
    # no length keywords, nothing after: Litestar's `tuple[int, str]`, typed so (a
    # response of another length is decoded as it is: the schema allows it)
    assert thing["pair"].type == TupleOf((Prim("int"), Prim("str")), exact=False)
    assert thing["pair"].constraints == Constraints(
        min_items=2, max_items=2, prefix_items=(Constraints(), Constraints(min_length=2))
    )
    assert thing["closed"].type == TupleOf((Prim("date"),), exact=False)
    assert thing["open"].type == TupleOf((Prim("int"), Prim("str")), Prim("bool"))
    assert thing["anything"].type == TupleOf((Prim("int"),), Prim("any"))
    # pydantic 2's `tuple[int, str]`: the length pinned
    assert thing["pinned"].type == TupleOf((Prim("int"), Prim("str")))
    assert thing["pinned"].constraints == Constraints(min_items=2, max_items=2)
    # length keywords that allow fewer items: a list of the items' types
    assert thing["shorter"].type == TupleOf((Prim("str"), Prim("float")), Prim("str"))
    assert thing["shorter"].constraints == Constraints(max_items=2)
    assert thing["upTo"].type == TupleOf((Prim("str"), Prim("int")), Prim("str"))
    assert thing["upTo"].constraints == Constraints(min_items=1, max_items=2)


def test_prefix_items_are_tuples_decoded_and_checked(package: Any) -> None:
    pkg = package(TUPLES)
    m = models_of(pkg)
    hints = submodule(pkg, "models._thing").Thing.__annotations__
    assert hints["pair"] == "tuple[int, str] | Unset"
    assert hints["open"] == "list[int | str | bool] | Unset"
    assert hints["pinned"] == "tuple[int, str] | Unset"
    assert hints["shorter"] == "list[str | float] | Unset"
    data = {
        "pair": [1, "ab"],
        "closed": ["2024-01-02"],
        "open": [1, "x", True],
        "anything": [1, {}],
    }
    got, _ = call(pkg, lambda c: c.get_thing(), Reply(200, data))
    assert got.pair == (1, "ab") and got.open == [1, "x", True]
    assert str(got.closed[0]) == "2024-01-02"
    assert got.to_dict() == data
    errors = submodule(pkg, "errors")
    # what a schema without length keywords allows: fewer items, or more
    got, _ = call(pkg, lambda c: c.get_thing(), Reply(200, {"pair": [1], "closed": []}))
    assert got.pair == (1,) and got.closed == ()
    got, _ = call(pkg, lambda c: c.get_thing(), Reply(200, {"pair": [1, "ab", {"x": 1}]}))
    assert got.pair == (1, "ab", {"x": 1})
    got, _ = call(pkg, lambda c: c.get_thing(), Reply(200, {"shorter": ["a"], "upTo": ["b"]}))
    assert got.shorter == ["a"] and got.up_to == ["b"]
    for bad, problem in (
        ({"pinned": [1]}, "$.pinned: expected array of 2 items, got 1"),
        ({"pair": [1, 2]}, "$.pair[1]: expected string, got integer"),
        # with items after the prefix: typed and decoded as a list of any of the types
        ({"open": [1, None]}, "$.open[1]: expected integer | string | boolean, got null"),
    ):
        with pytest.raises(errors.APIResponseValidationError) as caught:
            call(pkg, lambda c, bad=bad: c.get_thing(), Reply(200, bad))
        assert str(caught.value) == problem
    # requests: each item's constraints, and the length
    with pytest.raises(ValueError, match=r"Thing\.pair\[1\]: must have at least 2"):
        m.Thing(pair=(1, "a"))
    with pytest.raises(ValueError, match=r"Thing\.pair: must have at most 2 item"):
        m.Thing(pair=(1, "ab", "cd"))
    with pytest.raises(ValueError, match=r"body\.pair: must have at most 2 item\(s\), got 3"):
        call(pkg, lambda c: c.create_thing(body={"pair": [1, "ab", "x"]}), Reply(204))
    with pytest.raises(ValueError, match=r"body\.pinned: expected array of 2 items, got 3"):
        call(pkg, lambda c: c.create_thing(body={"pinned": [1, "ab", "x"]}), Reply(204))
    with pytest.raises(ValueError, match=r"body\.up_to: must have at least 1 item"):
        call(pkg, lambda c: c.create_thing(body={"upTo": []}), Reply(204))
    _, req = call(pkg, lambda c: c.create_thing(body=m.Thing(pair=(1, "ab"))), Reply(204))
    assert json_body(req) == {"pair": [1, "ab"]}


# --------------------------------------------------------------------------- draft 4 tuples

# `items` as a list: JSON Schema draft 4's tuples (pydantic 1, so FastAPI's older
# specs, wrote `tuple[int, str]` so). OpenAPI 3.0 and 3.1 do not allow it; it is read
# as `prefixItems`, `additionalItems` as the items after them.
LEGACY_TUPLES = feature_spec(
    "legacy_tuples",
    HEAD_30
    + _PATHS
    + """\
components:
  schemas:
    Thing:
      type: object
      properties:
        pair:
          type: array
          items: [{type: integer}, {type: string, minLength: 2}]
          additionalItems: false
        loose:
          type: array
          items: [{type: string, format: date}]
        open:
          type: array
          items: [{type: integer}, {type: string}]
          additionalItems: {type: boolean}
        plain: {type: array, items: {type: integer}}
""",
    typecheck="""\
        from feat_legacy_tuples_client.models import Thing

        pair: tuple[int, str] = (1, "ab")
        thing = Thing(pair=pair, open=[1, "x", True], plain=[1])
    """,
)


def test_draft4_tuples_ir(tmp_path: Path) -> None:
    path = LEGACY_TUPLES.write_to(tmp_path / "legacy")
    loaded = load(path)
    sink = Diagnostics(loaded.locate)
    thing = fields(model(build(loaded, sink, "x_client"), "Thing"))
    assert thing["pair"].type == TupleOf((Prim("int"), Prim("str")), exact=False)
    assert thing["pair"].constraints == Constraints(
        min_items=2, max_items=2, prefix_items=(Constraints(), Constraints(min_length=2))
    )
    # no additionalItems: as no `items`
    assert thing["loose"].type == TupleOf((Prim("date"),), exact=False)
    assert thing["open"].type == TupleOf((Prim("int"), Prim("str")), Prim("bool"))
    assert thing["plain"].type == ListOf(Prim("int"))
    assert [(d.severity, d.pointer) for d in sink.items] == [
        ("warning", f"#/components/schemas/Thing/properties/{name}/items")
        for name in ("pair", "loose", "open")
    ]
    assert sink.items[0].message.startswith("`items` is a list (draft 4's tuples")


def test_draft4_tuples_are_tuples_on_the_wire(package: Any) -> None:
    pkg = package(LEGACY_TUPLES)
    m = models_of(pkg)
    data = {"pair": [1, "ab"], "open": [1, "x", True], "plain": [3]}
    got, _ = call(pkg, lambda c: c.get_thing(), Reply(200, data))
    assert got.pair == (1, "ab") and got.open == [1, "x", True] and got.to_dict() == data
    errors = submodule(pkg, "errors")
    with pytest.raises(errors.APIResponseValidationError, match=r"\$\.pair\[1\]: expected str"):
        call(pkg, lambda c: c.get_thing(), Reply(200, {"pair": [1, 2]}))
    with pytest.raises(ValueError, match=r"Thing\.pair\[1\]: must have at least 2"):
        m.Thing(pair=(1, "a"))
    _, req = call(pkg, lambda c: c.create_thing(body=m.Thing(pair=(1, "ab"))), Reply(204))
    assert json_body(req) == {"pair": [1, "ab"]}


# --------------------------------------------------------------------------- object and array consts

STRUCTURED = feature_spec(
    "structured_consts",
    HEAD
    + _PATHS
    + """\
components:
  schemas:
    Thing:
      type: object
      properties:
        settings: {const: {enabled: true, limit: 3}}
        pair: {const: [1, two]}
        shape: {type: object, enum: [{a: 1}, {a: 2}]}
        shapes: {type: array, items: {enum: [[1], [2]]}}
""",
)


def test_object_and_array_consts_and_enums_are_checked_in_requests(package: Any) -> None:
    """DESIGN 5 checks `const` and `enum` before sending: one of an object or an array
    (which no type tells) was never checked. A response is decoded leniently, as ever."""
    pkg = package(STRUCTURED)
    m = models_of(pkg)
    good = {"settings": {"enabled": True, "limit": 3}, "pair": [1, "two"], "shape": {"a": 2}}
    assert m.Thing(**good, shapes=[[2], [1]]).to_dict() == {**good, "shapes": [[2], [1]]}
    for bad, problem in (
        ({"settings": {"enabled": False}}, r"Thing\.settings: must be one of \{'enabled'"),
        ({"pair": [2]}, r"Thing\.pair: must be one of \[1, 'two'\], got \[2\]"),
        ({"shape": {"a": 3}}, r"Thing\.shape: must be one of \{'a': 1\}, \{'a': 2\}"),
        ({"shapes": [[3]]}, r"Thing\.shapes\[0\]: must be one of \[1\], \[2\]"),
    ):
        with pytest.raises(ValueError, match=problem):
            m.Thing(**bad)
    got, _ = call(pkg, lambda c: c.get_thing(), Reply(200, {"settings": {"other": 1}}))
    assert got.settings == {"other": 1}
