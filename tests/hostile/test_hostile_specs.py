"""Hostile specs: spec text in every place it reaches output, generated and audited.

One spec per hostile string puts that string in all places at once (path keys,
parameter and header names, operationIds, tags and their descriptions, schema and
property names, enum values, `const`, defaults, examples, descriptions and summaries,
`pattern`, server URLs and variables, security scheme names and header names, `info`
fields, the file names of the spec and of a referenced spec). A *benign twin* with the
same structure and plain strings is generated too; `audit_package(hostile, twin)` must
find nothing: spec text may change constants and names, never code. Generation must
succeed or fail with `SpecError`, never another exception; a generated package must
import in a fresh interpreter and keep the hostile text (nothing lost).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from oagen.builder.constraints import pattern_error
from oagen.diagnostics import SpecError
from oagen.pipeline import generate_files
from oagen.write import write

from tests.hostile.audit import audit_package

Text = Callable[[str], str]  # place -> the string put there

HOSTILE: dict[str, str] = {
    "quotes": "'\"`\u2018\u2019“”«»",
    "backslashes": "\\ \\\\ \\n \\x00 \\u2028 \\N{BULLET} \\",
    "triple_double": 'a"""b""""',
    "triple_single": "a'''b'''",
    "ends_with_quote": 'ends with "',
    "ends_with_backslash": "ends with \\",
    "carriage_return": "a\rb\r\nc\r",
    "newlines": "a\nb\n\nc\n",
    "newline_code": "x\n    import os\nos.system('x')\n",
    "line_separators": "a\u2028b\u2029c\u0085d\x0be\x0cf",
    "nul": "a\x00b",
    "braces": "{} {{ }} {0} {x!r} {{x}}",
    "fstring": 'f\'{__import__("os").system("x")}\'',
    "noqa": "x  # noqa: E501  # type: ignore",
    "import_call": "__import__('os').system('x')",
    "breakout_double": '"); import os; os.system("x',
    "breakout_single": "'); import os; os.system('x",
    "breakout_docstring": '"""\nimport os\nos.system("x")\n"""',
    "lone_surrogates": "a\ud800b\udfffc",
    "bidi": "a\u202eb\u2066c\u2069\u200fd\u061c",
    "markdown_html": "</code>```<script>alert(1)</script>\n```\n<!-- x --> [a](javascript:x)",
    "jinja": "{% raw %}{{ ctx }}{% endraw %}{# c #}{%- if x %}",
    "blank": "   ",
    "unclosed_ipv6": "//[::1 http://[v1.x:port/[a",
    "long": "L" * 100_000,
}

# Names (and file names) are capped: a 100k identifier is a separate, slow case below.
NAME_LIMIT = 200
# Substrings that may appear in generated Python only inside string literals.
MARKERS = ("system(", "# noqa", "type: ignore", "<script>", "import os", '"""\n')


def _name(text: str) -> str:
    return text[:NAME_LIMIT]


def _pointer(name: str) -> str:
    """`#/components/schemas/<name>` as a URI fragment (RFC 6901 inside RFC 3986)."""
    escaped = "/components/schemas/" + name.replace("~", "~0").replace("/", "~1")
    # only what urlsplit would eat or misread; the resolver unquotes the fragment
    for ch in "%\t\r\n#":
        escaped = escaped.replace(ch, quote(ch, safe=""))
    return "#" + escaped


def _file_name(text: str, suffix: str) -> str:
    """A filesystem-legal file name holding as much of `text` as possible."""
    legal = re.sub(r"[/\x00\ud800-\udfff]", "_", text)
    return f"ext {legal[:100]}{suffix}"


