"""The stages in order: load -> validate -> resolve/build -> plan -> render -> format.

`generate_files` returns the complete package in memory; nothing touches the output
folder until every stage has succeeded (`write` is the caller's last step).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .build import Selection, build
from .build.docs import DocReads
from .diagnostics import Diagnostic, Diagnostics
from .format import Formatter, format_sources
from .ir import Model
from .load import Document, Spec, load
from .manifest import MANIFEST, body_digest, manifest_text, reusable, sha256
from .options import LoadPolicy, Options, default_package_name
from .parallel import available_workers, split_work
from .plan import model_layout, plan_jobs
from .pytypes import Definitions
from .render import render
from .validate import validate

__all__ = ["Options", "Result", "check_spec", "generate_files"]

# Below this many files per process, forking costs more than it saves.
MIN_FILES_PER_WORKER = 200


@dataclass(frozen=True, slots=True)
class Result:
    files: dict[str, str]
    diagnostics: tuple[Diagnostic, ...]
    operations: int = 0
    models: int = 0
    # after an edit of one documentation string (`docedit`): the files made again
    remade: int | None = None


def check_spec(
    path: Path, *, strict: bool = False, policy: LoadPolicy | None = None
) -> tuple[Spec, tuple[Diagnostic, ...]]:
    """Load, validate and build (nothing rendered); raises `SpecError` on errors.

    Building is part of validation: what makes faithful generation impossible
    (unresolvable `$ref`, unknown `type`, ...) is found there, so `oagen validate`
    never calls a spec valid that `oagen generate` refuses.
    """
    spec = load(path, policy=policy)
    sink = Diagnostics(spec.locate)
    validate(spec, sink, strict=strict, full=True)
    sink.raise_if_errors()
    build(spec, sink, default_package_name(path.name))
    sink.raise_if_errors()
    return spec, sink.items


def generate_files(
    path: Path,
    *,
    package_name: str | None = None,
    formatter: Formatter = "ruff",
    strict: bool = False,
    templates: Path | None = None,
    options: Options | None = None,
    progress: Callable[[str], None] | None = None,
    previous: Path | None = None,
    cache: Path | None = None,
) -> Result:
    """The generated package for the spec at `path`: relative path -> text.

    `previous`: a folder this spec was generated into before; files whose rendering
    has not changed are taken from it instead of being formatted again.
    `cache`: the cache folder of `previous` (`docedit`): when the spec differs from
    the one `previous` was made from by one documentation string, only the files
    holding it are made again; otherwise the cache is written for the next run,
    by a detached process (the next run waits for it if it must).
    """
    if options is None:
        options = Options(package_name=package_name, templates=templates)
    with _collector_paused():
        if cache is not None and previous is not None:
            from .docedit import regenerate

            (progress or (lambda stage: None))("looking for a documentation edit")
            quick = regenerate(path, previous, cache, options, formatter, strict)
            if quick is not None:
                return Result(
                    quick.files, quick.diagnostics, quick.operations, quick.models, quick.remade
                )
        return _generate(path, formatter, strict, options, progress, previous, cache)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a package is generated: the run builds
    millions of long-lived objects (documents, IR, contexts) and makes almost no
    cycles, so the collector's passes over them cost time (5%) and free nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _generate(
    path: Path,
    formatter: Formatter,
    strict: bool,
    options: Options,
    progress: Callable[[str], None] | None,
    previous: Path | None,
    cache: Path | None,
) -> Result:
    report = progress or (lambda stage: None)
    report("loading")
    spec = load(path, policy=options.load_policy)
    sink = Diagnostics(spec.locate)
    report("validating")
    validate(spec, sink, strict=strict)
    sink.raise_if_errors()
    name = options.package_name or default_package_name(path.name)
    selection = Selection(options.include_tags, options.exclude_tags, options.include_operations)
    report("building")
    reads = DocReads()
    api = build(spec, sink, name, selection, reads)
    sink.raise_if_errors()
    operations = sum(len(r.operations) for r in (*api.resources, *filter(None, [api.root])))
    models = sum(isinstance(d, Model) for d in api.definitions)
    index = Definitions(api.definitions)
    layout = model_layout(api)
    if cache is not None:
        from .docedit import Recording

        recording = Recording(
            api=api,
            reads=reads,
            layout=layout,
            recursive=index.recursive,
            key=spec.root.key,
            display=spec.root.display,
            path=spec.root.path,
            is_json=spec.root.is_json,
            documents=len(spec.documents),
            options=options.recorded(path),
            formatter=formatter,
            strict=strict,
            operations=operations,
            models=models,
        )
    documents = dict(spec.documents)
    inputs: dict[str, str] = {}

    def meanwhile() -> None:
        """What this process does while the parts run (hashing releases the GIL)."""
        sink.release()  # the findings' source positions
        inputs.update((key, _input_digest(doc)) for key, doc in documents.items())
        documents.clear()  # the parsed documents are not needed any more

    del spec
    jobs = list(plan_jobs(api, meta=options.meta, index=index, layout=layout).values())
    report(f"rendering and formatting {len(jobs)} files")

    def produce(taken: Iterator[int]) -> tuple[dict[str, str], dict[str, str]]:
        """The files of the jobs `taken`: formatted text and rendered-body digests."""
        plans = [jobs[number]() for number in taken]
        sources = render(plans, api.spec_name, api.spec_sha256, options.templates)
        python = {p: text for p, text in sources.items() if p.endswith(".py")}
        # formatted output can be reused only for formatted output (ruff and black agree)
        kept = reusable(previous, python) if previous is not None and formatter != "none" else {}
        formatted = format_sources({p: t for p, t in sources.items() if p not in kept}, formatter)
        formatted.update(kept)
        return formatted, {p: body_digest(text) for p, text in python.items()}

    workers = min(available_workers(), max(1, len(jobs) // MIN_FILES_PER_WORKER))
    parts = split_work(produce, len(jobs), workers, meanwhile=meanwhile)
    diagnostics = sink.items
    if cache is not None:
        from .docedit import record_detached

        record_detached(recording, diagnostics, cache)  # while this run writes its files
    files = {p: text for part, _ in parts for p, text in part.items()}
    files = {p: files[p] for p in sorted(files)}
    files[MANIFEST] = manifest_text(
        files,
        spec_name=api.spec_name,
        inputs=inputs,
        options=options.recorded(path),
        sources=dict(sorted((p, d) for _, digests in parts for p, d in digests.items())),
        formatted=formatter != "none",
    )
    return Result(files, diagnostics, operations, models)


def _input_digest(doc: Document) -> str:
    """What the manifest records for a spec document: the sha256 of a file's bytes as
    on disk (a later run compares without parsing), of a remote document's text."""
    if doc.key.startswith(("http://", "https://")):
        return sha256(doc.text.encode("utf-8"))
    return sha256(doc.path.read_bytes())
