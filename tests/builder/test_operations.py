"""builder, operations: tiny inline specs -> the expected operations, resources and diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest
from oagen.builder import default_package_name
from oagen.ir import (
    Body,
    ListOf,
    Prim,
    Ref,
    Response,
)

from tests.builder.support import HEAD_30, HEAD_31, _build, _errors, _fields, _model, _ok, _ops

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
        - {name: iterate, in: query, schema: {type: string}}
        - {name: aiterate, in: query, schema: {type: string}}
      responses: {'200': {description: ok}}
""",
    )
    # `iterate` and `aiterate`: the functions a paginated method calls
    assert [p.python_name for p in _ops(api)["get_a"].params] == [
        "body_",
        "timeout_",
        "user_id",
        "user_id_2",
        "iterate_",
        "aiterate_",
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


def test_default_package_name() -> None:
    assert default_package_name("specs/archal.yaml") == "archal_client"
    # the whole stem: versions of a spec, or openapi-python-client's
    # openapi_3.1_enums.yaml and openapi_3.1_dataclasses.yaml, do not share a package
    assert default_package_name("My-API.v2.json") == "my_api_v2_client"
    assert default_package_name("openapi_3.1_enums.yaml") == "openapi_3_1_enums_client"
    assert default_package_name("dir.v1/api.github.com.json") == "api_github_com_client"
    # a last part naming the kind of file is no part of the name
    assert default_package_name("petstore.openapi.yaml") == "petstore_client"
    assert default_package_name("3.1_specific.openapi.yaml") == "n_3_1_specific_client"
    assert default_package_name("billing.swagger.json") == "billing_client"
    assert default_package_name("openapi.yaml") == "openapi_client"
    assert default_package_name(".yaml") == "yaml_client"


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


def test_build_query_string_in_path_is_sent_as_its_query_parameters(tmp_path: Path) -> None:
    """medium.com's `/search/articles?query={query}` (a path key OpenAPI does not
    allow): the operation is `/search/articles` with its declared `query` parameter."""
    api, diags = _build(
        tmp_path,
        HEAD_31
        + """\
paths:
  /search/articles?query={query}:
    get:
      parameters:
        - {name: query, in: query, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
""",
    )
    assert _errors(diags) == []
    (warning,) = [d for d in diags if d.severity == "warning"]
    assert "the path holds a query string ('?query={query}')" in warning.message
    (op,) = _ops(api).values()
    assert op.path == "/search/articles"
    assert op.python_name == "get_search_articles"
    assert [(p.location, p.wire_name) for p in op.params] == [("query", "query")]


def test_build_query_string_in_path_keeps_fixed_pairs(tmp_path: Path) -> None:
    """OpenAI's `/responses?beta=true` beside `/responses`: the fixed pair stays in
    the operation's path (sent with every call), a declared parameter's pair goes."""
    api, diags = _build(
        tmp_path,
        HEAD_31
        + """\
paths:
  /items:
    get: {operationId: listItems, responses: {'200': {description: ok}}}
  /items?beta=true&limit={limit}:
    get:
      operationId: listBetaItems
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses: {'200': {description: ok}}
""",
    )
    assert _errors(diags) == []
    (warning,) = [d for d in diags if d.severity == "warning"]
    assert warning.message == (
        "the path holds a query string ('?beta=true&limit={limit}'): '?beta=true' is sent "
        "with every call; its variables are sent as the query parameters of the same names"
    )
    ops = _ops(api)
    assert (ops["list_items"].path, ops["list_beta_items"].path) == ("/items", "/items?beta=true")


def test_build_query_string_in_path_may_name_path_parameters(tmp_path: Path) -> None:
    """ClickSend's `/voice/history?date_from={date_from}` and learnifier.com's
    `/users/{userid}/pic?key={APIKEY}` declare those variables `in: path`: each is a
    query parameter, by the pair's name on the wire and its own in the signature."""
    api, diags = _build(
        tmp_path,
        HEAD_31
        + """\
paths:
  /users/{userid}/pic?key={APIKEY}&size=small:
    get:
      parameters:
        - {name: APIKEY, in: path, required: true, schema: {type: string}}
        - {name: userid, in: path, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
""",
    )
    assert _errors(diags) == []
    (warning,) = [d for d in diags if d.severity == "warning"]
    assert warning.message == (
        "the path holds a query string ('?key={APIKEY}&size=small'): '?size=small' is sent "
        "with every call; path parameter 'APIKEY' is sent as the query parameter 'key'"
    )
    (op,) = _ops(api).values()
    assert op.path == "/users/{userid}/pic?size=small"
    assert [(p.location, p.wire_name, p.python_name, p.is_required) for p in op.params] == [
        ("path", "userid", "userid", True),
        ("query", "key", "apikey", True),
    ]


@pytest.mark.parametrize(
    "key",
    [
        "/users/{id}?user={id}",  # the path uses it already
        "/users?a={id}&b={id}",  # sent under two names
        "/users?limit={id}",  # a query parameter of that name is declared too
    ],
)
def test_build_query_string_in_path_cannot_send_a_path_parameter_twice(
    tmp_path: Path, key: str
) -> None:
    _, diags = _build(
        tmp_path,
        HEAD_31
        + f"""\
paths:
  {key}:
    get:
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
        - {{name: limit, in: query, schema: {{type: integer}}}}
      responses: {{'200': {{description: ok}}}}
""",
    )
    assert any("the path holds a query string" in d.message for d in _errors(diags))


def test_build_query_string_in_path_with_an_undeclared_variable_is_an_error(
    tmp_path: Path,
) -> None:
    _, diags = _build(
        tmp_path,
        HEAD_31
        + """\
paths:
  /items?type={kind}:
    get:
      responses: {'200': {description: ok}}
""",
    )
    (err,) = _errors(diags)
    assert err.message.startswith("the path holds a query string ('?type={kind}') whose")
    assert err.pointer == "#/paths/~1items?type={kind}/get"


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


def test_an_unquoted_yaml_null_type_says_so(tmp_path: Path) -> None:
    """`type: [string, null]`: YAML reads the unquoted `null` as no value, not 'null'
    (datamodel-code-generator's unquoted_null.yaml); the error says how to write it."""
    _, diags = _build(
        tmp_path,
        HEAD_31 + "paths: {}\ncomponents:\n  schemas:\n    Box: {type: [string, null]}\n",
    )
    (err,) = _errors(diags)
    assert err.message == (
        "unknown schema type 'None' (`null` unquoted is YAML's no-value: the type is 'null')"
    )
    assert err.pointer == "#/components/schemas/Box/type"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "null",
            "unknown schema type 'None' (`null` unquoted is YAML's no-value: the type is 'null')",
        ),
        ("42", "unknown schema type '42'"),
        ("{oneOf: [string]}", """unknown schema type '{"oneOf": ["string"]}'"""),  # as JSON
    ],
)
def test_a_type_that_is_no_name_is_an_error(tmp_path: Path, written: str, message: str) -> None:
    """`type` neither a string nor a list (openapi-generator's issue_23102.yaml): an
    error at it, as for an unknown name, not a field typed `Any` in silence."""
    spec = f"paths: {{}}\ncomponents:\n  schemas:\n    Box:\n      properties:\n        x: {{type: {written}}}\n"
    _, diags = _build(tmp_path, HEAD_31 + spec)
    (err,) = _errors(diags)
    assert err.message == message
    assert err.pointer == "#/components/schemas/Box/properties/x/type"


