"""Model modules: `validate`, `__post_init__` and imports only where something uses them."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from oagen.ir import NO_CONSTRAINTS, Field, Model, Prim, PyIdent
from oagen.pipeline import generate_files
from oagen.plan.common import FMT_SKIP, _is_union, _parameter, double_quoted
from oagen.plan.contexts import FieldContext, ModelsContext
from oagen.plan.models import (
    _alias,
    _assign_line,
    _declared,
    _double_quotes,
    _encode_lines,
    validated_models,
)
from oagen.pytypes import Definitions
from oagen.write import write

from .conftest import build_api, contexts, write_spec

SPEC = """\
openapi: 3.1.0
info: {title: Plan API, version: '1.0.0'}
servers: [{url: 'https://api.test'}]
paths:
  /plains:
    post:
      operationId: createPlain
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Plain'}}}
      responses: {'204': {description: Done.}}
  /holders:
    post:
      operationId: createHolder
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Holder'}}}
      responses: {'204': {description: Done.}}
components:
  schemas:
    Plain:
      type: object
      required: [name]
      properties:
        name: {type: string}
        size: {type: integer}
      additionalProperties: false
    Open:
      type: object
      required: [name]
      properties:
        name: {type: string}
    Checked:
      type: object
      required: [code]
      properties:
        code: {type: string, minLength: 2}
      additionalProperties: false
    Holder:
      type: object
      required: [items]
      properties:
        items: {type: array, items: {$ref: '#/components/schemas/Checked'}}
        plain: {$ref: '#/components/schemas/Plain'}
      additionalProperties: false
    Outer:
      type: object
      properties:
        holder: {$ref: '#/components/schemas/Holder'}
      additionalProperties: false
    Tree:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
      additionalProperties: false
"""


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Model name -> the text of its generated module."""
    spec = write_spec(tmp_path_factory.mktemp("plan_spec"), SPEC)
    files = generate_files(spec, package_name="plan_client").files
    return {
        name: files[f"models/_{name.lower()}.py"]
        for name in ("Plain", "Open", "Checked", "Holder", "Outer", "Tree")
    }


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("plan_pkg")
    spec = write_spec(root / "spec", SPEC)
    write(root / "pkgs" / "plan_client", generate_files(spec, package_name="plan_client").files)
    sys.path.insert(0, str(root / "pkgs"))
    importlib.invalidate_caches()
    try:
        yield importlib.import_module("plan_client")
    finally:
        sys.path.remove(str(root / "pkgs"))
        for name in [m for m in sys.modules if m.split(".")[0] == "plan_client"]:
            del sys.modules[name]


def _models_context(tmp_path: Path, name: str) -> ModelsContext:
    context = contexts(build_api(tmp_path, SPEC))[f"models/_{name.lower()}.py"]
    assert isinstance(context, ModelsContext)
    return context


def test_validated_models_are_those_with_something_to_check(tmp_path: Path) -> None:
    api = build_api(tmp_path, SPEC)
    validated = validated_models(Definitions(api.definitions))
    # Checked has a constraint; Holder holds Checked items; Outer holds a Holder.
    # Plain, Open and the recursive Tree have nothing to check.
    assert validated == {PyIdent("Checked"), PyIdent("Holder"), PyIdent("Outer")}


def test_a_required_write_only_plain_field_is_validated() -> None:
    # nothing to check but its presence: `required=True` (a model with only plain
    # fields, passed over without asking, has no `validate`)
    def model(name: str, *, write_only: bool) -> Model:
        f = Field("secret", PyIdent("secret"), Prim("str"), True, False, None, None,
                  NO_CONSTRAINTS, False, write_only, False, "#")  # fmt: skip
        return Model(PyIdent(name), (f,), None, None, "#")

    index = Definitions([model("Login", write_only=True), model("Plain", write_only=False)])
    assert validated_models(index) == {PyIdent("Login")}


@pytest.mark.parametrize("name", ["Plain", "Open", "Tree"])
def test_model_without_constraints_has_no_validate(texts: dict[str, str], name: str) -> None:
    assert "def validate" not in texts[name]
    assert "__post_init__" not in texts[name]
    assert "validate_nested" not in texts[name]


