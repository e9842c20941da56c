"""Request checks found missing on other projects' specs (issue 12 items 5-8 and 17):
constraints inside anyOf/oneOf branches and on array items, `required` from an allOf
part, required writeOnly properties, and branches that only require properties.
Requests breaking them raise a `ValueError` before anything is sent; responses stay
leniently decoded."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from oagen.ir import NO_CONSTRAINTS, Alias, Branch, Constraints, RequiredSets
from oagen.pipeline import check_spec

from .conftest import HEAD_31 as HEAD
from .conftest import (
    Reply,
    build_ir,
    call,
    defs,
    feature_spec,
    fields,
    json_body,
    model,
    models_of,
    op_by_id,
    params,
    query_pairs,
)

# --------------------------------------------------------------------------- anyOf/oneOf branches and array items

# The shapes pydantic/Litestar (`anyOf: [X, null]`) and drf-spectacular (`oneOf: [Enum,
# BlankEnum, NullEnum]`) give every optional field, and constrained array items.
BRANCHES = feature_spec(
    "branch_checks",
    HEAD
    + """\
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - name: page_size
          in: query
          schema:
            anyOf: [{type: integer, minimum: 1}, {type: 'null'}]
        - {name: langs, in: query, schema: {type: array, items: {$ref: '#/components/schemas/LangEnum'}}}
        - {name: codes, in: query, schema: {type: array, items: {type: string, minLength: 2}}}
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
components:
  schemas:
    LangEnum: {type: string, enum: [en, de]}
    LevelEnum: {type: string, enum: [low, high]}
    BlankEnum: {enum: ['']}
    NullEnum: {enum: [null]}
    Thing:
      type: object
      properties:
        title:
          anyOf: [{type: string, minLength: 3}, {type: 'null'}]
        level:
          oneOf:
            - $ref: '#/components/schemas/LevelEnum'
            - $ref: '#/components/schemas/BlankEnum'
            - $ref: '#/components/schemas/NullEnum'
        size:
          anyOf: [{type: string, minLength: 3}, {type: integer, minimum: 1}]
        langs: {type: array, items: {$ref: '#/components/schemas/LangEnum'}}
        codes: {type: array, items: {type: string, minLength: 2}}
""",
)


def test_branch_and_item_constraints_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, BRANCHES)
    thing = fields(model(api, "Thing"))
    assert thing["title"].constraints == Constraints(min_length=3)
    assert thing["level"].constraints == Constraints(choices=("low", "high", ""))
    assert thing["size"].constraints == Constraints(
        branches=(
            Branch(("string",), Constraints(min_length=3)),
            Branch(("integer",), Constraints(minimum=1)),
        )
    )
    assert thing["langs"].constraints == Constraints(items=Constraints(choices=("en", "de")))
    assert thing["codes"].constraints == Constraints(items=Constraints(min_length=2))
    query = params(op_by_id(api, "listThings"))
    assert query[("query", "page_size")].constraints == Constraints(minimum=1)
    assert query[("query", "langs")].constraints.items == Constraints(choices=("en", "de"))
    assert query[("query", "codes")].constraints.items == Constraints(min_length=2)


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"title": "no"}, "title"),
        ({"level": "fr"}, "level"),
        ({"size": "ab"}, "size"),
        ({"size": 0}, "size"),
        ({"langs": ["en", "fr"]}, "langs[1]"),
        ({"codes": ["x"]}, "codes[0]"),
    ],
)
def test_branch_and_item_constraints_reject_bodies_before_sending(
    package: Any, bad: dict[str, Any], field: str
) -> None:
    pkg = package(BRANCHES)
    m = models_of(pkg)
    with pytest.raises(ValueError, match=re.escape(f"Thing.{field}: ")):
        m.Thing(**bad)
    with pytest.raises(ValueError, match=re.escape(f"body.{field}: ")):
        call(pkg, lambda c: c.create_thing(body=bad), Reply(204))


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"page_size": 0}, "page_size"),
        ({"langs": ["fr"]}, "langs[0]"),
        ({"codes": ["x"]}, "codes[0]"),
    ],
)
def test_branch_and_item_constraints_reject_query_parameters_before_sending(
    package: Any, bad: dict[str, Any], field: str
) -> None:
    pkg = package(BRANCHES)
    with pytest.raises(ValueError, match="^" + re.escape(f"{field}: ")):
        call(pkg, lambda c: c.list_things(**bad), Reply(200, {}))


def test_values_meeting_a_branch_are_sent_and_responses_stay_lenient(package: Any) -> None:
    pkg = package(BRANCHES)
    m = models_of(pkg)
    good = {"title": None, "level": "", "size": 3, "langs": ["de"], "codes": ["ab"]}
    _, req = call(pkg, lambda c: c.create_thing(body=m.Thing(**good)), Reply(204))
    assert json_body(req) == good
    _, req = call(pkg, lambda c: c.create_thing(body=m.Thing(size="abc")), Reply(204))
    assert json_body(req) == {"size": "abc"}
    got, req = call(
        pkg,
        lambda c: c.list_things(page_size=None, langs=["en"], codes=["ab", "cd"]),
        Reply(200, {"title": "x", "level": "fr", "size": 0, "langs": ["fr"], "codes": ["x"]}),
    )
    assert query_pairs(req) == [  # page_size None: undefined, left out (RFC 6570)
        ("langs", "en"),
        ("codes", "ab"),
        ("codes", "cd"),
    ]
    assert (got.title, got.level, got.size, got.langs, got.codes) == ("x", "fr", 0, ["fr"], ["x"])


# --------------------------------------------------------------------------- required from another allOf part

ALLOF_REQUIRED = feature_spec(
    "allof_required",
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
            schema: {$ref: '#/components/schemas/Cat'}
      responses:
        '204': {description: created}
  /owners:
    post:
      operationId: createOwner
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Owner'}
      responses:
        '204': {description: created}
components:
  schemas:
    Owner:  # a body that may be null
      type: [object, 'null']
      required: [name]
      properties:
        name: {type: string, maxLength: 3}
    Pet:
      type: object
      properties:
        pet_type: {type: string}
        name: {type: string}
    Cat:
      allOf:
        - $ref: '#/components/schemas/Pet'
      required: [pet_type]
    Dog:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - required: [pet_type]
    Same:
      allOf:
        - $ref: '#/components/schemas/Pet'
""",
)


