"""builder, scalars: the type of a scalar schema, made once per set of the keywords
it depends on (and never shared between schemas those keywords tell apart); a
scalar's bounds, however large; no cycle keeping the spec alive after building."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import pytest
from oagen.builder import build
from oagen.builder.scalars import PRIMS, ScalarTypes, prim_of
from oagen.diagnostics import Diagnostics
from oagen.ir import Model, Nullable, Prim, TypeExpr
from oagen.load import load

from tests.builder.support import HEAD_30, _model, _schemas

REPO = Path(__file__).resolve().parents[2]


def _types() -> ScalarTypes:
    return ScalarTypes({})


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string"}, Prim("str")),
        ({"type": "string", "format": "date-time"}, Prim("datetime")),
        ({"type": "integer", "format": "int64"}, Prim("int")),
        ({"type": "string", "contentEncoding": "base64"}, Prim("base64")),
        ({"type": "string", "contentMediaType": "image/png"}, Prim("file")),
        ({"type": "string", "contentMediaType": "text/csv"}, Prim("str")),
        ({"type": "string", "nullable": True}, Nullable(Prim("str"))),
        # `nullable: 1` is not `true`: the same key as `true` would have made it nullable
        ({"type": "string", "nullable": 1}, Prim("str")),
        # a format given as a list (not hashable): typed all the same, by its type
        ({"type": "string", "format": ["date"]}, Prim("str")),
        ({"type": "number", "contentMediaType": {"a": 1}}, Prim("float")),
    ],
)
def test_scalar_types(schema: dict[str, Any], expected: TypeExpr) -> None:
    types = _types()
    assert types.type_of(schema, schema["type"]) == expected
    assert types.type_of(dict(schema), schema["type"]) == expected  # again, remembered


def test_remembered_per_set_of_keywords() -> None:
    types = _types()
    assert types.type_of({"type": "string", "nullable": 1}, "string") == Prim("str")
    assert types.type_of({"type": "string", "nullable": True}, "string") == Nullable(Prim("str"))
    assert types.type_of({"type": "string", "format": "date"}, "string") == Prim("date")
    assert types.type_of({"type": "string", "description": "x"}, "string") == Prim("str")


def test_prims_are_shared() -> None:
    assert prim_of({"format": "uuid"}, "string") is PRIMS["uuid"]


def test_properties_typed_through_the_builder(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        A:
          type: object
          properties:
            a: {type: string, nullable: true}
            b: {type: string, format: date}
            c: {type: string}
            d: {type: string, nullable: false}
        """,
        HEAD_30,
    )
    model = _model(defs, "A")
    assert isinstance(model, Model)
    types = {f.wire_name: f.type for f in model.fields}
    assert types == {
        "a": Nullable(Prim("str")),
        "b": Prim("date"),
        "c": Prim("str"),
        "d": Prim("str"),
    }


def test_a_bound_no_float_holds_is_kept_as_an_integer(tmp_path: Path) -> None:
    """`maximum: 10**309` (valid JSON, beyond a float): a bound like any other (was an
    `OverflowError` traceback while reading constraints)."""
    big = 10**309
    defs = _schemas(
        tmp_path,
        f"""\
        M:
          type: object
          properties:
            n: {{type: integer, maximum: {big}, multipleOf: {big}}}
        """,
        HEAD_30,
    )
    [field] = _model(defs, "M").fields
    assert (field.constraints.maximum, field.constraints.multiple_of) == (big, big)


def test_the_parsed_spec_is_freed_once_built() -> None:
    """Nothing the builder leaves holds the parsed spec in a reference cycle (the
    scalar types once held the builder through a bound method): dropping the spec
    frees its containers at once, not at the next full collection, which would walk
    them all first (GitHub's: 55,000 objects, a third of that collection's work)."""
    gc.collect()
    gc.disable()
    try:
        spec = load(REPO / "specs" / "archal.yaml")
        sink = Diagnostics(spec.locate)
        api = build(spec, sink, "archal_client")
        sink.relocate(spec.texts().locate)
        gone = weakref.ref(spec.root)
        del spec
        assert gone() is None
        assert api.definitions
    finally:
        gc.enable()
