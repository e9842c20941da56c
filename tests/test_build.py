"""build: tiny inline specs -> the expected IR (schemas, operations, diagnostics)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from oagen.builder import build, default_package_name
from oagen.diagnostics import Diagnostic, Diagnostics
from oagen.ir import (
    Alias,
    Api,
    Body,
    Definition,
    Discriminator,
    EnumDef,
    ListOf,
    LiteralOf,
    MapOf,
    Model,
    Nullable,
    Operation,
    Prim,
    Ref,
    Response,
    UnionOf,
)
from oagen.load import load
from oagen.validate import validate

HEAD_31 = "openapi: 3.1.0\ninfo: {title: T, version: '1.2.3'}\n"
HEAD_30 = "openapi: 3.0.3\ninfo: {title: T, version: '1.2.3'}\n"


def _build(
    tmp_path: Path, text: str, name: str = "spec.yaml"
) -> tuple[Api, tuple[Diagnostic, ...]]:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    spec = load(path)
    sink = Diagnostics(spec.locate)
    validate(spec, sink)
    api = build(spec, sink, "x_client")
    return api, sink.items


def _ok(tmp_path: Path, text: str) -> Api:
    api, diags = _build(tmp_path, text)
    errors = [str(d) for d in diags if d.severity == "error"]
    assert errors == []
    return api


def _schemas(tmp_path: Path, schemas: str, head: str = HEAD_31) -> dict[str, Definition]:
    body = textwrap.indent(textwrap.dedent(schemas), "    ")
    api = _ok(tmp_path, f"{head}paths: {{}}\ncomponents:\n  schemas:\n{body}")
    return {d.name: d for d in api.definitions}


def _model(defs: dict[str, Definition], name: str) -> Model:
    model = defs[name]
    assert isinstance(model, Model), model
    return model


def _fields(model: Model) -> dict[str, tuple[str, object, bool]]:
    return {f.wire_name: (f.python_name, f.type, f.is_required) for f in model.fields}


def _ops(api: Api) -> dict[str, Operation]:
    resources = list(api.resources) + ([api.root] if api.root else [])
    return {op.python_name: op for r in resources for op in r.operations}


def _errors(diags: tuple[Diagnostic, ...]) -> list[Diagnostic]:
    return [d for d in diags if d.severity == "error"]


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
        "blob": ("blob", Prim("file"), False),
        "b64": ("b64", Prim("base64"), False),
        "odd": ("odd", Prim("str"), False),
        "tags": ("tags", ListOf(Prim("str")), False),
        "grid": ("grid", ListOf(ListOf(Prim("int"))), False),
        "anything": ("anything", Prim("any"), False),
    }
    assert pet.pointer == "#/components/schemas/Pet"
    assert pet.fields[0].pointer == "#/components/schemas/Pet/properties/id"


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


# -- operations ----------------------------------------------------------------------

OPS = (
    HEAD_30
    + """\
servers: [{url: 'https://api.example.com/v1/'}]
tags: [{name: Pets, description: Pet things.}, {name: unused}]
security: [{token: []}]
paths:
  /orgs/{org}/pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: integer}}
      - {name: org, in: path, required: true, schema: {type: string}}
    get:
      tags: [Pets, Other]
      operationId: getPetByID
      parameters:
        - {name: 'page[size]', in: query, schema: {type: integer, default: 20}}
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
        - {name: Accept, in: header, schema: {type: string}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
        '404':
          description: nope
          content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}
        default: {description: other}
    delete:
      tags: [Pets]
      security: []
      responses:
        '204': {description: gone}
  /pets:
    post:
      tags: [pet-store admin]
      operationId: create-pet
      parameters:
        - {name: Idempotency-Key, in: header, schema: {type: string}}
      requestBody:
        required: true
        content:
          text/plain: {schema: {type: string}}
          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Pet'}}
          application/json: {schema: {$ref: '#/components/schemas/Pet'}}
      responses:
        '201':
          description: made
          content: {application/json: {schema: {type: object, properties: {id: {type: integer}}}}}
    put:
      security: [{key: []}, {token: [], key: []}]
      requestBody:
        content:
          application/octet-stream: {schema: {type: string, format: binary}}
      responses:
        '200': {description: raw}
        '202':
          description: text
          content: {text/plain: {schema: {type: string}}}
        '203':
          description: bytes
          content: {image/png: {schema: {type: string, format: binary}}}
    get:
      responses:
        '200':
          description: list
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Pet: {type: object, properties: {id: {type: integer}}}
    Error: {type: object, properties: {message: {type: string}}}
