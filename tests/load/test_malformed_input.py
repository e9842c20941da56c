"""Malformed and hostile input files: a located one-line error, exit 1, no traceback,
and the previous output left byte-identical. Limits are in generator/load.py."""

from __future__ import annotations

import http.server
import json
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from oagen.cli import main
from oagen.load import MAX_FILE_BYTES

REPO = Path(__file__).resolve().parents[2]
LOCATED = re.compile(r"^\S+:\d+:\d+: error: .+$")
HEAD = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n"
PATHS = """paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'REF'}
"""


def _deep_yaml(levels: int) -> str:
    return HEAD + "x-deep: " + "[" * levels + "]" * levels + "\npaths: {}\n"


def _laughs() -> str:
    lines = [HEAD, "x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"x-{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return "\n".join(lines) + "\npaths: {}\n"


CASES: dict[str, tuple[str, bytes | str, str]] = {
    # name: (file name, content, expected message fragment)
    "invalid-yaml": ("s.yaml", HEAD + "paths: {a: [1, 2}\n", "invalid YAML"),
    "invalid-json": ("s.json", '{"openapi": "3.0.3", "info": {', "invalid JSON"),
    "duplicate-key-yaml": ("s.yaml", HEAD + "paths: {}\npaths: {}\n", "duplicate key"),
    "duplicate-key-json": (
        "s.json",
        '{"openapi": "3.0.3", "openapi": "3.1.0", "info": {}, "paths": {}}',
        "duplicate key",
    ),
    "python-tag": (
        "s.yaml",
        HEAD + "x-evil: !!python/object/apply:os.system ['echo pwned']\npaths: {}\n",
        "unsupported YAML tag",
    ),
    "billion-laughs": ("s.yaml", _laughs(), "aliases expand to more than"),
    "deep-yaml": ("s.yaml", _deep_yaml(10_000), "nesting"),
    # deeper than MAX_DEPTH (250), not as deep as PyYAML's own limit: the converter's walk
    "deep-yaml-flow": ("s.yaml", _deep_yaml(400), "nesting deeper than 250 levels"),
    "deep-yaml-block": (
        "s.yaml",
        HEAD + "paths: {}\nx-deep:\n" + "".join("  " * i + "- \n" for i in range(1, 401)),
        "nesting deeper than 250 levels",
    ),
    "deep-json": ("s.json", "[" * 10_000 + "]" * 10_000, "nested too deeply"),
    # loads (JSON nests ~980 deep), but the 2.0 upgrade's walk of schemas cannot follow
    "deep-swagger2": (
        "s.json",
        '{"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {}, '
        '"definitions": {"A": ' + '{"type": "array", "items": ' * 600 + "{}" + "}" * 601 + "}",
        "nested too deeply to upgrade",
    ),
    "non-utf8": ("s.yaml", HEAD.encode() + b"x-bad: \xff\xfe\n", "not valid UTF-8"),
    "empty": ("s.yaml", "", "the file is empty"),
    "huge-int-yaml": ("s.yaml", HEAD + "x-n: " + "9" * 5000 + "\npaths: {}\n", "invalid number"),
    "huge-int-json": ("s.json", '{"openapi": "3.0.3", "x": ' + "9" * 5000 + "}", "invalid JSON"),
    "ref-cycle": (
        "s.yaml",
        HEAD
        + PATHS.replace("REF", "#/components/schemas/A")
        + "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n"
        + "    B: {$ref: '#/components/schemas/A'}\n",
        "cycle of references",
    ),
    "missing-pointer": (
        "s.yaml",
        HEAD + PATHS.replace("REF", "#/components/schemas/Nope"),
        "unresolvable $ref",
    ),
    "remote-https": (
        "s.yaml",
        HEAD + PATHS.replace("REF", "https://example.com/s.yaml#/X"),
        "remote $ref",
    ),
    "remote-ftp": ("s.yaml", HEAD + PATHS.replace("REF", "ftp://example.com/x.yaml"), "ftp:"),
    "remote-file-url": ("s.yaml", HEAD + PATHS.replace("REF", "file:///etc/passwd"), "file:"),
    "outside-folder": ("s.yaml", HEAD + PATHS.replace("REF", "../outside.yaml#/X"), "leaves"),
    "absolute-path": ("s.yaml", HEAD + PATHS.replace("REF", "/etc/hosts#/X"), "leaves"),
    # names no file system opens: a NUL (escaped, or written as `\0` in YAML), too long
    "ref-nul": ("s.yaml", HEAD + PATHS.replace("'REF'", '"a\\0b.yaml"'), "no file this system"),
    "ref-nul-escaped": ("s.yaml", HEAD + PATHS.replace("REF", "a%00b.yaml"), "no file this system"),
    "ref-too-long": ("s.yaml", HEAD + PATHS.replace("REF", "x" * 300), "no file this system"),
    "swagger2-param-name-list": (
        "s.yaml",
        "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      parameters: [{name: [x], in: query, type: string}]\n"
        "      responses: {'200': {description: ok}}\n",
        "a parameter needs a string `name`",
    ),
}


@pytest.fixture
def previous_output(tmp_path: Path) -> Iterator[tuple[Path, Callable[[], dict[str, bytes]]]]:
    """A valid package generated into `out`, and a snapshot function of its bytes."""
    out = tmp_path / "out"
    assert (
        main(["generate", str(REPO / "tests" / "cases" / "minimal" / "spec.yaml"), "-o", str(out)])
        == 0
    )

    def snapshot() -> dict[str, bytes]:
        return {
            p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*"))
            if p.is_file()
        }

    yield out, snapshot


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_input_is_refused_cleanly(
    case: str,
    tmp_path: Path,
    previous_output: tuple[Path, Callable[[], dict[str, bytes]]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    name, content, fragment = CASES[case]
    folder = tmp_path / "specs"
    folder.mkdir()
    (tmp_path / "outside.yaml").write_text("X: {type: string}\n", encoding="utf-8")
    spec = folder / name
    if isinstance(content, bytes):
        spec.write_bytes(content)
    else:
        spec.write_text(content, encoding="utf-8")
    out, snapshot = previous_output
    before = snapshot()
    capsys.readouterr()
    for command in (["validate", str(spec)], ["generate", str(spec), "-o", str(out)]):
        code = main(command)
        captured = capsys.readouterr()
        assert code == 1, (command, captured.err)
        errors = [line for line in captured.err.splitlines() if ": error: " in line]
        assert errors, captured.err
        assert all(LOCATED.match(line) for line in errors), errors
        assert any(fragment in line for line in errors), errors
        assert "Traceback" not in captured.err
    assert snapshot() == before


def test_symlink_out_of_the_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    (tmp_path / "secret.yaml").write_text("X: {type: string}\n", encoding="utf-8")
    (folder / "link.yaml").symlink_to(tmp_path / "secret.yaml")
    spec = folder / "s.yaml"
    spec.write_text(HEAD + PATHS.replace("REF", "link.yaml#/X"), encoding="utf-8")
    assert main(["validate", str(spec)]) == 1
    assert "leaves the spec's folder" in capsys.readouterr().err
    # explicitly allowed, it is followed
    assert main(["validate", str(spec), "--allow-ref-outside"]) == 0


def test_oversized_spec_is_refused_before_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "big.yaml"
    with spec.open("wb") as handle:  # a sparse 100 MB file: cheap to make
        handle.write(HEAD.encode())
        handle.truncate(100 * 1024 * 1024)
    assert spec.stat().st_size > MAX_FILE_BYTES
    assert main(["validate", str(spec)]) == 1
    err = capsys.readouterr().err
    assert re.match(
        rf"^\S+big.yaml:1:1: error: the file is larger than {MAX_FILE_BYTES} bytes", err
    )


class _SpecHandler(http.server.BaseHTTPRequestHandler):
    body = b"components:\n  schemas:\n    X: {type: string}\n"

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/yaml")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_remote_ref_from_an_allowed_host_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SpecHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/common.yaml#/components/schemas/X"
        spec = tmp_path / "s.yaml"
        spec.write_text(HEAD + PATHS.replace("REF", url), encoding="utf-8")
        assert main(["validate", str(spec)]) == 1
        assert "--allow-remote-ref 127.0.0.1" in capsys.readouterr().err
        assert main(["validate", str(spec), "--allow-remote-ref", "localhost"]) == 1
        capsys.readouterr()
        assert main(["validate", str(spec), "--allow-remote-ref", "127.0.0.1"]) == 0
        out = tmp_path / "out"
        argv = ["generate", str(spec), "-o", str(out), "--allow-remote-ref", "127.0.0.1"]
        assert main(argv) == 0
        manifest = json.loads((out / ".oagen-manifest.json").read_text(encoding="utf-8"))
        assert manifest["options"]["allowed_hosts"] == ["127.0.0.1"]
        assert any(key.startswith("http://127.0.0.1:") for key in manifest["inputs"])
    finally:
        server.shutdown()
        server.server_close()


def test_no_traceback_from_the_command(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(CASES["python-tag"][1], encoding="utf-8")  # type: ignore[arg-type]
    done = subprocess.run(
        [sys.executable, "-m", "oagen", "generate", str(spec), "-o", str(tmp_path / "out")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert LOCATED.match(done.stderr.strip())
    assert not (tmp_path / "out").exists()