def test_required_beside_a_single_allof_part_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, ALLOF_REQUIRED)
    for name in ("Cat", "Dog"):
        got = fields(model(api, name))
        assert got["pet_type"].is_required and not got["name"].is_required, name
    assert defs(api)["Same"] == Alias(
        defs(api)["Same"].name, defs(api)["Same"].target, None, "#/components/schemas/Same"
    )


def test_required_from_an_allof_part_without_properties_is_enforced(package: Any) -> None:
    pkg = package(ALLOF_REQUIRED)
    m = models_of(pkg)
    with pytest.raises(TypeError):
        m.Cat(name="Tom")  # pet_type is a required argument now
    with pytest.raises(ValueError, match=r"body\.pet_type: missing"):
        call(pkg, lambda c: c.create_pet(body={"name": "Tom"}), Reply(204))
    _, req = call(pkg, lambda c: c.create_pet(body=m.Cat(pet_type="cat")), Reply(204))
    assert json_body(req) == {"pet_type": "cat"}


def test_a_body_that_may_be_null_is_checked_when_it_is_not(package: Any) -> None:
    """A dict given for a nullable model is decoded into it (checked) as for any
    model; null is sent as `null`."""
    pkg = package(ALLOF_REQUIRED)
    with pytest.raises(ValueError, match=r"body\.name: missing"):
        call(pkg, lambda c: c.create_owner(body={}), Reply(204))
    with pytest.raises(ValueError, match=r"body\.name"):
        call(pkg, lambda c: c.create_owner(body={"name": "toolong"}), Reply(204))
    _, req = call(pkg, lambda c: c.create_owner(body={"name": "Ann"}), Reply(204))
    assert json_body(req) == {"name": "Ann"}
    _, req = call(pkg, lambda c: c.create_owner(body=None), Reply(204))
    assert req.content == b"null"


# --------------------------------------------------------------------------- readOnly / writeOnly when sending