"""
)


def test_build_api_metadata(tmp_path: Path) -> None:
    api = _ok(tmp_path, OPS)
    assert (api.title, api.version, api.package_name) == ("T", "1.2.3", "x_client")
    assert api.spec_name == "spec.yaml"
    assert api.base_url == "https://api.example.com/v1"
    assert [
        (s.wire_name, s.python_name, s.kind, s.location, s.param_name) for s in api.security_schemes
    ] == [
        ("token", "token", "bearer", None, None),
        ("key", "key", "api_key", "header", "X-Key"),
    ]


def test_build_operations_grouped_by_first_tag(tmp_path: Path) -> None:
    api = _ok(tmp_path, OPS)
    assert [(r.tag, r.python_name, r.class_name, r.description) for r in api.resources] == [
        ("Pets", "pets", "PetsResource", "Pet things."),
        ("pet-store admin", "pet_store_admin", "PetStoreAdminResource", None),
    ]
    assert [op.python_name for op in api.resources[0].operations] == [
        "get_pet_by_id",
        "delete_orgs_org_pets_pet_id",
    ]
    assert [op.python_name for op in api.resources[1].operations] == ["create_pet"]
    assert api.root is not None
    assert [op.python_name for op in api.root.operations] == [
        "get_pets",
        "put_pets",
    ]  # HTTP method order
    assert api.root.tag is None


def test_build_operation_params(tmp_path: Path) -> None:
    op = _ops(_ok(tmp_path, OPS))["get_pet_by_id"]
    assert (op.operation_id, op.method, op.path) == (
        "getPetByID",
        "GET",
        "/orgs/{org}/pets/{petId}",
    )
    assert op.pointer == "#/paths/~1orgs~1{org}~1pets~1{petId}/get"
    got = [(p.wire_name, p.python_name, p.location, p.type, p.is_required) for p in op.params]
    assert got == [
        ("org", "org", "path", Prim("str"), True),
        ("petId", "pet_id", "path", Prim("int"), True),
        ("page[size]", "page_size", "query", Prim("int"), False),
        ("X-Trace", "x_trace", "header", Prim("str"), True),
    ]  # path params first in template order; `Accept` is ignored
    page = op.params[2]
    assert (page.has_default, page.default, page.style, page.explode) == (True, 20, "form", True)
    assert (op.params[0].style, op.params[0].explode) == ("simple", False)
    assert op.params[1].pointer == "#/paths/~1orgs~1{org}~1pets~1{petId}/parameters/0"


def test_build_operation_level_param_overrides_path_level(tmp_path: Path) -> None:
    api = _ok(
        tmp_path,
        HEAD_31
        + """\
paths:
  /a/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - {name: q, in: query, schema: {type: string}}
    get:
      operationId: getA
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses: {'200': {description: ok}}
""",
    )
    op = _ops(api)["get_a"]
    assert [(p.wire_name, p.type) for p in op.params] == [("id", Prim("int")), ("q", Prim("str"))]


def test_build_param_names_avoid_reserved_and_collisions(tmp_path: Path) -> None:
    api = _ok(
        tmp_path,
        HEAD_31
        + """\
paths:
  /a:
    get:
      operationId: getA
      parameters:
        - {name: body, in: query, schema: {type: string}}
        - {name: timeout, in: query, schema: {type: string}}
        - {name: user-id, in: query, schema: {type: string}}
        - {name: user_id, in: header, schema: {type: string}}
      responses: {'200': {description: ok}}
""",
    )
    assert [p.python_name for p in _ops(api)["get_a"].params] == [
        "body_",
        "timeout_",
        "user_id",
        "user_id_2",
    ]


def test_build_security_inheritance(tmp_path: Path) -> None:
    ops = _ops(_ok(tmp_path, OPS))
    assert ops["get_pet_by_id"].security == (("token",),)  # inherited
    assert ops["delete_orgs_org_pets_pet_id"].security == ()  # security: []
    assert ops["put_pets"].security == (("key",), ("token", "key"))  # own wins


def test_build_idempotency_header(tmp_path: Path) -> None:
    ops = _ops(_ok(tmp_path, OPS))
    assert ops["create_pet"].idempotency_header == "Idempotency-Key"
    assert ops["get_pet_by_id"].idempotency_header is None
    assert ops["put_pets"].idempotency_header is None


def test_build_body_media_choice(tmp_path: Path) -> None:
    ops = _ops(_ok(tmp_path, OPS))
    assert ops["create_pet"].body == Body("application/json", "json", Ref("Pet"), True, None)
    assert ops["put_pets"].body == Body(
        "application/octet-stream", "binary", Prim("binary"), False, None
    )
    assert ops["get_pets"].body is None


def test_build_body_form_and_multipart(tmp_path: Path) -> None:
    api = _ok(
        tmp_path,
        HEAD_31
        + """\
