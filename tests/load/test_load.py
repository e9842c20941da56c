"""load: YAML/JSON -> Spec with source positions; malformed input is a SpecError, always."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from oagen.diagnostics import SourceLocation, SpecError, Where
from oagen.load import load, split_pointer

YAML_SPEC = """\
openapi: 3.1.0
info:
  title: T
  version: '1'
paths:
  /a/{id}:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
"""

JSON_SPEC = """\
{
  "openapi": "3.1.0",
  "info": {"title": "T", "version": "1"},
  "paths": {
    "/a/{id}": {
      "get": {
        "operationId": "getA",
        "tags": ["x", "y"]
      }
    }
  }
}
"""


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> SpecError:
    """Load `path`, expecting a SpecError (and no other exception)."""
    with pytest.raises(SpecError) as info:
        load(path)
    assert info.value.diagnostics, "a SpecError carries at least one diagnostic"
    assert all(d.severity == "error" for d in info.value.diagnostics)
    return info.value


# -- positions ------------------------------------------------------------------------


def test_load_yaml_positions(tmp_path: Path) -> None:
    spec = load(_write(tmp_path, "s.yaml", YAML_SPEC))
    doc = spec.root
    assert doc.is_json is False
    assert doc.data["paths"]["/a/{id}"]["get"]["operationId"] == "getA"
    assert doc.locate("#/info/title") == SourceLocation(str(tmp_path / "s.yaml"), 3, 10)
    get = doc.locate("#/paths/~1a~1{id}/get")  # a block mapping starts at its first key
    assert (get.line, get.column) == (8, 7)
    loc = doc.locate("#/paths/~1a~1{id}/get/operationId")
    assert (loc.line, loc.column) == (8, 20)
    loc = doc.locate("#/paths/~1a~1{id}/get/responses/200/description")
    assert (loc.line, loc.column) == (11, 24)


def test_load_yaml_missing_pointer_falls_back_to_parent(tmp_path: Path) -> None:
    doc = load(_write(tmp_path, "s.yaml", YAML_SPEC)).root
    loc = doc.locate("#/info/nope/deeper")
    assert (loc.line, loc.column) == (3, 3)  # the `info` mapping's value starts on line 3
    assert (doc.locate("#").line, doc.locate("#").column) == (1, 1)


def test_load_json_positions(tmp_path: Path) -> None:
    spec = load(_write(tmp_path, "s.json", JSON_SPEC))
    doc = spec.root
    assert doc.is_json is True
    assert doc.data["paths"]["/a/{id}"]["get"]["tags"] == ["x", "y"]
    loc = doc.locate("#/info/version")
    assert (loc.line, loc.column) == (3, 37)
    loc = doc.locate("#/paths/~1a~1{id}/get/operationId")
    assert (loc.line, loc.column) == (7, 24)
    loc = doc.locate("#/paths/~1a~1{id}/get/tags/1")
    assert (loc.line, loc.column) == (8, 23)
    loc = doc.locate("#/paths/~1a~1{id}/get/missing")  # nearest parent: the `get` object
    assert (loc.line, loc.column) == (6, 14)


@pytest.mark.parametrize("before", ["", "\ufeff \n\t"])
def test_load_json_detected_by_content_with_yaml_suffix(tmp_path: Path, before: str) -> None:
    """Decided once, on the file's bytes (a BOM and whitespace before the `{`): then
    read as ASCII (see `ascii_text`), positions counted in the file's characters."""
    text = before + JSON_SPEC.replace('"title": "T"', '"title": "T\u00e9\u00e9"')
    assert text != before + JSON_SPEC
    doc = load(_write(tmp_path, "s.yaml", text)).root
    assert doc.is_json is True and doc.text.isascii()
    assert doc.data["info"]["title"] == "T\u00e9\u00e9"
    line = 3 + before.count("\n")
    location = doc.locate("#/info/version")
    assert (location.line, location.column) == (line, 39)  # 37 without the two \u00e9


