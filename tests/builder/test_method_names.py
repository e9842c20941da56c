"""builder, method names: operationIds (or method and path) -> unique method names."""

from __future__ import annotations

from pathlib import Path

from tests.builder.support import HEAD_31, _build, _ok


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


def test_build_operation_id_keeps_its_name_when_a_derived_name_collides(tmp_path: Path) -> None:
    # clever-cloud.com: an operation without operationId, earlier in the spec, whose
    # method+path name is another operation's operationId
    api = _ok(
        tmp_path,
        HEAD_31
        + """\
paths:
  /orgs/{id}/addons/sso:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get: {tags: [all], responses: {'200': {description: ok}}}
  /orgs/{id}/providers/sso:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get: {operationId: getOrgsIdAddonsSso, tags: [all], responses: {'200': {description: ok}}}
""",
    )
    assert [(op.path, op.python_name) for op in api.resources[0].operations] == [
        ("/orgs/{id}/addons/sso", "get_orgs_id_addons_sso_2"),
        ("/orgs/{id}/providers/sso", "get_orgs_id_addons_sso"),
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


def test_build_method_names_drop_a_leading_part_that_repeats_the_resource(tmp_path: Path) -> None:
    """GitHub's `repos/get` under `repos` is `get`, Docker's `ContainerList` under
    `Container` is `list`, drf-spectacular's `events_create` is `create`; the full
    name stays when the short one is empty, a keyword, reserved or taken."""

    def op(path: str, tag: str, op_id: str) -> str:
        return f"  {path}:\n    get:\n      tags: [{tag}]\n      operationId: {op_id}\n" + (
            "      responses: {'204': {description: ok}}\n"
        )

    api = _ok(
        tmp_path,
        HEAD_31
        + "paths:\n"
        + op("/a", "repos", "repos/get")
        + op("/b", "Container", "ContainerList")
        + op("/c", "events", "events_create")
        + op("/d", "events", "events")  # nothing left: stays
        + op("/e", "events", "events_import")  # a keyword: stays
        + op("/f", "events", "events_delete")  # collides with the next one's name
        + op("/g", "events", "delete")
        + op("/h", "events", "events_with_raw_response")  # reserved: stays
        + op("/i", "repos", "reposList"),
    )
    names = {r.python_name: [o.python_name for o in r.operations] for r in api.resources}
    assert names == {
        "repos": ["get", "list"],
        "container": ["list"],
        "events": [
            "create",
            "events",
            "events_import",
            "events_delete",
            "delete",
            "events_with_raw_response",
        ],
    }


def test_an_operation_id_used_twice_is_reported_where_it_repeats(tmp_path: Path) -> None:
    """OpenAPI requires operationIds unique. A repeated one is reported at the second
    `operationId` (naming the first operation), not at the top of the file, and both
    operations are still generated, named apart."""
    spec = """\
paths:
  /a:
    get: {operationId: same, tags: [t], responses: {'200': {description: ok}}}
  /b:
    get: {operationId: same, tags: [t], responses: {'200': {description: ok}}}
    post: {operationId: other, tags: [t], responses: {'200': {description: ok}}}
"""
    api, diags = _build(tmp_path, HEAD_31 + spec)
    (warning,) = [d for d in diags if "operationId" in d.message]
    assert warning.severity == "warning"
    assert warning.pointer == "#/paths/~1b/get/operationId"
    assert warning.message.startswith("operationId 'same' is not unique: GET /a has it too")
    assert warning.location is not None and warning.location.line == 7
    names = [op.python_name for op in api.resources[0].operations]
    assert names == ["same", "same_2", "other"]