paths:
  /form:
    post:
      operationId: sendForm
      requestBody:
        content:
          text/plain: {schema: {type: string}}
          multipart/form-data: {schema: {type: object, properties: {f: {type: string, format: binary}}}}
          application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: string}}}}
      responses: {'204': {description: ok}}
  /multi:
    post:
      operationId: sendMulti
      requestBody:
        content:
          multipart/form-data: {schema: {type: object, properties: {f: {type: string, format: binary}}}}
      responses: {'204': {description: ok}}
  /text:
    post:
      operationId: sendText
      requestBody:
        content:
          text/plain: {schema: {type: string}}
      responses: {'204': {description: ok}}
""",
    )
    ops = _ops(api)
    form = ops["send_form"].body
    assert form is not None and (form.media_type, form.kind, form.type) == (
        "application/x-www-form-urlencoded",
        "form",
        Ref("SendFormBody"),
    )
    multi = ops["send_multi"].body
    assert multi is not None and (multi.kind, multi.type) == ("multipart", Ref("SendMultiBody"))
    defs = {d.name: d for d in api.definitions}
    assert _fields(_model(defs, "SendMultiBody")) == {"f": ("f", Prim("file"), False)}
    text = ops["send_text"].body
    assert text is not None and (text.kind, text.type) == ("text", Prim("str"))


def test_build_response_kinds(tmp_path: Path) -> None:
    api = _ok(tmp_path, OPS)
    ops = _ops(api)
    get = ops["get_pet_by_id"]
    assert get.successes == (Response("200", "ok", "application/json", "json", Ref("Pet")),)
    assert get.errors == (
        Response("404", "nope", "application/json", "json", Ref("Error")),
        Response("default", "other", None, "raw", None),
    )
    assert ops["delete_orgs_org_pets_pet_id"].successes == (
        Response("204", "gone", None, "empty", None),
    )
    assert ops["put_pets"].successes == (
        Response("200", "raw", None, "raw", None),
        Response("202", "text", "text/plain", "text", Prim("str")),
        Response("203", "bytes", "image/png", "binary", Prim("binary")),
    )
    assert ops["get_pets"].successes[0].type == ListOf(Ref("Pet"))
    created = ops["create_pet"].successes[0]
    assert (created.status, created.kind, created.type) == (
        "201",
        "json",
        Ref("CreatePetResponse201"),
    )
    defs = {d.name: d for d in api.definitions}
    assert _fields(_model(defs, "CreatePetResponse201")) == {"id": ("id", Prim("int"), False)}


def test_build_default_only_response_is_success(tmp_path: Path) -> None:
    api = _ok(
        tmp_path,
        HEAD_31
        + """\
paths:
  /a:
    get:
      operationId: getA
      responses:
        default:
          description: any
          content: {application/json: {schema: {type: string}}}
""",
    )
    op = _ops(api)["get_a"]
    assert op.successes == (Response("2XX", "any", "application/json", "json", Prim("str")),)
    assert op.errors == (Response("default", "any", "application/json", "json", Prim("str")),)


def test_build_method_name_collisions_in_a_resource(tmp_path: Path) -> None:
    api = _ok(
        tmp_path,
        HEAD_31
        + """\
paths:
  /a:
    get: {operationId: list, tags: [t], responses: {'200': {description: ok}}}
    post: {operationId: List, tags: [t], responses: {'200': {description: ok}}}
    put: {operationId: with_raw_response, tags: [t], responses: {'200': {description: ok}}}
""",
    )
    # methods in HTTP_METHODS order: get, put, post
    assert [op.python_name for op in api.resources[0].operations] == [
        "list",
        "with_raw_response_",
        "list_2",
    ]


def test_build_untagged_methods_avoid_client_attributes(tmp_path: Path) -> None:
    api = _ok(
        tmp_path,
        HEAD_31
        + """\
paths:
  /a:
    get: {operationId: close, responses: {'200': {description: ok}}}
    post: {operationId: pets, responses: {'200': {description: ok}}}
    put: {operationId: x, tags: [pets], responses: {'200': {description: ok}}}
