"""names (the one sanitizer) and literals (spec text -> Python source text)."""

from __future__ import annotations

import ast
import keyword
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oagen.literals import docblock, docstring, enum_type, is_literal_enum, py_literal
from oagen.names import (
    FIELD_RESERVED,
    MODEL_RESERVED,
    PARAM_RESERVED,
    NameTable,
    pascal,
    snake,
)

# -- snake / pascal -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("getCurrentCliUser", "get_current_cli_user"),
        ("HTTPResponse", "http_response"),
        ("getHTTPResponseCode", "get_http_response_code"),
        ("userID", "user_id"),
        ("x-api-key", "x_api_key"),
        ("$filter", "filter"),
        ("page[size]", "page_size"),
        ("already_snake", "already_snake"),
        ("class", "class_"),
        ("import", "import_"),
        ("None", "none"),
        ("2fa", "n_2fa"),
        ("123", "n_123"),
        ("café", "cafe"),
        ("名前", "u540d_u524d"),
        ("", "value"),
        ("---", "value"),
    ],
)
def test_snake_cases(text: str, expected: str) -> None:
    assert snake(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("session summary", "SessionSummary"),
        ("getCurrentCliUser", "GetCurrentCliUser"),
        ("HTTPResponse", "HTTPResponse"),
        ("x-api-key", "XApiKey"),
        ("$filter", "Filter"),
        ("page[size]", "PageSize"),
        ("snake_case_name", "SnakeCaseName"),
        ("class", "Class"),
        ("None", "None_"),
        ("True", "True_"),
        ("2fa", "Model2fa"),
        ("café", "Cafe"),
        ("名前", "U540dU524d"),
        ("", "Model"),
    ],
)
def test_pascal_cases(text: str, expected: str) -> None:
    assert pascal(text) == expected


def test_snake_and_pascal_fallbacks() -> None:
    assert snake("", "param") == "param"
    assert snake("!!!", "field") == "field"
    assert pascal("", "Operation") == "Operation"


@pytest.mark.parametrize(
    "text",
    ["class", "def", "lambda", "async", "await", "None", "True", "False", "3d", "a b c",
     "😀", "Ω", "__init__", "x.y.z", "a\nb", "'; import os #", "ÿ", "_", "__"],
)  # fmt: skip
def test_names_are_identifiers_and_idempotent(text: str) -> None:
    for fn in (snake, pascal):
        name = fn(text)
        assert name.isidentifier() and name.isascii(), (fn.__name__, text, name)
        assert not keyword.iskeyword(name), (fn.__name__, text, name)
    assert snake(snake(text)) == snake(text)


# -- NameTable --------------------------------------------------------------------------


def test_name_table_snake_collisions_get_numbered_suffixes() -> None:
    table = NameTable()
    assert [table.claim(n) for n in ("name", "name", "name", "other")] == [
        "name",
        "name_2",
        "name_3",
        "other",
    ]


def test_name_table_pascal_collisions_have_no_separator() -> None:
    table = NameTable(MODEL_RESERVED, reserved_suffix="Model")
    assert [table.claim(n) for n in ("Pet", "Pet", "Pet")] == ["Pet", "Pet2", "Pet3"]


def test_name_table_reserved_names_take_the_suffix() -> None:
    table = NameTable(PARAM_RESERVED)
    assert table.claim("body") == "body_"
    assert table.claim("body") == "body_2"
    assert table.claim("self") == "self_"
    assert "body" in table and "body_" in table and "other" not in table


def test_name_table_model_reserved() -> None:
    table = NameTable(MODEL_RESERVED, reserved_suffix="Model")
    assert table.claim("Any") == "AnyModel"
    assert table.claim("Client") == "ClientModel"
    assert table.claim("Exception") == "ExceptionModel"  # a builtin class name
    assert table.claim("Pet") == "Pet"


def test_name_table_field_reserved() -> None:
    table = NameTable(FIELD_RESERVED)
    assert table.claim("to_dict") == "to_dict_"
    assert table.claim("str") == "str_"
    assert table.claim("additional_properties") == "additional_properties_"


