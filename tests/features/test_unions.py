"""Unions: discriminators, dispatch without one, a base model's discriminator, and
properties beside `oneOf`/`anyOf` merged into each object variant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from oagen.ir import (
    Alias,
    Discriminator,
    LiteralOf,
    Prim,
    Ref,
    UnionOf,
)

from .conftest import HEAD_31 as HEAD
from .conftest import (
    Reply,
    build_ir,
    call,
    defs,
    feature_spec,
    fields,
    get_path,
    json_body,
    model,
    models_of,
    submodule,
)

# --------------------------------------------------------------------------- discriminator

DISCRIMINATOR = feature_spec(
    "discriminator",
    HEAD
    + "paths:\n"
    + get_path("/mapped", "getMapped", "PetMapped")
    + get_path("/implicit", "getImplicit", "PetImplicit")
    + """\
components:
  schemas:
    Cat:
      type: object
      required: [petType, meow]
      properties:
        petType: {type: string}
        meow: {type: boolean}
        name: {type: string}
    Dog:
      type: object
      required: [petType]
      properties:
        petType: {type: string}
        name: {type: string}
    PetMapped:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: petType
        mapping:
          c: '#/components/schemas/Cat'
          d: '#/components/schemas/Dog'
    PetImplicit:
      anyOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: petType
""",
)


def test_discriminator_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, DISCRIMINATOR)
    mapped = defs(api)["PetMapped"]
    assert isinstance(mapped, Alias)
    assert mapped.target == UnionOf(
        (Ref("Cat"), Ref("Dog")), Discriminator("petType", (("c", "Cat"), ("d", "Dog")))
    )
    implicit = defs(api)["PetImplicit"]
    assert isinstance(implicit, Alias)
    assert implicit.target == UnionOf(
        (Ref("Cat"), Ref("Dog")), Discriminator("petType", (("Cat", "Cat"), ("Dog", "Dog")))
    )


@pytest.mark.parametrize(
    ("method", "value", "expected"),
    [
        # the Dog payload also matches Cat's required properties: only the
        # discriminator tells them apart
        ("get_mapped", "d", "Dog"),
        ("get_mapped", "c", "Cat"),
        ("get_implicit", "Dog", "Dog"),
        ("get_implicit", "Cat", "Cat"),
    ],
)
def test_discriminator_behaviour(package: Any, method: str, value: str, expected: str) -> None:
    pkg = package(DISCRIMINATOR)
    m = models_of(pkg)
    data = {"petType": value, "meow": True, "name": "Rex"}
    got, req = call(pkg, lambda c: getattr(c, method)(), Reply(200, data))
    assert req.method == "GET"
    assert type(got) is getattr(m, expected)
    assert got.pet_type == value and got.name == "Rex"
    assert got.to_dict() == data


# --------------------------------------------------------------------------- unions without discriminator

UNIONS = feature_spec(
    "unions",
    HEAD
    + "paths:\n"
    + get_path("/ab", "getAb", "AorB")
    + get_path("/si", "getSi", "StrOrInt")
    + get_path("/shape", "getShape", "Shape")
    + get_path("/part", "getPart", "Part")
    + get_path("/format", "getFormat", "Format")
    + get_path("/free", "getFree", "FreeOrClosed")
    + get_path("/closed", "getClosed", "ClosedOrFree")
    + get_path("/said", "getSaid", "Said")
    + """\
