"""The corpus's naming check: the names a generated package uses against the names
DESIGN §3/§4 promise, worked out from the spec text and the generated source alone
(not from the generator's IR).

- A resource is `client.<snake_case(first tag)>`.
- A method is snake_case(operationId) (`snake` from oagen.names, THE sanitizer), or that
  name less a leading part repeating its resource's name (`repos_get` under `repos` is
  `get`), or without operationId snake_case of "<method> <path>"; a `_stream` or `_iter`
  variant adds its suffix to one of those.
- A named schema (`components/schemas`, Swagger 2.0 `definitions`) is a model named
  `pascal(<schema name>)`; any other model is an inline schema named `<Parent><Field>`,
  so its name starts with a named schema's or an operation's.

The sanitizer's own adjustments (DESIGN §3: collisions, clashes with names the
generated code uses) are accepted where they are due: `_2`, `_3`, ... on a method name
another operation of its resource shares; `_` on a method named like a client or
resource attribute (`close_`, `with_raw_response_`); `Model` on a model named like
something the generated modules import (`Body` -> `BodyModel`); `2`, `3`, ... on a
schema name another schema's sanitizes to as well. Anything else (a truncated or hashed
name, a suffix with no collision behind it) is a finding.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["HTTP_METHODS", "findings"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_VARIANTS = ("", "_stream", "_iter")


def findings(data: Any, package: Path, resolve: Callable[[Any, Any], Any]) -> list[str]:
    """Every generated method and model name that is not the one promised, as text.
    `resolve(data, item)` follows a path item's local `$ref`."""
    return (
        _resource_findings(data, package, resolve)
        + _method_findings(data, package, resolve)
        + _model_findings(data, package)
        + _inline_findings(data, package, resolve)
    )


def _method_findings(data: Any, package: Path, resolve: Callable[[Any, Any], Any]) -> list[str]:
    from oagen.names import CLIENT_RESERVED, METHOD_RESERVED, snake

    allowed: dict[tuple[str, str], tuple[set[str], str]] = {}
    drafts: list[tuple[tuple[str, str], str | None, set[str], str]] = []
    tags_seen: set[str] = set()
    for path, value in ((data.get("paths") or {}) if isinstance(data, dict) else {}).items():
        item = resolve(data, value)
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            op_id = op.get("operationId") if isinstance(op.get("operationId"), str) else None
            full = snake(op_id or f"{method} {path}", "operation")
            bases = {full}
            tags = op.get("tags")
            resource = None
            if isinstance(tags, list) and tags and isinstance(tags[0], str):
                resource = snake(tags[0], "resource")
                tags_seen.add(resource)
                if full.startswith(resource + "_"):
                    bases.add(full[len(resource) + 1 :].lstrip("_"))
            drafts.append(((method.upper(), str(path)), resource, bases, op_id or full))
    shared: dict[tuple[str | None, str], int] = {}
    for _, resource, bases, _ in drafts:
        for base in bases:
            shared[(resource, base)] = shared.get((resource, base), 0) + 1
    reserved = METHOD_RESERVED | CLIENT_RESERVED
    for endpoint, resource, bases, shown in drafts:
        names = set(bases)
        for base in bases:
            if base in reserved or (resource is None and base in tags_seen):
                names.add(base + "_")
            if shared[(resource, base)] > 1:
                names |= {f"{base}_{n}" for n in range(2, shared[(resource, base)] + 2)}
        allowed[endpoint] = ({n + suffix for n in names for suffix in _VARIANTS}, shown)
    out = []
    for cls, method_name, endpoint in _generated_methods(package):
        expected = allowed.get(endpoint)
        if expected is not None and method_name not in expected[0]:
            choices = " or ".join(sorted(n for n in expected[0] if not n.endswith(_VARIANTS[1:])))
            out.append(
                f"method {cls}.{method_name} for {endpoint[0]} {endpoint[1]} "
                f"({expected[1]!r}): expected {choices}"
            )
    return out


def _generated_methods(package: Path) -> list[tuple[str, str, tuple[str, str]]]:
    """(class, method, (HTTP method, path)) for each method of a sync resource class
    that sends a declared `Endpoint`."""
    out = []
    for module in sorted((package / "resources").glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        endpoints: dict[str, tuple[str, str]] = {}
        for node in tree.body:
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name)
                and node.value.func.id == "Endpoint"
            ):
                given = {
                    k.arg: k.value.value
                    for k in node.value.keywords
                    if isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)
                }
                endpoints[node.target.id] = (given.get("method", ""), given.get("path", ""))
        for cls in tree.body:
            if not isinstance(cls, ast.ClassDef) or cls.name.startswith("Async"):
                continue
            for fn in cls.body:
                if not isinstance(fn, ast.FunctionDef):
                    continue
                used = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)}
                out += [(cls.name, fn.name, endpoints[u]) for u in sorted(used & endpoints.keys())]
    return out


