"""The stages in order: load -> validate -> upgrade -> build -> plan -> render -> format.

`generate_files` returns the complete package in memory, manifest included; nothing
touches the output folder until every stage has succeeded (`write` is the caller's
last step).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .builder import Selection, build
from .diagnostics import Diagnostic, Diagnostics
from .format import Batches, Formatter
from .ir import Api, Model
from .load import Spec, load
from .manifest import MANIFEST, Formatted, manifest_text, sha256
from .options import LoadPolicy, Options, default_package_name
from .plan import plan
from .plan.pagination import paginated
from .render import renderer
from .upgrade import upgrade
from .validate import validate

__all__ = ["Options", "Result", "check_spec", "generate_files"]

# Files go to the formatter in batches of BATCH, or fewer when they come to
# BATCH_SIZE characters: small batches keep ruff, on the one core it gets while
# planning goes on, close behind (GitHub: what is left to format once the last file
# is planned went from about 0.25 s to 0.12 s; batches ruff falls behind on go in
# one run, see `format.Batches`).
BATCH, BATCH_SIZE = 100, 750_000


@dataclass(frozen=True, slots=True)
class Result:
    files: dict[str, str]
    diagnostics: tuple[Diagnostic, ...]
    operations: int = 0
    models: int = 0
    # One line per paginated operation: "resource.method_iter: how" (see `paginated`).
    paginated: tuple[str, ...] = ()
    # Files of the previous output taken as they are: read from it by this run, and
    # checked against its manifest (`write` need not compare them again).
    unchanged: frozenset[str] = frozenset()


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
    spec = upgrade(spec, sink)
    build(spec, sink, default_package_name(path.name))
    sink.raise_if_errors()
    return spec, sink.items


def generate_files(
    path: Path,
    *,
    options: Options | None = None,
    package_name: str | None = None,
    formatter: Formatter = "ruff",
    templates: Path | None = None,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
    previous: Path | None = None,
) -> Result:
    """The generated package for the spec at `path`: relative path -> text.

    `options` (else the `package_name`, `formatter` and `templates` given) are what
    the manifest records.

    `previous`: a folder this spec was generated into before, whose manifest is
    trusted: a file whose rendering is the one recorded there (and which is on disk
    as recorded) is taken from it instead of being formatted again. `oagen check`
    passes none, so that it answers from a fresh generation alone.
    """
    if options is None:
        options = Options(package_name=package_name, templates=templates, formatter=formatter)
    report = progress or (lambda stage: None)
    report("loading")
    loaded = load(path, policy=options.load_policy)
    sink = Diagnostics(loaded.locate)
    report("validating")
    validate(loaded, sink, strict=strict)
    sink.raise_if_errors()
    spec = upgrade(loaded, sink)  # Swagger 2.0 -> the 3.0 model (else unchanged)
    name = options.package_name or default_package_name(path.name)
    selection = Selection(options.include_tags, options.exclude_tags, options.include_operations)
    report("building")
    api = build(spec, sink, name, selection, infer_pagination=options.pagination_inference)
    sink.raise_if_errors()
    inputs = {key: doc.digest for key, doc in spec.documents.items()}
    # The IR holds all that is left to do: the parsed documents (GitHub's: 40,000
    # containers the garbage collector would walk at each full collection) are
    # dropped; the warnings are located in their texts while ruff formats.
    sink.relocate(loaded.texts().locate)
    del spec, loaded
    report("rendering and formatting")
    recorded = options.recorded(path)
    formatted = (
        Formatted(previous, options.formatter, recorded, api.spec_name)
        if previous is not None
        else None
    )
    files, sources, plans = _produce(api, options, formatted, sink.release)
    files[MANIFEST] = manifest_text(
        files,
        spec_name=api.spec_name,
        inputs=inputs,
        options=recorded,
        sources=sources,
        plans=plans,
        known=formatted.digests if formatted is not None else None,
    )
    operations = sum(len(r.operations) for r in (*api.resources, *filter(None, [api.root])))
    models = sum(isinstance(d, Model) for d in api.definitions)
    unchanged = frozenset(formatted.digests) if formatted is not None else frozenset()
    return Result(files, sink.items, operations, models, paginated(api), unchanged)


def _produce(
    api: Api, options: Options, formatted: Formatted | None, meanwhile: Callable[[], None]
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Every file, formatted (by path, sorted), the digest of each Python file's
    rendering, and the plan key of each module that has one. Files are planned and
    rendered one by one and go to the formatter in batches, so that ruff (another
    process) formats while this one plans the next files. A file of the
    previous output (`formatted`) that planning or rendering again would reproduce is
    taken as it is. `meanwhile` runs while ruff formats the last batch."""
    files: dict[str, str] = {}
    sources: dict[str, str] = {}
    plans: dict[str, str] = {}
    batch: dict[str, str] = {}
    size = 0
    reusable = formatted.reusable if formatted is not None else None
    one = renderer(api.spec_name, options.templates)
    with Batches(options.formatter) as formatting:
        for file in plan(api, meta=options.meta, reusable=reusable):
            path = file.path
            if file.key is not None:
                plans[path] = file.key
            if file.reused:
                assert formatted is not None
                files[path], sources[path] = formatted.kept(path)
                if batch and formatting.idle():
                    # a regeneration: the batch may not fill for a long time, and
                    # ruff has nothing to do meanwhile
                    formatting.submit(batch)
                    batch, size = {}, 0
                continue
            text = one(file)
            if path.endswith(".py"):
                sources[path] = sha256(text.encode("utf-8"))
            kept = formatted.take(path, text) if formatted is not None else None
            if kept is not None:
                files[path] = kept
                continue
            batch[path] = text
            size += len(text)
            if len(batch) == BATCH or size >= BATCH_SIZE:
                formatting.submit(batch)
                batch, size = {}, 0
        formatting.submit(batch, last=True)
        meanwhile()
        files.update(formatting.results())
    return (
        {p: files[p] for p in sorted(files)},
        dict(sorted(sources.items())),
        plans,
    )