@pytest.mark.parametrize("name", ["s.yaml", "s.yml", "spec"])
def test_yaml_in_flow_style_is_yaml_though_it_starts_like_json(tmp_path: Path, name: str) -> None:
    """`{openapi: 3.0.3, ...}` starts with `{` but is no JSON: read as the YAML it is
    (unless the file says `.json`); invalid JSON that is no YAML either is reported
    as JSON."""
    text = "{openapi: 3.0.3, info: {title: T, version: '1'},\n paths: {/a: {}}}\n"
    doc = load(_write(tmp_path, name, text)).root
    assert doc.is_json is False and doc.data["paths"] == {"/a": {}}
    assert doc.locate("#/paths").line == 2
    with pytest.raises(SpecError, match="invalid JSON"):
        load(_write(tmp_path, "s.json", text))
    with pytest.raises(SpecError, match="invalid JSON"):
        load(_write(tmp_path, "broken.yaml", '{"openapi": "3.0.3", "info": {'))


def test_spec_locate_uses_document_key(tmp_path: Path) -> None:
    spec = load(_write(tmp_path, "s.yaml", YAML_SPEC))
    assert spec.root.key == "s.yaml"
    loc = spec.locate(Where("s.yaml", "#/info/title"))
    assert loc is not None and (loc.line, loc.column) == (3, 10)
    assert spec.locate(Where("other.yaml", "#")) is None


def test_split_pointer_unescapes() -> None:
    assert split_pointer("#/paths/~1a~1{id}/x~0y") == ["paths", "/a/{id}", "x~y"]
    assert split_pointer("#") == []


# -- malformed input --------------------------------------------------------------------


def test_load_yaml_duplicate_key(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.yaml", "a: 1\nb:\n  c: 2\n  c: 3\n")
    (diag,) = _error(path).diagnostics
    assert "duplicate key 'c'" in diag.message
    assert diag.location == SourceLocation(str(path), 4, 3)
    assert diag.pointer == "#/b/c"


@pytest.mark.parametrize(
    ("text", "pointer"),
    [
        ("a:\n  - x\n  - !!binary aGk=\n", "#/a/1"),  # a YAML-only tag
        ("a: {b/c: !!set {x}}\n", "#/a/b~1c"),
        ("a: &x [*x]\n", "#/a/0"),  # an alias of what it is in
        ("a:\n  b: 9" + "9" * 5000 + "\n", "#/a/b"),
        ("a: {<<: [1]}\n", "#/a"),
    ],
)
def test_yaml_errors_name_the_value_they_are_about(tmp_path: Path, text: str, pointer: str) -> None:
    (diag,) = _error(_write(tmp_path, "s.yaml", text)).diagnostics
    assert diag.pointer == pointer, diag


def test_load_json_duplicate_key(tmp_path: Path) -> None:
    path = _write(tmp_path, "s.json", '{"a": 1,\n "b": {"c": 2, "c": 3}}')
    (diag,) = _error(path).diagnostics
    assert "duplicate key 'c'" in diag.message
    assert diag.location == SourceLocation(str(path), 2, 16)


def test_an_integer_too_long_for_python_is_located_in_json(tmp_path: Path) -> None:
    """Past Python's digit bound: said so, where the number is (a longer run of
    digits in a string before it is no number)."""
    text = '{"a": "' + "9" * 5000 + '",\n "b": [1, -' + "9" * 5000 + "]}"
    (diag,) = _error(_write(tmp_path, "s.json", text)).diagnostics
    assert diag.message == "invalid JSON: an integer of more than 4300 digits"
    assert diag.location == SourceLocation(str(tmp_path / "s.json"), 2, 11)


def test_load_json_duplicate_key_located_at_the_duplicate(tmp_path: Path) -> None:
    # The key also appears, legitimately, earlier in the file.
    path = _write(tmp_path, "s.json", '{"c": 1,\n "d": {"c": 2, "c": 3}}')
    (diag,) = _error(path).diagnostics
    assert "duplicate key 'c'" in diag.message
    assert diag.location == SourceLocation(str(path), 2, 16)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo hacked']\n",
        "a: !!python/name:os.system ''\n",
        "a: !!python/object:os.system {}\n",
        "a: !!python/object:builtins.dict {x: 1}\n",
        "a: !!binary aGVsbG8=\n",
        "a: !custom value\n",
        "a: !!set {x}\n",
    ],
)
def test_load_yaml_tags_refused(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, "s.yaml", text)
    (diag,) = _error(path).diagnostics
    assert "tag" in diag.message
    assert diag.location == SourceLocation(str(path), 1, 4)


