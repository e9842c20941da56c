"""Scalar schemas (a string, number, integer or boolean, nothing nested) -> `Prim`s.

Each kind of `Prim` is one shared object, and the type of a scalar schema is made
once per distinct set of the keywords it depends on: GitHub's IR has 33,000 scalar
properties of 40 such sets (each object made per property was one more for the
garbage collector to walk at every full collection).
"""

from __future__ import annotations

from typing import Any, get_args

from ..ir import Prim, PrimKind, TypeExpr
from .media import binary_schema
from .objects import FORMATS, SIMPLE_TYPES, with_null

__all__ = ["PRIMS", "ScalarTypes", "prim_of"]

PRIMS: dict[str, Prim] = {kind: Prim(kind) for kind in get_args(PrimKind)}


def prim_of(schema: dict[str, Any], kind: str) -> Prim:
    """The `Prim` of a schema of the scalar type `kind`, by its `format` (or 3.1's
    `contentEncoding` and `contentMediaType`)."""
    fmt = schema.get("format")
    if isinstance(fmt, str) and (kind, fmt) in FORMATS:
        return PRIMS[FORMATS[(kind, fmt)]]
    if kind == "string" and schema.get("contentEncoding") == "base64":
        return PRIMS["base64"]
    if kind == "string" and binary_schema(schema):  # 3.1's spelling of `format: binary`
        return PRIMS["file"]
    return PRIMS[SIMPLE_TYPES[kind]]


class ScalarTypes:
    """The types of scalar schemas, made once per set of keywords they depend on
    (and then shared through `types`: the builder's one object per equal type).

    It holds the builder's table, not the builder (a cycle that would keep the
    builder and the parsed spec alive after building, until a full collection)."""

    def __init__(self, types: dict[TypeExpr, TypeExpr]) -> None:
        self._types = types
        self._found: dict[tuple[Any, ...], TypeExpr] = {}

    def _one(self, t: TypeExpr) -> TypeExpr:
        return self._types.setdefault(t, t)

    def type_of(self, schema: dict[str, Any], kind: str) -> TypeExpr:
        """The type of a schema of the scalar type `kind` whose keywords are all in
        `SCALAR_KEYS` (none holds a schema), nullable as it says."""
        key = (
            kind,
            schema.get("format"),
            schema.get("nullable") is True,
            schema.get("contentEncoding"),
            schema.get("contentMediaType"),
        )
        try:
            return self._found[key]
        except KeyError:
            found = self._found[key] = self._one(with_null(schema, prim_of(schema, kind)))
            return found
        except TypeError:  # a keyword's value is a list or an object (not one it reads)
            return self._one(with_null(schema, prim_of(schema, kind)))
