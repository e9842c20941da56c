"""Golden trees: tests/cases/<case>/spec.yaml must generate exactly tests/cases/<case>/expected.

After an intended change to the output, run `make golden` (pytest --update-golden) and
review the diff. The static runtime modules are left out: they are tested directly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from oagen.manifest import MANIFEST
from oagen.pipeline import generate_files
from oagen.plan import RUNTIME_FILES, runtime_sources
from oagen.write import compare

CASES = Path(__file__).resolve().parents[1] / "cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "spec.yaml").is_file())


def _generated(case: str) -> dict[str, str]:
    files = generate_files(CASES / case / "spec.yaml", package_name=f"{case}_client").files
    # the runtime is tested directly; the manifest records digests of oagen's own code
    return {path: text for path, text in files.items() if path not in (*RUNTIME_FILES, MANIFEST)}


@pytest.mark.parametrize("case", CASE_NAMES)
def test_golden_tree(case: str, request: pytest.FixtureRequest) -> None:
    expected_dir = CASES / case / "expected"
    files = _generated(case)
    if request.config.getoption("--update-golden"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        for path, text in files.items():
            target = expected_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
    report = compare(expected_dir, files)
    extra = [p for p in report.extra if p not in (*RUNTIME_FILES, MANIFEST)]
    assert not (report.stale or report.missing or extra), (
        f"{case}: stale={report.stale} missing={report.missing} extra={extra}\n"
        + "".join(report.diffs.values())
        + "\nrun `make golden` if the change is intended"
    )


def test_cases_exist() -> None:
    assert {"minimal", "composition", "untagged"} <= set(CASE_NAMES)


def test_the_runtime_is_shipped_as_written() -> None:
    """The static runtime modules are copied into each package and formatted with it:
    they are kept formatted, so that each package holds them byte for byte (after its
    header line) as they are written and tested here."""
    files = generate_files(CASES / CASE_NAMES[0] / "spec.yaml", package_name="x_client").files
    sources = runtime_sources()
    changed = [name for name in RUNTIME_FILES if files[name].split("\n", 1)[1] != sources[name]]
    assert changed == [], "format them as the generated package is: ruff, line length 88"


def test_black_leaves_the_runtime_as_ruff_formats_it() -> None:
    """`--formatter black` must give the same bytes: a statement the two formatters
    lay out differently (a tuple return that fits no line) is written another way."""
    import black

    mode = black.Mode(line_length=88, target_versions={black.TargetVersion.PY310})
    sources = runtime_sources()
    changed = [
        name
        for name in RUNTIME_FILES
        if black.format_str(sources[name], mode=mode) != sources[name]
    ]
    assert changed == []
