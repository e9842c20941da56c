"""Schemas: composition, unions, recursion, inline objects, containers, const/enum, loose types."""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

import pytest
from oagen.ir import (
    Alias,
    Constraints,
    EnumDef,
    ListOf,
    LiteralOf,
    MapOf,
    Nullable,
    Prim,
    Ref,
    TupleOf,
    UnionOf,
)

from .conftest import (
    BASE,
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
    op_by_id,
    submodule,
)
from .conftest import HEAD_31 as HEAD

# --------------------------------------------------------------------------- allOf

ALLOF = feature_spec(
    "allof",
    HEAD
    + "paths:\n"
    + get_path("/named", "getNamed", "Named")
    + get_path("/holder", "getHolder", "Holder")
    + """\
components:
  schemas:
    Base:
      type: object
      required: [id]
      properties:
        id: {type: integer}
    Named:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [name]
          properties:
            name: {type: string}
    JustBase:
      allOf: [{$ref: '#/components/schemas/Base'}]
    Holder:
      type: object
      properties:
        base:
          allOf: [{$ref: '#/components/schemas/Base'}]
          description: The base, documented.
        mixed:
          allOf:
            - $ref: '#/components/schemas/Base'
            - type: object
              properties:
                extra: {type: boolean}
""",
)


def test_allof_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, ALLOF)
    named = fields(model(api, "Named"))
    assert {k: (f.type, f.is_required) for k, f in named.items()} == {
        "id": (Prim("int"), True),
        "name": (Prim("str"), True),
    }
    just = defs(api)["JustBase"]
    # allOf of one $ref alone is a reference to that model, not a copy of it
    assert isinstance(just, Alias) and just.target == Ref("Base")
    holder = fields(model(api, "Holder"))
    assert holder["base"].type == Ref("Base")
    mixed = holder["mixed"].type
    assert mixed == Ref("HolderMixed")
    assert {k: f.type for k, f in fields(model(api, "HolderMixed")).items()} == {
        "id": Prim("int"),
        "extra": Prim("bool"),
    }


def test_allof_behaviour(package: Any) -> None:
    pkg = package(ALLOF)
    m = models_of(pkg)
    got, req = call(pkg, lambda c: c.get_named(), Reply(200, {"id": 1, "name": "x"}))
    assert (req.method, str(req.url)) == ("GET", f"{BASE}/named")
    assert isinstance(got, m.Named) and (got.id, got.name) == (1, "x")
    assert got.to_dict() == {"id": 1, "name": "x"}

    data = {"base": {"id": 2}, "mixed": {"id": 3, "extra": True}}
    got, _ = call(pkg, lambda c: c.get_holder(), Reply(200, data))
    assert isinstance(got.base, m.Base) and got.base.id == 2
    assert isinstance(got.mixed, m.HolderMixed) and (got.mixed.id, got.mixed.extra) == (3, True)
    assert got.to_dict() == data


# --------------------------------------------------------------------------- recursion

RECURSIVE = feature_spec(
    "recursive",
    HEAD
    + "paths:\n"
    + get_path("/tree", "getTree", "Node")
    + """\
  /authors:
    post:
      operationId: createAuthor
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Author'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Author'}
components:
  schemas:
    Node:
      type: object
      required: [value]
      properties:
        value: {type: integer}
        children:
          type: array
          items: {$ref: '#/components/schemas/Node'}
        parent: {$ref: '#/components/schemas/Node'}
    Author:
      type: object
      required: [name]
      properties:
        name: {type: string}
        books:
          type: array
          items: {$ref: '#/components/schemas/Book'}
    Book:
      type: object
      required: [title]
      properties:
        title: {type: string}
        author: {$ref: '#/components/schemas/Author'}
""",
)

TREE = {
    "value": 1,
    "children": [{"value": 2, "children": [{"value": 3}]}, {"value": 4, "parent": {"value": 0}}],
}
AUTHOR = {
    "name": "Le Guin",
    "books": [{"title": "Earthsea", "author": {"name": "Ursula", "books": []}}],
}


def test_recursive_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, RECURSIVE)
    node = fields(model(api, "Node"))
    assert node["children"].type == ListOf(Ref("Node"))
    assert node["parent"].type == Ref("Node")
    assert fields(model(api, "Author"))["books"].type == ListOf(Ref("Book"))
    assert fields(model(api, "Book"))["author"].type == Ref("Author")