components:
  schemas:
    UserSaid:
      type: object
      required: [type, role]
      properties: {type: {const: message}, role: {const: user}}
    BotSaid:
      type: object
      required: [type, role]
      properties: {type: {const: message}, role: {const: bot}, model: {type: string}}
    ToolSaid:
      type: object
      required: [type]
      properties: {type: {const: tool}}
    Said:
      oneOf:
        - $ref: '#/components/schemas/UserSaid'
        - $ref: '#/components/schemas/BotSaid'
        - $ref: '#/components/schemas/ToolSaid'
      discriminator: {propertyName: type}
    Closed:
      type: object
      properties: {a: {type: string}}
      additionalProperties: false
    FreeOrClosed:
      oneOf: [{type: object}, {$ref: '#/components/schemas/Closed'}]
    ClosedOrFree:
      oneOf: [{$ref: '#/components/schemas/Closed'}, {type: object}]
    A:
      type: object
      required: [a]
      properties:
        a: {type: integer}
    B:
      type: object
      required: [b]
      properties:
        b: {type: integer}
    AorB:
      oneOf:
        - $ref: '#/components/schemas/A'
        - $ref: '#/components/schemas/B'
    StrOrInt:
      oneOf:
        - {type: string}
        - {type: integer}
    Square:
      type: object
      required: [shape]
      properties:
        shape: {type: string, const: square}
        size: {type: number}
    Circle:
      type: object
      required: [shape]
      properties:
        shape: {type: string, const: circle}
        size: {type: number}
    Shape:
      oneOf:
        - $ref: '#/components/schemas/Square'
        - $ref: '#/components/schemas/Circle'
    Message:
      type: object
      required: [type]
      properties:
        type: {type: string, enum: [message]}
        text: {type: string}
    Refusal:
      type: object
      required: [type]
      properties:
        type: {const: refusal}
        text: {type: string}
    Part:
      anyOf:
        - $ref: '#/components/schemas/Message'
        - $ref: '#/components/schemas/Refusal'
    FormatText:
      type: object
      required: [type]
      properties: {type: {type: string, enum: [text]}, strict: {type: boolean}}
    FormatJson:
      type: object
      required: [type]
      properties: {type: {type: string, enum: [json_object]}, strict: {type: boolean}}
    Format:
      oneOf:
        - $ref: '#/components/schemas/FormatText'
        - $ref: '#/components/schemas/FormatJson'
      discriminator: {propertyName: type}
""",
)


def test_unions_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, UNIONS)
    d = defs(api)
    assert d["AorB"] == Alias("AorB", UnionOf((Ref("A"), Ref("B"))), None, d["AorB"].pointer)
    assert isinstance(d["StrOrInt"], Alias)
    assert d["StrOrInt"].target == UnionOf((Prim("str"), Prim("int")))
    assert isinstance(d["Shape"], Alias)
    assert d["Shape"].target == UnionOf((Ref("Square"), Ref("Circle")))
    assert fields(model(api, "Circle"))["shape"].type == LiteralOf(("circle",))


def test_union_dispatch_by_required_property(package: Any) -> None:
    pkg = package(UNIONS)
    m = models_of(pkg)
    got, _ = call(pkg, lambda c: c.get_ab(), Reply(200, {"b": 1}))
    assert type(got) is m.B and got.b == 1
    got, _ = call(pkg, lambda c: c.get_ab(), Reply(200, {"a": 2}))
    assert type(got) is m.A and got.a == 2


def test_a_model_requiring_nothing_and_a_free_form_object_go_in_the_specs_order(
    package: Any,
) -> None:
    """Both fit an object they allow: the first listed is the one. The model was
    always tried first, and `{"x": 1}` under `oneOf: [{type: object}, Closed]` lost
    all it held; `Closed` (no additionalProperties) does not take an `x` either."""
    pkg = package(UNIONS)
    m = models_of(pkg)
    got, _ = call(pkg, lambda c: c.get_free(), Reply(200, {"x": 1, "y": [1, 2]}))
    assert got == {"x": 1, "y": [1, 2]}
    got, _ = call(pkg, lambda c: c.get_free(), Reply(200, {"a": "s"}))
    assert got == {"a": "s"}
    got, _ = call(pkg, lambda c: c.get_closed(), Reply(200, {"a": "s"}))
    assert got == m.Closed(a="s")
    got, _ = call(pkg, lambda c: c.get_closed(), Reply(200, {"a": "s", "x": 1}))
    assert got == {"a": "s", "x": 1}


def test_a_tag_several_variants_give_is_told_apart_by_their_other_tags(package: Any) -> None:
    """UserSaid and BotSaid both give the discriminator `type` the value `message`:
    such an object is decoded as one of those two, by the property they tell apart
    (`role`). It went to UserSaid whatever its role, the bot's `model` left over."""
    pkg = package(UNIONS)
    m = models_of(pkg)
    bot = {"type": "message", "role": "bot", "model": "x"}
    for data, cls in ((bot, m.BotSaid), ({"type": "message", "role": "user"}, m.UserSaid)):
        got, _ = call(pkg, lambda c: c.get_said(), Reply(200, data))
        assert type(got) is cls and got.to_dict() == data
    got, _ = call(pkg, lambda c: c.get_said(), Reply(200, {"type": "tool"}))
    assert type(got) is m.ToolSaid


