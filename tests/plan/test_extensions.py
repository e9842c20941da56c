"""Extension models: the class statement, declared fields and imports of a subclass, and
the extensions kept flat because their base's module imports theirs."""

from __future__ import annotations

from pathlib import Path

from oagen.plan.contexts import ModelsContext
from oagen.plan.extensions import class_bases
from oagen.plan.models import model_layout
from oagen.pytypes import Definitions

from .conftest import build_api, contexts

SPEC = """\
openapi: 3.1.0
info: {title: Plan API, version: '1.0.0'}
paths: {}
components:
  schemas:
    Base:
      type: object
      required: [id]
      properties:
        id: {type: integer, description: The id.}
        when: {type: string, format: date-time}
    Ext:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          properties:
            name: {type: string, description: The name.}
    Node:
      type: object
      properties:
        special: {$ref: '#/components/schemas/SpecialNode'}
    SpecialNode:
      allOf:
        - $ref: '#/components/schemas/Node'
        - properties: {flag: {type: boolean}}
    Wrapper:
      type: object
      properties:
        part:
          allOf:
            - $ref: '#/components/schemas/Wrapper/properties/inner'
            - properties: {extra: {type: boolean}}
        inner:
          type: object
          properties: {size: {type: integer}}
"""


def _module(tmp_path: Path, path: str) -> ModelsContext:
    context = contexts(build_api(tmp_path, SPEC))[path]
    assert isinstance(context, ModelsContext)
    return context


def test_subclass_declares_only_its_own_fields(tmp_path: Path) -> None:
    module = _module(tmp_path, "models/_ext.py")
    (ext,) = module.models
    assert ext.base == "Base"
    assert [f.name for f in ext.fields] == ["name"]  # `id`, `when`: declared by Base
    assert ext.extra_annotation is None  # and `additional_properties` too
    # ... while its methods still read and write every field
    assigned = [line.split("=")[0].strip() for line in ext.decode_body.splitlines()]
    assert [a for a in assigned if a.startswith("obj.")] == ["obj.id", "obj.when", "obj.name"]
    assert ext.encode_body.count("out[") == 3
    assert '"The id."' not in repr(module)  # no description of the base's in the module
    # the base class is imported at the top (it must exist when the class is made); no
    # import is unused (`UNSET` only for the decoding, no `datetime`, no `field`)
    assert module.imports == (
        "from dataclasses import dataclass",
        "from typing import Any",
        "",
        "from .. import _serde",
        "from .._types import UNSET, Unset",
        "from ._base import Base",
    )
    assert module.late_imports == ()


def test_extension_whose_base_module_imports_it_is_flat(tmp_path: Path) -> None:
    api = build_api(tmp_path, SPEC)
    index = Definitions(api.definitions)
    assert index.by_name["SpecialNode"].base == "Node"  # type: ignore[union-attr]
    bases = class_bases(index.by_name, model_layout(api).modules)
    assert bases == {"Ext": "Base", "WrapperPart": "WrapperInner"}
    special = _module(tmp_path / "again", "models/_special_node.py").models[0]
    assert (special.base, [f.name for f in special.fields]) == (None, ["special", "flag"])


def test_base_class_comes_first_in_its_module(tmp_path: Path) -> None:
    api = build_api(tmp_path, SPEC)
    names = [d.name for d in api.definitions if d.name.startswith("Wrapper")]
    assert names == ["Wrapper", "WrapperPart", "WrapperInner"]  # naming order
    module = _module(tmp_path / "again", "models/_wrapper.py")
    assert [m.name for m in module.models] == ["Wrapper", "WrapperInner", "WrapperPart"]
    assert module.models[2].base == "WrapperInner"
