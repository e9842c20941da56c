"""Generation options: what a generation depends on besides the spec.

Kept free of heavy imports: `oagen generate` decides from these and the manifest,
before importing the pipeline, whether there is anything to do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .manifest import templates_digest
from .names import snake

if TYPE_CHECKING:
    from .format import Formatter  # (format starts threads and processes: imported to run)

__all__ = ["LoadPolicy", "Options", "default_package_name"]


@dataclass(frozen=True, slots=True)
class LoadPolicy:
    """Which `$ref`s may be followed. By default only files inside the spec's folder
    (symlinks resolved); `allow_outside` lifts that, `allowed_hosts` names the hosts
    whose http(s) documents may be fetched."""

    allow_outside: bool = False
    allowed_hosts: frozenset[str] = frozenset()


def default_package_name(spec_path: str) -> str:
    """`specs/archal.yaml` -> `archal_client`: the file's stem (`api.v2.json` ->
    `api_v2_client`, so that two versions of a spec do not share a package), less a
    last part that only says what the file is (`petstore.openapi.yaml` ->
    `petstore_client`)."""
    name = spec_path.replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    base, _, kind = stem.rpartition(".")
    if base and kind.lower() in _SPEC_KINDS:
        stem = base
    return f"{snake(stem, 'api')}_client"


_SPEC_KINDS = frozenset({"openapi", "swagger", "oas", "oas3", "spec", "api"})


@dataclass(frozen=True, slots=True)
class Options:
    """What a generation depends on besides the spec (recorded in the manifest)."""

    package_name: str | None = None
    templates: Path | None = None
    include_tags: tuple[str, ...] = ()
    exclude_tags: tuple[str, ...] = ()
    include_operations: tuple[str, ...] = ()
    meta: tuple[str, ...] = field(default=())
    allow_ref_outside: bool = False
    allowed_hosts: tuple[str, ...] = ()
    formatter: Formatter = "ruff"
    pagination_inference: bool = True

    @property
    def load_policy(self) -> LoadPolicy:
        return LoadPolicy(self.allow_ref_outside, frozenset(self.allowed_hosts))

    def recorded(self, spec: Path) -> dict[str, Any]:
        return {
            "package_name": self.package_name or default_package_name(spec.name),
            "templates": templates_digest(self.templates),
            "include_tags": list(self.include_tags),
            "exclude_tags": list(self.exclude_tags),
            "include_operations": list(self.include_operations),
            "meta": list(self.meta),
            "allow_ref_outside": self.allow_ref_outside,
            "allowed_hosts": sorted(self.allowed_hosts),
            "formatter": self.formatter,
            # recorded only when off, so manifests from before the option stay current
            **({} if self.pagination_inference else {"pagination_inference": False}),
        }