def test_recursive_round_trip_and_wire(package: Any) -> None:
    pkg = package(RECURSIVE)
    m = models_of(pkg)
    tree = m.Node.from_dict(TREE)
    assert isinstance(tree.children[0].children[0], m.Node)
    assert tree.children[1].parent.value == 0
    assert tree.to_dict() == TREE
    assert m.Node.from_dict(tree.to_dict()) == tree

    got, _ = call(pkg, lambda c: c.get_tree(), Reply(200, TREE))
    assert got == tree

    author = m.Author.from_dict(AUTHOR)
    assert isinstance(author.books[0].author, m.Author)
    got, req = call(pkg, lambda c: c.create_author(body=author), Reply(200, AUTHOR))
    assert (req.method, str(req.url)) == ("POST", f"{BASE}/authors")
    assert req.headers["content-type"] == "application/json"
    assert json_body(req) == AUTHOR
    assert got == author


# --------------------------------------------------------------------------- inline objects, containers

CONTAINERS = feature_spec(
    "containers",
    HEAD
    + "paths:\n"
    + get_path("/order", "getOrder", "Order")
    + """\
components:
  schemas:
    Item:
      type: object
      required: [sku]
      properties:
        sku: {type: string}
    Inventory:
      type: object
      additionalProperties: {$ref: '#/components/schemas/Item'}
    Order:
      type: object
      properties:
        customer:
          type: object
          properties:
            address:
              type: object
              properties:
                geo:
                  type: object
                  properties:
                    lat: {type: number}
        grid:
          type: array
          items:
            type: array
            items: {type: integer}
        cells:
          type: array
          items:
            type: array
            items: {$ref: '#/components/schemas/Item'}
        byName:
          type: object
          additionalProperties: {$ref: '#/components/schemas/Item'}
        inventory: {$ref: '#/components/schemas/Inventory'}
""",
)

ORDER = {
    "customer": {"address": {"geo": {"lat": 1.5}}},
    "grid": [[1, 2], [], [3]],
    "cells": [[{"sku": "a"}], [{"sku": "b"}, {"sku": "c"}]],
    "byName": {"x": {"sku": "x1"}},
    "inventory": {"y": {"sku": "y1"}},
}


def test_containers_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, CONTAINERS)
    order = fields(model(api, "Order"))
    assert order["customer"].type == Ref("OrderCustomer")
    assert fields(model(api, "OrderCustomer"))["address"].type == Ref("OrderCustomerAddress")
    assert fields(model(api, "OrderCustomerAddress"))["geo"].type == Ref("OrderCustomerAddressGeo")
    assert fields(model(api, "OrderCustomerAddressGeo"))["lat"].type == Prim("float")
    assert order["grid"].type == ListOf(ListOf(Prim("int")))
    assert order["cells"].type == ListOf(ListOf(Ref("Item")))
    assert order["byName"].type == MapOf(Ref("Item"))
    inventory = defs(api)["Inventory"]
    assert isinstance(inventory, Alias) and inventory.target == MapOf(Ref("Item"))


def test_containers_behaviour(package: Any) -> None:
    pkg = package(CONTAINERS)
    m = models_of(pkg)
    got, _ = call(pkg, lambda c: c.get_order(), Reply(200, ORDER))
    assert isinstance(got.customer.address.geo, m.OrderCustomerAddressGeo)
    assert got.customer.address.geo.lat == 1.5
    assert got.grid == [[1, 2], [], [3]]
    assert all(isinstance(i, m.Item) for row in got.cells for i in row)
    assert [[i.sku for i in row] for row in got.cells] == [["a"], ["b", "c"]]
    assert isinstance(got.by_name["x"], m.Item) and got.by_name["x"].sku == "x1"
    assert isinstance(got.inventory["y"], m.Item)
    assert got.to_dict() == ORDER


# --------------------------------------------------------------------------- const, enum