def test_load_yaml_standard_scalars_and_aliases(tmp_path: Path) -> None:
    text = "a: &x [1, 2]\nb: *x\nc: 2024-01-02\nd: null\ne: 1.5\nf: true\n<<: {g: 1}\n"
    data = load(_write(tmp_path, "s.yaml", text)).root.data
    assert data == {
        "a": [1, 2],
        "b": [1, 2],
        "c": "2024-01-02",
        "d": None,
        "e": 1.5,
        "f": True,
        "g": 1,
    }


def test_load_yaml_plain_scalars_are_read_as_yaml_1_2_does(tmp_path: Path) -> None:
    """YAML 1.2's core schema (what OpenAPI asks for, and what js-yaml based tools
    read): YAML 1.1's `yes`/`no`/`on`/`off` booleans, sexagesimal numbers, `0b`
    binary and `_` separators are text; a leading zero is decimal, `0o` octal."""
    text = (
        "countries: [SE, NO, no, Yes, on, OFF, y, n]\n"
        "slots: ['09:00', 12:30, 1:20:30.5]\n"
        "numbers: [012, 0o17, 0x1F, -7, +3, 1_000, 0b101, 1e3, .5, -.inf, .NaN, 6.]\n"
        "flags: [true, True, TRUE, false, False, FALSE, ~, Null, NULL, '', null]\n"
        "text: [tRue, nULL, 1.2.3, 0x1G, 2024-01-02T03:04:05Z]\n"
        "empty:\n"
    )
    data = load(_write(tmp_path, "s.yaml", text)).root.data
    assert data["countries"] == ["SE", "NO", "no", "Yes", "on", "OFF", "y", "n"]
    assert data["slots"] == ["09:00", "12:30", "1:20:30.5"]
    numbers = data["numbers"]
    assert numbers[:6] == [12, 15, 31, -7, 3, "1_000"] and numbers[6] == "0b101"
    assert numbers[7:9] == [1000.0, 0.5] and numbers[9] == float("-inf")
    assert numbers[10] != numbers[10] and numbers[11] == 6.0  # NaN
    assert [type(n) for n in numbers[:5]] == [int] * 5
    assert data["flags"] == [True, True, True, False, False, False, None, None, None, "", None]
    assert data["text"] == ["tRue", "nULL", "1.2.3", "0x1G", "2024-01-02T03:04:05Z"]
    assert data["empty"] is None


def test_load_yaml_explicit_scalar_tags_are_checked(tmp_path: Path) -> None:
    assert load(_write(tmp_path, "a.yaml", "a: !!str 12\nb: !!int '7'\n")).root.data == {
        "a": "12",
        "b": 7,
    }
    (diag,) = _error(_write(tmp_path, "b.yaml", "a: !!bool yes\n")).diagnostics
    assert diag.message == "invalid boolean: 'yes'"
    assert diag.location == SourceLocation(str(tmp_path / "b.yaml"), 1, 4)


def test_load_yaml_alias_bomb_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    path = _write(tmp_path, "s.yaml", "\n".join(lines) + "\n")
    (diag,) = _error(path).diagnostics
    assert "aliases expand to more than" in diag.message


