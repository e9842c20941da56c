"""Swagger 2.0 -> OpenAPI 3.0, one 2.0 feature per test (the upgraded document and/or
the IR built from it)."""

from __future__ import annotations

from pathlib import Path

from oagen.ir import ListOf, LiteralOf, Model, Nullable, Prim, Ref

from .support import data, operations, upgraded, write

PETS = """\
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200': {description: ok, schema: {type: array, items: {$ref: '#/definitions/Pet'}}}
definitions:
  Pet: {type: object, properties: {name: {type: string}}}
"""


def test_host_base_path_and_schemes_make_the_servers(tmp_path: Path) -> None:
    text = "host: api.example.com\nbasePath: /v1/\nschemes: [https, http]\n" + PETS
    out = data(tmp_path, text)
    assert out["openapi"] == "3.0.0"
    assert out["servers"] == [
        {"url": "https://api.example.com/v1"},
        {"url": "http://api.example.com/v1"},
    ]
    assert "host" not in out and "schemes" not in out
    _, api, _ = upgraded(tmp_path, text)
    assert api.base_url == "https://api.example.com/v1"


def test_a_file_response_is_a_download_whatever_the_spec_produces(tmp_path: Path) -> None:
    """`type: file` under a global `produces: [application/json]`: the file comes in
    the operation's other types, else as `application/octet-stream`; read as bytes."""
    spec, api, _ = upgraded(
        tmp_path,
        """\
        produces: [application/json]
        paths:
          /download:
            get:
              operationId: download
              responses: {'200': {description: f, schema: {type: file}}}
          /pdf:
            get:
              operationId: pdf
              produces: [application/pdf, application/json]
              responses: {'200': {description: f, schema: {type: file}}}
        """,
    )
    paths = spec.root.data["paths"]
    assert list(paths["/download"]["get"]["responses"]["200"]["content"]) == [
        "application/octet-stream"
    ]
    assert list(paths["/pdf"]["get"]["responses"]["200"]["content"]) == ["application/pdf"]
    ops = operations(api)
    assert [(ops[n].successes[0].kind, ops[n].accept) for n in ("download", "pdf")] == [
        ("binary", ("application/octet-stream",)),
        ("binary", ("application/pdf",)),
    ]


def test_a_file_response_under_any_type_is_a_download(tmp_path: Path) -> None:
    """springfox writes `produces: ['*/*']` for every operation: a `type: file` response
    under it is bytes, never JSON or text (which would decode the octets as UTF-8)."""
    _, api, _ = upgraded(
        tmp_path,
        """\
        paths:
          /photo:
            get:
              operationId: photo
              produces: ['*/*']
              responses: {'200': {description: f, schema: {type: file}}}
        """,
    )
    response = operations(api)["photo"].successes[0]
    assert (response.media_type, response.kind, response.type) == ("*/*", "binary", Prim("binary"))


