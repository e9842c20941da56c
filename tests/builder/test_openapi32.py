"""OpenAPI 3.2 input in the IR: the `query` method and `additionalOperations`,
`in: querystring` parameters, nested tags, oauth2 device flow and metadata URL,
deprecated schemes and named servers."""

from __future__ import annotations

from pathlib import Path

from oagen.diagnostics import Diagnostic
from oagen.ir import Param, Prim, Ref

from .support import _build, _ok, _ops

HEAD_32 = "openapi: 3.2.0\ninfo: {title: T, version: '1'}\n"

METHODS = (
    HEAD_32
    + """\
paths:
  /items:
    query:
      operationId: searchItems
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses: {"200": {description: ok}}
  /items/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    additionalOperations:
      LINK: {responses: {"204": {description: linked}}}
      COPY: {operationId: copyItem, responses: {"204": {description: copied}}}
      notify: {operationId: notifyItem, responses: {"204": {description: notified}}}
"""
)


def test_query_and_additional_operations_are_operations(tmp_path: Path) -> None:
    ops = _ops(_ok(tmp_path, METHODS))
    assert {name: (op.method, op.path) for name, op in ops.items()} == {
        "search_items": ("QUERY", "/items"),
        "link_items_id": ("LINK", "/items/{id}"),  # no operationId: method and path
        "copy_item": ("COPY", "/items/{id}"),
        "notify_item": ("NOTIFY", "/items/{id}"),  # as httpx sends it, with a warning
    }
    [warning] = _build(tmp_path, METHODS)[1]
    assert "method 'notify' is sent as 'NOTIFY'" in warning.message
    assert warning.pointer == "#/paths/~1items~1{id}/additionalOperations/notify"
    assert ops["search_items"].body is not None  # QUERY carries a request body
    assert ops["copy_item"].pointer == "#/paths/~1items~1{id}/additionalOperations/COPY"
    assert [p.python_name for p in ops["link_items_id"].params] == ["id"]


QUERYSTRING = (
    HEAD_32
    + """\
paths:
  /search:
    get:
      operationId: search
      parameters:
        - name: filter-set
          in: querystring
          content:
            application/x-www-form-urlencoded:
              schema:
                type: object
                properties: {q: {type: string}}
  /raw:
    get:
      operationId: raw
      parameters:
        - name: class
          in: querystring
          required: true
          content: {application/json: {schema: {type: array, items: {type: integer}}}}
"""
)


def _shown(tmp_path: Path, diagnostic: Diagnostic) -> str:
    return str(diagnostic).replace(f"{tmp_path}/", "")


def _param(tmp_path: Path, text: str, op: str) -> Param:
    (param,) = _ops(
        _ok(tmp_path, text.replace("get:", "get:\n      responses: {'204': {description: ok}}"))
    )[op].params
    return param


def test_querystring_parameter_is_typed_by_its_content(tmp_path: Path) -> None:
    form = _param(tmp_path, QUERYSTRING, "search")
    assert (form.wire_name, form.python_name, form.location) == (
        "filter-set",
        "filter_set",
        "querystring",
    )
    assert form.media_type == "application/x-www-form-urlencoded"
    assert form.type == Ref("SearchFilterSet") and not form.is_required
    raw = _param(tmp_path, QUERYSTRING, "raw")
    assert (raw.python_name, raw.media_type, raw.is_required) == (
        "class_",
        "application/json",
        True,
    )
    assert raw.type != Prim("str")


MIXED = (
    HEAD_32
    + """\
paths:
  /search:
    parameters:
      - {name: page, in: query, schema: {type: integer}}
    get:
      parameters:
        - name: all
          in: querystring
          content: {application/x-www-form-urlencoded: {schema: {type: object}}}
        - name: again
          in: querystring
          content: {text/plain: {schema: {type: string}}}
      responses: {"204": {description: ok}}
"""
)


def test_querystring_with_query_parameters_is_a_located_error(tmp_path: Path) -> None:
    _, diags = _build(tmp_path, MIXED)
    errors = sorted(_shown(tmp_path, d) for d in diags if d.severity == "error")
    assert errors == [
        "spec.yaml:10:15: error: an `in: querystring` parameter (the whole query string)"
        " cannot be combined with `in: query` parameters"
        " (#/paths/~1search/get/parameters/0/in)",
        "spec.yaml:13:15: error: an operation has at most one `in: querystring` parameter"
        " (#/paths/~1search/get/parameters/1/in)",
    ]


TAGS = (
    HEAD_32
    + """\
tags:
  - {name: pets, summary: Pets, description: All about pets.}
  - {name: toys, parent: pets, summary: Toys of pets}
  - {name: balls, parent: toys}
  - {name: food, parent: pets}
paths:
  /balls:
    get: {operationId: listBalls, tags: [balls], responses: {"204": {description: ok}}}
  /pets:
    get: {operationId: listPets, tags: [pets], responses: {"204": {description: ok}}}
"""
)


