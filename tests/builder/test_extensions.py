"""allOf extensions: which merged models extend their base (`Model.base`), which stay flat."""

from __future__ import annotations

import textwrap
from pathlib import Path

from oagen.builder import Selection, build
from oagen.diagnostics import Diagnostics
from oagen.ir import (
    NO_CONSTRAINTS,
    Alias,
    Discriminator,
    ListOf,
    LiteralOf,
    MapOf,
    Model,
    Prim,
    Ref,
    UnionOf,
)
from oagen.load import load

from .support import HEAD_31, _findings, _model, _schemas

SCHEMAS = """\
Base:
  type: object
  required: [id]
  properties:
    id: {type: integer, description: The id.}
    note: {type: string}
Other:
  type: object
  properties:
    other: {type: string}
Ext:
  allOf:
    - $ref: '#/components/schemas/Base'
    - type: object
      required: [name]
      properties:
        name: {type: string}
Deeper:
  allOf:
    - $ref: '#/components/schemas/Ext'
    - properties: {level: {type: integer}}
Empty:
  description: Only documented again.
  allOf:
    - $ref: '#/components/schemas/Base'
    - {description: Only documented again.}
Retyped:
  allOf:
    - $ref: '#/components/schemas/Base'
    - properties: {id: {type: string}}
Redocumented:
  allOf:
    - $ref: '#/components/schemas/Base'
    - properties: {note: {type: string, description: Another note.}}
MadeRequired:
  allOf:
    - $ref: '#/components/schemas/Base'
    - required: [note]
      properties: {more: {type: boolean}}
Closed:
  allOf:
    - $ref: '#/components/schemas/Base'
    - properties: {more: {type: boolean}}
      additionalProperties: false
TwoModels:
  allOf:
    - $ref: '#/components/schemas/Base'
    - $ref: '#/components/schemas/Other'
Ping:
  allOf:
    - $ref: '#/components/schemas/Pong'
    - properties: {ping: {type: string}}
Pong:
  allOf:
    - $ref: '#/components/schemas/Ping'
    - properties: {pong: {type: string}}
"""


def test_faithful_extensions_get_a_base(tmp_path: Path) -> None:
    defs = _schemas(tmp_path, SCHEMAS)
    ext = _model(defs, "Ext")
    assert ext.base == "Base"
    assert [f.wire_name for f in ext.fields] == ["id", "name", "note"]  # all of them
    assert _model(defs, "Deeper").base == "Ext"
    assert _model(defs, "Empty").base == "Base"
    assert _model(defs, "Base").base is None


def test_unfaithful_extensions_stay_flat(tmp_path: Path) -> None:
    defs = _schemas(tmp_path, SCHEMAS)
    flat = {
        "Retyped": "a base property with another type",
        "Redocumented": "a base property declared again",
        "MadeRequired": "a base property made required",
        "Closed": "other additionalProperties",
        "TwoModels": "two models in the allOf",
        "Ping": "models extending each other",
        "Pong": "models extending each other",
    }
    assert {name: _model(defs, name).base for name in flat} == dict.fromkeys(flat)
    assert [f.wire_name for f in _model(defs, "TwoModels").fields] == ["id", "note", "other"]


