"""Regeneration after an edit of one documentation string (`docedit`).

Whatever the edit, the result (files, manifest, findings) is what a full generation
of the edited spec gives; the short way is taken exactly when the edited string is
one the IR holds, and everything else falls back to a full generation.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import docedit
from generator.docedit import find_edit
from generator.pipeline import Result, generate_files
from generator.write import write

REPO = Path(__file__).resolve().parent.parent
SPECS = {
    "archal": REPO / "specs" / "archal.yaml",
    **{
        case: REPO / "tests" / "cases" / case / "spec.yaml"
        for case in ("minimal", "composition", "untagged")
    },
}
# what edits append: JSON escapes, docstring quotes, backslashes, line breaks, Unicode
SUFFIXES = (
    " (edited)",
    ' with "quotes" and """triple""" ones',
    " C:\\path\\ and \\n",
    "\n\nA second paragraph.\n",
    " \u00e9\u2028\U0001f600 -->",
)


@pytest.fixture
def ways(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """ "quick" or "full": how each generation given a cache went."""
    taken: list[str] = []
    real = docedit.regenerate

    def spy(*args: Any, **kwargs: Any) -> docedit.Regenerated | None:
        result = real(*args, **kwargs)
        taken.append("full" if result is None else "quick")
        return result

    monkeypatch.setattr(docedit, "regenerate", spy)
    return taken


def _as_json(source: Path, target: Path, *, minified: bool = False) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    _dump(data, target, minified=minified)
    return target


def _dump(data: Any, target: Path, *, minified: bool = False) -> None:
    if minified:
        text = json.dumps(data, separators=(",", ":"), default=str, ensure_ascii=False)
    else:
        text = json.dumps(data, indent=2, default=str, ensure_ascii=False)
    target.write_text(text, encoding="utf-8")


def _doc_paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every `description`/`summary` string of a document, wherever it is."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("description", "summary") and isinstance(value, str):
                yield (*path, key)
            else:
                yield from _doc_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _doc_paths(value, (*path, index))


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    _get(data, path[:-1])[path[-1]] = value


def _pointer(path: tuple[Any, ...]) -> str:
    return "#" + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _state(cache: Path) -> dict[str, Any]:
    """The cache's state, once no detached process is still writing it."""
    lock = docedit._lock(cache)
    assert lock is not None
    try:
        state = docedit._read_state(cache)
    finally:
        os.close(lock)
    assert state is not None
    return state


def _generate(spec: Path, out: Path, cache: Path, formatter: str = "none") -> Result:
    result = generate_files(spec, previous=out, cache=cache, formatter=formatter)  # type: ignore[arg-type]
    write(out, result.files)
    return result


def _same_as_scratch(result: Result, spec: Path, formatter: str = "none") -> None:
    scratch = generate_files(spec, formatter=formatter)  # type: ignore[arg-type]
    assert result.files == scratch.files
    assert [str(d) for d in result.diagnostics] == [str(d) for d in scratch.diagnostics]
    assert (result.operations, result.models) == (scratch.operations, scratch.models)


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_documentation_edit_gives_a_full_generations_output(
    name: str, tmp_path: Path, ways: list[str]
) -> None:
    spec = _as_json(SPECS[name], tmp_path / f"{name}.json")
    out, cache = tmp_path / "out", tmp_path / "cache"
    _generate(spec, out, cache)
    data = json.loads(spec.read_text(encoding="utf-8"))
    paths = list(_doc_paths(data))
    assert paths
    expected: list[str] = []
    for number, path in enumerate(paths):
        state = _state(cache)
        pointer = _pointer(path)
        held = bool(state["docs"].get(pointer)) and pointer not in state["ambiguous"]
        expected.append("quick" if held else "full")
        _set(data, path, _get(data, path) + SUFFIXES[number % len(SUFFIXES)])
        _dump(data, spec)
        _same_as_scratch(_generate(spec, out, cache), spec)
    assert ways[1:] == expected
    assert "quick" in expected


def test_ruff_formatted_output_too(tmp_path: Path, ways: list[str]) -> None:
    spec = _as_json(SPECS["archal"], tmp_path / "archal.json")
    out, cache = tmp_path / "out", tmp_path / "cache"
    _generate(spec, out, cache, "ruff")
    data = json.loads(spec.read_text(encoding="utf-8"))
    for path in list(_doc_paths(data))[:6]:
        _set(data, path, _get(data, path) + ' "edited" """')
        _dump(data, spec)
        _same_as_scratch(_generate(spec, out, cache, "ruff"), spec, "ruff")
    assert ways.count("quick") >= 4


