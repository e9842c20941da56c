"""Swagger 2.0 -> OpenAPI 3.0 for the parts that are values, not layout: schemas,
`$ref` strings, security schemes and servers.

Every function returns new containers; the 2.0 data is never changed (it stays the
document the validator and the locator read).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = [
    "MOVED",
    "convert_schema",
    "discriminator_values",
    "items_schema",
    "original_ref",
    "rewrite_ref",
    "security_scheme",
    "servers",
]

# 2.0 root sections -> their 3.0 place (also the prefixes `$ref`s are rewritten by)
MOVED = {
    "definitions": ("components", "schemas"),
    "parameters": ("components", "parameters"),
    "responses": ("components", "responses"),
    "securityDefinitions": ("components", "securitySchemes"),
}
_REF_PREFIXES = tuple((f"#/{old}/", "#/" + "/".join(new) + "/") for old, new in MOVED.items())
_ORIGINAL_PREFIXES = tuple((new, old) for old, new in _REF_PREFIXES)

_SCHEMA_MAPS = ("properties", "patternProperties")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_ONE = ("additionalProperties", "not")
# what a 2.0 parameter, header or items object says about its value (-> `schema`)
VALUE_KEYS = (
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
)


_REWRITTEN: dict[str, str] = {}  # big specs repeat the same refs thousands of times


def rewrite_ref(ref: Any) -> Any:
    """`#/definitions/X` -> `#/components/schemas/X` (and the other root sections), in
    this document or another (`other.yaml#/definitions/X`)."""
    if not isinstance(ref, str) or "#/" not in ref:
        return ref
    found = _REWRITTEN.get(ref)
    if found is None:
        found = _REWRITTEN[ref] = _rewrite(ref)
        if len(_REWRITTEN) > 100_000:
            _REWRITTEN.clear()
    return found


def _rewrite(ref: str, prefixes: tuple[tuple[str, str], ...] = _REF_PREFIXES) -> str:
    file_part, _, fragment = ref.partition("#")
    fragment = "#" + fragment
    for old, new in prefixes:
        if fragment.startswith(old):
            return file_part + new + fragment[len(old) :]
    return ref


def original_ref(ref: str) -> str:
    """The 2.0 `$ref` that `rewrite_ref` made `ref` of (a ref written in 3.0's
    form in a 2.0 file, wrongly, is shown in 2.0's)."""
    return _rewrite(ref, _ORIGINAL_PREFIXES) if "#/" in ref else ref


def convert_schema(node: Any, on_ref: Callable[[str], None] | None = None) -> Any:
    """A 2.0 schema as 3.0 says it: `x-nullable` -> `nullable`, a `discriminator`
    property name -> `{propertyName}`, `type: file` -> binary string, refs moved.
    `on_ref` is told every `$ref` met (to follow those into other files)."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref":
            if on_ref is not None and isinstance(value, str) and not value.startswith("#"):
                on_ref(value)
            out[key] = rewrite_ref(value)
        elif key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {k: convert_schema(v, on_ref) for k, v in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [convert_schema(v, on_ref) for v in value]
        elif key in _SCHEMA_ONE or key == "items":
            out[key] = _items(value, on_ref) if key == "items" else convert_schema(value, on_ref)
        elif key == "x-nullable" and isinstance(value, bool):
            out["nullable"] = value
        elif key == "discriminator" and isinstance(value, str):
            out[key] = {"propertyName": value}
        else:
            out[key] = value
    kind = out.get("type")
    if kind == "file":
        out["type"], out["format"] = "string", "binary"
    elif kind == "null":
        del out["type"]
        out["nullable"] = True
    elif kind == "array" and "items" not in out:
        out["items"] = {}
    return out


def discriminator_values(schemas: dict[str, Any]) -> None:
    """Each subtype's tag -> an entry of the `mapping` of the discriminator it
    inherits through its allOf: its `x-discriminator-value` (how Swagger's codegen
    names one), else its definition's name, which 2.0 says the value is (explicit, so
    the subtype is made with its tag, as a mapping's are)."""
    for name, schema in schemas.items():
        tag = schema.get("x-discriminator-value", name) if isinstance(schema, dict) else None
        base = _discriminating(schemas, name, set()) if isinstance(tag, str) else None
        if base is not None:
            target = "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")
            schemas[base]["discriminator"].setdefault("mapping", {}).setdefault(tag, target)