def test_form_data_arrays_keep_their_collection_format(tmp_path: Path) -> None:
    """2.0: a formData array is csv unless it says otherwise; only `multi` repeats
    the key. In an urlencoded body that is the field's `encoding`."""
    out = data(
        tmp_path,
        """\
        paths:
          /f:
            post:
              operationId: f
              consumes: [application/x-www-form-urlencoded]
              parameters:
                - {name: csv, in: formData, type: array, items: {type: string}}
                - {name: pipes, in: formData, type: array, items: {type: string}, collectionFormat: pipes}
                - {name: multi, in: formData, type: array, items: {type: string}, collectionFormat: multi}
                - {name: one, in: formData, type: string}
              responses: {'204': {description: ok}}
        """,
    )
    form = out["paths"]["/f"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert form["encoding"] == {
        "csv": {"style": "form", "explode": False},
        "pipes": {"style": "pipeDelimited"},
        "multi": {"explode": True},
    }


def test_x_discriminator_value_is_a_mapping_of_the_inherited_discriminator(
    tmp_path: Path,
) -> None:
    """Swagger codegen's 2.0 way to tag a subtype; the tag goes to the discriminator
    the subtype inherits, through another subtype too."""
    out = data(
        tmp_path,
        """\
        paths: {}
        definitions:
          Base:
            type: object
            discriminator: kind
            required: [kind]
            properties: {kind: {type: string}}
          Sub:
            x-discriminator-value: sub-obj
            allOf: [{$ref: '#/definitions/Base'}, {properties: {a: {type: string}}}]
          Daily:
            x-discriminator-value: daily
            allOf: [{$ref: '#/definitions/Sub'}, {properties: {b: {type: string}}}]
          Plain:
            allOf: [{$ref: '#/definitions/Base'}]
        """,
    )
    assert out["components"]["schemas"]["Base"]["discriminator"] == {
        "propertyName": "kind",
        "mapping": {
            "sub-obj": "#/components/schemas/Sub",
            "daily": "#/components/schemas/Daily",
            "Plain": "#/components/schemas/Plain",  # 2.0: else the definition's name
        },
    }


def test_a_shared_response_takes_the_produces_of_the_operation(tmp_path: Path) -> None:
    """2.0: an operation's `produces` overrides the spec's, for the responses it
    refers to as well (they were written once, under the spec's)."""
    spec, api, _ = upgraded(
        tmp_path,
        """\
        produces: [application/json]
        responses:
          Text: {description: t, schema: {type: string}}
        paths:
          /text:
            get:
              operationId: viaRef
              produces: [text/plain]
              responses: {'200': {$ref: '#/responses/Text'}}
          /json:
            get:
              operationId: jsonRef
              responses: {'200': {$ref: '#/responses/Text'}}
        """,
    )
    paths = spec.root.data["paths"]
    assert list(paths["/text"]["get"]["responses"]["200"]["content"]) == ["text/plain"]
    assert paths["/json"]["get"]["responses"]["200"] == {"$ref": "#/components/responses/Text"}
    ops = operations(api)
    assert (ops["viaRef"].accept, ops["jsonRef"].accept) == (
        ("text/plain",),
        ("application/json",),
    )


def test_without_host_the_base_path_is_the_server(tmp_path: Path) -> None:
    assert data(tmp_path, "basePath: /api\n" + PETS)["servers"] == [{"url": "/api"}]


def test_definitions_and_their_refs_move_to_components(tmp_path: Path) -> None:
    out = data(tmp_path, PETS)
    assert "definitions" not in out
    assert out["components"]["schemas"]["Pet"]["properties"]["name"] == {"type": "string"}
    schema = out["paths"]["/pets"]["get"]["responses"]["200"]["content"]["*/*"]["schema"]
    assert schema["items"] == {"$ref": "#/components/schemas/Pet"}


def test_consumes_and_produces_global_and_per_operation(tmp_path: Path) -> None:
    spec, _, diags = upgraded(
        tmp_path,
        """\
        consumes: [application/json, application/xml]
        produces: [application/json]
        paths:
          /a:
            post:
              operationId: a
              consumes: [text/plain]
              produces: [application/xml]
              parameters: [{in: body, name: b, schema: {type: string}}]
              responses: {'200': {description: ok, schema: {type: string}}}
            put:
              operationId: b
              parameters: [{in: body, name: b, required: true, schema: {type: string}}]
              responses: {'200': {description: ok, schema: {type: string}}}
        """,
    )
    # every media type of a body is kept: the XML one is sent as bytes, and said so
    assert [d.pointer for d in diags] == ["#/paths/~1a/put/parameters/0/content/application~1xml"]
    out = spec.root.data
    post, put = out["paths"]["/a"]["post"], out["paths"]["/a"]["put"]
    assert list(post["requestBody"]["content"]) == ["text/plain"]
    assert list(post["responses"]["200"]["content"]) == ["application/xml"]
    assert list(put["requestBody"]["content"]) == ["application/json", "application/xml"]
    assert put["requestBody"]["required"] is True
    assert list(put["responses"]["200"]["content"]) == ["application/json"]
    assert "consumes" not in out and "consumes" not in post


def test_body_parameter_becomes_the_request_body(tmp_path: Path) -> None:
    text = """\
paths:
  /pets/{id}:
    parameters: [{in: path, name: id, type: integer}]
    put:
      operationId: putPet
      parameters:
        - {in: body, name: pet, description: The pet, required: true, schema: {$ref: '#/definitions/Pet'}}
      responses: {'204': {description: done}}
definitions:
  Pet: {type: object, properties: {name: {type: string}}}
"""
    _, api, diags = upgraded(tmp_path, text)
    assert [d for d in diags if d.severity == "error"] == []
    op = operations(api)["putPet"]
    assert op.body is not None and op.body.type == Ref("Pet") and op.body.is_required
    assert op.body.media_type == "application/json"
    assert [p.wire_name for p in op.params] == ["id"]


def test_form_data_is_urlencoded_and_a_file_makes_it_multipart(tmp_path: Path) -> None:
    out = data(
        tmp_path,
        """\
        paths:
          /form:
            post:
              operationId: form
              parameters:
                - {in: formData, name: name, type: string, required: true, x-example: Rex}
                - {in: formData, name: tags, type: array, items: {type: string}}
              responses: {'204': {description: done}}
          /upload:
            post:
              operationId: upload
              parameters:
                - {in: formData, name: file, type: file}
                - {in: formData, name: note, type: string}
              responses: {'204': {description: done}}
        """,
    )
    form = out["paths"]["/form"]["post"]["requestBody"]
    schema = form["content"]["application/x-www-form-urlencoded"]["schema"]
    assert schema["required"] == ["name"] and form["required"] is True
    assert schema["properties"]["name"] == {"example": "Rex", "type": "string"}
    assert schema["properties"]["tags"] == {"type": "array", "items": {"type": "string"}}
    upload = out["paths"]["/upload"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert upload["schema"]["properties"]["file"] == {"type": "string", "format": "binary"}


def test_collection_formats_become_style_and_explode(tmp_path: Path) -> None:
    params = "\n".join(
        f"            - {{in: query, name: {f}, type: array, items: {{type: string}}"
        + (f", collectionFormat: {f}}}" if f != "none" else "}")
        for f in ("csv", "ssv", "tsv", "pipes", "multi", "none")
    )
    text = f"""\
paths:
  /a/{{ids}}:
    get:
      operationId: a
      parameters:
        - {{in: path, name: ids, type: array, items: {{type: integer}}}}
        - {{in: header, name: X-Tags, type: array, items: {{type: string}}}}
{params.replace("            -", "        -")}
      responses: {{'204': {{description: done}}}}
"""
    _, api, diags = upgraded(tmp_path, text)
    assert [d for d in diags if d.severity == "error"] == []
    styles = {p.wire_name: (p.style, p.explode) for p in operations(api)["a"].params}
    assert styles == {
        "ids": ("simple", False),
        "X-Tags": ("simple", False),
        "csv": ("form", False),
        "ssv": ("spaceDelimited", False),
        "tsv": ("tabDelimited", False),
        "pipes": ("pipeDelimited", False),
        "multi": ("form", True),
        "none": ("form", False),
    }
    assert operations(api)["a"].params[0].type == ListOf(Prim("int"))


def test_shared_parameters_and_responses_are_components(tmp_path: Path) -> None:
    out = data(
        tmp_path,
        """\
        paths:
          /a:
            post:
              operationId: a
              parameters: [{$ref: '#/parameters/limit'}, {$ref: '#/parameters/payload'}]
              responses: {'404': {$ref: '#/responses/NotFound'}, '200': {description: ok}}
        parameters:
          limit: {in: query, name: limit, type: integer, default: 10}
          payload: {in: body, name: payload, schema: {type: object}}
        responses:
          NotFound: {description: gone, schema: {$ref: '#/definitions/Error'}}
        definitions:
          Error: {type: object, properties: {message: {type: string}}}
        """,
    )
    op = out["paths"]["/a"]["post"]
    assert op["parameters"] == [{"$ref": "#/components/parameters/limit"}]
    assert op["requestBody"]["content"]["application/json"]["schema"] == {"type": "object"}
    assert op["responses"]["404"] == {"$ref": "#/components/responses/NotFound"}
    components = out["components"]
    assert components["parameters"] == {
        "limit": {"in": "query", "name": "limit", "schema": {"type": "integer", "default": 10}}
    }
    not_found = components["responses"]["NotFound"]["content"]["*/*"]["schema"]
    assert not_found == {"$ref": "#/components/schemas/Error"}


def test_refs_into_other_files_are_rewritten_and_those_files_upgraded(tmp_path: Path) -> None:
    write(
        tmp_path,
        """\
        definitions:
          Pet: {type: object, properties: {tag: {type: string, x-nullable: true}}}
        parameters:
          limit: {in: query, name: limit, type: integer}
        """,
        "common.yaml",
    )
    write(
        tmp_path, "type: object\nproperties: {kind: {type: string, x-nullable: true}}\n", "toy.yaml"
    )
    spec, api, diags = upgraded(
        tmp_path,
        """\
        paths:
          /pets:
            get:
              operationId: listPets
              parameters: [{$ref: 'common.yaml#/parameters/limit'}]
              responses:
                '200': {description: ok, schema: {$ref: 'common.yaml#/definitions/Pet'}}
                '201': {description: ok, schema: {$ref: 'toy.yaml'}}
        """,
    )
    assert [d for d in diags if d.severity == "error"] == []
    op = spec.root.data["paths"]["/pets"]["get"]
    assert op["parameters"] == [{"$ref": "common.yaml#/components/parameters/limit"}]
    common = spec.documents["common.yaml"].data
    assert common["components"]["schemas"]["Pet"]["properties"]["tag"]["nullable"] is True
    assert spec.documents["toy.yaml"].data["properties"]["kind"]["nullable"] is True
    assert "Pet" in {d.name for d in api.definitions}
    assert operations(api)["listPets"].params[0].type == Prim("int")


def test_what_another_file_holds_keeps_naming_that_files_definitions(tmp_path: Path) -> None:
    """A body parameter, a response and a path item in another 2.0 file are written
    into the operation that uses them: their own `#/definitions/...` refs name that
    file's, and the path item is upgraded as 2.0 (its body and arrays)."""
    (tmp_path / "shared").mkdir()
    write(
        tmp_path / "shared",
        """\
        parameters:
          ThingBody: {name: thing, in: body, required: true, schema: {$ref: '#/definitions/Thing'}}
        responses:
          NotFound: {description: missing, schema: {$ref: '#/definitions/Err'}}
        definitions:
          Thing: {type: object, properties: {id: {type: integer}}}
          Err: {type: object, properties: {message: {type: string}}}
        """,
        "common.yaml",
    )
    write(
        tmp_path,
        """\
        things:
          get:
            operationId: listThings
            parameters: [{name: tags, in: query, type: array, items: {type: string}}]
            responses: {'200': {description: ok, schema: {type: array, items: {type: string}}}}
          post:
            operationId: addThing
            parameters: [{$ref: 'shared/common.yaml#/parameters/ThingBody'}]
            responses: {'204': {description: none}}
        """,
        "paths.yaml",
    )
    _, api, diags = upgraded(
        tmp_path,
        """\
        host: x.io
        paths:
          /things: {$ref: 'paths.yaml#/things'}
          /things/{id}:
            put:
              operationId: makeThing
              produces: [application/json, application/xml]
              parameters:
                - {name: id, in: path, required: true, type: integer}
                - {$ref: 'shared/common.yaml#/parameters/ThingBody'}
              responses:
                '204': {description: done}
                '404': {$ref: 'shared/common.yaml#/responses/NotFound'}
        """,
    )
    assert [str(d) for d in diags if d.severity == "error"] == []
    ops = operations(api)
    for name in ("makeThing", "addThing"):
        body = ops[name].body
        assert body is not None and body.type == Ref("Thing"), name
    assert [e.type for e in ops["makeThing"].errors] == [Ref("Err")]
    listed = ops["listThings"]
    assert [(p.wire_name, p.type) for p in listed.params] == [("tags", ListOf(Prim("str")))]
    assert listed.successes[0].type == ListOf(Prim("str"))


def test_security_definitions_become_security_schemes(tmp_path: Path) -> None:
    out = data(
        tmp_path,
        """\
        securityDefinitions:
          basic: {type: basic}
          key: {type: apiKey, name: X-Key, in: header}
          implicit: {type: oauth2, flow: implicit, authorizationUrl: 'https://a/auth', scopes: {read: r}}
          password: {type: oauth2, flow: password, tokenUrl: 'https://a/token', scopes: {}}
          application: {type: oauth2, flow: application, tokenUrl: 'https://a/token', scopes: {}}
          accessCode: {type: oauth2, flow: accessCode, authorizationUrl: 'https://a/auth', tokenUrl: 'https://a/token', scopes: {}}
        security: [{key: []}]
        """.replace("\n        ", "\n").lstrip()
        + PETS,
    )
    schemes = out["components"]["securitySchemes"]
    assert schemes["basic"] == {"type": "http", "scheme": "basic"}
    assert schemes["key"] == {"type": "apiKey", "name": "X-Key", "in": "header"}
    assert schemes["implicit"]["flows"] == {
        "implicit": {"authorizationUrl": "https://a/auth", "scopes": {"read": "r"}}
    }
    assert list(schemes["password"]["flows"]) == ["password"]
    assert schemes["application"]["flows"] == {
        "clientCredentials": {"tokenUrl": "https://a/token", "scopes": {}}
    }
    assert list(schemes["accessCode"]["flows"]["authorizationCode"]) == [
        "authorizationUrl",
        "tokenUrl",
        "scopes",
    ]


def test_x_nullable_and_x_example(tmp_path: Path) -> None:
    spec, api, _ = upgraded(
        tmp_path,
        """\
        paths:
          /a:
            get:
              operationId: a
              parameters: [{in: query, name: q, type: string, x-example: hi, x-nullable: true}]
              responses: {'200': {description: ok, schema: {$ref: '#/definitions/Pet'}}}
        definitions:
          Pet: {type: object, properties: {tag: {type: string, x-nullable: true}}}
        """,
    )
    param = spec.root.data["paths"]["/a"]["get"]["parameters"][0]
    assert param["example"] == "hi" and param["schema"] == {"type": "string", "nullable": True}
    pet = next(d for d in api.definitions if d.name == "Pet")
    assert pet.fields[0].type == Nullable(Prim("str"))  # type: ignore[union-attr]


def test_discriminator_property_name(tmp_path: Path) -> None:
    text = """\
        paths: {}
        definitions:
          Pet: {type: object, discriminator: kind, required: [kind], properties: {kind: {type: string}}}
          Cat: {allOf: [{$ref: '#/definitions/Pet'}, {type: object, properties: {purrs: {type: boolean}}}]}
        """
    out = data(tmp_path, text)
    pet = out["components"]["schemas"]["Pet"]
    assert pet["discriminator"] == {
        "propertyName": "kind",
        "mapping": {"Cat": "#/components/schemas/Cat"},  # its name is its tag (2.0)
    }
    assert out["components"]["schemas"]["Cat"]["allOf"][0] == {"$ref": "#/components/schemas/Pet"}
    _, api, _ = upgraded(tmp_path, text)
    cat = next(d for d in api.definitions if d.name == "Cat")
    assert isinstance(cat, Model) and cat.base == "Pet"
    assert [(f.wire_name, f.type) for f in cat.fields if f.wire_name == "kind"] == [
        ("kind", LiteralOf(("Cat",)))  # made with its tag: Cat() sends kind "Cat"
    ]


def test_response_headers_and_file_responses(tmp_path: Path) -> None:
    spec, api, _ = upgraded(
        tmp_path,
        """\
        paths:
          /file:
            get:
              operationId: download
              produces: [application/pdf]
              responses:
                '200':
                  description: the file
                  schema: {type: file}
                  headers: {X-Rate: {type: integer, description: left}}
        """,
    )
    response = spec.root.data["paths"]["/file"]["get"]["responses"]["200"]
    assert response["headers"] == {"X-Rate": {"description": "left", "schema": {"type": "integer"}}}
    assert response["content"] == {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}}
    }
    (success,) = operations(api)["download"].successes
    assert success.kind == "binary"


