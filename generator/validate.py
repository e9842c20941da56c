"""Stage 2, validate: OpenAPI validation findings -> located diagnostics.

Two depths. `full` runs openapi-spec-validator (structure plus its semantic checks:
defaults and examples against their schemas, ...); it is pure Python and takes
18 s on GitHub's spec, so it serves `oagen validate` and `--strict`. The default
checks the document against the OpenAPI meta-schemas openapi-spec-validator ships,
compiled by jsonschema-rs (12 ms on GitHub's spec); what else would make faithful
generation impossible the builder reports itself.

Findings are warnings unless `strict`, which makes them errors. openapi-spec-validator
reports paths relative to the schema it was checking when it crossed a `$dynamicRef`,
so each finding is placed at the first document node where its path leads to its
instance.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

from .diagnostics import Diagnostics, Where, pointer_join
from .load import Spec, walk

__all__ = ["validate"]

# openapi-spec-validator would pick jsonschema-rs for its own schema pass once it is
# installed (it is, for the fast path); its errors then lose their instance paths.
os.environ.setdefault("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "jsonschema")

_MAX_MESSAGE = 240


def validate(spec: Spec, sink: Diagnostics, *, strict: bool = False, full: bool = False) -> None:
    """Report every validator finding about `spec` into `sink` (`full`: all checks of
    openapi-spec-validator, implied by `strict`; else the meta-schema only)."""
    report = sink.error if strict else sink.warning
    root = spec.root
    version = root.data.get("openapi") if isinstance(root.data, dict) else None
    where = Where(root.key, "#")
    if version is None and isinstance(root.data, dict) and "swagger" in root.data:
        swagger = root.data["swagger"]
        version = "2.0" if swagger == "2.0" else None
        if version is None:
            shown = f"the number {swagger!r} (YAML: quote it)" if swagger == 2 else repr(swagger)
            message = f"unsupported Swagger version {shown}: oagen reads the string '2.0'"
            sink.error(message, where.child("swagger"))
            return
    if not isinstance(version, str) or not version.startswith(("2.0", "3.0.", "3.1.", "3.2.")):
        sink.error(
            f"unsupported OpenAPI version {version!r}: "
            "oagen reads 3.0.x, 3.1.x, 3.2.x and Swagger 2.0",
            where.child("openapi") if version is not None else where,
        )
        return
    if not (full or strict) and _meta_schema_findings(root.data, version, root.key, report):
        return
    # imported here: openapi-spec-validator takes 0.2 s to import, the default path
    # never needs it
    from openapi_spec_validator import (
        OpenAPIV2SpecValidator,
        OpenAPIV30SpecValidator,
        OpenAPIV31SpecValidator,
        OpenAPIV32SpecValidator,
    )

    cls = {
        "2.0": OpenAPIV2SpecValidator,
        "3.0": OpenAPIV30SpecValidator,
        "3.2": OpenAPIV32SpecValidator,
    }.get(version[:3], OpenAPIV31SpecValidator)
    validator = cls(root.data, base_uri=root.path.as_uri())
    index = _NodeIndex(root.data)
    try:
        for finding in validator.iter_errors():
            if type(finding).__name__ == "DuplicateOperationIDError":
                continue  # the build reports it, at the operationId
            error = _explained(finding, _branches, lambda e: e.absolute_path)
            pointer = index.find(list(error.absolute_path), error.instance, error.schema)
            report(_message(error), Where(root.key, _unexpected_key(error, pointer)))
    except Exception as exc:
        ref = getattr(exc, "ref", None)
        found = _ref_place(root.data, ref) if isinstance(ref, str) and ref else None
        if found is not None:  # reported where the `$ref` is written, as written
            pointer, written = found
            where, ref = Where(root.key, pointer), written
        detail = f"cannot resolve $ref {ref!r}" if ref else type(exc).__name__
        sink.warning(f"validation stopped early: {detail}", where)


def _ref_place(data: Any, ref: str) -> tuple[str, str] | None:
    """The first `$ref` of the document (in document order) that names `ref` (as the
    validator reports it: the reference, or only its fragment), and its text."""
    for pointer, node in walk(data):
        written = node.get("$ref") if isinstance(node, dict) else None
        if isinstance(written, str) and ref in (written, written.partition("#")[2]):
            return pointer_join(pointer, "$ref"), written
    return None


@cache
def _meta_validator(version: str) -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(_meta_schema(version))


def _meta_schema(version: str) -> dict[str, Any]:
    """The OpenAPI meta-schema openapi-spec-validator ships, read without importing
    that package (which would cost more than the validation)."""
    found = importlib.util.find_spec("openapi_spec_validator")
    if found is None or not found.submodule_search_locations:
        raise ImportError("openapi-spec-validator is not installed")
    folder = Path(next(iter(found.submodule_search_locations)))
    path = folder / "resources" / "schemas" / f"v{version}" / "schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def _meta_schema_findings(
    data: Any, version: str, document: str, report: Callable[[str, Where], None]
) -> bool:
    """Validate against the meta-schema with jsonschema-rs; False when unavailable."""
    try:
        validator = _meta_validator(version[:3])
    except ImportError:  # no wheel for this platform: the full validator instead
        return False
    for finding in validator.iter_errors(data):
        error = _explained(finding, _rs_branches, lambda e: e.instance_path)
        pointer = pointer_join("#", *[str(p) for p in error.instance_path])
        unexpected = getattr(error.kind, "unexpected", None)  # additional/unevaluated
        if isinstance(unexpected, list) and unexpected and isinstance(unexpected[0], str):
            pointer = pointer_join(pointer, unexpected[0])  # the first key not allowed
        text = str(error.message)
        if len(text) > _MAX_MESSAGE:
            text = text[: _MAX_MESSAGE - 1] + "…"
        report(f"spec validation: {text}", Where(document, pointer))
    return True


def _unexpected_key(error: ValidationError, pointer: str) -> str:
    """`pointer` to an object that has properties its schema does not allow: that of
    the first of them (the finding is about it, not about the whole object)."""
    if error.validator not in ("additionalProperties", "unevaluatedProperties"):
        return pointer
    if not isinstance(error.instance, dict) or not isinstance(error.schema, dict):
        return pointer
    declared = error.schema.get("properties", {})
    patterns = list(error.schema.get("patternProperties", {}))
    for key in error.instance:
        if key in declared or any(_search(p, key) for p in patterns):
            continue
        return pointer_join(pointer, key)
    return pointer


def _search(pattern: str, key: str) -> bool:
    try:
        return re.search(pattern, key) is not None
    except re.error:
        return False


def _explained(error: Any, branches: Callable[[Any], list[list[Any]]], path: Any) -> Any:
    """What best says why `error` fails, when it is a oneOf/anyOf none of whose
    branches holds: a finding of the branch the value most nearly fits (a Parameter
    Object's `{in: header, style: form}`: "'form' is not one of ['simple']" at its
    `style`, not "'$ref' is a required property" nor the whole object). That branch
    is the one failing least on the places where most branches fail (there, the
    `in` that tells a header from a query parameter), then with the fewest
    findings; a Reference Object's branch counts only when the value has a `$ref`."""
    groups = branches(error)
    if not isinstance(error.instance, dict) or "$ref" not in error.instance:
        groups = [g for g in groups if not all(_REF_REQUIRED.search(e.message) for e in g)]
    groups = [g for g in groups if g]
    if not groups:
        return error
    places = [{tuple(path(e)) for e in group} for group in groups]
    failing = {place: sum(place in p for p in places) for p in places for place in p}
    best = min(
        range(len(groups)),
        key=lambda i: (max(failing[place] for place in places[i]), len(groups[i]), i),
    )
    return _explained(groups[best][0], branches, path)