CONFLICT = {
    "openapi": "3.1.0",
    "info": {"title": "Conflicts", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Base": {
                "description": "The base.",
                "type": "object",
                "properties": {"id": {"type": "string", "description": "Its id."}},
            },
            "Child": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"type": "object", "properties": {"id": {"type": "integer"}}},
                ]
            },
        }
    },
}


@pytest.mark.parametrize("minified", [False, True])
def test_findings_after_the_edit_move_with_it(
    tmp_path: Path, ways: list[str], minified: bool
) -> None:
    """A finding on the edited line, after the string, moves by the edit's length."""
    spec = tmp_path / "conflicts.json"
    data = json.loads(json.dumps(CONFLICT))
    _dump(data, spec, minified=minified)
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = _generate(spec, out, cache)
    assert any("allOf redefines" in d.message for d in first.diagnostics)
    for text in ("The base, described at length.", "Base."):
        data["components"]["schemas"]["Base"]["description"] = text
        _dump(data, spec, minified=minified)
        _same_as_scratch(_generate(spec, out, cache), spec)
    assert ways[1:] == ["quick", "quick"]


def _edited(tmp_path: Path, change: Any) -> tuple[Path, Path, Path]:
    """archal as JSON generated with a cache, then `change`d (data -> None)."""
    spec = _as_json(SPECS["archal"], tmp_path / "archal.json")
    out, cache = tmp_path / "out", tmp_path / "cache"
    _generate(spec, out, cache)
    data = json.loads(spec.read_text(encoding="utf-8"))
    change(data)
    _dump(data, spec)
    return spec, out, cache


def _first_schema(data: Any) -> dict[str, Any]:
    return next(iter(data["components"]["schemas"].values()))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: _first_schema(d).update(title="Renamed"), id="not-documentation"),
        pytest.param(
            lambda d: [_set(d, p, _get(d, p) + " (edited)") for p in list(_doc_paths(d))[:2]],
            id="two-strings",
        ),
        pytest.param(lambda d: _first_schema(d).update(description=" "), id="made-blank"),
        pytest.param(lambda d: d["info"].update(version="9.9.9"), id="version"),
    ],
)
def test_other_edits_generate_in_full(tmp_path: Path, ways: list[str], change: Any) -> None:
    spec, out, cache = _edited(tmp_path, change)
    _same_as_scratch(_generate(spec, out, cache), spec)
    assert ways[-1] == "full"


def test_a_string_inside_a_default_value_is_not_documentation(
    tmp_path: Path, ways: list[str]
) -> None:
    """`default: {description: ...}` is data the output copies: editing it generates
    in full (and the output shows the new default)."""
    spec = tmp_path / "defaults.json"
    data = json.loads(json.dumps(CONFLICT))
    base = data["components"]["schemas"]["Base"]
    base["properties"]["meta"] = {"type": "object", "default": {"description": "old"}}
    _dump(data, spec)
    out, cache = tmp_path / "out", tmp_path / "cache"
    _generate(spec, out, cache)
    base["properties"]["meta"]["default"]["description"] = "new"
    _dump(data, spec)
    result = _generate(spec, out, cache)
    _same_as_scratch(result, spec)
    assert ways[-1] == "full"
    assert any("'new'" in text for text in result.files.values())


def test_an_output_file_edited_by_hand_is_made_again(tmp_path: Path, ways: list[str]) -> None:
    def edit(data: Any) -> None:
        schema = _first_schema(data)
        schema["description"] = schema.get("description", "") + " (edited)"

    spec, out, cache = _edited(tmp_path, edit)
    victim = sorted((out / "models").glob("_*.py"))[0]
    victim.write_text(victim.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    _same_as_scratch(_generate(spec, out, cache), spec)
    assert ways[-1] == "full"
    assert "# mine" not in victim.read_text(encoding="utf-8")


def test_an_unreadable_cache_means_a_full_generation(tmp_path: Path, ways: list[str]) -> None:
    def edit(data: Any) -> None:
        data["info"]["description"] = "Edited."

    spec, out, cache = _edited(tmp_path, edit)
    _state(cache)  # written
    (cache / docedit.STATE).write_bytes(b"\x80\x05garbage")
    _same_as_scratch(_generate(spec, out, cache), spec)
    assert ways[-1] == "full"


def test_a_cache_never_unpickles_other_classes(tmp_path: Path) -> None:
    import pickle

    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / docedit.STATE).write_bytes(pickle.dumps({"format": 1, "x": os.system}))
    assert docedit._read_state(cache) is None


