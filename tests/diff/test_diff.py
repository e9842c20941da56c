"""`oagen diff`: change reports of the generated client's public API, text and markdown."""

from __future__ import annotations

import copy
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from oagen.cli import main

REPO = Path(__file__).resolve().parents[2]
ARCHAL = REPO / "specs" / "archal.yaml"
OAGEN = REPO / ".venv" / "bin" / "oagen"

Spec = dict[str, Any]


def archal() -> Spec:
    data: Spec = yaml.safe_load(ARCHAL.read_text(encoding="utf-8"))
    return data


def write_spec(folder: Path, spec: Spec, name: str = "archal.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def edited(tmp_path: Path, edit: Callable[[Spec], None], folder: str = "new") -> Path:
    """A copy of specs/archal.yaml changed by `edit`, at tmp_path/<folder>/archal.yaml."""
    spec = archal()
    edit(spec)
    return write_spec(tmp_path / folder, spec)


def run(
    capsys: pytest.CaptureFixture[str], old: Path | str, new: Path | str, *flags: str
) -> tuple[int, str]:
    status = main(["diff", str(old), str(new), *flags])
    return status, capsys.readouterr().out


def report(
    capsys: pytest.CaptureFixture[str], old: Path | str, new: Path | str
) -> tuple[int, list[str], str]:
    """Exit code with --fail-on-breaking, text lines, markdown text."""
    status, text = run(capsys, old, new, "--fail-on-breaking")
    _, plain = run(capsys, old, new)
    assert plain == text  # the flag changes the exit code only
    _, markdown = run(capsys, old, new, "--format", "markdown")
    return status, text.splitlines(), markdown


def schemas(spec: Spec) -> Spec:
    result: Spec = spec["components"]["schemas"]
    return result


def params(spec: Spec, path: str, method: str) -> list[Spec]:
    result: list[Spec] = spec["paths"][path][method].setdefault("parameters", [])
    return result


# -- operations and parameters ---------------------------------------------------------


def test_diff_removed_operation_is_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = edited(tmp_path, lambda s: s["paths"].pop("/api/traces/{rootTraceId}"))
    status, lines, markdown = report(capsys, ARCHAL, new)
    assert status == 1
    assert lines == [
        "archal_client: 1 breaking, 0 other changes",
        "BREAKING  removed operation client.results.get_trace (GET /api/traces/{rootTraceId})",
    ]
    assert markdown == textwrap.dedent("""\
        ## API changes

        `archal_client`: 1 breaking, 0 other changes

        ### Breaking

        - removed operation `client.results.get_trace` (`GET /api/traces/{rootTraceId}`)
        """)


def test_diff_new_required_parameter_is_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(spec: Spec) -> None:
        params(spec, "/api/traces", "get").append(
            {"name": "tenantId", "in": "query", "required": True, "schema": {"type": "string"}}
        )

    status, lines, markdown = report(capsys, ARCHAL, edited(tmp_path, edit))
    assert status == 1
    assert lines == [
        "archal_client: 1 breaking, 0 other changes",
        "BREAKING  added required parameter client.results.list_traces(tenant_id: str)",
    ]
    assert (
        "### Breaking\n\n- added required parameter `client.results.list_traces(tenant_id: str)`"
        in (markdown)
    )
    assert "### Other" not in markdown


def test_diff_new_optional_parameter_is_not_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(spec: Spec) -> None:
        params(spec, "/api/traces", "get").append(
            {"name": "cursor", "in": "query", "schema": {"type": "string"}}
        )

    status, lines, markdown = report(capsys, ARCHAL, edited(tmp_path, edit))
    assert status == 0
    assert lines == [
        "archal_client: 0 breaking, 1 other change",
        "          added optional parameter client.results.list_traces(cursor: str)",
    ]
    assert markdown == textwrap.dedent("""\
        ## API changes

        `archal_client`: 0 breaking, 1 other change

        ### Other

        - added optional parameter `client.results.list_traces(cursor: str)`
        """)


def test_diff_parameter_changes_classified_from_the_callers_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(spec: Spec) -> None:
        traces = params(spec, "/api/traces", "get")
        traces[0]["schema"] = {"type": ["integer", "string"]}  # limit: widened
        traces[1]["schema"] = {"type": "integer"}  # since: datetime -> int
        traces[2]["required"] = True  # sessionId: optional -> required
        del traces[4]  # includeStats
        run_id = params(spec, "/api/runs/{runId}", "get")[0]
        run_id["schema"] = {"type": "integer"}
        deleted = spec["paths"]["/api/sessions/{sessionId}"]["delete"]
        deleted["responses"]["200"] = deleted["responses"].pop("204")
        deleted["responses"]["200"]["content"] = {
            "application/json": {"schema": {"$ref": "#/components/schemas/OkResponse"}}
        }

    status, lines, _ = report(capsys, ARCHAL, edited(tmp_path, edit))
    assert status == 1
    assert lines == [
        "archal_client: 5 breaking, 1 other change",
        "BREAKING  changed type of parameter client.results.get_run(run_id): str -> int",
        "BREAKING  removed parameter client.results.list_traces(include_stats)",
        "BREAKING  made parameter client.results.list_traces(session_id) required",
        "BREAKING  changed type of parameter client.results.list_traces(since): datetime -> int",
        "BREAKING  changed return type of client.sessions.delete_session: None -> OkResponse",
        "          changed type of parameter client.results.list_traces(limit): int -> int | str",
    ]


def test_diff_reordered_path_parameters_are_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(spec: Spec) -> None:
        paths = spec["paths"]
        item = paths.pop("/runtime/{sessionId}/{cloneId}/api/{path}")
        paths["/runtime/{cloneId}/{sessionId}/api/{path}"] = item

    status, lines, _ = report(capsys, ARCHAL, edited(tmp_path, edit))
    assert status == 1
    old_path, new_path = (
        "/runtime/{sessionId}/{cloneId}/api/{path}",
        "/runtime/{cloneId}/{sessionId}/api/{path}",
    )
    assert lines == [
        "archal_client: 4 breaking, 0 other changes",
        f"BREAKING  changed endpoint of client.runtime.proxy_clone_get: GET {old_path} -> GET {new_path}",
        "BREAKING  reordered positional parameters of client.runtime.proxy_clone_get:"
        " session_id, clone_id, path -> clone_id, session_id, path",
        f"BREAKING  changed endpoint of client.runtime.proxy_clone_post: POST {old_path} -> POST {new_path}",
        "BREAKING  reordered positional parameters of client.runtime.proxy_clone_post:"
        " session_id, clone_id, path -> clone_id, session_id, path",
    ]


# -- models and enums ------------------------------------------------------------------


def _sessions_body(spec: Spec) -> Spec:
    result: Spec = spec["paths"]["/api/sessions"]["post"]["requestBody"]["content"]
    return result


def test_diff_added_body_media_type_is_not_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second media type widens `body=` and adds `content_type=`; the operations
    keeping their one media type report nothing."""

    def edit(spec: Spec) -> None:
        _sessions_body(spec)["application/octet-stream"] = {
            "schema": {"type": "string", "format": "binary"}
        }

    status, lines, _ = report(capsys, ARCHAL, edited(tmp_path, edit))
    assert status == 0
    assert lines == [
        "archal_client: 0 breaking, 2 other changes",
        "          added request body media type application/octet-stream of"
        " client.sessions.create_session",
        "          changed request body type of client.sessions.create_session:"
        " CreateSessionRequest -> CreateSessionRequest | bytes | IO[bytes]",
    ]


def test_diff_removed_body_media_type_is_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def two(spec: Spec) -> None:
        _sessions_body(spec)["application/x-www-form-urlencoded"] = copy.deepcopy(
            _sessions_body(spec)["application/json"]
        )

    old = edited(tmp_path, two, "old")
    status, lines, _ = report(capsys, old, ARCHAL)
    assert status == 1
    assert lines == [
        "archal_client: 1 breaking, 0 other changes",
        "BREAKING  removed request body media type application/x-www-form-urlencoded of"
        " client.sessions.create_session",
    ]


def test_diff_enum_value_added_and_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(spec: Spec) -> None:
        status = schemas(spec)["TestCaseResult"]["properties"]["status"]
        status["enum"] = ["passed", "failed", "errored"]

    status, lines, markdown = report(capsys, ARCHAL, edited(tmp_path, edit))
    assert status == 1
    assert lines == [
        "archal_client: 1 breaking, 1 other change",
        "BREAKING  removed enum value 'skipped' from models.TestCaseResultStatus",
        "          added enum value 'errored' to models.TestCaseResultStatus",
    ]
    assert markdown == textwrap.dedent("""\
        ## API changes

        `archal_client`: 1 breaking, 1 other change

        ### Breaking

        - removed enum value `'skipped'` from `models.TestCaseResultStatus`

        ### Other

        - added enum value `'errored'` to `models.TestCaseResultStatus`
        """)


def test_diff_inline_enum_values_of_a_parameter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def scenario(values: list[str]) -> Callable[[Spec], None]:
        def edit(spec: Spec) -> None:
            params(spec, "/api/traces", "get")[3]["schema"]["enum"] = values

        return edit

    old = edited(tmp_path, scenario(["smoke", "full"]), "old")
    new = edited(tmp_path, scenario(["smoke", "nightly"]))
    status, lines, _ = report(capsys, old, new)
    assert status == 1
    assert lines == [
        "archal_client: 1 breaking, 1 other change",
        "BREAKING  removed enum value 'full' from models.ListTracesScenario",
        "          added enum value 'nightly' to models.ListTracesScenario",
    ]


def test_diff_inline_literal_of_a_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def edit(spec: Spec) -> None:
        schemas(spec)["OkResponse"]["properties"]["ok"] = {"type": "boolean", "const": False}

    status, lines, _ = report(capsys, ARCHAL, edited(tmp_path, edit))
    assert status == 1
    assert lines == [
        "archal_client: 1 breaking, 1 other change",
        "BREAKING  removed enum value True from models.OkResponse.ok",
        "          added enum value False to models.OkResponse.ok",
    ]


def test_diff_field_type_change_is_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(spec: Spec) -> None:
        schemas(spec)["SessionSummary"]["properties"]["createdAt"] = {"type": "integer"}

    status, lines, markdown = report(capsys, ARCHAL, edited(tmp_path, edit))
    assert status == 1
    assert lines == [
        "archal_client: 1 breaking, 0 other changes",
        "BREAKING  changed type of field models.SessionSummary.created_at: datetime -> int",
    ]
    assert (
        "- changed type of field `models.SessionSummary.created_at`: `datetime` -> `int`"
        in markdown
    )


def test_diff_model_losing_and_gaining_its_base_class(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An allOf extension is generated as a subclass of its base; written out in full,
    it is not: `isinstance(x, Base)` then turns False (breaking); the other way it is
    an addition. The fields are the same either way: nothing else is reported."""
    extension = {"type": "object", "properties": {"note": {"type": "string"}}}

    def extended(spec: Spec) -> None:
        schemas(spec)["NotedSession"] = {
            "allOf": [{"$ref": "#/components/schemas/SessionSummary"}, extension]
        }

    def flat(spec: Spec) -> None:
        base = copy.deepcopy(schemas(spec)["SessionSummary"])
        base["properties"]["note"] = extension["properties"]["note"]
        schemas(spec)["NotedSession"] = base

    old, new = edited(tmp_path, extended, "old"), edited(tmp_path, flat, "new")
    status, lines, markdown = report(capsys, old, new)
    assert status == 1
    assert lines == [
        "archal_client: 1 breaking, 0 other changes",
        "BREAKING  models.NotedSession is no longer a subclass of models.SessionSummary",
    ]
    assert "`models.NotedSession` is no longer a subclass of `models.SessionSummary`" in markdown
    status, lines, _ = report(capsys, new, old)
    assert status == 0
    assert lines == [
        "archal_client: 0 breaking, 1 other change",
        "          models.NotedSession is now a subclass of models.SessionSummary",
    ]


def test_diff_renamed_schema_is_removed_plus_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(spec: Spec) -> None:
        defs = schemas(spec)
        defs["RunSummary"] = defs.pop("TestResultSummary")
        summary = defs["TestResultPayload"]["properties"]["summary"]
        summary["$ref"] = "#/components/schemas/RunSummary"

    status, lines, markdown = report(capsys, ARCHAL, edited(tmp_path, edit))
    assert status == 1
    assert lines == [
        "archal_client: 2 breaking, 1 other change",
        "BREAKING  changed type of field models.TestResultPayload.summary:"
        " TestResultSummary -> RunSummary",
        "BREAKING  removed model models.TestResultSummary",
        "          added model models.RunSummary",
    ]
    assert "### Other\n\n- added model `models.RunSummary`\n" in markdown


def test_diff_optional_field_made_required_is_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(spec: Spec) -> None:
        summary = schemas(spec)["SessionSummary"]
        summary["required"].append("alive")
        summary["properties"]["region"] = {"type": "string"}
        request = schemas(spec)["CreateSessionRequest"]
        request["required"] = [*request["required"], "ttlSeconds"]

    status, lines, _ = report(capsys, ARCHAL, edited(tmp_path, edit))
    assert status == 1
    assert lines == [
        "archal_client: 2 breaking, 1 other change",
        "BREAKING  made field models.CreateSessionRequest.ttl_seconds required",
        "BREAKING  made field models.SessionSummary.alive required",
        "          added optional field models.SessionSummary.region: str",
    ]


def test_diff_required_field_made_optional_depends_on_direction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(spec: Spec) -> None:
        schemas(spec)["CreateSessionRequest"]["required"] = []  # only sent
        schemas(spec)["SessionSummary"]["required"].remove("status")  # only received

    status, lines, _ = report(capsys, ARCHAL, edited(tmp_path, edit))
    assert status == 1
    assert lines == [
        "archal_client: 1 breaking, 1 other change",
        "BREAKING  made field models.SessionSummary.status optional",
        "          made field models.CreateSessionRequest.clones optional",
    ]


# -- auth ------------------------------------------------------------------------------


def test_diff_removed_security_scheme_is_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(spec: Spec) -> None:
        del spec["components"]["securitySchemes"]["routeAuthorization"]
        for method in ("get", "post"):
            del spec["paths"]["/runtime/{sessionId}/{cloneId}/api/{path}"][method]["security"]

    status, lines, markdown = report(capsys, ARCHAL, edited(tmp_path, edit))
    assert status == 1
    assert lines == [
        "archal_client: 3 breaking, 0 other changes",
        "BREAKING  removed credential Client(route_authorization=...)",
        "BREAKING  changed accepted credentials of client.runtime.proxy_clone_get:"
        " route_authorization -> archal_token",
        "BREAKING  changed accepted credentials of client.runtime.proxy_clone_post:"
        " route_authorization -> archal_token",
    ]
    assert "- removed credential `Client(route_authorization=...)`\n" in markdown


def test_diff_added_security_alternative_is_not_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(spec: Spec) -> None:
        spec["components"]["securitySchemes"]["apiKey"] = {
            "type": "apiKey",
            "in": "header",
            "name": "x-api-key",
        }
        spec["paths"]["/auth/me"]["get"]["security"] = [{"archalToken": []}, {"apiKey": []}]

    status, lines, _ = report(capsys, ARCHAL, edited(tmp_path, edit))
    assert status == 0
    assert lines == [
        "archal_client: 0 breaking, 2 other changes",
        "          added credential Client(api_key=...)",
        "          changed accepted credentials of client.auth.get_current_cli_user:"
        " archal_token -> archal_token or api_key",
    ]


# -- files, git, identical specs, errors -----------------------------------------------

MAIN = """\
openapi: 3.1.0
info: {title: Pets, version: '1.0.0'}
paths:
  /pets/{petId}:
    get:
      tags: [pets]
      operationId: getPet
      parameters:
        - {name: petId, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'common.yaml#/components/schemas/Pet'}
"""

COMMON = """\
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        name: {type: string}
        kind: {type: string, enum: [cat, dog]}
"""

COMMON_CHANGED = COMMON.replace("name: {type: string}", "tag: {type: string}").replace(
    "[cat, dog]", "[cat, dog, bird]"
)

COMMON_LINES = [
    "pets_client: 1 breaking, 2 other changes",
    "BREAKING  removed field models.Pet.name",
    "          added optional field models.Pet.tag: str",
    "          added enum value 'bird' to models.PetKind",
]


def pets(folder: Path, common: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "common.yaml").write_text(common, encoding="utf-8")
    path = folder / "pets.yaml"
    path.write_text(MAIN, encoding="utf-8")
    return path


def test_diff_follows_changes_in_a_referenced_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = pets(tmp_path / "old", COMMON)
    new = pets(tmp_path / "new", COMMON_CHANGED)
    status, lines, markdown = report(capsys, old, new)
    assert status == 1
    assert lines == COMMON_LINES
    assert markdown.startswith("## API changes\n\n`pets_client`: 1 breaking, 2 other changes\n")


def test_diff_identical_specs_report_no_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_ = write_spec(tmp_path / "copy", archal())
    status, lines, markdown = report(capsys, ARCHAL, copy_)
    assert status == 0
    assert lines == ["archal_client: no API changes"]
    assert markdown == "## API changes\n\n`archal_client`: no API changes\n"


def test_diff_package_name_option_names_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run(capsys, ARCHAL, ARCHAL, "--package-name", "archal")
    assert (status, out) == (0, "archal: no API changes\n")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with two commits of specs/pets.yaml + specs/common.yaml; the
    second changes only common.yaml."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    pets(root / "specs", COMMON)
    (root / "specs" / "notes.txt").write_text("not a spec", encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "one")
    pets(root / "specs", COMMON_CHANGED)
    git(root, "commit", "-q", "-am", "two")
    return root


def test_diff_git_revisions(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    status, lines, markdown = report(
        capsys, "git:HEAD~1:specs/pets.yaml", "git:HEAD:specs/pets.yaml"
    )
    assert status == 1
    assert lines == COMMON_LINES
    assert "- removed field `models.Pet.name`" in markdown


def test_diff_git_revision_against_the_working_tree_from_a_subfolder(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "specs")
    (repo / "specs" / "common.yaml").write_text(COMMON, encoding="utf-8")  # uncommitted
    status, out = run(capsys, "git:HEAD:./pets.yaml", "pets.yaml")
    assert status == 0
    assert out.splitlines() == [
        "pets_client: 2 breaking, 1 other change",
        "BREAKING  removed field models.Pet.tag",
        "BREAKING  removed enum value 'bird' from models.PetKind",
        "          added optional field models.Pet.name: str",
    ]


def test_diff_git_errors_exit_1(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    assert main(["diff", "git:nope:specs/pets.yaml", "specs/pets.yaml"]) == 1
    assert "oagen: error: git ls-tree failed" in capsys.readouterr().err
    assert main(["diff", "git:HEAD:specs/missing.yaml", "specs/pets.yaml"]) == 1
    assert "specs/missing.yaml does not exist at HEAD" in capsys.readouterr().err
    assert main(["diff", "git:HEAD", "specs/pets.yaml"]) == 1
    assert "expected git:REV:PATH" in capsys.readouterr().err


def test_diff_invalid_spec_exits_1_with_located_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = archal()
    broken = copy.deepcopy(spec)
    schemas(broken)["SessionSummary"]["properties"]["status"] = {
        "$ref": "#/components/schemas/Nope"
    }
    new = write_spec(tmp_path, broken)
    assert main(["diff", str(ARCHAL), str(new)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{new}:" in captured.err and "Nope" in captured.err


@pytest.mark.slow
def test_diff_console_script_end_to_end(tmp_path: Path) -> None:
    new = edited(tmp_path, lambda s: s["paths"].pop("/api/traces/{rootTraceId}"))
    done = subprocess.run(
        [str(OAGEN), "diff", str(ARCHAL), str(new), "--format", "markdown", "--fail-on-breaking"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[:3] == [
        "## API changes",
        "",
        "`archal_client`: 1 breaking, 0 other changes",
    ]
    assert "- removed operation `client.results.get_trace`" in done.stdout


def test_diff_pagination_gained_and_lost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec: Spec = {
        "openapi": "3.1.0",
        "info": {"title": "Pages", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "list_things",
                    "parameters": [
                        {"name": "offset", "in": "query", "schema": {"type": "integer"}},
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"type": "string"}}
                                }
                            },
                        }
                    },
                }
            }
        },
    }
    paged = write_spec(tmp_path / "paged", spec, "pages.yaml")
    spec["paths"]["/things"]["get"]["x-oagen-pagination"] = False
    plain = write_spec(tmp_path / "plain", spec, "pages.yaml")
    status, lines, _ = report(capsys, paged, plain)
    assert status == 1
    assert lines[1] == (
        "BREAKING  removed pagination of client.list_things: no client.list_things_iter"
    )
    status, lines, _ = report(capsys, plain, paged)
    assert status == 0
    assert lines[1:] == [
        "          added pagination to client.list_things: new client.list_things_iter"
    ]
