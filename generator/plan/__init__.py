"""Stage 5a, plan: the `Api` IR -> one prepared context per generated file.

Everything a template prints is decided here: identifiers (already final in the IR),
annotations, decoder and encoder expressions, literals, docstrings and imports. The
contexts (`contexts.py`) are frozen dataclasses; templates only loop over them and
print. Template contexts are an unstable API (`--templates` overrides may read them).
"""

from __future__ import annotations

from importlib.resources import files

from ..ir import Api
from ..pytypes import Definitions
from .client import _client, _init, _resources_init
from .common import FilePlan, _module
from .models import _models
from .readme import _pyproject, _readme
from .resources import _resource

__all__ = ["RUNTIME_FILES", "FilePlan", "plan", "runtime_sources"]

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
    index = Definitions(api.definitions)
    files = _package_files(api, index)
    if "pyproject" not in meta:
        return [*files, FilePlan("README.md", "README.md.jinja", _readme(api, index))]
    prefix = api.package_name.replace(".", "/") + "/"
    return [
        *(FilePlan(prefix + f.path, f.template, f.context, f.source) for f in files),
        FilePlan("README.md", "README.md.jinja", _readme(api, index)),
        FilePlan("pyproject.toml", "pyproject.toml.jinja", _pyproject(api)),
    ]


def _package_files(api: Api, index: Definitions) -> list[FilePlan]:
    out = [
        FilePlan("__init__.py", "__init__.py.jinja", _init(api)),
        FilePlan("_client.py", "_client.py.jinja", _client(api)),
        *_models(api, index),
        FilePlan("resources/__init__.py", "resources_init.py.jinja", _resources_init(api)),
    ]
    resources = [*api.resources, *([api.root] if api.root is not None else [])]
    for resource in resources:
        out.append(
            FilePlan(
                f"resources/{_module(resource)}.py",
                "resource.py.jinja",
                _resource(api, index, resource),
            )
        )
    for name, source in runtime_sources().items():
        out.append(FilePlan(name, None, None, source))
    out.append(FilePlan("py.typed", None, None, ""))
    return out
