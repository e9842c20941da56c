"""Findings about a Swagger 2.0 spec point at the 2.0 file; `oagen diff` reads 2.0."""

from __future__ import annotations

from pathlib import Path

import pytest
from oagen.cli import main

from .support import HEAD, write

BROKEN = (
    HEAD
    + """\
paths:
  /pets:
    post:
      operationId: addPet
      parameters:
        - in: body
          name: pet
          schema:
            $ref: '#/definitions/Missing'
      responses:
        '200':
          description: ok
"""
)


def test_broken_ref_is_located_in_the_2_0_file_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write(tmp_path, BROKEN)
    out = tmp_path / "out"
    assert main(["generate", str(spec), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    # the ref as the 2.0 file writes it, not the 3.0 place it was moved to
    assert f"{spec}:11:19: error: unresolvable $ref '#/definitions/Missing'" in err
    assert "(#/paths/~1pets/post/parameters/0/schema/$ref)" in err
    assert not out.exists()


def test_strict_validation_uses_the_2_0_validator_with_locations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        HEAD
        + "paths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200': {}\n"
    )
    spec = write(tmp_path, text)
    assert main(["validate", "--strict", str(spec)]) == 1
    err = capsys.readouterr().err
    assert f"{spec}:8:16: error: spec validation: 'description' is a required property" in err


def test_unsupported_swagger_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write(tmp_path, "swagger: '1.2'\ninfo: {title: T, version: '1'}\npaths: {}\n")
    assert main(["generate", str(spec), "-o", str(tmp_path / "out")]) == 1
    assert "unsupported Swagger version '1.2'" in capsys.readouterr().err
    # YAML reads `swagger: 2.0` as a number: said so (it said "2.0 ...: oagen reads 2.0")
    spec = write(tmp_path, "swagger: 2.0\ninfo: {title: T, version: '1'}\npaths: {}\n")
    assert main(["generate", str(spec), "-o", str(tmp_path / "out")]) == 1
    assert "version the number 2.0 (YAML: quote it)" in capsys.readouterr().err


def test_diff_between_2_0_and_3_0_versions_of_an_api(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(
        tmp_path,
        HEAD
        + """\
paths:
  /pets:
    get:
      operationId: listPets
      parameters: [{in: query, name: limit, type: integer}]
      responses: {'200': {description: ok, schema: {$ref: '#/definitions/Pet'}}}
definitions:
  Pet: {type: object, properties: {name: {type: string}}}
""",
        "v1.yaml",
    )
    new = write(
        tmp_path,
        """\
openapi: 3.0.3
info: {title: T, version: '2.0'}
paths:
  /pets:
    get:
      operationId: listPets
      parameters: [{in: query, name: limit, schema: {type: integer}}]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}, age: {type: integer}}}
""",
        "v2.yaml",
    )
    assert main(["diff", str(old), str(new), "--fail-on-breaking"]) == 0
    report = capsys.readouterr().out
    assert "Pet.age" in report
    assert "listPets" not in report and "list_pets" not in report


def test_a_second_body_or_a_body_beside_form_fields_is_warned_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Swagger 2.0 allows one `body` parameter, or `formData` ones: the others were
    left out of the method silently."""
    spec = write(
        tmp_path,
        "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    post:\n"
        "      parameters:\n"
        "        - {name: b1, in: body, schema: {type: object}}\n"
        "        - {name: f, in: formData, type: string}\n"
        "        - {name: b2, in: body, schema: {type: string}}\n"
        "      responses: {'200': {description: ok}}\n"
        "  /b:\n    post:\n      parameters:\n"
        "        - {name: f, in: formData, type: string}\n"
        "        - {name: g, in: formData, type: string}\n"
        "        - {name: b, in: body, schema: {type: string}}\n"
        "      responses: {'200': {description: ok}}\n",
    )
    assert main(["generate", str(spec), "-o", str(tmp_path / "out")]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "left out" in line]
    assert [w.split(": warning: ")[1].split(" (")[0] for w in warnings] == [
        "a `formData` parameter beside a `body` one",
        "a second `body` parameter",
        "a `body` parameter beside a `formData` one",
    ]
    assert [w.split(": warning: ")[0].rsplit(":", 2)[1] for w in warnings] == ["8", "9", "16"]


def test_a_cycle_of_shared_parameters_is_said_to_be_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        HEAD
        + """\
paths:
  /a:
    get:
      parameters: [{$ref: '#/parameters/One'}, {$ref: '#/parameters/Gone'}]
      responses: {'200': {description: ok}}
parameters:
  One: {$ref: '#/parameters/Two'}
  Two: {$ref: '#/parameters/One'}
"""
    )
    spec = write(tmp_path, text)
    assert main(["generate", str(spec), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{spec}:10:15: error: $ref '#/parameters/One' is part of a cycle of references" in err
    assert f"{spec}:6:55: error: unresolvable $ref '#/parameters/Gone'" in err
