"""Shared constants and helpers of the command-line workflow tests."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from oagen.cli import main
from oagen.manifest import MANIFEST

REPO = Path(__file__).resolve().parents[2]
ARCHAL_SPEC = REPO / "specs" / "archal.yaml"
COMMITTED = REPO / "generated" / "archal_client"
TRACEBACK = "Traceback (most recent call last)"

# Every file `oagen generate specs/archal.yaml` writes (the manifest included).
ARCHAL_FILES = {
    MANIFEST,
    "README.md",
    "__init__.py",
    "_auth.py",
    "_base_client.py",
    "_bodies.py",
    "_checks.py",
    "_failures.py",
    "_oauth2.py",
    "_pagination.py",
    "_client.py",
    "_params.py",
    "_reading.py",
    "_request.py",
    "_resources.py",
    "_response.py",
    "_serde.py",
    "_streams.py",
    "_types.py",
    "errors.py",
    "models/__init__.py",
    "models/_auth_me_response.py",
    "models/_create_session_request.py",
    "models/_device_auth_create_response.py",
    "models/_device_auth_token_request.py",
    "models/_enums.py",
    "models/_error_response.py",
    "models/_json_object.py",
    "models/_ok_response.py",
    "models/_session_list_response.py",
    "models/_session_summary.py",
    "models/_test_case_result.py",
    "models/_test_result_payload.py",
    "models/_test_result_summary.py",
    "py.typed",
    "resources/__init__.py",
    "resources/auth.py",
    "resources/catalog.py",
    "resources/results.py",
    "resources/runtime.py",
    "resources/sessions.py",
}
N_FILES = len(ARCHAL_FILES)

OLD_SUMMARY = "summary: Get hosted clone session status"
NEW_SUMMARY = "summary: Fetch one hosted clone session by id"

SESSION_JSON = {
    "sessionId": "s1",
    "status": "running",
    "cloneIds": ["github"],
    "endpoints": {"github": "https://clone.example/github"},
    "apiBaseUrls": {"github": "https://clone.example/github/api"},
    "createdAt": "2024-01-02T03:04:05Z",
    "expiresAt": "2024-01-02T04:04:05Z",
    "extraKey": 7,
}


# -- helpers ----------------------------------------------------------------------------


STATS = re.compile(r"; \d+ operations, \d+ models in \d+\.\d\d s$")


def without_stats(line: str) -> str:
    """A summary line without its counts and seconds (`; 16 operations, ...`)."""
    return STATS.sub("", line)


def oagen(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    """Run `oagen ARGV` in-process: (exit code, stdout lines without their statistics,
    stderr)."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, [without_stats(line) for line in captured.out.splitlines()], captured.err


def status_lines(out: list[str]) -> list[str]:
    """The per-file lines of `oagen check` (the advice after `extra` cut off)."""
    lines = [line.split(": not written", 1)[0] for line in out]
    return [line for line in lines if re.fullmatch(r"out/\S+: (stale|missing|extra)", line)]


CALL_GET_SESSION = """
import json, sys
import httpx
import {package} as pkg
from {package}.models import SessionSummary

SESSION = {session!r}
seen = []

def handler(request: httpx.Request) -> httpx.Response:
    seen.append(request)
    return httpx.Response(200, json=SESSION)

client = pkg.Client(
    base_url="https://archal.test/prefix",
    archal_token="t",
    http_client=httpx.Client(transport=httpx.MockTransport(handler)),
)
with client:
    result = client.sessions.get_session("s1")
assert isinstance(result, SessionSummary), type(result)
(request,) = seen
print(json.dumps({{
    "method": request.method,
    "url": str(request.url),
    "authorization": request.headers.get("authorization"),
    "type": type(result).__module__ + "." + type(result).__qualname__,
    "session_id": result.session_id,
    "status": result.status,
    "clone_ids": result.clone_ids,
    "created_at": result.created_at.isoformat(),
    "extra": result.additional_properties,
    "foreign": sorted(m for m in sys.modules if m.split(".")[0] in ("archal_client", "oagen")),
}}))
"""


def call_get_session(cwd: Path, package: str) -> dict[str, object]:
    import json

    proc = run_py(CALL_GET_SESSION.format(package=package, session=SESSION_JSON), cwd)
    assert proc.returncode == 0, proc.stderr
    assert TRACEBACK not in proc.stderr
    data: dict[str, object] = json.loads(proc.stdout.splitlines()[-1])
    assert data == {
        "method": "GET",
        "url": "https://archal.test/prefix/api/sessions/s1",
        "authorization": "Bearer t",
        "type": f"{package}.models._session_summary.SessionSummary",
        "session_id": "s1",
        "status": "running",
        "clone_ids": ["github"],
        "created_at": "2024-01-02T03:04:05+00:00",
        "extra": {"extraKey": 7},
        "foreign": [],
    }
    return data


def assert_relative_imports(package_dir: Path) -> None:
    """Every import of the package is relative, or of the stdlib or httpx."""
    allowed = set(sys.stdlib_module_names) | {"httpx", "__future__"}
    py_files = sorted(package_dir.rglob("*.py"))
    assert py_files
    for path in py_files:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert node.module is not None
                root = node.module.split(".")[0]
                assert root in allowed, f"{path}:{node.lineno}: from {node.module} import"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    root = alias.name.split(".")[0]
                    assert root in allowed, f"{path}:{node.lineno}: import {alias.name}"


def files_of(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


OLD_NS = 1_000_000_000_000_000_000  # 2001-09-09: any rewrite gives a newer mtime


def age(folder: Path) -> dict[str, tuple[int, int]]:
    """Set every file's mtime to OLD_NS; return {file: (mtime_ns, inode)}."""
    for rel in files_of(folder):
        os.utime(folder / rel, ns=(OLD_NS, OLD_NS))
    return stats(folder)


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for rel in files_of(folder):
        st = os.stat(folder / rel)
        out[rel] = (st.st_mtime_ns, st.st_ino)
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {rel: (folder / rel).read_bytes() for rel in files_of(folder)}


def touched(before: dict[str, tuple[int, int]], folder: Path) -> set[str]:
    after = stats(folder)
    return {rel for rel in after if before.get(rel) != after[rel]}


def without_header(data: bytes) -> bytes:
    """The bytes after the generated header line (files without one unchanged)."""
    if data.startswith((b"# Generated by oagen", b"<!-- Generated by oagen")):
        return data.split(b"\n", 1)[1]
    return data


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not exactly once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def run_py(
    code: str, cwd: Path, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args, "-c", textwrap.dedent(code)],
        cwd=cwd,
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def defined_names(module: Path) -> set[str]:
    """Top-level classes and type aliases of a generated module (or of every module of
    a generated package, such as `models/`)."""
    if module.is_dir():
        found = set()
        for path in sorted(module.glob("*.py")):
            if path.name != "__init__.py":
                found |= {n for n in defined_names(path) if not n.startswith("_")}
        return found
    tree = ast.parse(module.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return {n for n in names if not n.startswith("_")}


def class_members(module: Path, class_name: str) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return {
                item.name
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                and not item.name.startswith("_")
            }
    raise AssertionError(f"no class {class_name} in {module}")