@pytest.mark.parametrize("value", ["seven", 7])
def test_union_of_scalars_decodes_each(package: Any, value: object) -> None:
    pkg = package(UNIONS)
    got, _ = call(pkg, lambda c: c.get_si(), Reply(200, value))
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(("shape", "cls"), [("circle", "Circle"), ("square", "Square")])
def test_union_dispatch_by_const(package: Any, shape: str, cls: str) -> None:
    pkg = package(UNIONS)
    m = models_of(pkg)
    got, _ = call(pkg, lambda c: c.get_shape(), Reply(200, {"shape": shape, "size": 2}))
    assert type(got) is getattr(m, cls)
    assert got.shape == shape and got.size == 2


@pytest.mark.parametrize(("tag", "cls"), [("message", "Message"), ("refusal", "Refusal")])
def test_union_dispatch_by_one_value_enums(package: Any, tag: str, cls: str) -> None:
    """A property each variant requires with a value of its own (OpenAI's `type: {enum:
    [message]}`) decides, as a discriminator would: both variants fit either object."""
    pkg = package(UNIONS)
    got, _ = call(pkg, lambda c: c.get_part(), Reply(200, {"type": tag, "text": "t"}))
    assert type(got) is getattr(models_of(pkg), cls)


@pytest.mark.parametrize(
    ("tag", "cls"),
    [("json_object", "FormatJson"), ("text", "FormatText"), ("FormatJson", "FormatJson")],
)
def test_a_declared_discriminator_also_dispatches_on_the_variants_values(
    package: Any, tag: str, cls: str
) -> None:
    """With no `mapping`, OpenAPI's tags are the schemas' names, but servers send the
    value each variant gives the property (OpenAI's `type`, `role`): both dispatch."""
    pkg = package(UNIONS)
    got, _ = call(pkg, lambda c: c.get_format(), Reply(200, {"type": tag, "strict": True}))
    assert type(got) is getattr(models_of(pkg), cls)


@pytest.mark.parametrize(
    ("method", "data", "key"),
    [
        ("get_part", {"type": "audio", "text": "t"}, "type"),
        ("get_shape", {"shape": "triangle", "size": 3}, "shape"),
    ],
)
def test_an_unknown_tag_does_not_crash_decoding(
    package: Any, method: str, data: dict[str, Any], key: str
) -> None:
    """An enum's (or const's) unknown value passes in a response, a tag's too: the
    object is decoded by the first variant it fits, the value kept as sent."""
    pkg = package(UNIONS)
    got, _ = call(pkg, lambda c: getattr(c, method)(), Reply(200, data))
    assert getattr(got, key) == data[key] and got.to_dict() == data


# --------------------------------------------------------------------------- a base's discriminator