def test_allow_empty_value_default_and_enum_on_parameters(tmp_path: Path) -> None:
    spec, api, _ = upgraded(
        tmp_path,
        """\
        paths:
          /a:
            get:
              operationId: a
              parameters:
                - {in: query, name: sort, type: string, enum: [asc, desc], default: asc, allowEmptyValue: true}
              responses: {'204': {description: done}}
        """,
    )
    param = spec.root.data["paths"]["/a"]["get"]["parameters"][0]
    assert param["allowEmptyValue"] is True
    assert param["schema"] == {"type": "string", "default": "asc", "enum": ["asc", "desc"]}
    (built,) = operations(api)["a"].params
    assert built.has_default and built.default == "asc"


def test_a_delimited_collection_format_outside_the_query_is_kept(tmp_path: Path) -> None:
    """2.0's `pipes`, `ssv` and `tsv` hold in path and header parameters as in the
    query (OpenAPI 3 has those styles for the query only): each is kept, and sent
    with its delimiter (it was written as csv)."""
    _, api, diags = upgraded(
        tmp_path,
        """\
        paths:
          /q/{ids}:
            get:
              operationId: q
              parameters:
                - {name: ids, in: path, required: true, type: array, items: {type: string}, collectionFormat: tsv}
                - {name: X-Pipes, in: header, type: array, items: {type: string}, collectionFormat: pipes}
                - {name: p, in: query, type: array, items: {type: string}, collectionFormat: ssv}
              responses: {'204': {description: ok}}
        """,
    )
    assert list(diags) == []
    styles = {p.wire_name: p.style for p in operations(api)["q"].params}
    assert styles == {"ids": "tabDelimited", "X-Pipes": "pipeDelimited", "p": "spaceDelimited"}