@pytest.mark.parametrize(
    ("name", "text", "line", "column", "fragment"),
    [
        ("s.yaml", "a: [1, 2\nb: 3\n", 2, 2, "invalid YAML"),
        ("s.yaml", "a:\n\t- b\n", 2, 1, "invalid YAML"),
        ("s.yaml", "a: *nope\n", 1, 4, "invalid YAML"),
        ("s.json", '{"a": 1,,}', 1, 9, "invalid JSON"),
        ("s.json", '{"a": NaN}', 1, 1, "invalid JSON"),
        ("s.json", '{"a": 1', 1, 8, "invalid JSON"),
        ("s.yaml", "", 1, 1, "empty"),
        ("s.json", "  \n\n", 1, 1, "empty"),
        ("s.yaml", "# only a comment\n", 1, 1, "empty"),
    ],
)
def test_load_malformed_is_spec_error(
    tmp_path: Path, name: str, text: str, line: int, column: int, fragment: str
) -> None:
    path = _write(tmp_path, name, text)
    (diag,) = _error(path).diagnostics
    assert fragment in diag.message
    assert diag.location == SourceLocation(str(path), line, column)


@pytest.mark.parametrize("name", ["s.yaml", "s.json"])
def test_load_non_utf8_is_spec_error(tmp_path: Path, name: str) -> None:
    raw = b'{"a": 1,\n "b": "caf\xe9"}' if name.endswith(".json") else b"a: 1\nb: caf\xe9\n"
    path = _write(tmp_path, name, raw)
    (diag,) = _error(path).diagnostics
    assert diag.message == "the file is not valid UTF-8"
    assert diag.location is not None and diag.location.line == 2


def test_load_deep_nesting_is_spec_error(tmp_path: Path) -> None:
    for name in ("deep.json", "deep.yaml"):
        path = _write(tmp_path, name, "[" * 5000 + "]" * 5000)
        (diag,) = _error(path).diagnostics
        assert "nested" in diag.message


def test_load_missing_file_is_spec_error(tmp_path: Path) -> None:
    (diag,) = _error(tmp_path / "absent.yaml").diagnostics
    assert diag.message.startswith("cannot read the file")


def test_load_utf8_bom_accepted(tmp_path: Path) -> None:
    data = load(_write(tmp_path, "s.yaml", "\ufeffa: 1\n")).root.data
    assert data == {"a": 1}


@pytest.mark.parametrize("text", ["\ufeffa: 1\r\n", '{"a": 1}'])
def test_a_document_records_the_digest_of_the_bytes_it_parsed(tmp_path: Path, text: str) -> None:
    """What the manifest records of a spec file, and what a later run compares with
    the file's bytes on disk (a BOM and line ends included)."""
    path = _write(tmp_path, "s.yaml", text)
    assert load(path).root.digest == hashlib.sha256(path.read_bytes()).hexdigest()


# -- file refs ----------------------------------------------------------------------------


def test_load_relative_file_ref_loads_second_document(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        "api/spec.yaml",
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    A: {$ref: 'common/other.yaml#/components/schemas/X'}\n",
    )
    _write(
        tmp_path,
        "api/common/other.yaml",
        "components:\n  schemas:\n    X:\n      type: string\n",
    )
    spec = load(root)
    assert sorted(spec.documents) == ["common/other.yaml", "spec.yaml"]
    other = spec.documents["common/other.yaml"]
    assert other.data["components"]["schemas"]["X"] == {"type": "string"}
    loc = other.locate("#/components/schemas/X/type")
    assert (loc.line, loc.column) == (4, 13)


@pytest.mark.parametrize("name", ["spec.json", "spec.yaml"])
def test_a_discriminator_mapping_naming_another_file_loads_it(tmp_path: Path, name: str) -> None:
    """A mapping value may be a reference to another file: loaded as a `$ref`'s file
    is; a schema's name or a `#/...` one names none. One that cannot be loaded (not
    found, outside the folder, remote) is no error: the build warns of the value."""
    mapping = {"dog": "dogs.yaml#/Dog", "cat": "Cat", "bird": "#/components/schemas/Bird"}
    pet = {"discriminator": {"propertyName": "kind", "mapping": mapping}}
    text = json.dumps({"openapi": "3.1.0", "components": {"schemas": {"Pet": pet}}})
    root = _write(tmp_path, name, text)
    _write(tmp_path, "dogs.yaml", "Dog: {type: object}\n")
    assert sorted(load(root).documents) == ["dogs.yaml", name]
    for elsewhere in ("../dogs.yaml#/Dog", "https://example.com/dogs.yaml#/Dog", "no.yaml#/D"):
        mapping["dog"] = elsewhere
        root.write_text(json.dumps({"components": {"schemas": {"Pet": pet}}}), encoding="utf-8")
        assert sorted(load(root).documents) == [name]


