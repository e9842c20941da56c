"""Where validation findings point: at the node they are about, never at the whole
document when a smaller place is known."""

from __future__ import annotations

from pathlib import Path

import pytest
from oagen.diagnostics import Diagnostics
from oagen.load import load
from oagen.validate import validate

UNEXPECTED = """\
openapi: 3.0.3
info: {title: T, version: "1"}
source: somewhere
paths:
  /a:
    get:
      x-allowed: 1
      bogus: 2
      responses:
        '200': {description: ok}
"""

UNRESOLVABLE = """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /a:
    get:
      parameters:
        - $ref: '#/components/parameters/Missing'
      responses:
        '200': {description: ok}
"""


def _findings(tmp_path: Path, text: str, *, full: bool) -> list[str]:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    spec = load(path)
    sink = Diagnostics(spec.locate)
    validate(spec, sink, full=full)
    return [str(d).removeprefix(f"{path}:") for d in sink.items]


@pytest.mark.parametrize("full", [False, True], ids=["default", "full"])
def test_a_property_not_allowed_is_located_at_its_key(tmp_path: Path, full: bool) -> None:
    findings = _findings(tmp_path, UNEXPECTED, full=full)
    assert len(findings) == 2, findings
    assert findings[0].startswith("3:9: warning: spec validation: ")
    assert findings[0].endswith("(#/source)") and "source" in findings[0]
    assert findings[1].startswith("8:14: warning: spec validation: ")
    assert findings[1].endswith("(#/paths/~1a/get/bogus)") and "bogus" in findings[1]


def test_validation_stopped_by_a_ref_is_located_at_that_ref(tmp_path: Path) -> None:
    findings = _findings(tmp_path, UNRESOLVABLE, full=True)
    assert findings == [
        "7:17: warning: validation stopped early: cannot resolve $ref "
        "'#/components/parameters/Missing' (#/paths/~1a/get/parameters/0/$ref)"
    ]


BAD_DEFAULTS = """\
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /a:
    get:
      parameters:
        - name: n
          in: query
          schema: {type: integer, default: 3}
        - name: id
          in: query
          schema: {type: string, format: uuid, default: notauuid}
        - name: other
          in: query
          schema: {type: string, default: 3}
      responses:
        '200': {description: ok}
"""


def test_a_default_its_schema_refuses_is_located_at_that_default(tmp_path: Path) -> None:
    # the validator gives such a finding no path, only the value and its schema: found
    # by the schema object (an equal, valid `default: 3` before it is not the one)
    findings = _findings(tmp_path, BAD_DEFAULTS, full=True)
    assert findings == [
        "12:57: warning: spec validation: 'notauuid' is not a 'uuid'"
        " (#/paths/~1a/get/parameters/1/schema/default)",
        "15:43: warning: spec validation: 3 is not of type 'string'"
        " (#/paths/~1a/get/parameters/2/schema/default)",
    ]


NO_BRANCH = """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /a:
    get:
      parameters:
        - {name: X-N, in: header, style: form, schema: {type: integer}}
        - {name: q, in: query, required: optional, schema: {type: string}}
      responses:
        '200': {description: ok}
"""


@pytest.mark.parametrize("full", [False, True], ids=["default", "full"])
def test_a_value_no_branch_of_a_one_of_takes_is_explained_by_its_nearest_branch(
    tmp_path: Path, full: bool
) -> None:
    # a Parameter Object is a oneOf of one schema per `in` (and a Reference Object's):
    # the header's branch says what is wrong, where, not "'$ref' is a required
    # property" nor the whole object
    findings = _findings(tmp_path, NO_BRANCH, full=full)
    q = "'" if full else '"'  # openapi-spec-validator's quotes, or jsonschema-rs's
    simple = "['simple']" if full else '"simple"'
    assert findings == [
        f"7:42: warning: spec validation: {q}form{q} is not one of {simple}"
        " (#/paths/~1a/get/parameters/0/style)",
        f"8:42: warning: spec validation: {q}optional{q} is not of type {q}boolean{q}"
        " (#/paths/~1a/get/parameters/1/required)",
    ]