CONST_ENUM = feature_spec(
    "const_enum",
    HEAD
    + "paths:\n"
    + get_path("/thing", "getThing", "Thing")
    + """\
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '204': {description: created}
components:
  schemas:
    Color:
      type: string
      enum: [red, green]
    Level:
      type: integer
      enum: [1, 2, 3]
    MaybeColor:
      type: [string, 'null']
      enum: [red, green, null]
    Thing:
      type: object
      required: [kind, version, color]
      properties:
        kind: {type: string, const: fixed}
        version: {const: 2}
        color: {$ref: '#/components/schemas/Color'}
        level: {$ref: '#/components/schemas/Level'}
        maybe: {$ref: '#/components/schemas/MaybeColor'}
        size:
          type: string
          enum: [S, M, L]
        count: {type: integer}
""",
)


def test_const_enum_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, CONST_ENUM)
    d = defs(api)
    assert isinstance(d["Color"], EnumDef) and d["Color"].values == ("red", "green")
    assert isinstance(d["Level"], EnumDef) and d["Level"].values == (1, 2, 3)
    assert isinstance(d["MaybeColor"], EnumDef) and d["MaybeColor"].values == ("red", "green")
    thing = fields(model(api, "Thing"))
    assert thing["kind"].type == LiteralOf(("fixed",))
    assert thing["version"].type == LiteralOf((2,))
    assert thing["color"].type == Ref("Color")
    assert thing["level"].type == Ref("Level")
    assert thing["maybe"].type == Nullable(Ref("MaybeColor"))
    size = thing["size"].type
    assert size in (Ref("ThingSize"), LiteralOf(("S", "M", "L")))


def test_const_enum_behaviour(package: Any) -> None:
    pkg = package(CONST_ENUM)
    m = models_of(pkg)
    assert typing.get_args(m.Color) == ("red", "green")
    assert typing.get_args(m.Level) == (1, 2, 3)
    data = {"kind": "fixed", "version": 2, "color": "red", "level": 3, "maybe": None, "size": "M"}
    got, _ = call(pkg, lambda c: c.get_thing(), Reply(200, data))
    assert (got.kind, got.version, got.color, got.level, got.maybe, got.size) == (
        "fixed", 2, "red", 3, None, "M",
    )  # fmt: skip
    assert got.to_dict() == data
    # an unknown enum value in a response does not crash decoding
    got, _ = call(pkg, lambda c: c.get_thing(), Reply(200, {**data, "color": "purple", "level": 9}))
    assert (got.color, got.level) == ("purple", 9)
    # a const's (and a one-value enum's) too: an enum with fewer values than the server's
    got, _ = call(pkg, lambda c: c.get_thing(), Reply(200, {**data, "kind": "new", "version": 3}))
    assert (got.kind, got.version) == ("new", 3)
    # JSON Schema: a whole number written with a fraction is an integer
    whole = {**data, "version": 2.0, "level": 3.0, "count": 4.0}
    got, _ = call(pkg, lambda c: c.get_thing(), Reply(200, whole))
    assert (got.version, got.level, got.count) == (2, 3, 4)
    assert {type(got.version), type(got.level), type(got.count)} == {int}
    # ... but a value of the wrong JSON type does (enums are checked inline)
    errors = submodule(pkg, "errors")
    for key, bad, problem in (
        ("color", 5, "expected string, got integer"),
        ("maybe", True, "expected string, got boolean"),
        ("size", ["M"], "expected string, got array"),
        ("count", 2.5, "expected integer, got number"),
        ("count", True, "expected integer, got boolean"),
    ):
        with pytest.raises(errors.APIResponseValidationError) as caught:
            call(pkg, lambda c: c.get_thing(), Reply(200, {**data, key: bad}))
        assert str(caught.value) == f"$.{key}: {problem}"
    missing = {k: v for k, v in data.items() if k != "color"}
    with pytest.raises(errors.APIResponseValidationError, match=r"\$\.color: missing"):
        call(pkg, lambda c: c.get_thing(), Reply(200, missing))

    thing = m.Thing(kind="fixed", version=2, color="green")
    _, req = call(pkg, lambda c: c.create_thing(body=thing), Reply(204))
    assert json_body(req) == {"kind": "fixed", "version": 2, "color": "green"}


def test_const_and_enum_are_checked_before_sending(package: Any) -> None:
    pkg = package(CONST_ENUM)
    m = models_of(pkg)
    for bad in (
        {"kind": "other", "version": 2, "color": "red"},
        {"kind": "fixed", "version": 3, "color": "red"},
        {"kind": "fixed", "version": 2, "color": "blue"},
    ):
        with pytest.raises(ValueError):
            call(pkg, lambda c, bad=bad: c.create_thing(body=m.Thing(**bad)), Reply(204))
        with pytest.raises(ValueError):
            call(pkg, lambda c, bad=bad: c.create_thing(body=bad), Reply(204))