INHERITANCE = feature_spec(
    "inheritance",
    """\
openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: a cat or a dog (Pet's discriminator tells them apart)
          content:
            application/json:
              schema:
                oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
components:
  schemas:
    Pet:
      type: object
      required: [petType]
      properties: {petType: {type: string}, name: {type: string}}
      discriminator: {propertyName: petType, mapping: {cat: '#/components/schemas/Cat'}}
    Cat:
      allOf: [{$ref: '#/components/schemas/Pet'}, {properties: {lives: {type: integer}}}]
    Dog:
      allOf: [{$ref: '#/components/schemas/Pet'}, {properties: {bark: {type: boolean}}}]
    Puppy:
      allOf: [{$ref: '#/components/schemas/Dog'}, {properties: {age: {type: integer}}}]
    Bird:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - {properties: {petType: {type: string, enum: [bird]}, wings: {type: integer}}}
""",
    typecheck="""\
        from feat_inheritance_client.models import Bird, Cat, Dog, Pet

        pet: Pet = Pet.from_dict({"petType": "cat", "lives": 9})
        dog: Dog = Dog.from_dict({"petType": "Puppy", "age": 1})
        pets: list[Pet] = [dog, Bird(wings=2), Cat(lives=9)]
    """,
)


def test_a_base_models_discriminator_decodes_the_models_extending_it(
    tmp_path: Path, package: Any
) -> None:
    """The 3.0 inheritance pattern (openapi-generator's allOf.yaml, composition.yaml):
    `Pet` has the discriminator, `Cat` and `Dog` extend it. A response typed `Pet`
    tagged `cat` is a `Cat` (the mapping), tagged `Dog` a `Dog` (the implicit mapping:
    its schema's name), `Puppy` a `Puppy` (below `Dog`, whose own `from_dict` decodes
    it too); an unknown tag stays a `Pet`. It was always a `Pet`, the rest in
    `additional_properties`."""
    api = build_ir(tmp_path, INHERITANCE)
    pet, dog = model(api, "Pet"), model(api, "Dog")
    assert pet.dispatch == Discriminator(
        "petType",
        (("cat", "Cat"), ("Dog", "Dog"), ("Puppy", "Puppy"), ("Bird", "Bird"), ("bird", "Bird")),
    )
    assert dog.dispatch == Discriminator("petType", (("Puppy", "Puppy"),))
    assert model(api, "Cat").dispatch is None
    pkg = package(INHERITANCE)
    m = models_of(pkg)
    rows = [
        {"petType": "cat", "name": "Tom", "lives": 9},
        {"petType": "Dog", "bark": True},
        {"petType": "Puppy", "age": 1},
        {"petType": "fish"},
    ]
    got, _ = call(pkg, lambda c: c.list_pets(), Reply(200, rows))
    assert [type(p).__name__ for p in got] == ["Cat", "Dog", "Puppy", "Pet"]
    assert got[0].lives == 9 and got[1].bark is True and got[2].age == 1
    assert [p.to_dict() for p in got] == rows
    assert type(m.Dog.from_dict({"petType": "Puppy"})) is m.Puppy
    assert type(m.Dog.from_dict({"petType": "cat"})) is m.Dog  # no Dog: decoded as one


def test_a_union_of_models_extending_a_base_decodes_by_the_bases_discriminator(
    package: Any,
) -> None:
    """`oneOf: [Cat, Dog]` declares no discriminator, but both extend Pet, which has
    one: a `Dog` tag is a Dog, `cat` (Pet's mapping) a Cat, `Puppy` a Puppy (a Dog).
    It was the first option that decoded: always a Cat, the rest in
    `additional_properties`."""
    pkg = package(INHERITANCE)
    m = models_of(pkg)
    for row, cls in (
        ({"petType": "Dog", "bark": True}, m.Dog),
        ({"petType": "cat", "lives": 9}, m.Cat),
        ({"petType": "Puppy", "age": 2}, m.Puppy),
    ):
        got, _ = call(pkg, lambda c: c.get_pet("1"), Reply(200, row))
        assert type(got) is cls and got.to_dict() == row