def test_name_table_suffix_never_collides_with_a_claimed_name() -> None:
    table = NameTable(PARAM_RESERVED)
    assert table.claim("body_") == "body_"
    assert table.claim("body") == "body_2"


# -- py_literal -----------------------------------------------------------------------

HOSTILE = [
    "",
    "plain",
    "it's",
    'say "hi"',
    "'''",
    '"""',
    'end"',
    "back\\slash\\",
    "\\",
    "\\n is not a newline",
    "line1\nline2\r\n",
    "tab\there",
    "\u2028line separator\u2029",
    "nul\x00byte",
    "\x1b[31mred",
    "lone \ud800 surrogate \udfff",
    "emoji 😀 and Ω",
    "{{ jinja }} {% if %}",
    '"); import os; os.system("x"); ("',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_py_literal_string_round_trips(text: str) -> None:
    source = py_literal(text)
    assert ast.literal_eval(source) == text
    assert "\n" not in source


def test_py_literal_json_values_round_trip() -> None:
    value = {
        "a": [1, 2.5, True, False, None],
        'k"ey': {"nested": ["x\ny", -3]},
        "": 0,
    }
    source = py_literal(value)  # type: ignore[arg-type]
    assert ast.literal_eval(source) == value
    assert py_literal(True) == "True"
    assert py_literal(None) == "None"
    assert py_literal(7) == "7"
    assert py_literal(-0.5) == "-0.5"


def test_py_literal_non_finite_floats() -> None:
    assert py_literal(float("nan")) == 'float("nan")'
    assert py_literal(float("inf")) == 'float("inf")'
    assert py_literal(float("-inf")) == 'float("-inf")'


def test_py_literal_rejects_non_json() -> None:
    with pytest.raises(TypeError):
        py_literal(object())  # type: ignore[arg-type]


# -- docstring ------------------------------------------------------------------------

DOC_HOSTILE = [
    "plain words",
    'has """ triple quotes',
    'ends with a quote"',
    'ends with two quotes""',
    'ends with triple quotes"""',
    '"""',
    '""""""',
    "ends with a backslash\\",
    "back\\slash \\n \\x41 \\N{BULLET}",
    "nul\x00 and escape \x1b",
    "line\u2028sep",
    "lone \ud800 surrogate",
    "'''single'''",
    "r-string? \\",
]


def _docstring_value(body: str) -> str:
    source = '"""' + body + '"""'
    module = ast.parse(source)
    stmt = module.body[0]
    assert isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
    assert len(module.body) == 1  # the docstring did not close early
    value = stmt.value.value
    assert isinstance(value, str)
    return value


@pytest.mark.parametrize("text", DOC_HOSTILE)
def test_docstring_never_closes_early(text: str) -> None:
    body = docstring(text, 0)
    assert _docstring_value(body) == text


@pytest.mark.parametrize("text", DOC_HOSTILE)
def test_docstring_inside_a_function_compiles(text: str) -> None:
    block = docblock(text, 4)
    source = f"def f():\n    {block}\n    return 1\n"
    namespace: dict[str, object] = {}
    exec(compile(source, "<doc>", "exec"), namespace)
    doc = namespace["f"].__doc__  # type: ignore[attr-defined]
    assert doc is not None and doc.strip() == text.strip()


def test_docstring_wraps_paragraphs_and_keeps_lists() -> None:
    text = "word " * 40 + "\n\n- item one\n- item two\n\n```\ncode   line\n```"
    body = docstring(text, 4, width=60)
    lines = body.split("\n")
    assert all(len(line) <= 60 for line in lines)
    assert "    - item one" in lines and "    - item two" in lines
    assert "    code   line" in lines  # code keeps its spacing
    value = _docstring_value(body)
    assert " ".join(value.split()).startswith("word word")
    assert value.count("word") == 40


def test_docstring_has_no_trailing_whitespace() -> None:
    body = docstring("first   \n\n\nsecond  \n\n", 8)
    assert body == "first\n\n        second"
    assert all(line == line.rstrip() for line in body.split("\n"))


def test_docblock_single_and_multi_line() -> None:
    assert docblock("One line.", 4) == '"""One line."""'
    assert docblock("One.\n\nTwo.", 4) == '"""One.\n\n    Two.\n    """'


@settings(max_examples=500, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list(' ab-*#1.)`"\\\t\n\r\x00é')), max_size=30),
    indent=st.sampled_from([0, 4, 8, 60]),
)
def test_docstring_short_line_fast_path_matches_the_general_one(text: str, indent: int) -> None:
    from oagen.literals import _docstring

    assert docstring(text, indent) == _docstring(text, indent, max(40, 88 - indent))