def test_build_unknown_security_scheme_leaves_its_requirement_out(tmp_path: Path) -> None:
    """oas-examples' response-http-behavior.json names an undeclared `api_key`: the
    spec still generates, that alternative left out (nothing says what to send), the
    others kept."""
    api, diags = _build(
        tmp_path,
        HEAD_31
        + """\
paths:
  /a:
    get:
      operationId: getA
      security: [{nope: []}, {token: []}]
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
""",
    )
    assert _errors(diags) == []
    (warning,) = [d for d in diags if d.severity == "warning"]
    assert warning.message.startswith("unknown security scheme 'nope'")
    assert warning.pointer == "#/paths/~1a/get/security/0"
    assert _ops(api)["get_a"].security == (("token",),)


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


def test_build_response_key_that_is_no_status_is_left_out_with_a_warning(tmp_path: Path) -> None:
    """`"abcdef"` is neither a status code, a range nor `default`: never reinterpreted
    as a wildcard success."""
    api, diags = _build(
        tmp_path,
        HEAD_31
        + """\
paths:
  /a:
    get:
      operationId: getA
      responses:
        '204': {description: ok}
        abcdef:
          description: odd
          content: {application/json: {schema: {type: string}}}
        x-internal-note: {description: a specification extension, left out silently}
""",
    )
    op = _ops(api)["get_a"]
    assert [r.status for r in op.successes] == ["204"] and op.errors == ()
    (warning,) = [d for d in diags if "response key" in d.message]  # (none for x-...)
    assert warning.severity == "warning" and "'abcdef'" in warning.message
    assert warning.pointer == "#/paths/~1a/get/responses/abcdef"
    assert warning.location is not None and warning.location.line == 10


