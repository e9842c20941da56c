"""The hostile-spec audit on the committed `generated/` package, and a self-test of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hostile.audit import audit_package

GENERATED = Path(__file__).resolve().parents[2] / "generated" / "archal_client"
MODEL = "models/_session_summary.py"


def test_generated_archal_client_has_no_findings() -> None:
    findings = audit_package(GENERATED)
    assert not findings, "\n".join(findings)


def test_generated_archal_client_matches_itself() -> None:
    findings = audit_package(GENERATED, GENERATED)
    assert not findings, "\n".join(findings)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    pkg = tmp_path / "archal_client"
    shutil.copytree(GENERATED, pkg)
    return pkg


def _edit(pkg: Path, rel: str, old: str, new: str) -> None:
    path = pkg / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_audit_flags_an_injected_import(copy: Path) -> None:
    _edit(
        copy,
        MODEL,
        "from __future__ import annotations\n",
        "from __future__ import annotations\nimport os\n",
    )
    alone = audit_package(copy)
    assert any(f.startswith(f"{MODEL}:") and "'os'" in f for f in alone), alone
    twin = audit_package(copy, GENERATED)
    assert any(f.startswith(f"{MODEL}:") and "AST shape" in f for f in twin), twin


def test_audit_flags_an_injected_call(copy: Path) -> None:
    _edit(
        copy,
        MODEL,
        "        d = _serde.object_copy(data)\n",
        "        d = _serde.object_copy(data)\n        print(d)\n",
    )
    findings = audit_package(copy, GENERATED)
    assert any(f.startswith(f"{MODEL}:") and "AST shape" in f for f in findings), findings


def test_audit_flags_a_dangerous_call_without_a_twin(copy: Path) -> None:
    _edit(
        copy,
        MODEL,
        "        d = _serde.object_copy(data)\n",
        "        d = _serde.object_copy(data)\n        eval('1')\n",
    )
    findings = audit_package(copy)
    assert any("call of eval()" in f for f in findings), findings


def test_audit_flags_a_changed_comment(copy: Path) -> None:
    _edit(
        copy,
        "models/__init__.py",
        "# later lookups skip __getattr__",
        "# noqa: later lookups skip __getattr__",
    )
    assert any("comment not in the benign twin" in f for f in audit_package(copy, GENERATED))
    assert any("comment no template produces" in f for f in audit_package(copy))


def test_audit_flags_a_docstring_turned_into_code(copy: Path) -> None:
    _edit(copy, MODEL, '"""The `SessionSummary` object."""', '__import__("os").system("x")')
    findings = audit_package(copy, GENERATED)
    assert any("AST shape" in f for f in findings), findings


def test_audit_flags_raw_html_and_fences_in_the_readme(copy: Path) -> None:
    _edit(copy, "README.md", "\n## ", "\n<script>x</script>\n```\n## ")
    findings = audit_package(copy, GENERATED)
    assert any("raw HTML" in f for f in findings), findings
    assert any("code fence" in f for f in findings), findings
    assert any("raw HTML" in f for f in audit_package(copy))


def test_audit_flags_a_broken_manifest(copy: Path) -> None:
    (copy / ".oagen-manifest.json").write_text("{not json", encoding="utf-8")
    assert any("not valid JSON" in f for f in audit_package(copy))


def test_audit_flags_a_file_that_does_not_parse(copy: Path) -> None:
    _edit(copy, MODEL, '"""The `SessionSummary` object."""', '"""The """ object."""')
    assert any("does not parse" in f for f in audit_package(copy))