def test_nested_tags_are_nested_resources(tmp_path: Path) -> None:
    api = _ok(tmp_path, TAGS)
    got = {r.tag: (r.attribute_path, r.children, r.summary) for r in api.resources}
    # `food` has no operation and no descendant with one: no resource
    assert got == {
        "pets": (("pets",), ("toys",), "Pets"),
        "toys": (("pets", "toys"), ("balls",), "Toys of pets"),
        "balls": (("pets", "toys", "balls"), (), None),
    }
    assert [op.python_name for op in api.resources[2].operations] == ["list_balls"]


def test_a_child_resource_keeps_its_parents_method_names_free(tmp_path: Path) -> None:
    text = TAGS.replace("operationId: listPets", "operationId: toys")
    (pets,) = [r for r in _ok(tmp_path, text).resources if r.tag == "pets"]
    assert [op.python_name for op in pets.operations] == ["toys_"]


def test_a_cycle_of_parents_is_a_located_error(tmp_path: Path) -> None:
    text = TAGS.replace("{name: pets, summary", "{name: pets, parent: balls, summary")
    text = text.replace("{name: food, parent: pets}", "{name: food, parent: nowhere}")
    _, diags = _build(tmp_path, text)
    errors = [_shown(tmp_path, d) for d in diags if d.severity == "error"]
    assert errors == [
        "spec.yaml:4:26: error: tag 'pets' is nested in itself: its `parent` chain is a"
        " cycle ('pets' -> 'balls' -> 'toys' -> 'pets') (#/tags/0/parent)",
        "spec.yaml:5:26: error: tag 'toys' is nested in itself: its `parent` chain is a"
        " cycle ('toys' -> 'pets' -> 'balls' -> 'toys') (#/tags/1/parent)",
        "spec.yaml:6:27: error: tag 'balls' is nested in itself: its `parent` chain is a"
        " cycle ('balls' -> 'toys' -> 'pets' -> 'balls') (#/tags/2/parent)",
        "spec.yaml:7:26: error: tag 'food': its `parent` 'nowhere' is not a tag of the"
        " top-level `tags` (#/tags/3/parent)",
    ]


SECURITY = (
    HEAD_32
    + """\
servers:
  - {url: "https://eu.example.com", name: europe, description: EU}
  - {url: "https://us.example.com"}
paths: {}
components:
  securitySchemes:
    device:
      type: oauth2
      deprecated: true
      oauth2MetadataUrl: https://auth.example.com/.well-known/oauth-authorization-server
      flows:
        deviceAuthorization:
          deviceAuthorizationUrl: https://auth.example.com/device
          tokenUrl: https://auth.example.com/token
          scopes: {}
"""
)


def test_device_flow_metadata_deprecation_and_server_names(tmp_path: Path) -> None:
    api = _ok(tmp_path, SECURITY)
    (scheme,) = api.security_schemes
    assert scheme.token_url == "https://auth.example.com/token"
    assert scheme.device_authorization_url == "https://auth.example.com/device"
    assert scheme.metadata_url == (
        "https://auth.example.com/.well-known/oauth-authorization-server"
    )
    assert scheme.is_deprecated
    assert [(s.url, s.name, s.description) for s in api.servers] == [
        ("https://eu.example.com", "europe", "EU"),
        ("https://us.example.com", None, None),
    ]


MEDIA_TYPE_REFS = (
    HEAD_32
    + """\
paths:
  /pets:
    post:
      operationId: createPet
      parameters:
        - {name: filter, in: query, content: {application/json: {$ref: '#/components/mediaTypes/PetJson'}}}
      requestBody:
        content: {application/json: {$ref: '#/components/mediaTypes/PetJson'}}
      responses:
        '200': {description: ok, content: {application/json: {$ref: '#/components/mediaTypes/PetJson'}}}
  /events:
    get:
      operationId: events
      responses:
        '200': {description: ok, content: {text/event-stream: {$ref: '#/components/mediaTypes/Events'}}}
components:
  mediaTypes:
    PetJson: {schema: {$ref: '#/components/schemas/Pet'}}
    Events: {itemSchema: {type: object, properties: {data: {type: string}}}}
  schemas:
    Pet: {type: object, required: [name], properties: {name: {type: string}}}
"""
)


def test_a_media_type_object_may_be_a_reference(tmp_path: Path) -> None:
    """3.2's `components.mediaTypes`: a body, a response, a parameter's content and a
    stream declared by reference are typed as if written in place."""
    ops = _ops(_ok(tmp_path, MEDIA_TYPE_REFS))
    create = ops["create_pet"]
    assert create.body is not None and create.body.type == Ref("Pet")
    assert create.successes[0].type == Ref("Pet")
    assert [(p.wire_name, p.type, p.style) for p in create.params] == [
        ("filter", Ref("Pet"), "json")
    ]
    assert ops["events"].stream is not None and ops["events"].stream.is_event
    assert ops["events"].stream is not None and ops["events"].stream.framing == "sse"
