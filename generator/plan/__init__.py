"""Stage 5a, plan: the `Api` IR -> one prepared context per generated file.

Everything a template prints is decided here: identifiers (already final in the IR),
annotations, decoder and encoder expressions, literals, docstrings and imports. The
contexts (`contexts.py`) are frozen dataclasses; templates only loop over them and
print. Template contexts are an unstable API (`--templates` overrides may read them).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib.resources import files

from ..ir import Api, Resource
from ..pytypes import Definitions
from .client import _client, _init, _resources_init
from .common import FilePlan, _module
from .models import _models
from .readme import _pyproject, _readme
from .resources import _resource

__all__ = ["RUNTIME_FILES", "FilePlan", "PlanJob", "plan", "plan_jobs", "runtime_sources"]

PlanJob = Callable[[], FilePlan]

RUNTIME_FILES = (
    "_auth.py",
    "_base_client.py",
    "_bodies.py",
    "_failures.py",
    "_params.py",
    "_resources.py",
    "_response.py",
    "_serde.py",
    "_types.py",
    "errors.py",
)


def runtime_sources() -> dict[str, str]:
    """The static runtime modules, as shipped in `templates/runtime/`."""
    folder = files("generator.templates").joinpath("runtime")
    return {name: folder.joinpath(name).read_text(encoding="utf-8") for name in RUNTIME_FILES}


def plan(api: Api, *, meta: tuple[str, ...] = ()) -> list[FilePlan]:
    """Every file of the package, in a fixed order.

    With `meta` containing "pyproject", the folder becomes an installable project:
    `pyproject.toml` and `README.md` at its root, the package below it.
    """
    return [job() for job in plan_jobs(api, meta=meta)]


def plan_jobs(api: Api, *, meta: tuple[str, ...] = ()) -> list[PlanJob]:
    """`plan`, one call per file, in the same order: each file's context is prepared
    only when its job is called, independently of the others (so the jobs can be
    split between processes)."""
    index = Definitions(api.definitions)
    jobs = _package_jobs(api, index)
    readme = partial(FilePlan, "README.md", "README.md.jinja")
    if "pyproject" not in meta:
        return [*jobs, lambda: readme(_readme(api, index))]
    prefix = api.package_name.replace(".", "/") + "/"
    return [
        *(partial(_below, prefix, job) for job in jobs),
        lambda: readme(_readme(api, index)),
        lambda: FilePlan("pyproject.toml", "pyproject.toml.jinja", _pyproject(api)),
    ]


def _below(prefix: str, job: PlanJob) -> FilePlan:
    f = job()
    return FilePlan(prefix + f.path, f.template, f.context, f.source)


def _package_jobs(api: Api, index: Definitions) -> list[PlanJob]:
    out: list[PlanJob] = [
        lambda: FilePlan("__init__.py", "__init__.py.jinja", _init(api)),
        lambda: FilePlan("_client.py", "_client.py.jinja", _client(api)),
        *_models(api, index),
        lambda: FilePlan("resources/__init__.py", "resources_init.py.jinja", _resources_init(api)),
    ]
    resources = [*api.resources, *([api.root] if api.root is not None else [])]
    for resource in resources:
        path = f"resources/{_module(resource)}.py"
        out.append(partial(_resource_file, path, api, index, resource))
    for name, source in runtime_sources().items():
        out.append(partial(FilePlan, name, None, None, source))
    out.append(partial(FilePlan, "py.typed", None, None, ""))
    return out


def _resource_file(path: str, api: Api, index: Definitions, resource: Resource) -> FilePlan:
    return FilePlan(path, "resource.py.jinja", _resource(api, index, resource))
