"""Naming: colliding operationIds, derived method names, odd tags, clashing schema names."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from oagen.ir import Model, Prim, Ref

from .conftest import (
    BASE,
    HEAD_31,
    Reply,
    build_ir,
    call,
    defs,
    feature_spec,
    is_identifier,
    json_body,
    models_of,
)

OPS = feature_spec(
    "op_names",
    HEAD_31
    + """\
paths:
  /a:
    get:
      operationId: getItem
      responses: {'204': {description: done}}
  /b:
    get:
      operationId: get_item
      responses: {'204': {description: done}}
  /users/{userId}/posts:
    get:
      parameters:
        - {name: userId, in: path, required: true, schema: {type: integer}}
      responses: {'204': {description: done}}
    post:
      parameters:
        - {name: userId, in: path, required: true, schema: {type: integer}}
      responses: {'204': {description: done}}
  /tagged:
    get:
      operationId: listTagged
      tags: ['Pet Store & Co.']
      responses: {'204': {description: done}}
  /tagged2:
    get:
      operationId: listOther
      tags: ['3rd-party/tools']
      responses: {'204': {description: done}}
""",
)


def _root_names(tmp_path: Path) -> tuple[Any, dict[tuple[str, str], str]]:
    api = build_ir(tmp_path, OPS)
    by_route = {}
    for r in [*api.resources, *([api.root] if api.root else [])]:
        for op in r.operations:
            by_route[(op.method, op.path)] = op.python_name
    return api, by_route


def test_operation_names_ir(tmp_path: Path) -> None:
    api, names = _root_names(tmp_path)
    assert names[("GET", "/a")] == "get_item"
    assert names[("GET", "/b")] == "get_item_2"
    derived = [names[("GET", "/users/{userId}/posts")], names[("POST", "/users/{userId}/posts")]]
    assert all(is_identifier(n) for n in derived) and len(set(derived)) == 2
    assert derived[0].startswith("get") and "posts" in derived[0]
    assert derived[1].startswith("post") and "posts" in derived[1]
    resources = {r.tag: r.python_name for r in api.resources}
    assert resources["Pet Store & Co."] == "pet_store_co"
    assert is_identifier(resources["3rd-party/tools"])


def test_operation_names_behaviour(tmp_path: Path, package: Any) -> None:
    api, names = _root_names(tmp_path)
    resources = {r.tag: r.python_name for r in api.resources}
    pkg = package(OPS)
    _, req = call(pkg, lambda c: c.get_item(), Reply(204))
    assert str(req.url) == f"{BASE}/a"
    _, req = call(pkg, lambda c: c.get_item_2(), Reply(204))
    assert str(req.url) == f"{BASE}/b"
    _, req = call(pkg, lambda c: getattr(c, names[("GET", "/users/{userId}/posts")])(4), Reply(204))
    assert (req.method, str(req.url)) == ("GET", f"{BASE}/users/4/posts")
    _, req = call(
        pkg, lambda c: getattr(c, names[("POST", "/users/{userId}/posts")])(5), Reply(204)
    )
    assert (req.method, str(req.url)) == ("POST", f"{BASE}/users/5/posts")
    _, req = call(pkg, lambda c: c.pet_store_co.list_tagged(), Reply(204))
    assert str(req.url) == f"{BASE}/tagged"
    _, req = call(pkg, lambda c: getattr(c, resources["3rd-party/tools"]).list_other(), Reply(204))
    assert str(req.url) == f"{BASE}/tagged2"


CLASH = feature_spec(
    "schema_clash",
    HEAD_31
    + """\
paths:
  /everything:
    post:
      operationId: everything
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Everything'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Everything'}
components:
  schemas:
    Client:
      type: object
      properties: {c: {type: string}}
    UNSET:
      type: object
      properties: {u: {type: string}}
    datetime:
      type: object
      properties: {d: {type: string}}
    Any:
      type: object
      properties: {a: {type: string}}
    List:
      type: object
      properties: {l: {type: string}}
    field:
      type: object
      properties: {f: {type: string}}
    Pet:
      type: object
      properties: {p: {type: string}}
    pet:
      type: object
      properties: {q: {type: string}}
    Café:
      type: object
      properties: {e: {type: string}}
    3DModel:
      type: object
      properties: {m: {type: string}}
    Everything:
      type: object
      properties:
        client: {$ref: '#/components/schemas/Client'}
        unset: {$ref: '#/components/schemas/UNSET'}
        dt: {$ref: '#/components/schemas/datetime'}
        any: {$ref: '#/components/schemas/Any'}
        list: {$ref: '#/components/schemas/List'}
        field: {$ref: '#/components/schemas/field'}
        pet1: {$ref: '#/components/schemas/Pet'}
        pet2: {$ref: '#/components/schemas/pet'}
        cafe: {$ref: '#/components/schemas/Café'}
        model3d: {$ref: '#/components/schemas/3DModel'}
        when: {type: string, format: date-time}
        free: {type: object}
        maybe: {type: string}