def test_model_with_constraints_validates_when_made(texts: dict[str, str]) -> None:
    text = texts["Checked"]
    assert "def __post_init__(self) -> None:\n        self.validate()" in text
    assert '_serde.check(self.code, f"{path}.code", min_length=2)' in text


def test_holder_validates_only_fields_that_may_hold_checked_models(
    texts: dict[str, str],
) -> None:
    holder = texts["Holder"]
    assert "__post_init__" not in holder  # nothing of its own to check when made
    assert '_serde.validate_nested(self.items, f"{path}.items")' in holder
    assert "validate_nested(self.plain" not in holder  # Plain has no `validate`
    assert '_serde.validate_nested(self.holder, f"{path}.holder")' in texts["Outer"]


def test_validate_body_is_none_without_checks(tmp_path: Path) -> None:
    (plain,) = _models_context(tmp_path, "Plain").models
    assert plain.validate_body is None and not plain.has_checks
    (holder,) = _models_context(tmp_path, "Holder").models
    assert holder.validate_body is not None and not holder.has_checks


def test_no_keys_table_is_generated(texts: dict[str, str]) -> None:
    """Decoding takes declared keys out of a copy of the object: no `_KEYS` needed,
    with `additionalProperties: false` (Plain) or extras kept (Open)."""
    for name, text in texts.items():
        assert "_KEYS" not in text, name
        assert "frozenset" not in text, name


def test_model_imports_are_what_the_module_uses(tmp_path: Path) -> None:
    assert _models_context(tmp_path, "Checked").imports == (
        "from dataclasses import dataclass",
        "from typing import Any",
        "",
        "from .. import _serde",
        "from .._types import UNSET",  # `d.get("code", UNSET)`; nothing is optional
    )
    # an optional field: its `UNSET` default and `Unset` type; extras: `field(...)`
    assert _models_context(tmp_path, "Open").imports == (
        "from dataclasses import dataclass, field",
        "from typing import Any",
        "",
        "from .. import _serde",
        "from .._types import UNSET",
    )
    assert "from .._types import UNSET, Unset" in _models_context(tmp_path, "Plain").imports


class _Server:
    def __init__(self) -> None:
        self.bodies: list[object] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(json.loads(request.read()))
        return httpx.Response(204)


def _client(package: ModuleType, server: _Server) -> object:
    http = httpx.Client(transport=httpx.MockTransport(server))
    return package.Client(base_url="https://api.test", http_client=http, max_retries=0)


def test_bodies_of_models_without_validate_are_sent(package: ModuleType) -> None:
    models = importlib.import_module("plan_client.models")
    server = _Server()
    client = _client(package, server)
    client.create_plain(body=models.Plain(name="a"))  # type: ignore[attr-defined]
    client.create_plain(body={"name": "b", "size": 2})  # type: ignore[attr-defined]
    tree = models.Tree(children=[models.Tree()])
    client.create_holder(  # type: ignore[attr-defined]
        body=models.Holder(items=[models.Checked(code="ok")], plain=models.Plain(name="c"))
    )
    assert server.bodies == [
        {"name": "a"},
        {"name": "b", "size": 2},
        {"items": [{"code": "ok"}], "plain": {"name": "c"}},
    ]
    assert not hasattr(tree, "validate")


def test_nested_constraints_are_still_checked(package: ModuleType) -> None:
    models = importlib.import_module("plan_client.models")
    errors = importlib.import_module("plan_client.errors")
    server = _Server()
    client = _client(package, server)
    with pytest.raises(errors.RequestValidationError) as caught:
        client.create_holder(body={"items": [{"code": "x"}]})  # type: ignore[attr-defined]
    assert caught.value.field == "body.items[0].code"
    bad = models.Checked.from_dict({"code": "x"})  # decoding does not check
    with pytest.raises(errors.RequestValidationError) as caught:
        client.create_holder(body=models.Holder(items=[bad]))  # type: ignore[attr-defined]
    assert caught.value.field == "Holder.items[0].code"
    with pytest.raises(errors.RequestValidationError) as caught:
        models.Outer(holder=models.Holder(items=[bad])).validate()
    assert caught.value.field == "Outer.holder.items[0].code"
    assert server.bodies == []