def test_build_server_url_with_an_undeclared_variable_warns(tmp_path: Path) -> None:
    api, diags = _build(
        tmp_path,
        HEAD_31
        + """\
servers:
  - url: 'https://{region}.example.com/{version}'
    variables: {version: {default: v1}}
paths: {}
""",
    )
    assert api.base_url is None
    (warning,) = [d for d in diags if "server URL" in d.message]
    assert "uses {region}" in warning.message and "uses {version}" not in warning.message
    assert warning.pointer == "#/servers/0/url"
    assert warning.location is not None and warning.location.line == 4


def test_build_header_or_cookie_name_that_is_no_http_token_warns(tmp_path: Path) -> None:
    _, diags = _build(
        tmp_path,
        HEAD_31
        + """\
paths:
  /a:
    get:
      parameters:
        - {name: header param, in: header, schema: {type: string}}
        - {name: 'cookie param', in: cookie, schema: {type: string}}
        - {name: X-Fine_Header.1, in: header, schema: {type: string}}
      responses: {'204': {description: ok}}
""",
    )
    warnings = [d for d in diags if "not a valid HTTP token" in d.message]
    assert [w.pointer for w in warnings] == [
        "#/paths/~1a/get/parameters/0/name",
        "#/paths/~1a/get/parameters/1/name",
    ]
    assert "header parameter name 'header param'" in warnings[0].message


def test_a_description_beside_a_ref_overrides_the_components(tmp_path: Path) -> None:
    """OpenAPI 3.1's Reference Object: its `description` overrides the target's."""
    spec = (
        HEAD_31
        + """\
paths:
  /things/{id}:
    put:
      operationId: putThing
      parameters: [{$ref: '#/components/parameters/Id', description: the thing's id}]
      requestBody: {$ref: '#/components/requestBodies/Thing', description: the new thing}
      responses:
        '201': {$ref: '#/components/responses/Thing', description: created}
        '200': {$ref: '#/components/responses/Thing'}
components:
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: string}, description: an id}
  requestBodies:
    Thing: {description: a thing, content: {application/json: {schema: {type: object}}}}
  responses:
    Thing: {description: a thing, content: {application/json: {schema: {type: object}}}}
"""
    )
    op = _ops(_ok(tmp_path, spec))["put_thing"]
    assert [p.description for p in op.params] == ["the thing's id"]
    assert op.body is not None and op.body.description == "the new thing"
    assert [(r.status, r.description) for r in op.successes] == [
        ("201", "created"),
        ("200", "a thing"),
    ]


def test_reserved_characters_are_kept_by_allow_reserved_and_its_extensions(
    tmp_path: Path,
) -> None:
    """`allowReserved` (query), oagen's `x-oagen-allow-reserved` and Azure's
    `x-ms-skip-url-encoding` (an ARM `{scope}` holds slashes) keep `/` and the other
    reserved characters as they are."""
    spec = (
        HEAD_31
        + """\
paths:
  /{scope}/things:
    get:
      operationId: listThings
      parameters:
        - {name: scope, in: path, required: true, schema: {type: string}, x-ms-skip-url-encoding: true}
        - {name: path, in: query, schema: {type: string}, allowReserved: true}
        - {name: other, in: query, schema: {type: string}, x-oagen-allow-reserved: true}
        - {name: plain, in: query, schema: {type: string}}
      responses: {'204': {description: ok}}
"""
    )
    params = _ops(_ok(tmp_path, spec))["list_things"].params
    assert [(p.wire_name, p.allow_reserved) for p in params] == [
        ("scope", True),
        ("path", True),
        ("other", True),
        ("plain", False),
    ]