def spec_for(t: Text, ext_file: str) -> dict[str, Any]:
    """The spec with `t(place)` in every place spec text reaches output."""
    schema = "W" + _name(t("schema"))
    enum = "E" + _name(t("enum_name"))
    scheme = "k" + _name(t("security_scheme"))
    tag = "t" + _name(t("tag"))
    path = "/items/" + _name(t("path_key")).replace("{", "(").replace("}", ")") + "/{itemId}"
    return {
        "openapi": "3.1.0",
        "info": {
            "title": t("title"),
            "version": t("version"),
            "description": t("info_description"),
            "summary": t("info_summary"),
        },
        "servers": [
            {
                "url": "https://api.test/" + _name(t("server_url")) + "/{v}",
                "description": t("server_description"),
                "variables": {
                    "v": {"default": t("server_default"), "description": t("server_var")}
                },
            }
        ],
        "tags": [
            {"name": tag, "description": t("tag_description")},
            {"name": "plain", "description": "Plain operations."},
        ],
        "security": [{scheme: []}],
        "paths": {
            path: {
                "summary": t("path_summary"),
                "description": t("path_description"),
                "parameters": [
                    {
                        "name": "itemId",
                        "in": "path",
                        "required": True,
                        "description": t("path_param_description"),
                        "schema": {"type": "string", "pattern": re.escape(t("path_pattern"))},
                    }
                ],
                "post": {
                    "operationId": "op" + _name(t("operation_id")),
                    "summary": t("operation_summary"),
                    "description": t("operation_description"),
                    "tags": [tag],
                    "parameters": [
                        {
                            "name": "q" + _name(t("query_name")),
                            "in": "query",
                            "description": t("query_description"),
                            "example": t("query_example"),
                            "schema": {
                                "type": "string",
                                "default": t("query_default"),
                                "enum": [t("query_enum"), "plain"],
                            },
                        },
                        {
                            "name": "X-H" + _name(t("header_name")),
                            "in": "header",
                            "description": t("header_description"),
                            "schema": {"type": "string", "maxLength": 10},
                        },
                        {
                            "name": "c" + _name(t("cookie_name")),
                            "in": "cookie",
                            "schema": {"type": "integer", "default": 3},
                        },
                    ],
                    "requestBody": {
                        "description": t("body_description"),
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": _pointer(schema)},
                                "examples": {
                                    "e": {"summary": t("example_summary"), "value": t("example")}
                                },
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": t("response_description"),
                            "headers": {
                                "X-R" + _name(t("response_header")): {
                                    "description": t("response_header_description"),
                                    "schema": {"type": "string"},
                                }
                            },
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": quote(ext_file) + "#/components/schemas/Ext"}
                                }
                            },
                        },
                        "404": {"description": t("error_description")},
                    },
                },
            },
            "/plain": {
                "get": {
                    "operationId": "plainOp",
                    "tags": ["plain"],
                    "responses": {"204": {"description": "Nothing."}},
                }
            },
        },
        "components": {
            "securitySchemes": {
                scheme: {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Key" + _name(t("security_header")),
                    "description": t("security_description"),
                }
            },
            "schemas": {
                schema: {
                    "type": "object",
                    "title": t("schema_title"),
                    "description": t("schema_description"),
                    "required": ["p" + _name(t("property"))],
                    "example": {"a": t("schema_example")},
                    "properties": {
                        "p" + _name(t("property")): {
                            "type": "string",
                            "description": t("property_description"),
                            "default": t("property_default"),
                            "examples": [t("property_example")],
                            "pattern": re.escape(t("property_pattern")),
                            "maxLength": 1_000_000,
                        },
                        "e" + _name(t("enum_property")): {"$ref": _pointer(enum)},
                        "c" + _name(t("const_property")): {
                            "const": t("const"),
                            "description": t("const_description"),
                        },
                        "n" + _name(t("nullable_property")): {
                            "type": ["string", "null"],
                            "description": t("nullable_description"),
                        },
                    },
                },
                enum: {
                    "type": "string",
                    "enum": [t("enum_value"), "plain" + t("enum_value")],
                    "description": t("enum_description"),
                },
            },
        },
    }


def ext_spec_for(t: Text) -> dict[str, Any]:
    """The second file, referenced from the first by a relative `$ref`."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Ext", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Ext": {
                    "type": "object",
                    "description": t("ext_description"),
                    "properties": {
                        "x" + _name(t("ext_property")): {
                            "type": "string",
                            "description": t("ext_property_description"),
                        }
                    },
                }
            }
        },
    }


def dump(data: Any, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(data, indent=1)  # lone surrogates become "\ud800" escapes
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=False, width=1_000_000)


def write_specs(folder: Path, t: Text, fmt: str, stem: str, ext_file: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ext_file).write_text(dump(ext_spec_for(t), fmt), encoding="utf-8")
    spec = folder / f"{stem}.{fmt}"
    spec.write_text(dump(spec_for(t, ext_file), fmt), encoding="utf-8")
    return spec


def benign(place: str) -> str:
    return "Plain " + place.replace("_", " ")


def hostile(text: str) -> Text:
    return lambda place: text


PACKAGE = "hostile_client"
FORMATS = ("yaml", "json")
# Hostile strings whose spec the loader may refuse (with a located SpecError): YAML
# has no way to write a lone surrogate (PyYAML rejects the "\ud800" escape).
# A lone surrogate is not Unicode: PyYAML cannot load one and oagen refuses it in JSON
# (a located error), rather than let it reach the validator or the output.
MAY_REFUSE = {("yaml", "lone_surrogates"), ("json", "lone_surrogates")}


@pytest.fixture(scope="session")
def twins(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The benign twin's package per format, generated once."""
    root = tmp_path_factory.mktemp("benign")
    out: dict[str, Path] = {}
    for fmt in FORMATS:
        spec = write_specs(root / f"spec-{fmt}", benign, fmt, "spec", f"ext.{fmt}")
        pkg = root / fmt / PACKAGE
        write(pkg, generate_files(spec, package_name=PACKAGE).files)
        findings = audit_package(pkg)
        assert not findings, "\n".join(findings)
        out[fmt] = pkg
    return out