def test_an_authorization_header_parameter_is_kept_in_2_0(tmp_path: Path) -> None:
    """OpenAPI 3 ignores `Authorization`, `Accept` and `Content-Type` header
    parameters; 2.0 has no such rule, and springfox declares `Authorization` so: it
    is an argument, sent as given (`Accept` and `Content-Type` stay the client's)."""
    _, api, _ = upgraded(
        tmp_path,
        """\
        paths:
          /me:
            get:
              operationId: getMe
              parameters:
                - {name: Authorization, in: header, type: string, required: true}
                - {name: Accept, in: header, type: string}
              responses: {'200': {description: ok}}
        """,
    )
    params = operations(api)["getMe"].params
    assert [(p.wire_name, p.location, p.is_required) for p in params] == [
        ("Authorization", "header", True)
    ]


def test_an_operations_own_schemes_are_its_servers(tmp_path: Path) -> None:
    """swagger2openapi writes an operation's `schemes` as its own `servers` (the spec's
    `host` and `basePath`); the same schemes as the spec's add none."""
    spec, api, _ = upgraded(
        tmp_path,
        """\
        host: api.example.com
        basePath: /v1
        schemes: [https]
        paths:
          /legacy:
            get: {operationId: legacy, schemes: [http], responses: {'200': {description: ok}}}
          /same:
            get: {operationId: same, schemes: [https], responses: {'200': {description: ok}}}
        """,
    )
    paths = spec.root.data["paths"]
    assert paths["/legacy"]["get"]["servers"] == [{"url": "http://api.example.com/v1"}]
    assert "servers" not in paths["/same"]["get"]
    ops = operations(api)
    assert (ops["legacy"].server_url, ops["same"].server_url) == ("http://api.example.com/v1", None)


def test_a_host_without_schemes_is_named_where_base_url_is_documented(tmp_path: Path) -> None:
    """springfox writes no `schemes`: the server is `//host/basePath`, relative to
    where the spec is served; the client says so instead of naming no server."""
    from oagen.pipeline import generate_files

    spec = write(
        tmp_path,
        "swagger: '2.0'\ninfo: {title: T, version: '1'}\nhost: petstore.example.com\n"
        "basePath: /api\npaths: {}\n",
    )
    client = generate_files(spec).files["_client.py"]
    assert "`//petstore.example.com/api`, is relative to where the spec is" in client


def test_a_shared_parameter_naming_another_is_that_one(tmp_path: Path) -> None:
    _, api, diags = upgraded(
        tmp_path,
        """\
        paths:
          /a:
            get:
              operationId: a
              parameters: [{$ref: '#/parameters/Alias'}]
              responses: {'200': {description: ok}}
        parameters:
          Alias: {$ref: '#/parameters/Limit'}
          Limit: {name: limit, in: query, type: integer}
        """,
    )
    assert [d for d in diags if d.severity == "error"] == []
    (param,) = operations(api)["a"].params
    assert (param.wire_name, param.location) == ("limit", "query")