def test_load_ref_leaving_folder_refused(tmp_path: Path) -> None:
    _write(tmp_path, "x.yaml", "X: {type: string}\n")
    path = _write(tmp_path, "api/spec.yaml", "a:\n  b: {$ref: '../x.yaml#/X'}\n")
    (diag,) = _error(path).diagnostics
    assert "leaves the spec's folder" in diag.message
    assert diag.pointer == "#/a/b/$ref"
    assert diag.location == SourceLocation(str(path), 2, 13)


@pytest.mark.parametrize(
    "ref", ["http://example.com/x.yaml#/X", "https://example.com/x.yaml", "//host/x.yaml"]
)
def test_load_remote_ref_refused(tmp_path: Path, ref: str) -> None:
    path = _write(tmp_path, "spec.yaml", f"a: {{$ref: '{ref}'}}\n")
    (diag,) = _error(path).diagnostics
    assert "remote $ref" in diag.message
    assert diag.pointer == "#/a/$ref"


def test_load_missing_ref_file_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "spec.yaml", "a: {$ref: 'nope.yaml#/X'}\n")
    (diag,) = _error(path).diagnostics
    assert "file not found" in diag.message


def test_load_error_in_referenced_file_is_located_there(tmp_path: Path) -> None:
    root = _write(tmp_path, "spec.yaml", "a: {$ref: 'b.yaml#/x'}\n")
    b = _write(tmp_path, "b.yaml", "x: 1\nx: 2\n")
    (diag,) = _error(root).diagnostics
    assert "duplicate key" in diag.message
    assert diag.location is not None
    assert Path(diag.location.file).name == b.name and diag.location.line == 2


def test_load_all_ref_problems_reported_together(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "spec.yaml",
        "a: {$ref: 'http://x/y'}\nb: {$ref: '../z.yaml'}\n",
    )
    diags = _error(path).diagnostics
    assert [d.location.line for d in diags if d.location] == [1, 2]


def test_json_locator_lines_and_columns_in_any_order() -> None:
    """Positions are counted from the nearest one counted before: any order of
    lookups gives what a full line index would."""
    import bisect
    import random

    from oagen.jsontext import JsonLocator

    text = "".join(f'{"  " * (i % 7)}"k{i}": [{i}, "x\\ny"],\n' for i in range(500))
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    locator = JsonLocator(text)
    offsets = [0, len(text) - 1, len(text), *random.Random(5).sample(range(len(text)), 300)]
    for offset in offsets:
        line = bisect.bisect_right(starts, offset)
        assert locator._line_column(offset) == (line, offset - starts[line - 1] + 1)