""",
    )
    assert api.root is not None
    assert [op.python_name for op in api.root.operations] == ["close_", "pets_"]
    assert api.resources[0].python_name == "pets"


def test_default_package_name() -> None:
    assert default_package_name("specs/archal.yaml") == "archal_client"
    assert default_package_name("My-API.v2.json") == "my_api_client"


# -- errors with pointers ----------------------------------------------------------------


def test_build_path_template_without_parameter(tmp_path: Path) -> None:
    _, diags = _build(
        tmp_path,
        HEAD_31
        + """\
paths:
  /users/{id}:
    get:
      operationId: getUser
      responses: {'200': {description: ok}}
""",
    )
    (err,) = _errors(diags)
    assert err.message == "path template variable {id} has no path parameter"
    assert err.pointer == "#/paths/~1users~1{id}/get"
    assert err.location is not None and (err.location.line, err.location.column) == (6, 7)
    assert str(err).startswith(f"{tmp_path / 'spec.yaml'}:6:7: error: path template variable")


def test_build_path_parameter_not_in_template(tmp_path: Path) -> None:
    _, diags = _build(
        tmp_path,
        HEAD_31
        + """\
paths:
  /users:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
""",
    )
    (err,) = _errors(diags)
    assert err.message == "path parameter 'id' is not in the path template"
    assert err.pointer == "#/paths/~1users/get/parameters/0"


def test_build_unresolvable_ref(tmp_path: Path) -> None:
    _, diags = _build(
        tmp_path,
        HEAD_31
        + """\
paths: {}
components:
  schemas:
    Box:
      type: object
      properties:
        thing: {$ref: '#/components/schemas/Thnig'}
""",
    )
    (err,) = _errors(diags)
    assert err.message == "unresolvable $ref '#/components/schemas/Thnig'"
    assert err.pointer == "#/components/schemas/Box/properties/thing/$ref"
    assert err.location is not None and (err.location.line, err.location.column) == (9, 23)


def test_build_unresolvable_ref_into_other_file(tmp_path: Path) -> None:
    (tmp_path / "common.yaml").write_text("components: {schemas: {}}\n", encoding="utf-8")
    _, diags = _build(
        tmp_path,
        HEAD_31
        + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'common.yaml#/components/schemas/Nope'}\n",
    )
    (err,) = _errors(diags)
    assert "unresolvable $ref 'common.yaml#/components/schemas/Nope'" in err.message
    assert err.pointer == "#/components/schemas/A/$ref"


def test_build_ref_cycle_without_object(tmp_path: Path) -> None:
    _, diags = _build(
        tmp_path,
        HEAD_31
        + "paths: {}\ncomponents:\n  schemas:\n"
        + "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
    )
    errors = _errors(diags)
    assert errors and all("cycle" in e.message for e in errors)


@pytest.mark.parametrize("head", [HEAD_30, HEAD_31])
def test_build_unknown_type(tmp_path: Path, head: str) -> None:
    _, diags = _build(
        tmp_path,
        head
        + """\
paths: {}
components:
  schemas:
    Box:
      type: object
      properties:
        name: {type: strin}
""",
    )
    (err,) = _errors(diags)
    assert err.message == "unknown schema type 'strin'"
    assert err.pointer == "#/components/schemas/Box/properties/name/type"
    assert err.location is not None and (err.location.line, err.location.column) == (9, 22)
    # validator findings (the 3.0 meta-schema checks `type`; 3.1's leaves schemas to
    # the full validator) are warnings, located as well
    warnings = [d for d in diags if d.severity == "warning"]
    assert all(d.location is not None for d in warnings)
    assert bool(warnings) == head.startswith("openapi: 3.0")


def test_build_unknown_security_scheme(tmp_path: Path) -> None:
    _, diags = _build(
        tmp_path,
        HEAD_31
        + """\
paths:
  /a:
    get:
      security: [{nope: []}]
      responses: {'200': {description: ok}}
""",
    )
    (err,) = _errors(diags)
    assert err.message == "unknown security scheme 'nope'"
    assert err.pointer == "#/paths/~1a/get/security/0"


def test_build_json_spec_error_location(tmp_path: Path) -> None:
    text = (
        '{\n  "openapi": "3.1.0",\n  "info": {"title": "T", "version": "1"},\n'
        '  "paths": {},\n  "components": {"schemas": {\n'
        '    "A": {"type": "object", "properties": {"x": {"$ref": "#/nope"}}}\n  }}\n}\n'
    )
    _, diags = _build(tmp_path, text, name="spec.json")
    (err,) = _errors(diags)
    assert err.pointer == "#/components/schemas/A/properties/x/$ref"
    assert err.location is not None and (err.location.line, err.location.column) == (6, 58)
