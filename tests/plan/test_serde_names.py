"""`_serde.__all__` names exactly what the rest of a generated package uses.

The rule, checked over archal's package, every golden case's and every feature
spec's (all freshly generated):

- every `_serde.<name>` attribute read by a generated module (models, resources) or
  by another runtime module (`templates/runtime/*.py`) is in `_serde.__all__`;
- every name in `_serde.__all__` is read by at least one of them;
- every other module-level name of `_serde.py` is private (starts with `_`).

References are `ast.Attribute` nodes on the name `_serde` (how every module imports
it: `from . import _serde` / `from .. import _serde`), so docstrings and comments
do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

from oagen.plan import RUNTIME_FILES

RUNTIME = Path(__file__).resolve().parents[2] / "templates" / "runtime"


def _serde_reads(source: str) -> set[str]:
    return {
        node.attr
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "_serde"
    }


def _serde_module() -> ast.Module:
    return ast.parse((RUNTIME / "_serde.py").read_text(encoding="utf-8"))


def _serde_all() -> list[str]:
    for node in _serde_module().body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            assert isinstance(value, list)
            return value
    raise AssertionError("_serde.py has no __all__")


def _module_level_names() -> set[str]:
    names: set[str] = set()
    for node in _serde_module().body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom) and node.module == "_checks":
            names |= {alias.asname or alias.name for alias in node.names}  # re-exported
    return names - {"__all__"}


def _generated_reads(packages: list[Path]) -> dict[str, str]:
    """`_serde` name -> one generated module reading it (runtime copies left out)."""
    reads: dict[str, str] = {}
    for package in packages:
        for path in sorted(package.rglob("*.py")):
            relative = path.relative_to(package).as_posix()
            if relative in RUNTIME_FILES:
                continue
            for name in _serde_reads(path.read_text(encoding="utf-8")):
                reads.setdefault(name, f"{package.name}/{relative}")
    return reads


def _runtime_reads() -> dict[str, str]:
    reads: dict[str, str] = {}
    for path in sorted(RUNTIME.glob("*.py")):
        if path.name != "_serde.py":
            for name in _serde_reads(path.read_text(encoding="utf-8")):
                reads.setdefault(name, f"templates/runtime/{path.name}")
    return reads


def test_serde_all_is_sorted_and_defined() -> None:
    names = _serde_all()
    assert names == sorted(names)
    assert set(names) <= _module_level_names(), "names in __all__ that _serde does not define"


def test_every_serde_read_is_exported(all_packages: list[Path]) -> None:
    exported = set(_serde_all())
    reads = {**_runtime_reads(), **_generated_reads(all_packages)}
    missing = {name: where for name, where in reads.items() if name not in exported}
    assert missing == {}, "read as `_serde.<name>` but not in `_serde.__all__`"


def test_every_serde_export_is_read(all_packages: list[Path]) -> None:
    read = set(_generated_reads(all_packages)) | set(_runtime_reads())
    unused = sorted(set(_serde_all()) - read)
    assert unused == [], "in `_serde.__all__` but read by no generated or runtime module"


def test_serde_names_outside_all_are_private() -> None:
    public = {n for n in _module_level_names() if not n.startswith("_")}
    assert sorted(public - set(_serde_all())) == []


def test_the_scan_sees_every_kind_of_package(all_packages: list[Path]) -> None:
    names = {p.name for p in all_packages}
    assert "archal_client" in names and "checks_and_decoders_client" in names
    assert len(names) >= 20