WRITE_ONLY = feature_spec(
    "write_only_required",
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
        password: {type: string, writeOnly: true, minLength: 4}
""",
    typecheck="""\
        from feat_write_only_required_client.models import User

        user = User(name="n", password="secret")
    """,
)


def test_required_write_only_ir(tmp_path: Path) -> None:
    user = fields(model(build_ir(tmp_path, WRITE_ONLY), "User"))
    assert user["password"].is_required and user["password"].is_write_only
    assert not user["id"].is_required and user["id"].is_read_only


def test_required_write_only_property_is_required_when_sending(package: Any) -> None:
    pkg = package(WRITE_ONLY)
    m = models_of(pkg)
    with pytest.raises(TypeError):
        m.User(name="n")  # a required argument
    with pytest.raises(ValueError, match=r"User\.password: is required"):
        m.User(name="n", password=pkg.UNSET)
    with pytest.raises(ValueError, match=r"body\.password: is required"):
        call(pkg, lambda c: c.create_user(body={"name": "n"}), Reply(201, {"id": 1, "name": "n"}))
    # readOnly `id` is not sent; the response has no writeOnly `password`: still decoded
    got, req = call(
        pkg,
        lambda c: c.create_user(body=m.User(name="n", password="secret")),
        Reply(201, {"id": 7, "name": "n"}),
    )
    assert json_body(req) == {"name": "n", "password": "secret"}
    assert (got.id, got.name, got.password) == (7, "n", pkg.UNSET)


# --------------------------------------------------------------------------- branches that only require properties

REQUIRED_SETS = feature_spec(
    "required_sets",
    HEAD
    + """\
paths:
  /items:
    post:
      operationId: addItem
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              properties:
                type: {type: string, enum: [Issue, PullRequest]}
                id: {type: integer}
                owner: {type: string}
                repo: {type: string}
                number: {type: integer}
              required: [type]
              oneOf:
                - required: [id]
                - required: [owner, repo, number]
      responses:
        '204': {description: added}
  /alerts:
    patch:
      operationId: updateAlert
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                state: {type: string}
                assignees: {type: array, items: {type: string}}
              anyOf:
                - required: [state]
                - required: [assignees]
                - required: [public]  # not declared (GitHub's pages update): an extra property
      responses:
        '204': {description: updated}
""",
)


def test_required_only_branches_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, REQUIRED_SETS)
    add = model(api, "AddItemBody")
    assert add.required_sets == RequiredSets((("id",), ("owner", "repo", "number")), True)
    assert [f.wire_name for f in add.fields if f.is_required] == ["type"]
    update = model(api, "UpdateAlertBody")
    assert update.required_sets == RequiredSets((("state",), ("assignees",), ("public",)), False)
    assert all(f.constraints is NO_CONSTRAINTS for f in update.fields)


def test_required_only_branches_are_one_model_checked_before_sending(package: Any) -> None:
    pkg = package(REQUIRED_SETS)
    m = models_of(pkg)
    _, req = call(pkg, lambda c: c.add_item(body=m.AddItemBody(type="Issue", id=3)), Reply(204))
    assert json_body(req) == {"type": "Issue", "id": 3}
    body = {"type": "Issue", "owner": "o", "repo": "r", "number": 4}
    _, req = call(pkg, lambda c: c.add_item(body=body), Reply(204))
    assert json_body(req) == body
    for bad in ({"type": "Issue"}, {"type": "Issue", "owner": "o"}, {**body, "id": 3}):
        with pytest.raises(ValueError, match="must set exactly one of: id; or owner, repo, number"):
            call(pkg, lambda c, bad=bad: c.add_item(body=bad), Reply(204))
    _, req = call(
        pkg, lambda c: c.update_alert(body={"state": "open", "assignees": []}), Reply(204)
    )
    assert json_body(req) == {"state": "open", "assignees": []}
    with pytest.raises(
        ValueError, match="must set at least one of: state; or assignees; or public"
    ):
        m.UpdateAlertBody()
    m.UpdateAlertBody(additional_properties={"public": True})


# --------------------------------------------------------------------------- constraints nothing can be checked against

# Amadeus's hotel booking names: ECMA-262 Unicode property escapes, which `re` refuses
# (`bad escape \p`); before, building the model raised `re.error` from its checks. And
# numbers no check can use (`multipleOf: 0`, YAML's `.nan`, `.inf`): ZeroDivisionError
# and ValueError, before.
PATTERNS = feature_spec(
    "pattern_checks",
    HEAD
    + """\
paths:
  /bookings:
    post:
      operationId: book
      parameters:
        - {name: code, in: query, schema: {type: string, pattern: '^(?<code>[A-Z]{3})$'}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Name'}
      responses:
        '204': {description: booked}
components:
  schemas:
    Name:
      type: object
      required: [first]
      properties:
        first: {type: string, pattern: '^[A-Za-z \\p{Han}-]*$', maxLength: 5}
        last: {type: string, pattern: '^[A-Z]'}
        nights: {type: integer, multipleOf: 0, maximum: .inf, minimum: 1}
        rate: {type: number, multipleOf: .nan, exclusiveMaximum: .nan, exclusiveMinimum: 0}
""",
)


def test_unreadable_patterns_and_unusable_numbers_are_left_unchecked(tmp_path: Path) -> None:
    api = build_ir(tmp_path, PATTERNS)
    name = fields(model(api, "Name"))
    assert name["first"].constraints == Constraints(max_length=5)
    assert name["last"].constraints == Constraints(pattern="^[A-Z]")
    assert name["nights"].constraints == Constraints(minimum=1)
    assert name["rate"].constraints == Constraints(exclusive_minimum=0)
    assert params(op_by_id(api, "book"))[("query", "code")].constraints == NO_CONSTRAINTS
    path = PATTERNS.write_to(tmp_path / "spec")
    _, found = check_spec(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    at = {
        word: next(i for i, line in enumerate(lines, 1) if word in line) for word in ("?<", "Han")
    }
    assert [(d.pointer, d.location and d.location.line) for d in found if "`re`" in d.message] == [
        ("#/paths/~1bookings/post/parameters/0/schema/pattern", at["?<"]),
        ("#/components/schemas/Name/properties/first/pattern", at["Han"]),
    ]


def test_unreadable_patterns_and_unusable_numbers_do_not_stop_a_request(package: Any) -> None:
    pkg = package(PATTERNS)
    m = models_of(pkg)
    body = m.Name(first="李 Li", nights=3, rate=0.5)
    _, req = call(pkg, lambda c: c.book(body=body, code="x"), Reply(204))
    assert json_body(req) == {"first": "李 Li", "nights": 3, "rate": 0.5}
    with pytest.raises(ValueError, match=re.escape("Name.nights: ")):
        m.Name(first="a", nights=0)
    with pytest.raises(ValueError, match=re.escape("Name.rate: ")):
        m.Name(first="a", rate=0)
    with pytest.raises(ValueError, match=re.escape("Name.first: ")):
        m.Name(first="toolong")
    with pytest.raises(ValueError, match=re.escape("Name.last: ")):
        m.Name(first="a", last="lower")


# ---------------------------------------------------------------- bodies that are no model

SCALAR_BODIES = feature_spec(
    "scalar_bodies",
    HEAD
    + """\
paths:
  /a:
    post:
      operationId: sendEnum
      requestBody: {content: {application/json: {schema: {type: string, enum: [A, B]}}}}
      responses: {'204': {description: ok}}
  /b:
    post:
      operationId: sendText
      requestBody: {content: {text/plain: {schema: {type: string, maxLength: 2}}}}
      responses: {'204': {description: ok}}
  /c:
    post:
      operationId: sendArray
      requestBody:
        content:
          application/json:
            schema: {type: array, maxItems: 2, items: {type: integer, minimum: 0}}
      responses: {'204': {description: ok}}
  /d:
    post:
      operationId: sendLetter
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Letter'}}}}
      responses: {'204': {description: ok}}
components:
  schemas:
    Letter: {type: string, enum: [A]}
""",
)


@pytest.mark.parametrize(
    ("method", "bad", "field", "good"),
    [
        ("send_enum", "Z", "body", "A"),
        ("send_text", "long", "body", "ok"),
        ("send_array", [-1, 2], "body[0]", [0, 2]),
        ("send_array", [1, 2, 3], "body", [1]),
        ("send_letter", "Q", "body", "A"),
    ],
)
def test_a_body_that_is_no_model_is_checked_before_sending(
    package: Any, method: str, bad: Any, field: str, good: Any
) -> None:
    """DESIGN 5: request bodies are checked against their constraints; a string, an
    enum or an array body has no model to check it."""
    pkg = package(SCALAR_BODIES)
    with pytest.raises(pkg.errors.RequestValidationError) as info:
        call(pkg, lambda c: getattr(c, method)(body=bad), Reply(204))
    assert info.value.field == field
    _, req = call(pkg, lambda c: getattr(c, method)(body=good), Reply(204))
    assert (req.content.decode() if method == "send_text" else json_body(req)) == good


# ------------------------------------------------------------------ values of a map

MAP_VALUES = feature_spec(
    "map_values",
    HEAD
    + """\
paths:
  /m:
    post:
      operationId: sendHolder
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Holder'}}}}
      responses: {'204': {description: ok}}
  /raw:
    post:
      operationId: sendCounts
      requestBody:
        content:
          application/json:
            schema: {type: object, additionalProperties: {type: integer, maximum: 10}}
      responses: {'204': {description: ok}}
components:
  schemas:
    Word: {type: string, enum: [one, two]}
    Holder:
      type: object
      properties:
        words: {type: object, additionalProperties: {$ref: '#/components/schemas/Word'}}
        short: {type: object, additionalProperties: {type: string, maxLength: 2}}
""",
)


@pytest.mark.parametrize(
    ("method", "bad", "field"),
    [
        ("send_holder", {"words": {"a": "four"}}, "body.words['a']"),
        ("send_holder", {"short": {"k": "long"}}, "body.short['k']"),
        ("send_counts", {"x": 99}, "body['x']"),
    ],
)
def test_the_values_of_a_map_are_checked_before_sending(
    package: Any, method: str, bad: Any, field: str
) -> None:
    """`additionalProperties: {constraints}`: each value, as an array's items are."""
    pkg = package(MAP_VALUES)
    with pytest.raises(pkg.errors.RequestValidationError) as info:
        call(pkg, lambda c: getattr(c, method)(body=bad), Reply(204))
    assert info.value.field == field
    with pytest.raises(pkg.errors.RequestValidationError):
        models_of(pkg).Holder(words={"a": "four"})
    _, req = call(pkg, lambda c: c.send_holder(body={"words": {"a": "one"}}), Reply(204))
    assert json_body(req) == {"words": {"a": "one"}}