def _discriminating(schemas: dict[str, Any], name: str, seen: set[str]) -> str | None:
    """The nearest schema with a discriminator that `name` includes through allOf."""
    seen.add(name)
    parts = schemas[name].get("allOf") if isinstance(schemas[name], dict) else None
    for part in parts if isinstance(parts, list) else []:
        ref = part.get("$ref") if isinstance(part, dict) else None
        prefix = "#/components/schemas/"
        if not isinstance(ref, str) or not ref.startswith(prefix):
            continue
        found = ref[len(prefix) :].replace("~1", "/").replace("~0", "~")
        if found in seen or not isinstance(schemas.get(found), dict):
            continue
        if isinstance(schemas[found].get("discriminator"), dict):
            return found
        deeper = _discriminating(schemas, found, seen)
        if deeper is not None:
            return deeper
    return None


def _items(value: Any, on_ref: Callable[[str], None] | None) -> Any:
    """2.0 tolerated JSON Schema's tuple form of `items`."""
    if isinstance(value, list):
        converted = [convert_schema(v, on_ref) for v in value]
        if not converted:
            return {}
        return converted[0] if len(converted) == 1 else {"anyOf": converted}
    return convert_schema(value, on_ref)


def items_schema(source: dict[str, Any], on_ref: Callable[[str], None] | None = None) -> Any:
    """The schema of a 2.0 parameter, header or items object (its `type`, `format`,
    `items`, `enum`, `default` and limits); `collectionFormat` is the caller's."""
    out: dict[str, Any] = {}
    for key in VALUE_KEYS:
        if key in source:
            value = source[key]
            out[key] = items_schema(value) if key == "items" and isinstance(value, dict) else value
    if isinstance(source.get("x-nullable"), bool):
        out["nullable"] = source["x-nullable"]
    return convert_schema(out, on_ref)


_FLOWS = {
    "implicit": ("implicit", ("authorizationUrl",)),
    "password": ("password", ("tokenUrl",)),
    "application": ("clientCredentials", ("tokenUrl",)),
    "accessCode": ("authorizationCode", ("authorizationUrl", "tokenUrl")),
}


def security_scheme(scheme: Any) -> Any:
    """basic -> http/basic; apiKey unchanged; oauth2 `flow` -> `flows`."""
    if not isinstance(scheme, dict):
        return scheme
    kind = scheme.get("type")
    out = {
        k: v
        for k, v in scheme.items()
        if k not in ("flow", "authorizationUrl", "tokenUrl", "scopes")
    }
    if kind == "basic":
        out["type"], out["scheme"] = "http", "basic"
    elif kind == "oauth2":
        out.pop("name", None)
        name, urls = _FLOWS.get(str(scheme.get("flow")), ("implicit", ("authorizationUrl",)))
        flow: dict[str, Any] = {}
        for url in urls:
            value = scheme.get(url)
            flow[url] = value.split("?")[0].strip() or "/" if isinstance(value, str) else "/"
        scopes = scheme.get("scopes")
        flow["scopes"] = scopes if isinstance(scopes, dict) else {}
        out["flows"] = {name: flow}
    return out


def servers(root: dict[str, Any]) -> list[dict[str, Any]]:
    """`host` + `basePath` + `schemes` -> one server per scheme (no host: the base
    path alone, relative to where the document is served)."""
    base_path = root.get("basePath")
    base = base_path.rstrip("/") if isinstance(base_path, str) else ""
    host = root.get("host")
    if isinstance(host, str) and host:
        schemes = root.get("schemes")
        names = [s for s in schemes if isinstance(s, str)] if isinstance(schemes, list) else []
        return [{"url": f"{s + ':' if s else ''}//{host}{base}"} for s in names or [""]]
    if isinstance(base_path, str) and base_path:
        return [{"url": base_path}]
    return []