def test_json_locator_finds_nested_values_decoding_no_text_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each lookup finds the value's first character, in any order of lookups; the
    values skipped on the way are decoded once in all (a lookup that goes on inside
    a value does not first skip over it: on GitHub's spec that halved the time of
    locating the warnings)."""
    import itertools
    import json

    from oagen import jsontext

    document = {
        "a": {"x": [1, {"deep": "v"}], "y": {"z": True}},
        "b": [{"k": "w"}, [2, 3]],
        "c": {"a/b": {"~": None}},
    }
    text = json.dumps(document, indent=2)
    skipped: list[tuple[int, int]] = []
    real = jsontext.SKIPPER

    class Spy:
        def raw_decode(self, s: str, idx: int) -> tuple[object, int]:
            value, end = real.raw_decode(s, idx)
            skipped.append((idx, end))
            return value, end

    monkeypatch.setattr(jsontext, "SKIPPER", Spy())
    locator = jsontext.JsonLocator(text)
    cases = [
        (["a", "x", "1", "deep"], '"v"'),
        (["b", "1", "0"], "2"),
        (["a", "y", "z"], "true"),
        (["a", "y", "z", "inside-a-scalar"], "true"),
        (["c", "a/b", "~"], "null"),
        (["b", "0", "k"], '"w"'),
        (["a", "x", "0"], "1"),
    ]
    for segments, value in cases:
        line, column = locator.locate(segments)
        offset = sum(len(row) + 1 for row in text.split("\n")[: line - 1]) + column - 1
        assert text.startswith(value, offset), segments
    spans = sorted(skipped)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), spans


# Containers 0, 1 and 2 levels down (`INDEXED_LEVELS`), with whitespace, escapes,
# arrays, empty containers and `$ref`s at every level; values deeper than that.
INDEXED = """ {"paths": {"/a~b": {"get": {"deep": [1, {"x": 2}]}, "put": []},
  "/c": {}}, "components" :{ "schemas" : {"Pet": {"$ref": "other.json#/P"},
  "Tag": {"type": "string", "enum": ["a", "b"]}, "\\u00e9": true}},
  "tags": [{"name": "t"}, [], 3], "n": null, "": {"": [[{"$ref": "x.json"}]]}} """


def test_json_parsed_with_offsets_is_the_same_value_and_notes_three_levels() -> None:
    """Asked for offsets, the top three levels of containers are read member by
    member: the same value (and `$ref`s naming files, in the same order) as without,
    and where each of their members starts; nothing of deeper containers."""
    from oagen.jsontext import INDEXED_LEVELS, parse_json

    plain_refs: list[str] = []
    plain = parse_json(INDEXED, plain_refs)
    refs: list[str] = []
    offsets: dict[int, tuple[dict[str, int], int]] = {}
    assert parse_json(INDEXED, refs, offsets=offsets) == plain == json.loads(INDEXED)
    assert refs == plain_refs == ["other.json#/P", "x.json"]
    assert INDEXED_LEVELS == 3

    def expected(value: object, start: int, level: int) -> dict[int, dict[str, int]]:
        """Each container's members' offsets, found by decoding each member alone."""
        if level == INDEXED_LEVELS or not isinstance(value, (dict, list)):
            return {}
        found: dict[str, int] = {}
        out: dict[int, dict[str, int]] = {}
        position = start + 1
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for index, (key, member) in enumerate(items):
            if index:
                position = INDEXED.index(",", position) + 1
            if isinstance(value, dict):
                position = INDEXED.index(json.dumps(key), position) + len(json.dumps(key))
                position = INDEXED.index(":", position) + 1
            position = len(INDEXED) - len(INDEXED[position:].lstrip())
            found[str(key)] = position
            out.update(expected(member, position, level + 1))
            end = json.JSONDecoder().raw_decode(INDEXED, position)[1]
            assert json.loads(INDEXED[position:end]) == member
            position = end
        out[start] = found
        return out

    assert {start: found for start, (found, _) in offsets.items()} == expected(plain, 1, 0)
    for start, (_, closer) in offsets.items():
        assert INDEXED[closer] == ("}" if INDEXED[start] == "{" else "]")
        assert json.JSONDecoder().raw_decode(INDEXED, start)[1] == closer + 1


def test_json_locator_from_offsets_decodes_nothing_before_the_member(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the offsets `parse_json` noted, a lookup starts at the nearest noted
    member: it gives the position a locator without them gives, and decodes nothing
    that comes before that member."""
    import random

    from oagen import jsontext

    offsets: jsontext.Offsets = {}
    value = jsontext.parse_json(INDEXED, offsets=offsets)
    skipped: list[int] = []
    real = jsontext.SKIPPER

    class Spy:
        def raw_decode(self, s: str, idx: int) -> tuple[object, int]:
            skipped.append(idx)
            return real.raw_decode(s, idx)

    def pointers(node: object, path: list[str]) -> list[list[str]]:
        found = [path]
        if isinstance(node, (dict, list)):
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, member in items:
                found += pointers(member, [*path, str(key)])
        return found

    every = [*pointers(value, []), ["paths", "nope"], ["components", "schemas", "Pet", "x"]]
    random.Random(3).shuffle(every)
    without = jsontext.JsonLocator(INDEXED)
    monkeypatch.setattr(jsontext, "SKIPPER", Spy())
    with_offsets = jsontext.JsonLocator(INDEXED, offsets=offsets)
    for segments in every:
        assert with_offsets.locate(segments) == without.locate(segments), segments
    deep = INDEXED.index('"deep"')
    skipped.clear()
    offset = INDEXED.index('"b"]')
    column = offset - INDEXED.rindex("\n", 0, offset)
    assert with_offsets.locate(["components", "schemas", "Tag", "enum", "1"]) == (3, column)
    assert all(idx > INDEXED.index('"Tag"') for idx in skipped), skipped
    skipped.clear()
    with_offsets.locate(["paths", "/a~b", "get", "deep", "1", "x"])
    assert all(idx >= deep for idx in skipped), skipped