def test_yaml_specs_keep_no_cache(tmp_path: Path, ways: list[str]) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    _generate(SPECS["minimal"], out, cache)
    lock = docedit._lock(cache)
    assert lock is not None
    os.close(lock)
    assert not (cache / docedit.STATE).exists()


def test_the_cache_folder_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAGEN_CACHE_DIR", str(tmp_path / "c"))
    a, b = docedit.cache_folder(tmp_path / "a"), docedit.cache_folder(tmp_path / "b")
    assert a is not None and b is not None and a != b and a.parent == tmp_path / "c"
    monkeypatch.setenv("OAGEN_CACHE_DIR", "")
    assert docedit.cache_folder(tmp_path / "a") is None
    monkeypatch.delenv("OAGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    found = docedit.cache_folder(tmp_path / "a")
    assert found is not None and found.parent == tmp_path / "xdg" / "oagen"


# -- find_edit ----------------------------------------------------------------------

DOC = '{\n  "a": {"description": "Old text.", "x": [1, {"summary": "S"}]},\n  "b": "c"\n}'


@pytest.mark.parametrize(
    ("new", "pointer", "value"),
    [
        (DOC.replace("Old text.", "New text, longer."), "#/a/description", "New text, longer."),
        (DOC.replace("Old text.", 'Old \\"text\\".'), "#/a/description", 'Old "text".'),
        (DOC.replace('"S"', '"S\\u00e9"'), "#/a/x/1/summary", "S\u00e9"),
    ],
)
def test_find_edit_names_the_string(new: str, pointer: str, value: str) -> None:
    edit = find_edit(DOC, new)
    assert edit is not None and (edit.pointer, edit.value) == (pointer, value)
    assert edit.delta == len(new) - len(DOC) and edit.line == 2


@pytest.mark.parametrize(
    "new",
    [
        DOC,  # nothing changed
        DOC.replace('"c"', '"d"'),  # not documentation
        DOC.replace('"description"', '"descriptiom"'),  # a key
        DOC.replace('"Old text."', '"Old", "y": "text."'),  # the structure
        DOC.replace("Old text.", "   "),  # blank
        DOC.replace("Old text.", "Old\ttext."),  # a raw control character: invalid JSON
        DOC.replace("Old text.", "\\ud800"),  # a lone surrogate
        DOC.replace("Old text.", "New").replace('"S"', '"T"'),  # two strings
    ],
)
def test_find_edit_refuses_anything_else(new: str) -> None:
    assert find_edit(DOC, new) is None


def test_find_edit_uses_an_outline_and_agrees_without_one() -> None:
    text = json.dumps({"p": {str(i): {"description": f"d{i}"} for i in range(50)}}, indent=1)
    new = text.replace('"d37"', '"d37!"')
    outline = docedit._outline(text)
    assert outline
    assert find_edit(text, new, outline) == find_edit(text, new)
    edit = find_edit(text, new, outline)
    assert edit is not None and edit.pointer == "#/p/37/description"


# -- the pieces around it -------------------------------------------------------------


def test_a_header_only_change_is_written_in_place(tmp_path: Path) -> None:
    out = tmp_path / "out"
    manifest = json.dumps({"files": {"a.py": "", "b.py": ""}})
    write(out, {"a.py": "# one\nbody\n", "b.py": "# one\nbody\n", ".oagen-manifest.json": manifest})
    inode = (out / "a.py").stat().st_ino
    os.link(out / "b.py", tmp_path / "b-link.py")  # a vendored hard link
    result = write(
        out, {"a.py": "# two\nbody\n", "b.py": "# two\nbody\n", ".oagen-manifest.json": manifest}
    )
    assert result.written == ("a.py", "b.py")
    assert (out / "a.py").read_text() == (out / "b.py").read_text() == "# two\nbody\n"
    assert (out / "a.py").stat().st_ino == inode
    assert (tmp_path / "b-link.py").read_text() == "# one\nbody\n"  # replaced, not written through


def test_detached_work_runs_in_another_process(tmp_path: Path) -> None:
    from generator.parallel import detached

    marker = tmp_path / "pid"
    detached(lambda: marker.write_text(str(os.getpid())))
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)
    assert int(marker.read_text()) != os.getpid()


