"""The corpus's naming check (naming.py) accepts the names DESIGN §4 promises and
reports any other."""

from __future__ import annotations

from pathlib import Path

import yaml
from oagen.pipeline import generate_files
from oagen.write import write

from tests.corpus import corpus, naming

SPEC = """
openapi: 3.1.0
info: {title: Names, version: '1'}
paths:
  /repos/{id}:
    get:
      operationId: repos/get
      tags: [repos]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/full-repository'}}}}}
  /repos:
    post:
      tags: [repos]
      responses: {'204': {description: done}}
  /ping:
    get:
      operationId: PingServer
      responses: {'204': {description: done}}
  /close:
    post:
      operationId: close
      responses: {'204': {description: done}}
  /addons/sso:
    get:
      tags: [all]
      responses: {'204': {description: done}}
  /providers/sso:
    get:
      operationId: getAddonsSso
      tags: [all]
      responses: {'204': {description: done}}
components:
  schemas:
    full-repository:
      type: object
      properties: {id: {type: string}}
    Body:
      type: object
      properties: {text: {type: string}}
"""


def _generate(tmp_path: Path) -> tuple[dict[str, object], Path]:
    spec = tmp_path / "names.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    package = tmp_path / "names_client"
    write(package, generate_files(spec, package_name="names_client").files)
    return yaml.safe_load(SPEC), package


def test_naming_accepts_operation_ids_short_forms_and_schema_names(tmp_path: Path) -> None:
    data, package = _generate(tmp_path)
    methods = {(cls, name) for cls, name, _ in naming._generated_methods(package)}
    assert methods == {
        ("ReposResource", "get"),  # `repos/get` under `repos`
        ("ReposResource", "post_repos"),  # no operationId: method and path
        ("RootResource", "ping_server"),
        # the sanitizer's adjustments: a client attribute, a collision (the operationId
        # keeps its name)
        ("RootResource", "close_"),
        ("AllResource", "get_addons_sso_2"),
        ("AllResource", "get_addons_sso"),
    }
    assert "BodyModel" in naming._exported_models(package)  # `Body` is a runtime name
    assert naming.findings(data, package, corpus._local_ref) == []


def test_naming_reports_other_method_and_model_names(tmp_path: Path) -> None:
    data, package = _generate(tmp_path)
    data["paths"]["/ping"]["get"]["operationId"] = "pingServer2"  # type: ignore[index]
    data["components"]["schemas"]["Other"] = {"type": "object"}  # type: ignore[index]
    del data["components"]["schemas"]["Body"]  # type: ignore[attr-defined]
    assert naming.findings(data, package, corpus._local_ref) == [
        "method RootResource.ping_server for GET /ping ('pingServer2'): expected ping_server2",
        "schema 'Other': no model Other (expected the schema's sanitized name)",
        "model BodyModel: named after no schema or operation (expected <Parent><Field>)",
    ]


def test_naming_reports_a_resource_not_named_after_its_tag(tmp_path: Path) -> None:
    data, package = _generate(tmp_path)
    for op in data["paths"].values():  # type: ignore[attr-defined]
        for method in op.values():
            if method.get("tags") == ["repos"]:
                method["tags"] = ["repositories"]
    found = naming.findings(data, package, corpus._local_ref)
    assert found[0] == "tag 'repositories': no resource client.repositories"
    # `repos/get` is no longer under a resource it repeats: its full name is expected
    assert found[1:] == [
        "method ReposResource.get for GET /repos/{id} ('repos/get'): expected repos_get"
    ]
