"""Stage 5a, plan: the `Api` IR -> one prepared context per generated file.

Everything a template prints is decided here: identifiers (already final in the IR),
annotations, decoder and encoder expressions, literals, docstrings and imports. The
contexts (`contexts.py`) are frozen dataclasses; templates only loop over them and
print. Template contexts are an unstable API (`--templates` overrides may read them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from importlib.resources import files

from ..ir import Api, Resource
from ..pytypes import Definitions
from .client import _client, _init, _resources_init
from .common import FilePlan, _module
from .extensions import class_bases
from .models import ModelLayout, _models, model_layout, validated_models
from .readme import _pyproject, _readme
from .resources import _resource
from .reuse import PlanKeys, Reusable, Watched, by_context

__all__ = [
    "RUNTIME_FILES",
    "FilePlan",
    "ModelLayout",
    "model_layout",
    "plan",
    "resource_list",
    "resource_path",
    "runtime_sources",
]

RUNTIME_FILES = (
    "_auth.py",
    "_base_client.py",
    "_bodies.py",
    "_checks.py",
    "_failures.py",
    "_oauth2.py",
    "_pagination.py",
    "_params.py",
    "_reading.py",
    "_request.py",
    "_resources.py",
    "_response.py",
    "_serde.py",
    "_streams.py",
    "_types.py",
    "errors.py",
)


def runtime_sources() -> dict[str, str]:
    """The static runtime modules, as shipped in `templates/runtime/`."""
    folder = files("oagen.templates").joinpath("runtime")
    return {name: folder.joinpath(name).read_text(encoding="utf-8") for name in RUNTIME_FILES}


def plan(
    api: Api, *, meta: tuple[str, ...] = (), reusable: Reusable | None = None
) -> Iterator[FilePlan]:
    """Every file of the package, in a fixed order, each prepared as it is taken
    (rendering and formatting can start before the last file is planned).

    With `meta` containing "pyproject", the folder becomes an installable project:
    `pyproject.toml` and `README.md` at its root, the package below it.

    `reusable(path, key)`: whether the previous output of a file whose plan key is
    `key` may be taken; such files come `reused`, unplanned (see `reuse`).
    """
    index = Definitions(api.definitions)
    prefix = api.package_name.replace(".", "/") + "/" if "pyproject" in meta else ""
    inner = reusable  # the package's files, below `prefix`
    if prefix and reusable is not None:
        outer = reusable
        inner = lambda path, key: outer(prefix + path, key)  # noqa: E731
    for f in _package(api, index, inner):
        yield replace(f, path=prefix + f.path) if prefix else f
    yield by_context(FilePlan("README.md", "README.md.jinja", _readme(api, index)), reusable)
    if prefix:
        pyproject = FilePlan("pyproject.toml", "pyproject.toml.jinja", _pyproject(api))
        yield by_context(pyproject, reusable)


def _package(api: Api, index: Definitions, reusable: Reusable | None) -> Iterator[FilePlan]:
    layout = model_layout(api)
    validated = validated_models(index)
    keys = PlanKeys(index, layout.modules, validated, class_bases(index.by_name, layout.modules))
    yield by_context(FilePlan("__init__.py", "__init__.py.jinja", _init(api)), reusable)
    yield by_context(FilePlan("_client.py", "_client.py.jinja", _client(api)), reusable)
    yield from _models(api, layout, keys, reusable)
    init = FilePlan("resources/__init__.py", "resources_init.py.jinja", _resources_init(api))
    yield by_context(init, reusable)
    for resource in resource_list(api):
        yield _resource_file(api, keys, resource, reusable)
    for name, source in runtime_sources().items():
        yield FilePlan(name, None, None, source)
    yield FilePlan("py.typed", None, None, "")


def _resource_file(
    api: Api, keys: PlanKeys, resource: Resource, reusable: Reusable | None
) -> FilePlan:
    """The module of `resource`, or its previous output when its plan key is the
    same: the key covers the resource (its operations included), the base URL, the
    resources nested in it and the definitions its operations refer to."""
    path = resource_path(resource)
    children = [repr(r) for r in api.resources if r.python_name in resource.children]
    read = "\0".join([repr(resource), repr(api.base_url), *children])
    inputs = keys.operation_inputs(resource.operations)
    key = keys.key(path, read, inputs)
    if reusable is not None and reusable(path, key):
        return FilePlan(path, None, None, key=key, reused=True)
    watched = Watched(keys.index, inputs)
    context = _resource(api, watched, resource)
    return FilePlan(path, "resource.py.jinja", context, key=None if watched.escaped else key)


def resource_list(api: Api) -> list[Resource]:
    """The tagged resources, then the untagged one (the client's own operations)."""
    return [*api.resources, *([api.root] if api.root is not None else [])]


def resource_path(resource: Resource) -> str:
    return f"resources/{_module(resource)}.py"