_REF_REQUIRED = re.compile(r"""^['"]\$ref['"] is a required property""")


def _branches(error: ValidationError) -> list[list[ValidationError]]:
    """The findings of each branch of a oneOf/anyOf (jsonschema)."""
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return []
    grouped: dict[object, list[ValidationError]] = {}
    for sub in error.context:
        branch = sub.relative_schema_path[0] if sub.relative_schema_path else None
        grouped.setdefault(branch, []).append(sub)
    return list(grouped.values())


def _rs_branches(error: Any) -> list[list[Any]]:
    """The findings of each branch of a oneOf/anyOf (jsonschema-rs)."""
    name = type(error.kind).__name__
    if name not in ("OneOfNotValid", "AnyOf"):
        return []
    return [list(branch) for branch in getattr(error.kind, "context", None) or []]


def _message(error: ValidationError) -> str:
    text = error.message
    if len(text) > _MAX_MESSAGE:
        text = text[: _MAX_MESSAGE - 1] + "…"
    return f"spec validation: {text}"


class _NodeIndex:
    """Finds where a validator path (maybe relative to some nested schema) starts."""

    def __init__(self, data: Any) -> None:
        self._data = data
        self._containers: list[tuple[str, Any]] | None = None

    def find(self, path: list[str | int], instance: object, schema: object = None) -> str:
        if _follow(self._data, path) is instance:
            return pointer_join("#", *path)
        if self._containers is None:
            self._containers = list(walk(self._data))
        for exact in (True, False):
            for pointer, node in self._containers:
                found = _follow(node, path)
                if found is _MISSING:
                    continue
                if found is instance or (not exact and found == instance):
                    return pointer_join(pointer, *path)
        if not path and isinstance(schema, dict) and "default" in schema:
            # a `default` its schema refuses: reported with no path, the value and the
            # schema (the document's own object) alone
            for pointer, node in self._containers:
                if node is schema:
                    return pointer_join(pointer, "default")
        return "#"


_MISSING = object()


def _follow(node: Any, path: list[str | int]) -> Any:
    for segment in path:
        if isinstance(node, dict) and isinstance(segment, str) and segment in node:
            node = node[segment]
        elif isinstance(node, list) and isinstance(segment, int) and segment < len(node):
            node = node[segment]
        else:
            return _MISSING
    return node