# --------------------------------------------------------------------------- loose types

LOOSE = feature_spec(
    "loose",
    HEAD
    + "paths:\n"
    + get_path("/loose", "getLoose", "Loose")
    + """\
components:
  schemas:
    Bag:
      type: object
    Loose:
      type: object
      properties:
        meta: {type: object}
        bag: {$ref: '#/components/schemas/Bag'}
        strOrInt: {type: [string, integer]}
        strOrIntOrNull: {type: [string, integer, 'null']}
        notString:
          not: {type: string}
        pair:
          type: array
          prefixItems:
            - {type: string}
            - {type: integer}
        anything: {}
""",
)


def test_loose_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, LOOSE)
    bag = defs(api)["Bag"]
    assert isinstance(bag, Alias) and bag.target == MapOf(Prim("any"))
    loose = {k: f.type for k, f in fields(model(api, "Loose")).items()}
    assert loose["meta"] == MapOf(Prim("any"))
    assert loose["strOrInt"] == UnionOf((Prim("str"), Prim("int")))
    assert loose["strOrIntOrNull"] == Nullable(UnionOf((Prim("str"), Prim("int"))))
    assert loose["notString"] == Prim("any")
    # a tuple since issue 12.10 (no length keywords: what arrives is decoded)
    assert loose["pair"] == TupleOf((Prim("str"), Prim("int")), exact=False)
    assert loose["anything"] == Prim("any")


@pytest.mark.parametrize(
    "data",
    [
        {
            "meta": {"a": [1, {"b": None}]},
            "bag": {"k": "v"},
            "strOrInt": "s",
            "strOrIntOrNull": None,
            "notString": 5,
            "pair": ["a", 1],
            "anything": [1, "x", None],
        },
        {"strOrInt": 3, "strOrIntOrNull": 4, "anything": {"deep": True}, "pair": ["b", 2]},
    ],
)
def test_loose_behaviour(package: Any, data: dict[str, Any]) -> None:
    pkg = package(LOOSE)
    got, _ = call(pkg, lambda c: c.get_loose(), Reply(200, data))
    for key, py in (("meta", "meta"), ("bag", "bag"), ("strOrInt", "str_or_int"),
                    ("strOrIntOrNull", "str_or_int_or_null"), ("notString", "not_string"),
                    ("pair", "pair"), ("anything", "anything")):  # fmt: skip
        if key in data:
            assert getattr(got, py) == (tuple(data[key]) if key == "pair" else data[key])
    assert got.to_dict() == data


# --------------------------------------------------------------------------- readOnly / writeOnly

READ_WRITE = feature_spec(
    "read_write",
    HEAD
    + """\
paths:
  /users:
    post:
      operationId: createUser
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/User'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/User'}
components:
  schemas:
    User:
      type: object
      required: [id, name, password]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        password: {type: string, writeOnly: true}
""",
    typecheck="""\
        from feat_read_write_client.models import User

        user = User(name="n", password="p")
    """,
)


def test_read_write_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, READ_WRITE)
    user = fields(model(api, "User"))
    assert user["id"].is_read_only and not user["id"].is_write_only
    assert user["password"].is_write_only and not user["password"].is_read_only
    assert user["name"].is_required
    assert not user["name"].is_read_only and not user["name"].is_write_only


def test_read_only_not_required_in_request_write_only_not_required_in_response(
    package: Any,
) -> None:
    pkg = package(READ_WRITE)
    m = models_of(pkg)
    user = m.User(name="n", password="secret")  # no `id`: it is readOnly
    got, req = call(pkg, lambda c: c.create_user(body=user), Reply(201, {"id": 7, "name": "n"}))
    assert (req.method, str(req.url)) == ("POST", f"{BASE}/users")
    assert json_body(req) == {"name": "n", "password": "secret"}
    # the response has no `password`: it is writeOnly
    assert isinstance(got, m.User)
    assert (got.id, got.name) == (7, "n")
    assert got.password is pkg.UNSET
    assert got.to_dict() == {"id": 7, "name": "n"}


