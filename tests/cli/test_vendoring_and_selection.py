"""Vendoring (dotted names, copies, mypy), `--meta pyproject` and operation selection."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from oagen.manifest import MANIFEST, read_manifest

from tests.cli.support import (
    ARCHAL_FILES,
    ARCHAL_SPEC,
    COMMITTED,
    N_FILES,
    assert_relative_imports,
    call_get_session,
    class_members,
    defined_names,
    files_of,
    oagen,
)


def test_vendored_into_a_subpackage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "archal.yaml"
    shutil.copyfile(ARCHAL_SPEC, spec)
    project = tmp_path / "PROJECT"
    (project / "acme_vendor").mkdir(parents=True)
    (project / "acme_vendor" / "__init__.py").write_text("", encoding="utf-8")
    out = project / "acme_vendor" / "archal"

    code, lines, err = oagen(
        capsys, "generate", str(spec), "-o", str(out), "--package-name", "acme_vendor.archal"
    )
    assert (code, err) == (0, "")
    assert len(lines) == 1 and lines[0].endswith(
        f": {N_FILES} written, 0 removed ({N_FILES} files)"
    )
    assert files_of(out) == ARCHAL_FILES
    assert (out / "py.typed").is_file()
    assert_relative_imports(out)
    for path in out.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                assert not (node.module or "").startswith(("acme_vendor", "archal_client"))

    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "from acme_vendor.archal import Client" in readme
    assert "archal_client" not in readme
    snippets = [ln for ln in readme.splitlines() if ln.startswith("result = client.")]
    assert len(snippets) == 16
    assert "result = client.sessions.get_session('session_id')" in snippets

    call_get_session(project, "acme_vendor.archal")

    manifest = read_manifest(out)
    assert manifest is not None and manifest["options"]["package_name"] == "acme_vendor.archal"
    code, lines, _ = oagen(
        capsys, "check", str(spec), "-o", str(out), "--package-name", "acme_vendor.archal"
    )
    assert code == 0 and lines[0].endswith(f": up to date ({N_FILES} files)")


def test_committed_package_copied_under_another_name(tmp_path: Path) -> None:
    copy = tmp_path / "vendored_copy"
    shutil.copytree(COMMITTED, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert (copy / "py.typed").is_file()
    assert_relative_imports(copy)
    call_get_session(tmp_path, "vendored_copy")


@pytest.mark.slow
def test_vendored_copy_passes_mypy_strict(tmp_path: Path) -> None:
    copy = tmp_path / "vendored_copy"
    shutil.copytree(COMMITTED, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "use_it.py").write_text(
        textwrap.dedent(
            """\
            import httpx

            from vendored_copy import Client
            from vendored_copy.models import SessionSummary


            def fetch(client: Client) -> SessionSummary:
                return client.sessions.get_session("s1")


            def build() -> Client:
                return Client(archal_token="t", http_client=httpx.Client())
            """
        ),
        encoding="utf-8",
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version",
            "3.10",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            "vendored_copy",
            "use_it.py",
        ],
        cwd=tmp_path,
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("Success: no issues found")


# -- --meta pyproject ----------------------------------------------------------------------


@pytest.mark.slow
def test_meta_pyproject_is_installable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "archal.yaml"
    shutil.copyfile(ARCHAL_SPEC, spec)
    proj = tmp_path / "PROJ"
    code, _, err = oagen(
        capsys,
        "generate",
        str(spec),
        "-o",
        str(proj),
        "--package-name",
        "acme_archal",
        "--meta",
        "pyproject",
    )
    assert (code, err) == (0, "")
    assert files_of(proj) == (
        {MANIFEST, "README.md", "pyproject.toml"}
        | {f"acme_archal/{rel}" for rel in ARCHAL_FILES - {MANIFEST, "README.md"}}
    )
    assert (proj / "acme_archal" / "__init__.py").is_file()
    assert (proj / "README.md").is_file()
    meta = tomllib.loads((proj / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["name"] in ("acme-archal", "acme_archal")
    assert meta["project"]["version"] == "0.3.0"
    deps = meta["project"]["dependencies"]
    assert len(deps) == 1 and re.match(r"httpx\b", deps[0])
    assert meta["project"]["readme"] == "README.md"
    assert "from acme_archal import Client" in (proj / "README.md").read_text(encoding="utf-8")
    manifest = read_manifest(proj)
    assert manifest is not None and manifest["options"]["meta"] == ["pyproject"]

    target = tmp_path / "T"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(proj),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, (
        "pip --no-build-isolation could not build PROJ with this environment's build "
        f"backend (PROJ needs {meta['build-system']['requires']}; a setuptools without "
        "`bdist_wheel`, i.e. < 70.1 and no `wheel`, cannot build it):\n"
        + proc.stdout[-3000:]
        + proc.stderr[-3000:]
    )
    assert (target / "acme_archal" / "py.typed").is_file()
    assert (target / "acme_archal" / "resources" / "sessions.py").is_file()
    assert (target / "acme_archal" / "models" / "__init__.py").is_file()


# -- selection ---------------------------------------------------------------------------


def test_include_tags(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = oagen(
        capsys, "generate", "archal.yaml", "-o", "out", "--include-tags", "Sessions"
    )
    assert (code, err) == (0, "")
    pkg = work / "out"
    assert files_of(pkg / "resources") == {"__init__.py", "sessions.py"}
    assert out == [f"out: {len(files_of(pkg))} written, 0 removed ({len(files_of(pkg))} files)"]
    assert class_members(pkg / "_client.py", "Client") == {"sessions", "with_raw_response"}
    assert class_members(pkg / "_client.py", "AsyncClient") == {"sessions", "with_raw_response"}
    assert class_members(pkg / "resources" / "sessions.py", "SessionsResource") == {
        "list_sessions",
        "create_session",
        "get_session",
        "delete_session",
        "with_raw_response",
    }
    models = defined_names(pkg / "models")
    assert {
        "SessionSummary",
        "CreateSessionRequest",
        "SessionListResponse",
        "ErrorResponse",
        "JsonObject",
    } <= models
    for dropped in (
        "TestResultPayload",
        "TestCaseResult",
        "TestResultSummary",
        "DeviceAuthCreateResponse",
        "DeviceAuthTokenRequest",
        "AuthMeResponse",
        "OkResponse",
    ):
        assert dropped not in models
    readme = (pkg / "README.md").read_text(encoding="utf-8")
    assert len([ln for ln in readme.splitlines() if ln.startswith("result = client.")]) == 4

    manifest = read_manifest(pkg)
    assert manifest is not None and manifest["options"]["include_tags"] == ["Sessions"]
    assert oagen(capsys, "check", "archal.yaml", "-o", "out", "--include-tags", "Sessions")[0] == 0

    # The selection is part of what made the output: a plain generate regenerates it all.
    code, out, _ = oagen(capsys, "generate", "archal.yaml", "-o", "out")
    assert code == 0
    assert re.fullmatch(rf"out: \d+ written, 0 removed \({N_FILES} files\)", out[0]), out
    assert files_of(pkg) == ARCHAL_FILES
    assert oagen(capsys, "check", "archal.yaml", "-o", "out")[:2] == (
        0,
        [f"out: up to date ({N_FILES} files)"],
    )
    assert "TestResultPayload" in defined_names(pkg / "models")


def test_exclude_tags(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = oagen(
        capsys, "generate", "archal.yaml", "-o", "out", "--exclude-tags", "Runtime"
    )
    assert (code, err) == (0, "")
    pkg = work / "out"
    # a selection keeps only the models its operations reach: the test-result models
    # (and the enum module of their status) are used by no operation of the spec
    unreachable = {
        "models/_test_case_result.py",
        "models/_test_result_summary.py",
        "models/_test_result_payload.py",
        "models/_enums.py",
    }
    assert files_of(pkg) == ARCHAL_FILES - {"resources/runtime.py"} - unreachable
    assert class_members(pkg / "_client.py", "Client") == {
        "auth",
        "catalog",
        "sessions",
        "results",
        "with_raw_response",
    }
    readme = (pkg / "README.md").read_text(encoding="utf-8")
    assert len([ln for ln in readme.splitlines() if ln.startswith("result = client.")]) == 14


def test_include_operations_then_plain_generate(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = oagen(
        capsys,
        "generate",
        "archal.yaml",
        "-o",
        "out",
        "--include-operations",
        "getSession",
        "--include-operations",
        "delete_session",
    )
    assert (code, err) == (0, "")
    pkg = work / "out"
    assert files_of(pkg / "resources") == {"__init__.py", "sessions.py"}
    assert class_members(pkg / "resources" / "sessions.py", "SessionsResource") == {
        "get_session",
        "delete_session",
        "with_raw_response",
    }
    assert class_members(pkg / "resources" / "sessions.py", "AsyncSessionsResource") == {
        "get_session",
        "delete_session",
        "with_raw_response",
    }
    models = defined_names(pkg / "models")
    assert "SessionSummary" in models and "ErrorResponse" in models
    assert "CreateSessionRequest" not in models and "SessionListResponse" not in models
    manifest = read_manifest(pkg)
    assert manifest is not None
    assert manifest["options"]["include_operations"] == ["getSession", "delete_session"]

    # Same selection again: up to date; no selection: everything.
    code, out, _ = oagen(
        capsys,
        "generate",
        "archal.yaml",
        "-o",
        "out",
        "--include-operations",
        "getSession",
        "--include-operations",
        "delete_session",
    )
    assert code == 0 and out[0].startswith("out: up to date (")
    code, out, _ = oagen(capsys, "generate", "archal.yaml", "-o", "out")
    assert code == 0
    assert re.fullmatch(rf"out: \d+ written, 0 removed \({N_FILES} files\)", out[0]), out
    assert files_of(pkg) == ARCHAL_FILES
    assert "list_sessions" in class_members(pkg / "resources" / "sessions.py", "SessionsResource")
    manifest = read_manifest(pkg)
    assert manifest is not None and manifest["options"]["include_operations"] == []


def test_a_selection_matching_nothing_is_warned_of(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A misspelled operation or tag selected nothing, silently (a package of none)."""
    options = "--include-operations getSesion --include-operations getSession --exclude-tags nope"
    code, _, err = oagen(capsys, "generate", "archal.yaml", "-o", "out", *options.split())
    assert code == 0
    lines = [line for line in err.splitlines() if ": warning: " in line]
    found = [line.split(": warning: ")[1].split(" (#")[0] for line in lines]
    assert found == [
        "--exclude-tags 'nope' matches no operation's first tag",
        "--include-operations 'getSesion' matches no operation's id or method name",
    ]
