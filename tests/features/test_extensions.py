"""allOf extensions: `allOf: [{$ref: Base}, {...}]` is a subclass of `Base` declaring only
its own fields, when that is faithful (see generator/builder/extensions.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import HEAD_31 as HEAD
from .conftest import Reply, build_ir, call, feature_spec, json_body, model, models_of

EXTENDS = feature_spec(
    "extends",
    HEAD
    + """\
paths:
  /named:
    get:
      operationId: getNamed
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Named'}}}
    post:
      operationId: postNamed
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Named'}}}
      responses: {'204': {description: Done.}}
  /ranked:
    get:
      operationId: getRanked
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Ranked'}}}
  /nodes:
    get:
      operationId: getNode
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/SpecialNode'}}}
  /wrappers:
    get:
      operationId: getWrapper
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Wrapper'}}}
components:
  schemas:
    Base:
      type: object
      required: [id]
      properties:
        id: {type: integer, minimum: 1, description: The id.}
        note: {type: string, maxLength: 5}
        created: {type: string, format: date-time}
    Named:
      description: A base with a name.
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [name]
          properties:
            name: {type: string, minLength: 1}
    Ranked:
      allOf:
        - $ref: '#/components/schemas/Named'
        - properties:
            rank: {type: integer}
    Node:
      type: object
      properties:
        id: {type: integer}
        special: {$ref: '#/components/schemas/SpecialNode'}
    SpecialNode:
      allOf:
        - $ref: '#/components/schemas/Node'
        - properties:
            flag: {type: boolean}
    Wrapper:
      type: object
      properties:
        part:
          allOf:
            - $ref: '#/components/schemas/Wrapper/properties/inner'
            - properties:
                extra: {type: boolean}
        inner:
          type: object
          properties:
            size: {type: integer}