# --------------------------------------------------------------------------- defaults that do not match

BAD_DEFAULTS = feature_spec(
    "bad_defaults",
    HEAD
    + """\
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: limit, in: query, schema: {type: integer, default: many}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        count: {type: integer, default: lots}
        when: {type: string, format: date-time, default: 5}
        tags: {type: array, items: {type: string}, default: x}
        color: {type: string, enum: [red, green], default: blue}
        obj: {type: object, default: [1, 2]}
""",
)


def test_bad_defaults_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, BAD_DEFAULTS)
    thing = fields(model(api, "Thing"))
    assert thing["count"].type == Prim("int")
    assert thing["when"].type == Prim("datetime")
    assert op_by_id(api, "listThings").params[0].type == Prim("int")


def test_bad_defaults_do_not_crash_generation(package: Any) -> None:
    pkg = package(BAD_DEFAULTS)
    m = models_of(pkg)
    thing = m.Thing()
    assert thing.to_dict() == {}  # defaults are documented, not sent
    got, req = call(pkg, lambda c: c.list_things(), Reply(200, {"count": 3}))
    assert str(req.url) == f"{BASE}/things"
    assert got.count == 3


# --------------------------------------------------------------------------- allOf of a type and annotations

ANNOTATED = feature_spec(
    "annotated",
    """\
openapi: 3.0.3
info: {title: Annotated, version: '1'}
paths:
  /holders:
    get:
      operationId: getHolder
      parameters:
        - name: kind
          in: query
          schema:
            allOf: [{$ref: '#/components/schemas/Kind'}, {example: b}]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Holder'}}}
components:
  schemas:
    Code: {type: string, maxLength: 8}
    Kind: {type: string, enum: [a, b]}
    ProductRef:
      allOf: [{$ref: '#/components/schemas/Code'}, {description: a product's code}]
    Holder:
      type: object
      properties:
        ref: {$ref: '#/components/schemas/ProductRef'}
        address:
          allOf: [{$ref: '#/components/schemas/Code'}, {nullable: true, description: x}]
        kind:
          allOf: [{$ref: '#/components/schemas/Kind'}, {}, {x-note: y}]
""",
)


def test_allof_of_a_type_and_annotations_is_that_type(tmp_path: Path, package: Any) -> None:
    """openapi-generator's allof_with_metadata_only_schemas.yaml: an `allOf` whose other
    parts only annotate (description, example, nullable, ...) is its one typed part,
    constraints included; it was `Any`."""
    api = build_ir(tmp_path, ANNOTATED)
    assert defs(api)["ProductRef"].target == Ref("Code")  # (an alias of str)
    holder = fields(model(api, "Holder"))
    assert holder["ref"].type == Ref("ProductRef")
    assert holder["address"].type == Nullable(Ref("Code"))
    assert holder["address"].constraints == Constraints(max_length=8)
    assert holder["kind"].type == Ref("Kind")
    assert op_by_id(api, "getHolder").params[0].type == Ref("Kind")
    m = models_of(package(ANNOTATED))
    for bad, problem in ({"ref": "123456789"}, "at most 8"), ({"kind": "c"}, "one of"):
        with pytest.raises(ValueError, match=problem):
            m.Holder(**bad)
    assert m.Holder(address=None).to_dict() == {"address": None}


CALLABLE_ALIASES = feature_spec(
    "callable_aliases",
    HEAD
    + """\
paths: {}
components:
  schemas:
    Empty: {type: object}
    Code: {type: string, maxLength: 3}
    Names: {type: array, items: {type: string}}
    Pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    Pet: {type: object, properties: {next: {$ref: '#/components/schemas/Pets'}}}
""",
)


def test_an_alias_naming_no_definition_is_callable_at_run_time(package: Any) -> None:
    """`Empty: TypeAlias = dict[str, Any]`: what mypy accepts as `Empty()` runs (the
    quoted alias raised `TypeError: 'str' object is not callable`); one naming a model
    stays quoted, for cycles."""
    pkg = package(CALLABLE_ALIASES)
    m = models_of(pkg)
    assert m.Empty() == {} and m.Code("abc") == "abc" and m.Names(["a"]) == ["a"]
    assert m.Pets == "list[Pet]"
    assert typing.get_type_hints(m.Pet)["next"] is not None
