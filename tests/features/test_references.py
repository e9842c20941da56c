"""`$ref`s into another file next to the spec (schemas, parameters, responses, a path item), with a cycle."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from oagen.builder import build
from oagen.diagnostics import Diagnostics
from oagen.ir import ListOf, Prim, Ref
from oagen.load import load

from .conftest import (
    BASE,
    HEAD_31,
    FeatureSpec,
    Reply,
    build_ir,
    call,
    feature_spec,
    fields,
    model,
    models_of,
    op_by_id,
    params,
    query_pairs,
)

COMMON = """\
openapi: 3.1.0
info: {title: Common, version: '1'}
paths:
  /things/{thingId}:
    get:
      operationId: getThing
      parameters:
        - $ref: '#/components/parameters/ThingId'
        - $ref: '#/components/parameters/Limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  parameters:
    ThingId: {name: thingId, in: path, required: true, schema: {type: string}}
    Limit: {name: limit, in: query, schema: {type: integer}}
  responses:
    NotFound:
      description: missing
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Problem'}
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        owner: {$ref: 'refs_main.yaml#/components/schemas/Owner'}
    Problem:
      type: object
      properties:
        detail: {type: string}
"""

REFS = feature_spec(
    "refs_main",
    HEAD_31
    + """\
paths:
  /things/{thingId}:
    $ref: 'common.yaml#/paths/~1things~1{thingId}'
  /owners:
    get:
      operationId: listOwners
      parameters:
        - $ref: 'common.yaml#/components/parameters/Limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Owner'}
        '404':
          $ref: 'common.yaml#/components/responses/NotFound'
components:
  schemas:
    Owner:
      type: object
      required: [name]
      properties:
        name: {type: string}
        things:
          type: array
          items: {$ref: 'common.yaml#/components/schemas/Thing'}
""",
    extra_files={"common.yaml": COMMON},
)


def test_file_refs_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, REFS)
    owner = fields(model(api, "Owner"))
    assert owner["things"].type == ListOf(Ref("Thing"))
    thing = fields(model(api, "Thing"))
    assert thing["owner"].type == Ref("Owner")  # the cycle closes on the same model
    assert thing["id"].type == Prim("str")
    get = op_by_id(api, "getThing")
    assert get.path == "/things/{thingId}"
    assert [(p.location, p.wire_name) for p in get.params] == [
        ("path", "thingId"),
        ("query", "limit"),
    ]
    assert get.successes[0].type == Ref("Thing")
    owners = op_by_id(api, "listOwners")
    assert params(owners)[("query", "limit")].type == Prim("int")
    assert [(e.status, e.type) for e in owners.errors] == [("404", Ref("Problem"))]


def test_file_refs_behaviour(package: Any) -> None:
    pkg = package(REFS)
    m = models_of(pkg)
    data = {"id": "t1", "owner": {"name": "o", "things": [{"id": "t2"}]}}
    got, req = call(pkg, lambda c: c.get_thing("t1", limit=5), Reply(200, data))
    assert str(req.url) == f"{BASE}/things/t1?limit=5"
    assert type(got) is m.Thing and type(got.owner) is m.Owner
    assert type(got.owner.things[0]) is m.Thing
    assert got.to_dict() == data

    got, req = call(pkg, lambda c: c.list_owners(limit=2), Reply(200, [{"name": "a"}]))
    assert query_pairs(req) == [("limit", "2")]
    assert [type(o) for o in got] == [m.Owner]
    errors = __import__(f"{pkg.__name__}.errors", fromlist=["x"])
    try:
        call(pkg, lambda c: c.list_owners(), Reply(404, {"detail": "no"}))
    except errors.NotFoundError as exc:
        assert type(exc.body) is m.Problem and exc.body.detail == "no"
    else:
        raise AssertionError("404 did not raise")


ANCHORS = feature_spec(
    "anchors",
    """\