def test_an_installable_project_layout_too(tmp_path: Path, ways: list[str]) -> None:
    """`--meta pyproject`: the package one folder down, README and pyproject at the top."""
    from generator.options import Options

    spec = _as_json(SPECS["archal"], tmp_path / "archal.json")
    out, cache = tmp_path / "out", tmp_path / "cache"
    options = Options(meta=("pyproject",))

    def run() -> Result:
        result = generate_files(spec, previous=out, cache=cache, formatter="none", options=options)
        write(out, result.files)
        return result

    run()
    data = json.loads(spec.read_text(encoding="utf-8"))
    for path in [p for p in _doc_paths(data) if p[0] in ("info", "paths", "components")][:8]:
        _set(data, path, _get(data, path) + " (edited)")
        _dump(data, spec)
        result = run()
        scratch = generate_files(spec, formatter="none", options=options)
        assert result.files == scratch.files
    assert ways.count("quick") >= 5


def test_only_the_latest_caches_are_kept(tmp_path: Path) -> None:
    root = tmp_path / "caches"
    for number in range(docedit.KEPT + 5):
        folder = root / f"c{number:02}"
        folder.mkdir(parents=True)
        (folder / docedit.STATE).write_bytes(b"")
        os.utime(folder / docedit.STATE, (1000 + number, 1000 + number))
    newest = root / "new"
    newest.mkdir()
    docedit._prune(newest)
    kept = sorted(p.name for p in root.iterdir())
    assert len(kept) == docedit.KEPT
    assert kept[0] == f"c{5 + 1:02}" and "new" in kept


def test_the_command_line_takes_the_short_way(tmp_path: Path) -> None:
    """`oagen generate` as users run it: the first run leaves the cache behind (from a
    detached process, which the second run waits for), the second remakes only the
    files holding the edited description and says so, and the folder is then exactly
    what a full generation makes."""
    import subprocess

    oagen = REPO / ".venv" / "bin" / "oagen"
    spec = _as_json(SPECS["archal"], tmp_path / "archal.json")

    def run(out: str, *extra: str) -> str:
        done = subprocess.run(
            [str(oagen), "generate", spec.name, "-o", out, *extra],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout

    assert "documentation edit" not in run("out")
    data = json.loads(spec.read_text(encoding="utf-8"))
    path = next(p for p in _doc_paths(data) if p[0] == "paths" and p[-1] == "summary")
    _set(data, path, _get(data, path) + ", described again")
    _dump(data, spec)
    line = run("out")
    made = re.search(r", (\d+) made again for a documentation edit \(35 files\)", line)
    assert made is not None and 1 <= int(made.group(1)) < 10, line
    env = {**os.environ, "OAGEN_CACHE_DIR": ""}
    subprocess.run(
        [str(oagen), "generate", spec.name, "-o", "scratch"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=120,
        check=True,
    )
    for path in (tmp_path / "scratch").rglob("*"):
        if path.is_file():
            twin = tmp_path / "out" / path.relative_to(tmp_path / "scratch")
            assert twin.read_bytes() == path.read_bytes(), path
    assert sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*")) == sorted(
        p.relative_to(tmp_path / "scratch") for p in (tmp_path / "scratch").rglob("*")
    )


def test_no_cache_for_a_spec_that_changed_while_it_was_generated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache is written from the file as it is then, and only if that is the text
    the IR was built from."""
    spec = _as_json(SPECS["archal"], tmp_path / "archal.json")
    out, cache = tmp_path / "out", tmp_path / "cache"
    _generate(spec, out, cache)
    assert _state(cache)["spec"] == spec.read_bytes()

    def edited_meanwhile(call: Any) -> None:
        spec.write_text(spec.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        call()

    monkeypatch.setattr(docedit, "detached", edited_meanwhile)
    data = json.loads(spec.read_text(encoding="utf-8"))
    data["info"]["version"] = "9.9.9"  # not documentation: a full generation
    _dump(data, spec)
    generate_files(spec, previous=out, cache=cache, formatter="none")
    lock = docedit._lock(cache)
    assert lock is not None
    os.close(lock)
    assert not (cache / docedit.STATE).exists()