def test_a_selection_keeps_the_base_of_a_model_it_keeps(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(
        HEAD_31
        + """\
paths:
  /deeper:
    get:
      operationId: getDeeper
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Deeper'}}}
components:
  schemas:
"""
        + textwrap.indent(SCHEMAS, "    "),
        encoding="utf-8",
    )
    spec = load(path)
    selected = build(
        spec, Diagnostics(spec.locate), "x_client", Selection(include_operations=("getDeeper",))
    )
    # Deeper's fields name no model, but its class extends Ext, which extends Base
    assert [d.name for d in selected.definitions] == ["Base", "Ext", "Deeper"]


def test_the_mapping_pins_the_tag_of_a_model_it_gives_one(tmp_path: Path) -> None:
    """A leaf model the base's mapping gives one tag has its discriminator typed as
    that tag; a model others extend (their tags would not narrow it), one given two
    tags, and one named by no entry (its implicit tag) keep the base's type."""
    defs = _schemas(
        tmp_path,
        """\
        Pet:
          type: object
          required: [petType]
          properties: {petType: {type: string}}
          discriminator:
            propertyName: petType
            mapping:
              dog: '#/components/schemas/Dog'
              puppy: '#/components/schemas/Puppy'
              cat: '#/components/schemas/Cat'
              kitty: '#/components/schemas/Cat'
        Dog: {allOf: [{$ref: '#/components/schemas/Pet'}, {properties: {bark: {type: boolean}}}]}
        Puppy: {allOf: [{$ref: '#/components/schemas/Dog'}, {properties: {age: {type: integer}}}]}
        Cat: {allOf: [{$ref: '#/components/schemas/Pet'}, {properties: {lives: {type: integer}}}]}
        Fish: {allOf: [{$ref: '#/components/schemas/Pet'}, {properties: {fins: {type: integer}}}]}
        """,
    )
    tags = {n: _model(defs, n).fields[0].type for n in ("Dog", "Puppy", "Cat", "Fish")}
    assert tags == {
        "Dog": Prim("str"),
        "Puppy": LiteralOf(("puppy",)),
        "Cat": Prim("str"),
        "Fish": Prim("str"),
    }
    assert (_model(defs, "Puppy").base, _model(defs, "Fish").base) == ("Dog", "Pet")


def test_a_property_refined_by_a_later_part_keeps_its_type(tmp_path: Path) -> None:
    """A value meets every allOf part: a later definition with only annotations or
    constraints narrows the property, its type and the earlier keywords stay."""
    defs = _schemas(
        tmp_path,
        """\
        Base:
          type: object
          properties:
            status: {type: string, default: active, maxLength: 10, description: Old.}
            count: {type: integer, minimum: 0}
            tags: {type: array, items: {type: string}}
            kind: {type: string, maxLength: 3}
        Narrowed:
          allOf:
            - $ref: '#/components/schemas/Base'
            - properties:
                status: {description: The status redefined.}
                count: {maximum: 5, readOnly: true}
                tags: {}
                kind: {type: integer}
        """,
    )
    narrowed = _model(defs, "Narrowed")
    assert narrowed.base is None  # its properties are not Base's: flat
    fields = {f.wire_name: f for f in narrowed.fields}
    status, count = fields["status"], fields["count"]
    assert (status.type, status.description, status.default) == (
        Prim("str"),
        "The status redefined.",
        "active",
    )
    assert (status.constraints.max_length, status.pointer) == (
        10,
        "#/components/schemas/Base/properties/status",
    )
    assert (count.type, count.is_read_only) == (Prim("int"), True)
    assert (count.constraints.minimum, count.constraints.maximum) == (0, 5)
    assert fields["tags"].type == ListOf(Prim("str"))
    # typed again: the later definition replaces the earlier (whose maxLength was a string's)
    assert (fields["kind"].type, fields["kind"].constraints) == (Prim("int"), NO_CONSTRAINTS)


def test_a_property_typed_again_as_what_it_is_keeps_its_type(tmp_path: Path) -> None:
    """`{type: object}` after `{$ref: Detail}` (an object) says nothing new: their
    intersection is Detail, whose checks stay (it became a free-form dict, any dict
    accepted). So does `{type: number}` after an integer, `{type: string}` after a
    string enum or a nullable date-time (null left out); another JSON type still
    replaces the definition. (GitHub's webhooks: dates, users and milestones were
    `str` and `dict[str, Any]`.)"""
    defs = _schemas(
        tmp_path,
        """\
        Detail: {type: object, required: [code], properties: {code: {type: string}}}
        Base:
          type: object
          properties:
            detail: {$ref: '#/components/schemas/Detail'}
            n: {type: integer}
            s: {type: string, enum: [a, b]}
            t: {type: string}
            u: {type: [string, 'null'], format: date-time}
        Derived:
          allOf:
            - $ref: '#/components/schemas/Base'
            - properties:
                detail: {type: object}
                n: {type: number}
                s: {type: [string, 'null']}
                t: {type: object}
                u: {type: string}
        """,
    )
    derived = _model(defs, "Derived")
    types = {f.wire_name: f.type for f in derived.fields}
    assert types["detail"] == Ref("Detail") and types["n"] == Prim("int")
    assert types["s"] == Ref("BaseS") and types["t"] == MapOf(Prim("any"))
    assert types["u"] == Prim("datetime")  # a date-time, and null left out


def test_a_required_name_no_part_declares_is_warned_of(tmp_path: Path) -> None:
    """JSON Schema's `required` holds whether or not the property is declared; the
    model has no field to carry it, which generation says at the name."""
    defs, diagnostics = _findings(
        tmp_path,
        """\
        Pet: {type: object, required: [pet_type]}
        Dog:
          allOf:
            - $ref: '#/components/schemas/Pet'
            - {type: object, required: [bark], properties: {bark: {type: boolean}}}
        """,
    )
    assert [f.wire_name for f in _model(defs, "Dog").fields] == ["bark"]
    # once, though Pet's own model and Dog's both lack the field
    assert [(d.severity, d.pointer) for d in diagnostics] == [
        ("warning", "#/components/schemas/Pet/required/0")
    ]
    assert "required property 'pet_type' is not among the properties" in diagnostics[0].message


def test_a_union_among_allof_parts_is_warned_of(tmp_path: Path) -> None:
    """`Req: allOf: [U, {id}]` with `U: oneOf: [A, B]`: a Req is also an A or a B,
    which its model (Req's own properties) does not say. It went unsaid."""
    defs, diagnostics = _findings(
        tmp_path,
        """\
        A: {type: object, properties: {x: {type: integer}}}
        U: {oneOf: [{$ref: '#/components/schemas/A'}, {type: object}]}
        Req:
          allOf:
            - $ref: '#/components/schemas/U'
            - {type: object, properties: {id: {type: string}}}
        """,
    )
    assert [f.wire_name for f in _model(defs, "Req").fields] == ["id"]
    assert [(d.severity, d.pointer) for d in diagnostics] == [
        ("warning", "#/components/schemas/Req")
    ]
    assert "allOf part #/components/schemas/U is a union" in diagnostics[0].message


def test_a_union_beside_allof_is_warned_of_as_the_schemas_own(tmp_path: Path) -> None:
    """openapi-core's `PetCreate: {allOf: [...], oneOf: [...]}`: the warning names the
    schema's own oneOf, not the schema as an allOf part of itself."""
    _, diagnostics = _findings(
        tmp_path,
        """        A: {type: object, required: [x], properties: {x: {type: integer}}}
        B: {type: object, required: [y], properties: {y: {type: integer}}}
        Base: {type: object, properties: {id: {type: string}}}
        More: {type: object, properties: {name: {type: string}}}
        Req:
          type: object
          allOf: [{$ref: '#/components/schemas/Base'}, {$ref: '#/components/schemas/More'}]
          oneOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]
        """,
    )
    assert [(d.severity, d.pointer) for d in diagnostics] == [
        ("warning", "#/components/schemas/Req")
    ]
    assert diagnostics[0].message.startswith("its oneOf/anyOf beside allOf is a union")


def test_allof_parts_with_no_common_type_are_warned_of(tmp_path: Path) -> None:
    _, diagnostics = _findings(
        tmp_path,
        """\
        Never: {allOf: [{type: string}, {type: integer, format: int32}]}
        Narrower: {allOf: [{type: number}, {type: integer, minimum: 1}]}
        Nullable: {allOf: [{type: [string, 'null']}, {type: string, maxLength: 3}]}
        """,
    )
    assert [(d.severity, d.pointer) for d in diagnostics] == [
        ("warning", "#/components/schemas/Never/allOf")
    ]
    assert "allow no common type" in diagnostics[0].message


def test_allof_of_a_discriminated_model_alone_is_one_of_its_kinds(tmp_path: Path) -> None:
    """`Reptile: allOf: [Pet]` names a kind of Pet (a schema allOf-referring to the
    discriminating one is a candidate, by name or mapping): a model extending Pet,
    which decoding Pet dispatches to, not an alias of Pet."""
    defs = _schemas(
        tmp_path,
        """\
        Pet:
          type: object
          required: [petType]
          properties: {petType: {type: string}}
          discriminator: {propertyName: petType}
        Reptile: {allOf: [{$ref: '#/components/schemas/Pet'}]}
        Lizard:
          allOf:
            - $ref: '#/components/schemas/Reptile'
            - {properties: {lovesRocks: {type: boolean}}}
        Plain: {type: object, properties: {a: {type: string}}}
        Alias: {allOf: [{$ref: '#/components/schemas/Plain'}]}
        """,
    )
    assert (_model(defs, "Reptile").base, _model(defs, "Lizard").base) == ("Pet", "Reptile")
    dispatch = _model(defs, "Pet").dispatch
    assert dispatch is not None
    assert dict(dispatch.mapping) == {"Reptile": "Reptile", "Lizard": "Lizard"}
    assert not isinstance(defs["Alias"], Model)  # no discriminator: a reference still


def test_a_model_pinning_the_discriminator_to_its_tag_extends_its_base(tmp_path: Path) -> None:
    """`Dog: allOf: [Pet, {petType: {enum: [dog]}}]` (openapi-generator's and many real
    specs' way of saying which tag is Dog's) is Pet with its discriminator narrowed to
    Dog's tag: a model extending Pet, which decoding Pet dispatches to by the schema
    name and by the value Dog gives the property. Narrowing any other property, or the
    discriminator to a value the base does not allow, is no extension."""
    defs = _schemas(
        tmp_path,
        """\
        Pet:
          type: object
          required: [petType]
          properties:
            petType: {type: string, description: The kind.}
            size: {type: string, enum: [s, m, l]}
          discriminator: {propertyName: petType}
        Dog:
          allOf:
            - $ref: '#/components/schemas/Pet'
            - {properties: {petType: {enum: [dog], description: Always dog.}}}
        Puppy:
          allOf:
            - $ref: '#/components/schemas/Dog'
            - {properties: {age: {type: integer}}}
        Small:
          allOf:
            - $ref: '#/components/schemas/Pet'
            - {properties: {size: {enum: [s]}}}
        Sized:
          type: object
          required: [size]
          properties: {size: {type: string, enum: [s, m, l]}}
          discriminator: {propertyName: size}
        Huge:
          allOf:
            - $ref: '#/components/schemas/Sized'
            - {properties: {size: {enum: [xl]}}}
        """,
    )
    assert (_model(defs, "Dog").base, _model(defs, "Puppy").base) == ("Pet", "Dog")
    assert _model(defs, "Small").base is None  # not the discriminator's property
    assert _model(defs, "Huge").base is None  # a tag Sized's property does not allow
    dispatch = _model(defs, "Pet").dispatch
    assert dispatch is not None
    assert dict(dispatch.mapping) == {"Dog": "Dog", "Puppy": "Puppy", "dog": "Dog"}


def test_a_mapping_entry_naming_nothing_is_warned_of_where_it_is(tmp_path: Path) -> None:
    """A mapping value that resolves to no schema (a typo, a schema removed) is a
    located warning, and its tag is not used: the options keep their implicit tags,
    on a union and on a base model alike."""
    defs, diags = _findings(
        tmp_path,
        """\
        Cat: {type: object, required: [kind], properties: {kind: {type: string}}}
        Dog: {type: object, required: [kind], properties: {kind: {type: string}}}
        Pet:
          oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
          discriminator:
            propertyName: kind
            mapping: {cat: '#/components/schemas/Kat', dog: Doggo}
        Base:
          type: object
          properties: {kind: {type: string}}
          discriminator: {propertyName: kind, mapping: {sub: 'other.yaml#/Sub'}}
        """,
    )
    pet = defs["Pet"]
    assert isinstance(pet, Alias) and isinstance(pet.target, UnionOf)
    assert pet.target.discriminator == Discriminator("kind", (("Cat", "Cat"), ("Dog", "Dog")))
    assert _model(defs, "Base").dispatch is None
    found = sorted((d.severity, d.message, d.pointer) for d in diags)
    mapping = "#/components/schemas/{}/discriminator/mapping/{}"
    assert found == [
        (
            "warning",
            "discriminator mapping value '#/components/schemas/Kat' names no schema: "
            "its tag is not used",
            mapping.format("Pet", "cat"),
        ),
        (
            "warning",
            "discriminator mapping value 'Doggo' names no schema: its tag is not used",
            mapping.format("Pet", "dog"),
        ),
        (
            "warning",
            "discriminator mapping value 'other.yaml#/Sub' names no schema: its tag is not used",
            mapping.format("Base", "sub"),
        ),
    ]


def test_a_mapping_naming_models_that_are_not_subclasses_is_warned_of(tmp_path: Path) -> None:
    """The base decodes as the classes extending it that its tags name; a model the
    mapping names that is flattened instead (an allOf of two models, or its own part
    first) is never what the base decodes as: one warning says which, at the mapping."""
    defs, diags = _findings(
        tmp_path,
        """\
        Pet:
          type: object
          required: [kind]
          properties: {kind: {type: string}}
          discriminator:
            propertyName: kind
            mapping:
              dog: '#/components/schemas/Dog'
              cat: '#/components/schemas/Cat'
              fish: '#/components/schemas/Fish'
              pet: '#/components/schemas/Pet'
        Barker: {type: object, properties: {barks: {type: boolean}}}
        Dog: {allOf: [{$ref: '#/components/schemas/Pet'}, {$ref: '#/components/schemas/Barker'}]}
        Cat: {allOf: [{$ref: '#/components/schemas/Pet'}, {properties: {kind: {type: integer}}}]}
        Fish: {allOf: [{$ref: '#/components/schemas/Pet'}, {properties: {fins: {type: integer}}}]}
        """,
    )
    assert _model(defs, "Fish").base == "Pet" and _model(defs, "Dog").base is None
    found = [(d.message, d.pointer) for d in diags if "mapping" in d.message]
    assert found == [
        (
            "discriminator mapping names Dog, Cat, which are not classes extending Pet "
            "(an allOf of several models, or one changing Pet's properties, is one "
            "flattened class): decoding a Pet never gives them",
            "#/components/schemas/Pet/discriminator/mapping",
        )
    ]


def test_no_warning_when_every_mapped_model_extends_the_base(tmp_path: Path) -> None:
    _, diags = _findings(
        tmp_path,
        """\
        Pet:
          type: object
          properties: {kind: {type: string}}
          discriminator: {propertyName: kind, mapping: {fish: '#/components/schemas/Fish'}}
        Fish: {allOf: [{$ref: '#/components/schemas/Pet'}, {properties: {fins: {type: integer}}}]}
        """,
    )
    assert [d.message for d in diags if "mapping" in d.message] == []


def test_a_model_restating_the_discriminator_with_its_tag_as_default_extends_its_base(
    tmp_path: Path,
) -> None:
    """Microsoft Graph's way: every kind restates `@odata.type` with its own tag as the
    default (`{type: string, default: '#microsoft.graph.user'}`). It is the base's
    property (a default only documents it): the kind extends the base, which decodes
    as it by its tag, and the mapping pins it. Restating the type as another is no
    extension."""
    defs, diags = _findings(
        tmp_path,
        """\
        Entity:
          type: object
          required: ['@odata.type']
          properties: {'@odata.type': {type: string}, id: {type: string}}
          discriminator:
            propertyName: '@odata.type'
            mapping: {'#graph.user': '#/components/schemas/User'}
        User:
          allOf:
            - $ref: '#/components/schemas/Entity'
            - properties:
                '@odata.type': {type: string, default: '#graph.user', description: The kind.}
                mail: {type: string}
        Odd:
          allOf:
            - $ref: '#/components/schemas/Entity'
            - properties: {'@odata.type': {type: integer}}
        """,
    )
    assert _model(defs, "User").base == "Entity" and _model(defs, "Odd").base is None
    dispatch = _model(defs, "Entity").dispatch
    assert dispatch is not None and dict(dispatch.mapping)["#graph.user"] == "User"
    assert _model(defs, "User").fields[0].type == LiteralOf(("#graph.user",))
    assert [d.message for d in diags if "mapping" in d.message] == []


def test_an_array_restated_with_looser_items_keeps_the_typed_items_in_any_order(
    tmp_path: Path,
) -> None:
    """allOf is a conjunction: `data` as an array of `Item` and as an array of objects
    is an array of `Item`, whichever part comes first (datamodel-code-generator's
    `allof_array_ref_override`). With the typing part first, the later, looser one
    replaced it: a list of plain dicts, without a warning."""
    defs, diagnostics = _findings(
        tmp_path,
        """\
        Wrapper:
          type: object
          required: [data]
          properties: {data: {type: array, items: {type: object}}}
        Item: {type: object, required: [id], properties: {id: {type: integer}}}
        TypedFirst:
          allOf:
            - properties: {data: {type: array, items: {$ref: '#/components/schemas/Item'}}}
            - $ref: '#/components/schemas/Wrapper'
        TypedLast:
          allOf:
            - $ref: '#/components/schemas/Wrapper'
            - properties: {data: {type: array, items: {$ref: '#/components/schemas/Item'}}}
        """,
    )
    for name in ("TypedFirst", "TypedLast"):
        (data,) = _model(defs, name).fields
        assert (data.type, data.is_required) == (ListOf(Ref("Item")), True), name
    assert diagnostics == ()