def generate_hostile(folder: Path, text: str, fmt: str) -> Path | None:
    """The generated package of the hostile spec, or None after a clean SpecError."""
    stem = "spec " + re.sub(r"[/\x00\ud800-\udfff]", "_", text)[:80]
    spec = write_specs(folder / "spec", hostile(text), fmt, stem, _file_name(text, f".{fmt}"))
    try:
        result = generate_files(spec, package_name=PACKAGE)
    except SpecError as exc:
        message = str(exc)
        assert message.strip(), "a SpecError needs a message"
        assert "Traceback" not in message
        return None
    pkg = folder / "out" / PACKAGE
    write(pkg, result.files)
    return pkg


_IMPORT_ALL = textwrap.dedent(
    """
    import importlib, json, pathlib, sys, typing
    pkg = pathlib.Path(sys.argv[1])
    sys.path.insert(0, str(pkg.parent))
    for path in sorted(pkg.rglob("*.py")):
        parts = path.relative_to(pkg.parent).with_suffix("").parts
        importlib.import_module(".".join(p for p in parts if p != "__init__"))
    root = importlib.import_module(pkg.name)
    models = importlib.import_module(pkg.name + ".models")
    enums = []
    for name in models.__all__:
        value = getattr(models, name)
        if typing.get_origin(value) is typing.Literal:
            enums.append(list(typing.get_args(value)))
    try:
        root.Client(base_url="https://example.test").close()
        error = None
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    facts = {"version": root.__version__, "enums": enums, "client_error": error}
    sys.stderr.write(json.dumps(facts))
    """
)


def import_in_fresh_interpreter(pkg: Path) -> dict[str, Any]:
    """Import every module of `pkg` in a new interpreter; what it reports about itself."""
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL, str(pkg)],
        capture_output=True,
        check=False,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout == "", f"importing printed something: {proc.stdout[:500]!r}"
    data: dict[str, Any] = json.loads(proc.stderr.strip().splitlines()[-1])
    return data


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", list(HOSTILE))
def test_hostile_string_everywhere(
    key: str, fmt: str, twins: dict[str, Path], tmp_path: Path
) -> None:
    text = HOSTILE[key]
    pkg = generate_hostile(tmp_path, text, fmt)
    if pkg is None:
        assert (fmt, key) in MAY_REFUSE, "a spec this plain must generate, not be refused"
        return
    markers = [m for m in MARKERS if m in text]
    findings = audit_package(pkg, twins[fmt], markers=markers)
    assert not findings, "\n".join(findings)
    facts = import_in_fresh_interpreter(pkg)
    # nothing lost: the hostile text is what the package says and accepts
    assert facts["version"] == text or not text.strip()  # blank: a placeholder version
    assert [text, "plain" + text] in facts["enums"]
    # a client of this API can be made (info.version goes into the User-Agent)
    assert facts["client_error"] is None


# --- place-specific cases: texts that may make a spec invalid (SpecError is fine) ---

SPECIFIC = ("braces", "breakout_double", "newline_code", "markdown_html", "lone_surrogates")


def _path_param_spec(text: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "P", "version": "1"},
        "paths": {
            "/a/{" + text + "}": {
                "get": {
                    "operationId": "getA",
                    "parameters": [
                        {"name": text, "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {"204": {"description": "none"}},
                }
            }
        },
    }


def _raw_pattern_spec(text: str) -> dict[str, Any]:
    # a text Python's `re` cannot read is left unchecked (no pattern in the output, a
    # warning): the same text escaped is a pattern that reaches the output
    pattern = text if pattern_error(text) is None else re.escape(text)
    return {
        "openapi": "3.1.0",
        "info": {"title": "P", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "A": {
                    "type": "object",
                    "properties": {"a": {"type": "string", "pattern": pattern}},
                }
            }
        },
    }


def _raw_path_key_spec(text: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "P", "version": "1"},
        "servers": [{"url": text}],
        "paths": {
            "/" + text: {"get": {"operationId": "getA", "responses": {"204": {"description": "n"}}}}
        },
    }


PLACES: dict[str, Callable[[str], dict[str, Any]]] = {
    "path_parameter_name": _path_param_spec,
    "raw_pattern": _raw_pattern_spec,
    "raw_path_key_and_server_url": _raw_path_key_spec,
}