openapi: 3.1.0
info: {title: Anchors, version: '1'}
paths:
  /tags:
    post:
      operationId: addTag
      requestBody:
        content:
          application/json:
            schema: {$ref: '#tag'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Other'}
components:
  schemas:
    Tag: {$anchor: tag, type: object, properties: {label: {type: string}}}
    Other:
      type: object
      properties:
        tag: {$ref: '#tag'}
        size: {$ref: '#size'}
        kind: {$ref: 'anchor_kinds.yaml#kind'}
      $defs:
        size: {$anchor: size, type: integer}
    One: {$anchor: twice, type: string}
    Two: {$anchor: twice, type: integer}
""",
    extra_files={"anchor_kinds.yaml": "Kind: {$dynamicAnchor: kind, type: string, enum: [a, b]}\n"},
)


# Two schemas declare `twice`: a ref to it is unresolvable (not registered: no package).
ANCHORS_TWICE = FeatureSpec(
    "anchors_twice",
    ANCHORS.text.replace("      $defs:", "        twice: {$ref: '#twice'}\n      $defs:"),
    ANCHORS.extra_files,
)


def test_anchor_refs_ir(tmp_path: Path) -> None:
    """A 3.1 `$ref` to a plain-name fragment names the schema whose `$anchor` (or
    `$dynamicAnchor`) it is, in its own document or another one; a name two schemas
    declare names neither (left untyped, with the unresolvable-ref error)."""
    spec = ANCHORS_TWICE.write_to(tmp_path / "anchors")
    loaded = load(spec)
    sink = Diagnostics(loaded.locate)
    api = build(loaded, sink, "anchors_client")
    other = fields(model(api, "Other"))
    assert other["tag"].type == Ref("Tag")
    assert other["size"].type == Ref("Size")
    assert other["kind"].type == Ref("Kind")
    assert op_by_id(api, "addTag").bodies[0].type == Ref("Tag")
    assert [(d.message, d.pointer) for d in sink.items if d.severity == "error"] == [
        ("unresolvable $ref '#twice'", "#/components/schemas/Other/properties/twice/$ref")
    ]


def test_anchor_refs_behaviour(package: Any) -> None:
    pkg = package(ANCHORS)
    m = models_of(pkg)
    reply = Reply(200, {"tag": {"label": "x"}, "size": 3, "kind": "b"})
    got, req = call(pkg, lambda c: c.add_tag(body=m.Tag(label="y")), reply)
    assert req.content == b'{"label":"y"}'
    assert type(got) is m.Other and type(got.tag) is m.Tag and got.size == 3
    assert got.kind == "b"


SCHEMA_IDS = feature_spec(
    "schema_ids",
    """\
openapi: 3.1.0
info: {title: Ids, version: '1'}
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        content:
          application/json:
            schema: {$ref: 'https://example.com/schemas/pet.json'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'https://example.com/schemas/pet.json#/properties/name'}
components:
  schemas:
    Pet:
      $id: 'https://example.com/schemas/pet.json'
      type: object
      required: [name]
      properties:
        name: {$ref: '#/components/schemas/Name'}
        owner: {$ref: 'urn:example:owner'}
    Owner: {$id: 'urn:example:owner', type: object, properties: {id: {type: integer}}}
    Name: {type: string, maxLength: 8}
""",
)


def test_a_ref_to_an_embedded_schemas_id_is_that_schema(package: Any) -> None:
    """JSON Schema 2020-12: a schema's `$id` names it; a `$ref` to that URI (and a
    pointer inside it) is that schema, never a document to fetch (nor refused)."""
    pkg = package(SCHEMA_IDS)
    m = models_of(pkg)
    got, req = call(
        pkg, lambda c: c.add_pet(body=m.Pet(name="Rex", owner=m.Owner(id=1))), Reply(200, "Rex")
    )
    assert (json.loads(req.content), got) == ({"name": "Rex", "owner": {"id": 1}}, "Rex")


REF_CHAIN = feature_spec(
    "ref_chain",
    HEAD_31
    + """\
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
  /pets2:
    get:
      operationId: listPetsAgain
      responses:
        '200':
          description: the same schema, reached through the first operation's
          content:
            application/json:
              schema: {$ref: '#/paths/~1pets/get/responses/200/content/application~1json/schema'}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
    Alias: {$ref: '#/components/schemas/Pet'}
""",
)


def test_a_ref_to_a_place_that_only_refers_on_is_what_that_refers_to(tmp_path: Path) -> None:
    """A `$ref` to an operation's schema that is itself a `$ref` to Pet is Pet, not a
    copy of Pet named after the operation; a named place on the way (a component
    that refers on) stays what it is, an alias."""
    api = build_ir(tmp_path, REF_CHAIN)
    assert op_by_id(api, "listPetsAgain").successes[0].type == Ref("Pet")
    assert [d.name for d in api.definitions] == ["Pet", "Alias"]


WHOLE_FILES = feature_spec(
    "whole_files",
    HEAD_31
    + """\
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: 'schemas/Pets.yaml'}}}}
        default: {description: error, content: {application/json: {schema: {$ref: 'schemas/Error.yaml'}}}}
""",
    extra_files={
        "schemas/Pets.yaml": "type: array\nitems: {$ref: 'pet.v2.yaml'}\n",
        "schemas/pet.v2.yaml": "type: object\nproperties: {name: {type: string}}\n",
        "schemas/Error.yaml": "type: object\nproperties: {message: {type: string}}\n",
    },
)


def test_a_schema_that_is_a_whole_file_is_named_after_the_file(tmp_path: Path) -> None:
    """`$ref: schemas/Pets.yaml` names its schema `Pets` (`pet.v2.yaml`: `Pet`), not
    `Model`, `Model2`..., which shifted whenever another file was referred to."""
    api = build_ir(tmp_path, WHOLE_FILES)
    assert [d.name for d in api.definitions] == ["Pets", "Error", "Pet"]
    assert op_by_id(api, "listPets").successes[0].type == Ref("Pets")


MAPPED_FILE = feature_spec(
    "mapped_file",
    HEAD_31
    + """\
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
components:
  schemas:
    Pet:
      type: object
      required: [kind]
      properties: {kind: {type: string}}
      discriminator:
        propertyName: kind
        mapping: {dog: 'dogs.yaml#/components/schemas/Dog'}
""",
    extra_files={
        "dogs.yaml": """\
            components:
              schemas:
                Dog:
                  allOf:
                    - $ref: 'mapped_file.yaml#/components/schemas/Pet'
                    - {type: object, properties: {bark: {type: integer}}}
            """
    },
)


def test_a_mapping_naming_a_schema_in_another_file_builds_and_decodes_it(
    tmp_path: Path, package: Any
) -> None:
    """`mapping: {dog: 'dogs.yaml#/...'}` and nothing else referring to dogs.yaml: the
    file is loaded and Dog built, a Pet tagged `dog` decodes to it. The file was never
    loaded (the mapping "named no schema"), and the Dog was a Pet."""
    api = build_ir(tmp_path, MAPPED_FILE)
    assert [d.name for d in api.definitions] == ["Pet", "Dog"]
    m = models_of(package(MAPPED_FILE))
    pet = m.Pet.from_dict({"kind": "dog", "bark": 2})
    assert type(pet) is m.Dog and pet.bark == 2
