"""OpenAPI 3.2 `$self`: the document's base URI, against which its relative `$ref`s
resolve (the folder and remote-host rules of any ref still apply)."""

from __future__ import annotations

from pathlib import Path

import pytest
from oagen.cli import main
from oagen.diagnostics import SpecError
from oagen.load import load

COMMON = "components:\n  schemas:\n    Pet: {type: object}\n"
REF = "shared/common.yaml#/components/schemas/Pet"


def _spec(tmp_path: Path, self_uri: str | None, ref: str = REF) -> Path:
    lines = [
        "openapi: 3.2.0",
        *([f"$self: {self_uri!r}"] if self_uri is not None else []),
        "info: {title: S, version: '1'}",
        "paths:",
        "  /pets:",
        "    get:",
        "      responses:",
        "        '200':",
        "          description: ok",
        f"          content: {{application/json: {{schema: {{$ref: {ref!r}}}}}}}",
    ]
    path = tmp_path / "api.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _common(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "common.yaml").write_text(COMMON, encoding="utf-8")


def test_relative_self_moves_the_base_of_relative_refs(tmp_path: Path) -> None:
    _common(tmp_path / "v1" / "shared")
    spec = load(_spec(tmp_path, "v1/openapi.yaml"))
    assert sorted(spec.documents) == ["api.yaml", "v1/shared/common.yaml"]


def test_without_self_refs_resolve_against_the_file(tmp_path: Path) -> None:
    _common(tmp_path / "shared")
    assert sorted(load(_spec(tmp_path, None)).documents) == ["api.yaml", "shared/common.yaml"]


def test_self_leaving_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    _common(tmp_path / "shared")
    path = _spec(tmp_path / "spec", "../openapi.yaml")
    with pytest.raises(SpecError) as info:
        load(path)
    assert "leaves the spec's folder" in str(info.value)


def test_absolute_self_makes_relative_refs_remote(tmp_path: Path) -> None:
    _common(tmp_path / "shared")
    with pytest.raises(SpecError) as info:
        load(_spec(tmp_path, "https://example.com/api/openapi.yaml"))
    message = str(info.value)
    assert "'https://example.com/api/shared/common.yaml', by `$self`" in message
    assert "--allow-remote-ref example.com" in message


def test_a_ref_to_the_documents_own_self_is_local(tmp_path: Path) -> None:
    own = "https://example.com/api/openapi.yaml"
    path = _spec(tmp_path, own, f"{own}#/components/schemas/Pet")
    path.write_text(path.read_text(encoding="utf-8") + COMMON, encoding="utf-8")
    assert list(load(path).documents) == ["api.yaml"]


@pytest.mark.parametrize("ref", ["http://[::1#/key", "//[::1/x.yaml", "https://[v1.x/a.json#/A"])
def test_a_ref_urlsplit_cannot_read_is_a_located_error(
    tmp_path: Path, ref: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n"
        f"  schemas:\n    A: {{$ref: '{ref}'}}\n",
        encoding="utf-8",
    )
    assert main(["generate", str(spec), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"s.yaml:6:15: error: $ref {ref!r} is not a URI reference" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_a_self_urlsplit_cannot_read_is_not_a_base(tmp_path: Path) -> None:
    """`$self: 'http://[::1/'` is not a usable base URI: refs resolve against where the
    document was read, as without one (and nothing raises)."""
    (tmp_path / "other.yaml").write_text("X: {type: string}\n", encoding="utf-8")
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "openapi: 3.2.0\n$self: 'http://[::1/api/'\ninfo: {title: T, version: '1'}\n"
        "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'other.yaml#/X'}\n",
        encoding="utf-8",
    )
    assert main(["generate", str(spec), "-o", str(tmp_path / "out")]) == 0