""",
    typecheck="""\
        from feat_extends_client.models import Base, Named, Ranked

        def widen(named: Named) -> Base:
            return named

        ranked = Ranked(id=1, name="n", rank=2)
        base: Base = ranked
        named: Named = ranked
        value: int = ranked.id
    """,
)


def test_extensions_are_subclasses_in_the_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, EXTENDS)
    named = model(api, "Named")
    assert named.base == "Base"
    # the IR still lists every field: the base's ones first, unchanged
    base_fields = model(api, "Base").fields
    assert [f.wire_name for f in named.fields] == ["id", "name", "note", "created"]
    assert {f.wire_name: f for f in named.fields}["id"] == base_fields[0]
    assert model(api, "Ranked").base == "Named"  # a chain
    assert model(api, "SpecialNode").base == "Node"
    assert model(api, "WrapperPart").base == "WrapperInner"  # an inline one
    assert model(api, "Base").base is None


def test_extension_decodes_encodes_and_validates_base_fields(package: Any) -> None:
    pkg = package(EXTENDS)
    m = models_of(pkg)
    assert m.Named.__mro__[1] is m.Base and m.Ranked.__mro__[1:3] == (m.Named, m.Base)
    assert m.Named.__doc__ == "A base with a name."
    data = {"id": 1, "name": "x", "note": "hi", "created": "2024-01-02T03:04:05Z", "more": 1}
    got, _ = call(pkg, lambda c: c.get_named(), Reply(200, data))
    assert isinstance(got, m.Named) and isinstance(got, m.Base)
    assert (got.id, got.name, got.note, got.created.year) == (1, "x", "hi", 2024)
    assert got.additional_properties == {"more": 1}
    assert m.Named.from_dict(got.to_dict()) == got
    assert got.to_dict() == {**data, "created": "2024-01-02T03:04:05+00:00"}

    ranked = m.Ranked.from_dict({"id": 2, "name": "r", "rank": 3})
    assert isinstance(ranked, m.Base) and (ranked.id, ranked.name, ranked.rank) == (2, "r", 3)
    assert ranked.to_dict() == {"id": 2, "name": "r", "rank": 3}

    # the base's constraints are checked too, when made and when sent
    with pytest.raises(ValueError, match=r"Named\.id"):
        m.Named(id=0, name="x")
    with pytest.raises(ValueError, match="note"):
        m.Ranked(id=1, name="x", note="too long")
    with pytest.raises(ValueError, match=r"Named\.name"):
        m.Named(id=1, name="")
    named = m.Named(id=1, name="x")
    _, request = call(pkg, lambda c: c.post_named(body=named), Reply(204))
    assert json_body(request) == {"id": 1, "name": "x"}


def test_extension_whose_base_imports_it_stays_flat(package: Any) -> None:
    pkg = package(EXTENDS)
    m = models_of(pkg)
    # Node's module imports SpecialNode's (a field holds one): a base class imported at
    # the top of SpecialNode's module could meet it half-initialised, so it is flat
    assert m.SpecialNode.__mro__[1] is object
    got = m.SpecialNode.from_dict({"id": 1, "flag": True, "special": {"id": 2}})
    assert (got.id, got.flag, got.special.id) == (1, True, 2)
    # a base in the same module is defined before the model extending it
    wrapper = m.Wrapper.from_dict({"part": {"size": 1, "extra": True}, "inner": {"size": 2}})
    assert isinstance(wrapper.part, m.WrapperInner) and wrapper.part.extra is True


def test_every_models_module_imports_first(package: Any) -> None:
    """Each models module imports in a fresh interpreter before any other one."""
    pkg = package(EXTENDS)
    folder = Path(pkg.__file__).parent
    names = sorted(p.stem for p in (folder / "models").glob("_*.py"))
    for name in names:
        result = subprocess.run(
            [sys.executable, "-c", f"import {pkg.__name__}.models.{name}"],
            cwd=folder.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, (name, result.stderr)


OPTIONAL_TAGS = feature_spec(
    "optional_tags",
    HEAD
    + """\
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
              discriminator: {propertyName: kind}
      responses: {'204': {description: ok}}
  /shapes:
    post:
      operationId: addShape
      requestBody:
        content:
          application/json:
            schema: {oneOf: [{$ref: '#/components/schemas/Box'}, {$ref: '#/components/schemas/Ball'}]}
      responses: {'204': {description: ok}}
components:
  schemas:
    Cat: {type: object, properties: {kind: {type: string, const: cat, default: cat}, lives: {type: integer}}}
    Dog: {type: object, properties: {kind: {type: string, enum: [dog]}, bark: {type: string}}}
    Box: {type: object, properties: {shape: {const: box}, side: {type: number}}}
    Ball: {type: object, properties: {shape: {const: ball}, radius: {type: number}}}
    Other: {type: object, properties: {mode: {const: fixed}}}
""",
)


def test_a_union_variants_optional_tag_is_sent_unless_given(package: Any) -> None:
    """pydantic writes a tagged union's tag with a default, not required (`kind:
    Literal["cat"] = "cat"`); its server still needs it: the client fills it in, for a
    declared discriminator and for one the variants imply, and decodes leniently."""
    pkg = package(OPTIONAL_TAGS)
    m = models_of(pkg)
    for body, sent in [
        (m.Cat(lives=3), {"kind": "cat", "lives": 3}),
        (m.Dog(bark="w"), {"kind": "dog", "bark": "w"}),
    ]:
        _, req = call(pkg, lambda c, b=body: c.create_pet(body=b), Reply(204))
        assert json_body(req) == sent
    _, req = call(pkg, lambda c: c.add_shape(body=m.Ball(radius=1.5)), Reply(204))
    assert json_body(req) == {"shape": "ball", "radius": 1.5}
    assert m.Cat.from_dict({"lives": 1}).kind is pkg.UNSET  # decoding stays lenient
    assert m.Other().to_dict() == {}  # a one-value property that tells nothing apart