def test_a_model_pinning_the_discriminator_to_its_tag_is_decoded_by_it(package: Any) -> None:
    """Bird extends Pet with `petType: {enum: [bird]}`: a Pet tagged `bird` (the value
    Bird gives the property, what servers send) or `Bird` (its schema name) is a Bird,
    and a Bird made in code has its tag. It was a flat model Pet never decoded to."""
    pkg = package(INHERITANCE)
    m = models_of(pkg)
    rows = [{"petType": "bird", "wings": 2}, {"petType": "Bird"}]
    got, _ = call(pkg, lambda c: c.list_pets(), Reply(200, rows))
    assert [type(p) for p in got] == [m.Bird, m.Bird]
    assert isinstance(got[0], m.Pet) and got[0].wings == 2
    assert [p.to_dict() for p in got] == rows
    assert m.Bird(wings=1).to_dict() == {"petType": "bird", "wings": 1}


def test_a_model_the_mapping_gives_one_tag_is_made_with_it(package: Any) -> None:
    """Pet's mapping says a Cat is tagged `cat`: `Cat(lives=9)` carries it, and another
    tag is refused before sending (it had to be given, and any was taken). Dog, named
    by no mapping entry (its implicit tag is its schema name, which servers often do
    not send), still takes any."""
    m = models_of(package(INHERITANCE))
    assert m.Cat(lives=9).to_dict() == {"petType": "cat", "lives": 9}
    with pytest.raises(ValueError, match="must be one of 'cat'"):
        m.Cat(pet_type="dog")  # type: ignore[arg-type]  # (what mypy says too)
    assert m.Dog(pet_type="dog").to_dict() == {"petType": "dog"}


# --------------------------------------------------------------------------- properties beside a union

BESIDE = feature_spec(
    "beside",
    """\
openapi: 3.0.3
info: {title: Pets, version: '1'}
servers: [{url: 'https://api.test'}]
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /shapes:
    post:
      operationId: addShape
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [label]
              properties: {label: {type: string, maxLength: 5}}
              anyOf:
                - {properties: {radius: {type: number}}, required: [radius]}
                - {properties: {side: {type: number}}, required: [side]}
      responses:
        '204': {description: added}
components:
  schemas:
    Pet:
      type: object
      required: [id, kind]
      properties:
        id: {type: string}
        name: {type: string}
        kind: {type: string}
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
        - $ref: '#/components/schemas/Bird'
        - {type: string}
      discriminator:
        propertyName: kind
        mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}
    Cat:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - {type: object, properties: {lives: {type: integer}}}
    Dog:
      type: object
      properties:
        kind: {type: string, enum: [dog]}
        bark: {type: boolean}
    Bird:
      type: object
      properties:
        wings: {type: integer}
""",
    typecheck="""\
        from feat_beside_client.models import Cat, Pet, PetBird, PetDog

        pets: list[Pet] = [Cat(id="1", kind="cat", lives=9), PetDog(id="2", bark=True)]
        pets.append(PetBird(id="3", kind="Bird", wings=2))
    """,
)


def test_properties_beside_a_union_are_merged_into_each_object_variant(tmp_path: Path) -> None:
    """The OpenAPI specification's own example (`name` beside `oneOf: [Cat, Dog]`):
    an object variant becomes a model of its own, the properties beside the union
    then its own, merged as `allOf` merges them (`PetDog`); one that declares them all
    already (`Cat`, whose `allOf` includes `Pet`) is used as it is; the string variant
    stays a string; the tags name the models, merged or not (the mapping's, `cat` and
    `dog`, then each other schema's name, `Bird`); `Dog` itself is unchanged."""
    api = build_ir(tmp_path, BESIDE)
    pet = defs(api)["Pet"]
    assert isinstance(pet, Alias)
    assert pet.target == UnionOf(
        (Ref("Cat"), Ref("PetDog"), Ref("PetBird"), Prim("str")),
        Discriminator("kind", (("cat", "Cat"), ("dog", "PetDog"), ("Bird", "PetBird"))),
    )
    assert "PetCat" not in defs(api)
    dog = model(api, "PetDog")
    assert dog.pointer == "#/components/schemas/Pet/oneOf/1"
    assert [(f.wire_name, f.is_required) for f in dog.fields] == [
        ("id", True),
        ("kind", True),
        ("name", False),
        ("bark", False),
    ]
    assert fields(dog)["kind"].type == LiteralOf(("dog",))  # the variant's, last
    assert list(fields(model(api, "PetBird"))) == ["id", "kind", "name", "wings"]
    assert list(fields(model(api, "Dog"))) == ["kind", "bark"]
    assert list(fields(model(api, "Cat"))) == ["id", "kind", "name", "lives"]