@pytest.mark.parametrize("key", SPECIFIC)
@pytest.mark.parametrize("place", list(PLACES))
def test_hostile_string_in_fragile_place(place: str, key: str, tmp_path: Path) -> None:
    make = PLACES[place]
    twin_spec = tmp_path / "twin.json"
    twin_spec.write_text(dump(make("plainName"), "json"), encoding="utf-8")
    twin = tmp_path / "twin" / PACKAGE
    write(twin, generate_files(twin_spec, package_name=PACKAGE).files)
    spec = tmp_path / "spec.json"
    spec.write_text(dump(make(HOSTILE[key]), "json"), encoding="utf-8")
    try:
        result = generate_files(spec, package_name=PACKAGE)
    except SpecError:
        return
    pkg = tmp_path / "out" / PACKAGE
    write(pkg, result.files)
    findings = audit_package(pkg, twin)
    assert not findings, "\n".join(findings)
    import_in_fresh_interpreter(pkg)


@pytest.mark.parametrize(
    "spec_name",
    ["x--><img src=x onerror=alert(1)><!--.json", "a\nimport os\n.json", 'q"""\\.json'],
    ids=["html_comment_breakout", "newline", "quotes"],
)
def test_hostile_spec_file_name(spec_name: str, twins: dict[str, Path], tmp_path: Path) -> None:
    """The spec's own file name reaches every header (Python and README)."""
    folder = tmp_path / "spec"
    spec = write_specs(folder, benign, "json", "spec", "ext.json")
    renamed = spec.rename(folder / spec_name)
    pkg = tmp_path / "out" / PACKAGE
    write(pkg, generate_files(renamed, package_name=PACKAGE).files)
    findings = audit_package(pkg, twins["json"])
    assert not findings, "\n".join(findings)


@pytest.mark.parametrize("place", ["operation_id", "tag", "schema", "property", "path_key"])
def test_long_names_generate_or_fail_cleanly(place: str, tmp_path: Path) -> None:
    """Identifiers of 300 characters: a file name that long must not crash the writer."""
    long = "N" * 300
    spec = write_specs(
        tmp_path / "spec",
        lambda p: long if p == place else benign(p),
        "json",
        "spec",
        "ext.json",
    )
    spec.write_text(spec.read_text(encoding="utf-8").replace("N" * NAME_LIMIT, long))
    try:
        result = generate_files(spec, package_name=PACKAGE)
    except SpecError:
        return
    pkg = tmp_path / "out" / PACKAGE
    write(pkg, result.files)
    findings = audit_package(pkg)
    assert not findings, "\n".join(findings)


@pytest.mark.slow
def test_100k_identifier_is_bounded_in_time(tmp_path: Path) -> None:
    """A 100,000-character operationId generates (or fails) within 30 s."""
    spec = tmp_path / "spec.json"
    spec.write_text(
        dump(
            {
                "openapi": "3.1.0",
                "info": {"title": "L", "version": "1"},
                "paths": {
                    "/a": {
                        "get": {
                            "operationId": "L" * 100_000,
                            "responses": {"204": {"description": "n"}},
                        }
                    }
                },
            },
            "json",
        ),
        encoding="utf-8",
    )
    code = (
        "import sys; from pathlib import Path\n"
        "from oagen.pipeline import generate_files\n"
        "from oagen.diagnostics import SpecError\n"
        "try:\n    generate_files(Path(sys.argv[1]), package_name='l_client')\n"
        "except SpecError:\n    pass\n"
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, str(spec)],
            capture_output=True,
            check=False,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("generation of a 100k-character operationId took more than 30 s")
    assert proc.returncode == 0, proc.stderr[-2000:]


MYPY_KEYS = ("quotes", "triple_double", "braces", "import_call", "breakout_docstring", "bidi")


@pytest.mark.slow
def test_hostile_packages_pass_mypy_strict(tmp_path: Path) -> None:
    """`mypy --strict --python-version 3.10` on combined hostile packages."""
    root = tmp_path / "pkgs"
    names = []
    for key in MYPY_KEYS:
        name = f"hostile_{key}_client"
        spec = write_specs(
            tmp_path / key, hostile(HOSTILE[key]), "json", "spec", _file_name(HOSTILE[key], ".json")
        )
        write(root / name, generate_files(spec, package_name=name).files)
        names.append(name)
    proc = subprocess.run(
        [
            sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10",
            "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
            *[arg for n in names for arg in ("-p", n)],
        ],
        capture_output=True,
        check=False,
        text=True,
        cwd=root,
        env={**os.environ, "MYPYPATH": str(root)},
        timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-5000:]