def _model_findings(data: Any, package: Path) -> list[str]:
    from oagen.names import MODEL_RESERVED, pascal

    if not isinstance(data, dict):
        return []
    components = data.get("components") if isinstance(data.get("components"), dict) else {}
    schemas = (components or {}).get("schemas") or data.get("definitions") or {}
    if not isinstance(schemas, dict):
        return []
    exported = _exported_models(package)
    shared: dict[str, int] = {}
    for key in schemas:
        shared[pascal(str(key))] = shared.get(pascal(str(key)), 0) + 1
    out = []
    for key in schemas:
        name = pascal(str(key))
        names = {name + "Model"} if name in MODEL_RESERVED else {name}
        if shared[name] > 1:
            names |= {f"{n}{k}" for n in set(names) for k in range(2, shared[name] + 2)}
        if not names & exported:
            out.append(
                f"schema {key!r}: no model {' or '.join(sorted(names))} "
                "(expected the schema's sanitized name)"
            )
    return out


def _exported_models(package: Path) -> set[str]:
    """The names `<package>.models` exports (its `__all__`)."""
    for module in (package / "models" / "__init__.py", package / "models.py"):
        if module.is_file():
            for node in ast.parse(module.read_text(encoding="utf-8")).body:
                if (
                    isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
                    and isinstance(node.value, (ast.List, ast.Tuple))
                ):
                    return {
                        e.value
                        for e in node.value.elts
                        if isinstance(e, ast.Constant) and isinstance(e.value, str)
                    }
    return set()


def _inline_findings(data: Any, package: Path, resolve: Callable[[Any, Any], Any]) -> list[str]:
    from oagen.names import pascal

    if not isinstance(data, dict):
        return []
    components = data.get("components") if isinstance(data.get("components"), dict) else {}
    parents = set()
    for section in ("schemas", "requestBodies", "responses", "parameters", "headers"):
        found = (components or {}).get(section) or data.get(
            {"schemas": "definitions"}.get(section, section)
        )
        if isinstance(found, dict):
            parents |= {pascal(str(key)) for key in found}
    for path, value in (data.get("paths") or {}).items():
        item = resolve(data, value)
        for method in HTTP_METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if isinstance(op, dict):
                op_id = op.get("operationId") if isinstance(op.get("operationId"), str) else None
                parents.add(pascal(op_id or f"{method} {path}", "Operation"))
    return [
        f"model {name}: named after no schema or operation (expected <Parent><Field>)"
        for name in sorted(_exported_models(package))
        if not name.startswith(tuple(parents))
    ]


def _resource_findings(data: Any, package: Path, resolve: Callable[[Any, Any], Any]) -> list[str]:
    from oagen.names import snake

    tags: dict[str, None] = {}
    for value in ((data.get("paths") or {}) if isinstance(data, dict) else {}).values():
        item = resolve(data, value)
        for method in HTTP_METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            found = op.get("tags") if isinstance(op, dict) else None
            if isinstance(found, list) and found and isinstance(found[0], str):
                tags[found[0]] = None
    attributes = _resource_attributes(package)
    shared: dict[str, int] = {}
    for tag in tags:
        shared[snake(tag, "resource")] = shared.get(snake(tag, "resource"), 0) + 1
    out = []
    for tag in tags:
        name = snake(tag, "resource")
        names = {name, name + "_"} | {f"{name}_{n}" for n in range(2, shared[name] + 2)}
        if not names & attributes:
            out.append(f"tag {tag!r}: no resource client.{name}")
    return out


def _resource_attributes(package: Path) -> set[str]:
    """The `Client` class's cached properties that return a resource."""
    tree = ast.parse((package / "_client.py").read_text(encoding="utf-8"))
    client = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Client")
    return {
        fn.name
        for fn in client.body
        if isinstance(fn, ast.FunctionDef)
        and any(isinstance(d, ast.Name) and d.id == "cached_property" for d in fn.decorator_list)
        and isinstance(fn.returns, ast.Name)
        and fn.returns.id.endswith("Resource")
    }