def test_properties_beside_an_inline_union_in_a_request_body(tmp_path: Path) -> None:
    """GitHub's `PATCH .../check-runs/{id}` shape: variants written inline are named
    `<Body>Option<n>`, each with the shared properties."""
    api = build_ir(tmp_path, BESIDE)
    variants = [d for d in defs(api).values() if d.pointer.startswith("#/paths/")]
    assert [d.name for d in variants] == ["AddShapeBodyOption1", "AddShapeBodyOption2"]
    first, second = (model(api, d.name) for d in variants)
    assert list(fields(first)) == ["label", "radius"]
    assert list(fields(second)) == ["label", "side"]


def test_merged_variants_decode_by_tag_and_check_shared_constraints(package: Any) -> None:
    pkg = package(BESIDE)
    m = models_of(pkg)
    rows = [
        ({"id": "1", "kind": "cat", "name": "Tom", "lives": 9}, m.Cat),
        ({"id": "2", "kind": "dog", "bark": True}, m.PetDog),
        ({"id": "3", "kind": "Bird", "wings": 2}, m.PetBird),
    ]
    for data, cls in rows:
        got, req = call(pkg, lambda c: c.get_pet(id="x"), Reply(200, data))
        assert req.url.path == "/pets/x"
        assert type(got) is cls
        assert got.to_dict() == data
    assert call(pkg, lambda c: c.get_pet(id="x"), Reply(200, "goldfish"))[0] == "goldfish"
    body = m.AddShapeBodyOption2(label="sq", side=2.0)
    _, req = call(pkg, lambda c: c.add_shape(body=body), Reply(204))
    assert json_body(req) == {"label": "sq", "side": 2.0}
    with pytest.raises(ValueError, match="label"):
        m.AddShapeBodyOption1(label="too long", radius=1.0)


# --------------------------------------------------------------------------- a union that lists itself

SELF_UNION = feature_spec(
    "self_union",
    HEAD
    + "paths:\n"
    + get_path("/pets", "getPet", "Pet")
    + """\
components:
  schemas:
    Pet: {oneOf: [{$ref: '#/components/schemas/Pet'}, {$ref: '#/components/schemas/Node'}]}
    Node:
      type: object
      required: [id]
      properties:
        id: {type: string}
        kids: {type: array, items: {$ref: '#/components/schemas/Pet'}}
""",
)


def test_a_union_that_lists_itself_decodes_and_rejects_without_recursing(package: Any) -> None:
    """`Pet` was typed `Pet | Node`: mypy rejected the alias, and a value that was no
    Node made decoding call itself until Python's recursion limit. It is a Node."""
    pkg = package(SELF_UNION)
    data = {"id": "1", "kids": [{"id": "2"}]}
    got, _ = call(pkg, lambda c: c.get_pet(), Reply(200, data))
    assert type(got) is models_of(pkg).Node and got.to_dict() == data
    errors = submodule(pkg, "errors")
    with pytest.raises(errors.APIResponseValidationError, match="id"):
        call(pkg, lambda c: c.get_pet(), Reply(200, {"kids": 5}))


# --------------------------------------------------------------------------- closed variants