def test_statements_no_line_fits_are_kept_on_one_line_in_normal_quotes() -> None:
    """What black and ruff would break differently is written as one line they both
    leave as it is (and only that: a statement that fits is left to them)."""
    name = "n" * 76
    assert _alias(PyIdent(name), "Literal['a', 'b']", None).fmt_skip == FMT_SKIP
    assert _alias(PyIdent(name), "Literal['a', 'b']", None).value == 'Literal["a", "b"]'
    assert _alias(PyIdent("Short"), "Literal['a', 'b']", None).fmt_skip == ""
    # `name: TypeAlias = (` fits: both formatters parenthesize the value alike
    assert _alias(PyIdent("n" * 73), "Literal['a', 'b']", None).fmt_skip == ""
    long_union = repr(" | ".join(["SomeModelName"] * 6))
    assert _alias(PyIdent("Short"), long_union, None).value == '"' + long_union[1:-1] + '"'
    assert _alias(PyIdent("Short"), long_union, None).fmt_skip == FMT_SKIP
    assert _alias(PyIdent("Short"), "'A | B'", None).fmt_skip == ""  # fits
    # quotes black would choose by counting escapes: left to the formatters
    assert _double_quotes("Literal['a\\'b']") is None and double_quoted("'a\"b'") is None
    assert double_quoted("\"Literal['x'] | A\"") == "\"Literal['x'] | A\""


def test_an_assignment_of_v_that_fits_no_line_is_kept_on_one_line() -> None:
    def field(name: str, value: str) -> FieldContext:
        return FieldContext(name, "'k'", "str", None, None, (), value, (), None, False)

    assert _assign_line(field("n" * 76, "v")).endswith(FMT_SKIP)
    assert not _assign_line(field("n" * 72, "v")).endswith(FMT_SKIP)  # 88 columns
    assert not _assign_line(field("n" * 76, "cast('X', v)")).endswith(FMT_SKIP)


def test_parameter_annotations_are_parenthesized_only_around_unions() -> None:
    """black drops parentheses around one subscript, and splits it as ruff does."""
    long = "p" * 60
    assert _parameter(long, "Literal['a', 'b'] | Unset", "UNSET").annotation.startswith("(")
    assert _parameter(long, "Literal['a|b', 'c']", None).annotation == "Literal['a|b', 'c']"
    assert _is_union("list[A | B] | None") and not _is_union("list[A | B]")
    assert not _is_union('Literal[\'|\', "|\\""]')


def test_encodings_and_declarations_no_line_fits_are_kept_on_one_line() -> None:

    def field(name: str, required: bool) -> Field:
        return Field(name, PyIdent(name), Prim("str"), required, False, None, None,
                     NO_CONSTRAINTS, False, False, False, "#")  # fmt: skip

    long, short = "n" * 72, "n" * 40
    (line,) = _encode_lines(field(long, True), f"self.{long}.isoformat()")
    assert line == f'out["{long}"] = self.{long}.isoformat(){FMT_SKIP}'  # formatters' quotes
    assert _encode_lines(field(long, False), f"str(self.{long})")[1].endswith(")")  # splits
    assert (
        _encode_lines(field(short, False), f"self.{short}")[1]
        == f"    out['{short}'] = self.{short}"
    )
    assert _declared("n" * 82, "str", None) == ("str", None, FMT_SKIP)  # `name: (` > col 88
    assert _declared("n" * 81, "str", None) == ("str", None, "")
    assert _declared("n" * 90, "list[str]", None) == ("list[str]", None, "")  # splits alike
    # a const that does not fit: one line, in the formatters' quotes
    const = "c" * 70
    assert _declared(const, "Literal['x']", "'x'") == ('Literal["x"]', '"x"', FMT_SKIP)
    assert _declared(const, "Literal[1]", "1") == ("Literal[1]", "1", FMT_SKIP)
    assert _declared("c" * 64, "Literal['x']", "'x'") == ("Literal['x']", "'x'", "")  # fits
    assert _declared(const, "Literal['say \"hi\"']", "'say \"hi\"'")[2] == ""  # quotes
    assert _declared(const, "Literal['a'] | Unset", "UNSET")[2] == ""  # splits alike