""",
)

EVERYTHING = {
    "client": {"c": "1"},
    "unset": {"u": "2"},
    "dt": {"d": "3"},
    "any": {"a": "4"},
    "list": {"l": "5"},
    "field": {"f": "6"},
    "pet1": {"p": "7"},
    "pet2": {"q": "8"},
    "cafe": {"e": "9"},
    "model3d": {"m": "10"},
    "when": "2024-01-02T03:04:05+00:00",
    "free": {"k": [1]},
}


def test_schema_name_clashes_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, CLASH)
    names = [d.name for d in api.definitions]
    assert len(set(names)) == len(names)
    assert all(is_identifier(n) for n in names)
    reserved = {"Client", "UNSET", "Unset", "datetime", "Any", "field", "List", "AsyncClient"}
    assert not set(names) & reserved - {"List"}  # `List` is not used by generated code
    everything = defs(api)["Everything"]
    assert isinstance(everything, Model)
    types = {f.wire_name: f.type for f in everything.fields}
    refs = [
        types[k]
        for k in (
            "client",
            "unset",
            "dt",
            "any",
            "list",
            "field",
            "pet1",
            "pet2",
            "cafe",
            "model3d",
        )
    ]
    assert all(isinstance(t, Ref) for t in refs)
    assert len({t.name for t in refs if isinstance(t, Ref)}) == 10
    assert types["when"] == Prim("datetime")


def test_schema_name_clashes_behaviour(tmp_path: Path, package: Any) -> None:
    api = build_ir(tmp_path, CLASH)
    everything = defs(api)["Everything"]
    assert isinstance(everything, Model)
    ref_of = {f.wire_name: f.type.name for f in everything.fields if isinstance(f.type, Ref)}
    pkg = package(CLASH)
    m = models_of(pkg)
    assert (
        pkg.UNSET is not None
        and pkg.Client is not None
        and pkg.Client.__module__.startswith(pkg.__name__)
    )
    got, req = call(pkg, lambda c: c.everything(body=EVERYTHING), Reply(200, EVERYTHING))
    assert json_body(req) == EVERYTHING
    for key, name in ref_of.items():
        assert type(
            getattr(got, key if key not in ("any", "list", "field") else _py(api, key))
        ) is getattr(m, name)
    assert got.when == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert got.maybe is pkg.UNSET
    assert got.to_dict() == EVERYTHING


def _py(api: Any, wire: str) -> str:
    everything = defs(api)["Everything"]
    return next(f.python_name for f in everything.fields if f.wire_name == wire)


BUILTIN_METHODS = feature_spec(
    "builtin_methods",
    HEAD_31
    + """\
paths:
  /things:
    get:
      tags: [things]
      operationId: things_list
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: array, items: {type: string}}}}
    post:
      tags: [things]
      operationId: things_dict
      requestBody:
        content: {application/json: {schema: {type: object, additionalProperties: {type: integer}}}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: object, additionalProperties: {type: integer}}}}
  /things/{id}:
    get:
      tags: [things]
      operationId: things_str
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {type: array, items: {type: number, enum: [0.5, 1.5]}}}}
""",
    typecheck="""\
        from feat_builtin_methods_client import Client

        def use(c: Client) -> None:
            names: list[str] = c.things.list()
            counts: dict[str, int] = c.things.dict(body={"a": 1})
            halves: list[float] = c.things.str("x")
    """,
)


def test_methods_named_like_builtins_keep_the_builtins_in_annotations(package: Any) -> None:
    """`client.things.list` (drf's `things_list`) is a method named `list`: the class's
    annotations spell the builtin `builtins.list`, so mypy reads them right."""
    pkg = package(BUILTIN_METHODS)
    got, req = call(pkg, lambda c: c.things.list(), Reply(200, ["a", "b"]))
    assert got == ["a", "b"] and str(req.url) == f"{BASE}/things"
    got, req = call(pkg, lambda c: c.things.dict(body={"a": 1}), Reply(200, {"a": 2}))
    assert got == {"a": 2} and json_body(req) == {"a": 1}
    source = Path(pkg.__file__).parent.joinpath("resources", "things.py").read_text()
    assert "-> builtins.list[builtins.str]:" in source and "import builtins" in source


def test_the_models_package_lists_each_name_once(package: Any) -> None:
    """Models load on first use; `dir()` names each once, loaded or not."""
    models = models_of(package(CLASH))
    before = dir(models)
    assert "ClientModel" in before and len(before) == len(set(before))
    assert models.ClientModel is not None  # loaded now, a global of the package
    after = dir(models)
    assert len(after) == len(set(after))
    assert [n for n in after if n[0] != "_"] == [n for n in before if n[0] != "_"]