CLOSED = feature_spec(
    "closed_variants",
    HEAD
    + "paths:\n"
    + get_path("/u", "getU", "U")
    + get_path("/tagged", "getTagged", "Tagged")
    + """\
components:
  schemas:
    U: {oneOf: [{$ref: '#/components/schemas/P'}, {$ref: '#/components/schemas/Q'}]}
    Tagged:
      oneOf: [{$ref: '#/components/schemas/P'}, {$ref: '#/components/schemas/Q'}]
      discriminator: {propertyName: kind, mapping: {p: '#/components/schemas/P'}}
    P:
      type: object
      required: [p]
      properties: {p: {type: integer}, kind: {type: string}}
      additionalProperties: false
    Q:
      type: object
      required: [q]
      properties: {q: {type: string}, p: {type: integer}, kind: {type: string}}
""",
)


@pytest.mark.parametrize("method", ["get_u", "get_tagged"])
@pytest.mark.parametrize(
    ("data", "cls"),
    [
        ({"p": 1, "q": "x"}, "Q"),  # P allows no `q`: only Q fits
        ({"p": 1}, "P"),
        ({"p": 1, "kind": "other"}, "P"),  # an unknown tag: the variants it fits
        ({"p": 1, "z": 2}, "P"),  # fits none: the first that decodes, as before
    ],
)
def test_a_closed_variant_takes_only_the_objects_it_allows(
    package: Any, method: str, data: dict[str, Any], cls: str
) -> None:
    """A model without additionalProperties is not given an object with properties it
    does not declare while another variant fits it (`{"p": 1, "q": "x"}` was a `P`,
    its `q` lost); responses stay lenient when none fits."""
    pkg = package(CLOSED)
    got, _ = call(pkg, lambda c: getattr(c, method)(), Reply(200, data))
    assert type(got) is getattr(models_of(pkg), cls)
    if cls == "Q":
        assert got.to_dict() == data


NUMBER_TAGS = feature_spec(
    "number_tags",
    HEAD
    + """\
paths:
  /v:
    get:
      operationId: getV
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]
                discriminator: {propertyName: kind, mapping: {'100': '#/components/schemas/A', '200': '#/components/schemas/B'}}
  /w:
    get:
      operationId: getW
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {oneOf: [{$ref: '#/components/schemas/On'}, {$ref: '#/components/schemas/Off'}]}
  /base:
    get:
      operationId: getBase
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Base'}}}
components:
  schemas:
    A: {type: object, properties: {kind: {type: integer, const: 100}, data_a: {type: string}}}
    B: {type: object, properties: {kind: {type: integer, const: 200}, data_b: {type: string}}}
    On: {type: object, properties: {flag: {const: true}, x: {type: string}}}
    Off: {type: object, properties: {flag: {const: false}, y: {type: string}}}
    Base:
      type: object
      required: [kind]
      properties: {kind: {type: integer}}
      discriminator: {propertyName: kind, mapping: {'1': '#/components/schemas/ChildA'}}
    ChildA:
      allOf:
        - {$ref: '#/components/schemas/Base'}
        - {type: object, required: [a], properties: {a: {type: string}}}
""",
)


def test_number_and_boolean_tags_dispatch_as_their_json_text(package: Any) -> None:
    """A mapping's keys are strings (`'100'`); a server sends the number `100`: the
    tag is compared as its JSON text, for a declared mapping, implied consts and a
    base model's subclasses alike."""
    pkg = package(NUMBER_TAGS)
    m = models_of(pkg)
    got, _ = call(pkg, lambda c: c.get_v(), Reply(200, {"kind": 200, "data_b": "x"}))
    assert type(got) is m.B and got.data_b == "x"
    got, _ = call(pkg, lambda c: c.get_w(), Reply(200, {"flag": False, "y": "n"}))
    assert type(got) is m.Off and got.y == "n"
    got, _ = call(pkg, lambda c: c.get_base(), Reply(200, {"kind": 1, "a": "x"}))
    assert type(got) is m.ChildA and got.a == "x"
