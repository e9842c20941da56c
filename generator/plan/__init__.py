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
from .models import ModelLayout, _models, model_layout
from .readme import _pyproject, _readme
from .resources import _resource

__all__ = [
    "RUNTIME_FILES",
    "FilePlan",
    "ModelLayout",
    "PlanJob",
    "model_layout",
    "plan",
    "plan_jobs",
    "resource_list",
    "resource_path",
    "runtime_sources",
]

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
    return [job() for job in plan_jobs(api, meta=meta).values()]


def plan_jobs(
    api: Api,
    *,
    meta: tuple[str, ...] = (),
    index: Definitions | None = None,
    layout: ModelLayout | None = None,
) -> dict[str, PlanJob]:
    """`plan`, one call per file, by path, in the same order: each file's context is
    prepared only when its job is called, independently of the others (so the jobs
    can be split between processes, or only some of them run).

    `index` and `layout` (else computed from `api.definitions`) let a caller that
    holds the definitions elsewhere (`docedit`) plan files without them in `api`."""
    index = index if index is not None else Definitions(api.definitions)
    layout = layout if layout is not None else model_layout(api)
    jobs = _package_jobs(api, index, layout)
    readme = partial(FilePlan, "README.md", "README.md.jinja")
    if "pyproject" not in meta:
        return {**jobs, "README.md": lambda: readme(_readme(api, index))}
    prefix = api.package_name.replace(".", "/") + "/"
    return {
        **{prefix + path: partial(_below, prefix, job) for path, job in jobs.items()},
        "README.md": lambda: readme(_readme(api, index)),
        "pyproject.toml": lambda: FilePlan(
            "pyproject.toml", "pyproject.toml.jinja", _pyproject(api)
        ),
    }


def _below(prefix: str, job: PlanJob) -> FilePlan:
    f = job()
    return FilePlan(prefix + f.path, f.template, f.context, f.source)


def _package_jobs(api: Api, index: Definitions, layout: ModelLayout) -> dict[str, PlanJob]:
    out: dict[str, PlanJob] = {
        "__init__.py": lambda: FilePlan("__init__.py", "__init__.py.jinja", _init(api)),
        "_client.py": lambda: FilePlan("_client.py", "_client.py.jinja", _client(api)),
        **_models(api, index, layout),
        "resources/__init__.py": lambda: FilePlan(
            "resources/__init__.py", "resources_init.py.jinja", _resources_init(api)
        ),
    }
    for resource in resource_list(api):
        path = resource_path(resource)
        out[path] = partial(_resource_file, path, api, index, resource)
    for name, source in runtime_sources().items():
        out[name] = partial(FilePlan, name, None, None, source)
    out["py.typed"] = partial(FilePlan, "py.typed", None, None, "")
    return out


def resource_list(api: Api) -> list[Resource]:
    """The tagged resources, then the untagged one (the client's own operations)."""
    return [*api.resources, *([api.root] if api.root is not None else [])]


def resource_path(resource: Resource) -> str:
    return f"resources/{_module(resource)}.py"


def _resource_file(path: str, api: Api, index: Definitions, resource: Resource) -> FilePlan:
    return FilePlan(path, "resource.py.jinja", _resource(api, index, resource))