@settings(max_examples=1000, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(["a", "bb", "x" * 12, " ", "   ", "-", "é", "\xa0", "\t"]), max_size=80
    ).map("".join),
    width=st.integers(1, 60),
)
def test_wrap_is_textwrap(text: str, width: int) -> None:
    """The paragraph wrapper gives what `textwrap.wrap` gives with the same options."""
    import textwrap

    from oagen.literals import _wrap

    expected = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    assert _wrap(text, width) == expected


@pytest.mark.parametrize("text", ['ends with "', 'two ""', 'escaped \\"', 'a"""b""""'])
def test_docstring_never_ends_with_a_quote(text: str) -> None:
    """black and ruff disagree about a docstring ending in a quote (escaped or not):
    the last one is spelled `\\x22`, which both leave alone."""
    body = docstring(text, 0)
    assert body.endswith("\\x22")
    assert _docstring_value(body) == text


def test_long_parameter_lines_get_parenthesized_annotations() -> None:
    from oagen.plan.common import _parameter

    short = _parameter("name", "str | None", "None")
    assert short.annotation == "str | None"
    long_name = "n" * 70
    assert _parameter(long_name, "str | None", "None").annotation == "(str | None)"
    # the threshold is the formatters' 88 columns, indent and trailing comma included
    fits = "x" * (88 - len("        : str | None,"))
    assert _parameter(fits, "str | None", None).annotation == "str | None"
    assert _parameter(fits + "x", "str | None", None).annotation == "(str | None)"
    # one name or one subscript: black would drop the parentheses (it splits the
    # subscript as ruff does)
    assert _parameter(fits + "x" * 9, "str", None).annotation == "str"
    assert _parameter(fits + "x", "Literal['a']", None).annotation == "Literal['a']"


def test_long_names_are_never_truncated_only_file_names(tmp_path: Path) -> None:
    """loket.nl's 88-character operationId stays the method name; only the module's
    file name is shortened (DESIGN §3)."""
    from oagen.pipeline import generate_files

    op = "GetConceptEmployeePayGradeMetaDataByPayrollAdministrationIdAndPayscaleKeyAndPayGradeKey"
    model = (
        "ConceptEmployeePayGradeMetaDataByPayrollAdministrationIdAndPayscaleKeyAndPayGradeKeyModel"
    )
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        f"""openapi: 3.0.3
info: {{title: L, version: '1'}}
paths:
  /a:
    get:
      tags: [{op}Resource]
      operationId: {op}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/{model}'}}
components:
  schemas:
    {model}:
      type: object
      properties: {{a: {{type: string}}}}
""",
        encoding="utf-8",
    )
    files = generate_files(spec, package_name="l_client", formatter="none").files
    method = "get_concept_employee_pay_grade_meta_data_by_payroll_administration_id_and_payscale_key_and_pay_grade_key"
    assert any(f"def {method}(" in text for text in files.values())
    assert any(f"class {model}:" in text for text in files.values())
    assert max(len(path.rsplit("/", 1)[-1]) for path in files) <= 83  # 80 + ".py"


def test_an_integer_beyond_64_bits_is_no_literal() -> None:
    """mypy takes no `Literal` of an integer beyond 64 bits ("cannot contain arbitrary
    expressions"; `-N` is read as minus N): such values are typed `int`."""
    assert enum_type((2**63 - 1, 1 - 2**63)) == (
        "Literal[9223372036854775807, -9223372036854775807]",
        True,
    )
    assert enum_type((2**63,)) == ("int", False)
    assert enum_type((-(2**63), "a")) == ("Literal['a'] | int", True)
    assert enum_type((2**70, 1.5)) == ("float", False)  # a float types the numbers
    assert not is_literal_enum((2**63, 1)) and is_literal_enum((2**63 - 1, 1))