def test_loaded_json_locates_from_its_offsets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`load` keeps the offsets of a JSON document: a diagnostic's place is found
    without decoding the sections and entries before it (in the file's lines)."""
    from oagen import jsontext

    schemas = {
        f"S{i}": {"type": "object", "properties": {"p": {"type": "string"}}} for i in range(50)
    }
    document = {"openapi": "3.1.0", "paths": {f"/p{i}": {} for i in range(50)}}
    document["components"] = {"schemas": schemas}
    text = json.dumps(document, indent=2)
    spec = load(_write(tmp_path, "s.json", text))
    assert spec.root.offsets
    skipped: list[int] = []
    real = jsontext.SKIPPER

    class Spy:
        def raw_decode(self, s: str, idx: int) -> tuple[object, int]:
            skipped.append(idx)
            return real.raw_decode(s, idx)

    monkeypatch.setattr(jsontext, "SKIPPER", Spy())
    found = spec.texts().locate(Where(spec.root.key, "#/components/schemas/S40/properties/p"))
    offset = text.index('"p"', text.index('"S40"')) + len('"p": ')
    line = text.count("\n", 0, offset) + 1
    assert found == SourceLocation(
        str(spec.root.display), line, offset - text.rindex("\n", 0, offset)
    )
    assert all(idx > text.index('"S40"') for idx in skipped), skipped


@pytest.mark.parametrize(
    "text",
    [
        '{"a": {"b": {"c": 1,}}}',
        '{"a": {"b": [1, 2,]}}',
        '{"a": {"b" 1}}',
        '{"a": {"b": 1 "c": 2}}',
        '{"a": {1: 2}}',
        '{"a": {"b": NaN}}',
        '{"a": {"b": {"c": 1, "c": 2}}}',
        '{"a": {"b": 1}} x',
        '{"a": {"b": 1}',
        '{"a": {"b": [',
        '{"a": ["\x01"]}',
        '{"a": {"b": ' + "9" * 5000 + "}}",
    ],
)
def test_json_errors_are_the_same_with_offsets(text: str) -> None:
    """Invalid JSON at the levels read member by member is reported as `json.loads`
    reports it: the same message, at the same place, as without offsets."""
    from oagen.jsontext import LoadError, parse_json

    with pytest.raises(LoadError) as plain:
        parse_json(text)
    offsets: dict[int, tuple[dict[str, int], int]] = {}
    with pytest.raises(LoadError) as indexed:
        parse_json(text, offsets=offsets)
    found = (indexed.value.message, indexed.value.line, indexed.value.column)
    assert found == (plain.value.message, plain.value.line, plain.value.column)
    assert offsets == {}


# -- JSON read as ASCII ------------------------------------------------------------------

# a line with characters of 2, 3 and 4 bytes (the last one above U+FFFF) before the values
_WIDE = '{"a": "caf\u00e9 \u2014 \U0001f600", "b": {"c": 1}, "d": [true, "\u00e9\u00e9"], "e": 2}'


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"])
def test_json_is_read_as_ascii_with_the_same_value(tmp_path: Path, prefix: bytes) -> None:
    from oagen.jsontext import ascii_text

    raw = prefix + _WIDE.encode("utf-8")
    found = ascii_text(raw)
    assert found is not None
    text, escapes = found
    assert text.isascii() and [chars for _, _, chars in escapes.spans] == [1, 1, 1, 2]  # runs
    assert json.loads(text) == json.loads(_WIDE)
    assert load(_write(tmp_path, "s.json", raw)).root.data == json.loads(_WIDE)


def test_json_mostly_not_ascii_or_not_utf8_is_decoded_as_it_is() -> None:
    from oagen.jsontext import MAX_ESCAPED, ascii_text

    assert (
        ascii_text(json.dumps({"a": "\u00e9" * MAX_ESCAPED}, ensure_ascii=False).encode()) is None
    )
    assert ascii_text(b'{"a": "caf\xe9"}') is None  # Latin-1: the usual decoding reports it
    assert ascii_text(b'{"a": 1}') is not None


@pytest.mark.parametrize(
    ("pointer", "value"), [("#/b/c", "1"), ("#/d/1", '"\u00e9\u00e9"'), ("#/e", "2")]
)
def test_json_positions_count_the_files_characters(
    tmp_path: Path, pointer: str, value: str
) -> None:
    """Columns of values after non-ASCII characters on their line are counted in the
    file's characters, not in the escapes they are read as."""
    doc = load(_write(tmp_path, "s.json", ("\n" + _WIDE).encode("utf-8"))).root
    location = doc.locate(pointer)
    assert (location.line, location.column) == (2, _WIDE.index(value) + 1)


_ERRORS = [
    ('{"a": "\u00e9\U0001f600", "a": 2}', "duplicate key 'a'", '"a": 2'),
    ('{"a": "\u00e9\U0001f600", "b": 2,, }', "Expecting property name", ", }"),
    ('{"a": "\u00e9\U0001f600", "b": "\\ud800"}', "lone surrogate", "\\ud800"),
    # an escaped backslash, then a real escape of a low surrogate that nothing pairs
    ('{"a": "\u00e9", "b": "\\\\uD800\\uDC00"}', "lone surrogate", "\\uDC00"),
    ('{"a": "\u00e9", "b": "\\\\\\uDBFF"}', "lone surrogate", "\\uDBFF"),
    ('{"a": "\u00e9", "b": "\\uD83D\\uD83D\\uDE00"}', "lone surrogate", "\\uD83D\\uD83D"),
]


@pytest.mark.parametrize(
    "text",
    [
        # AWS's specs (appflow, dynamodb, glue, sagemaker...): regular expressions that
        # spell surrogate ranges, with the backslash escaped (text, not escapes)
        r'{"x-pattern": "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*"}',
        r'{"a": "\\\\uDC00 \\\\\\\\uD800", "b": "\ud83d\ude00", "c": "\uD83D\uDE00\\uDFFF"}',
    ],
)
def test_json_escaped_backslashes_before_u_are_no_surrogates(tmp_path: Path, text: str) -> None:
    """`\\\\uD800` in a JSON string is a backslash and the text `uD800`; a pair of
    escapes is one character. Neither is a lone surrogate."""
    doc = load(_write(tmp_path, "s.json", text)).root
    assert doc.data == json.loads(text)


@pytest.mark.parametrize(("text", "fragment", "at"), _ERRORS)
def test_json_errors_count_the_files_characters(
    tmp_path: Path, text: str, fragment: str, at: str
) -> None:
    (diag,) = _error(_write(tmp_path, "s.json", text)).diagnostics
    assert fragment in diag.message
    assert diag.location == SourceLocation(str(tmp_path / "s.json"), 1, text.index(at) + 1)
