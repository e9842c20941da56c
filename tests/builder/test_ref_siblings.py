"""Keywords beside a schema's `$ref`: OpenAPI 3.1 (JSON Schema 2020-12) applies them
with the reference, as `allOf` would; 3.0 ignores them."""

from __future__ import annotations

from pathlib import Path

from oagen.ir import Prim, Ref

from .support import HEAD_30, HEAD_31, _fields, _findings, _model

SIBLINGS = """\
Name: {type: string}
Id: {type: string, format: uuid}
Base: {type: object, required: [id], properties: {id: {type: integer}}}
Ext:
  $ref: '#/components/schemas/Base'
  required: [extra]
  properties:
    extra: {type: string}
    short: {$ref: '#/components/schemas/Name', maxLength: 3}
Pet:
  type: object
  required: [id, name]
  properties:
    id: {$ref: '#/components/schemas/Id', readOnly: true, description: Set by the server.}
    name: {type: string}
    owner:
      $ref: '#/components/schemas/Base'
      properties: {since: {type: string, format: date}}
"""


def test_in_31_what_is_beside_a_ref_applies_with_it(tmp_path: Path) -> None:
    defs, diagnostics = _findings(tmp_path, SIBLINGS, HEAD_31)
    assert [d for d in diagnostics if d.severity == "error"] == []
    ext = _model(defs, "Ext")
    assert ext.base == "Base"  # `$ref` and `properties`: an extension of Base
    assert _fields(ext) == {
        "extra": ("extra", Prim("str"), True),
        "id": ("id", Prim("int"), True),
        "short": ("short", Ref("Name"), False),
    }
    short = next(f for f in ext.fields if f.wire_name == "short")
    assert short.constraints.max_length == 3  # the reference's and its own both apply
    pet = _model(defs, "Pet")
    pet_id = next(f for f in pet.fields if f.wire_name == "id")
    assert (pet_id.is_required, pet_id.is_read_only) == (False, True)  # not sent
    assert pet_id.description == "Set by the server."
    owner_type = next(f.type for f in pet.fields if f.wire_name == "owner")
    assert owner_type == Ref("PetOwner")  # an inline extension, named after its place
    owner = _model(defs, "PetOwner")
    assert (owner.base, [f.wire_name for f in owner.fields]) == ("Base", ["id", "since"])


def test_in_30_what_is_beside_a_ref_is_ignored(tmp_path: Path) -> None:
    defs, _ = _findings(tmp_path, SIBLINGS.replace("readOnly: true, ", ""), HEAD_30)
    assert _fields(_model(defs, "Ext")) == {"id": ("id", Prim("int"), True)}
    pet = _model(defs, "Pet")
    assert next(f.type for f in pet.fields if f.wire_name == "owner") == Ref("Base")


def test_a_required_name_no_property_has_is_warned_of_as_the_model_can_send_it(
    tmp_path: Path,
) -> None:
    """Swashbuckle's `Cart`: `required: [Id]` beside `id`; with `additionalProperties:
    false` there is no `additional_properties` to give it in, and the near name helps."""
    _, diagnostics = _findings(
        tmp_path,
        """\
        Cart:
          type: object
          required: [Id]
          additionalProperties: false
          properties: {id: {type: integer}}
        Open: {type: object, required: [size], properties: {name: {type: string}}}
        """,
        HEAD_30,
    )
    assert sorted(d.message for d in diagnostics) == [
        "required property 'Id' is not among the properties (the properties have 'id'): "
        "the model has no field for it (`additionalProperties: false`: a request cannot "
        "carry it)",
        "required property 'size' is not among the properties: the model has no field for "
        "it (give it in `additional_properties`)",
    ]


def test_an_allof_part_that_only_constrains_refines_the_part_that_types(
    tmp_path: Path,
) -> None:
    """`allOf: [{$ref: Code}, {minLength: 2}]` is a `Code` with both constraints (it
    was typed Any, nothing checked), in 3.0 and 3.1."""
    for head in (HEAD_30, HEAD_31):
        defs, diagnostics = _findings(
            tmp_path,
            """\
            Code: {type: string, maxLength: 3}
            Count: {type: integer, minimum: 0}
            H:
              type: object
              properties:
                code: {allOf: [{$ref: '#/components/schemas/Code'}, {minLength: 2}]}
                count: {allOf: [{$ref: '#/components/schemas/Count'}, {maximum: 10}]}
                inline: {allOf: [{type: string}, {maxLength: 3, description: short}]}
            """,
            head,
        )
        assert [d for d in diagnostics if d.severity != "info"] == []
        fields = {f.wire_name: f for f in _model(defs, "H").fields}
        assert [fields[n].type for n in ("code", "count", "inline")] == [
            Ref("Code"),
            Ref("Count"),
            Prim("str"),
        ]
        code, count = fields["code"].constraints, fields["count"].constraints
        assert (code.min_length, code.max_length) == (2, 3)
        assert (count.minimum, count.maximum) == (0, 10)
        assert fields["inline"].constraints.max_length == 3


def test_pattern_properties_keep_the_model_open_beside_additional_properties_false(
    tmp_path: Path,
) -> None:
    """`additionalProperties: false` covers only keys no `patternProperties` matches:
    `meta_*` keys are valid, kept in `additional_properties` (they were dropped)."""
    defs, _ = _findings(
        tmp_path,
        """\
        Meta:
          type: object
          properties: {name: {type: string}}
          patternProperties: {'^meta_': {type: string}}
          additionalProperties: false
        Closed: {type: object, properties: {name: {type: string}}, additionalProperties: false}
        """,
    )
    assert _model(defs, "Meta").extra is not None
    assert _model(defs, "Closed").extra is None


def test_pattern_properties_leave_the_other_properties_untyped(tmp_path: Path) -> None:
    """`additionalProperties: {type: string}` covers only keys no pattern matches:
    `x-count: 5` is valid under `'^x-': {type: integer}`, so the properties the
    model does not declare are kept as they come (a response was refused)."""
    defs, _ = _findings(
        tmp_path,
        """\
        Labels:
          type: object
          properties: {name: {type: string}}
          patternProperties: {'^x-': {type: integer}}
          additionalProperties: {type: string}
        Plain: {type: object, properties: {name: {type: string}}, additionalProperties: {type: string}}
        """,
    )
    assert _model(defs, "Labels").extra == Prim("any")
    assert _model(defs, "Plain").extra == Prim("str")


def test_in_31_a_pointer_ref_is_within_the_schema_resource_its_id_makes(
    tmp_path: Path,
) -> None:
    """JSON Schema 2020-12: `#/$defs/x` inside a schema with `$id` names that
    schema's `$defs/x` (it was refused as unresolvable); a `#/components/...` ref
    there still names the document's component, as specs mean it. Nested resources:
    the innermost one. 3.0 has no `$id`: a pointer is the document's."""
    schemas = """\
    C:
      $id: https://example.com/c.json
      type: object
      $defs: {x: {type: string, format: date}}
      properties:
        p: {$ref: "#/$defs/x"}
        q: {$ref: "#/components/schemas/N"}
        r:
          $id: inner.json
          type: object
          $defs: {x: {type: integer}}
          properties: {s: {$ref: "#/$defs/x"}}
    N: {type: boolean}
    """
    defs, diagnostics = _findings(tmp_path, schemas, HEAD_31)
    assert [d for d in diagnostics if d.severity == "error"] == []
    assert {k: v[1] for k, v in _fields(_model(defs, "C")).items()} == {
        "p": Ref("X"),
        "q": Ref("N"),
        "r": Ref("CR"),
    }
    assert _fields(_model(defs, "CR"))["s"][1] == Ref("X2")
    places = {name: (d.pointer, getattr(d, "target", None)) for name, d in defs.items()}
    assert places["X"] == ("#/components/schemas/C/$defs/x", Prim("date"))
    assert places["X2"] == ("#/components/schemas/C/properties/r/$defs/x", Prim("int"))
    assert places["N"] == ("#/components/schemas/N", Prim("bool"))
    defs, diagnostics = _findings(tmp_path, schemas, HEAD_30)
    assert any("unresolvable $ref '#/$defs/x'" in str(d) for d in diagnostics)


def test_allof_narrowing_a_number_to_an_integer_is_no_conflict(tmp_path: Path) -> None:
    """`number` then `integer` in allOf parts (GitHub Enterprise's `run_id`) narrows
    the property: typed `int`, no warning; `integer` then `string` is a conflict."""
    defs, diags = _findings(
        tmp_path,
        """\
        Job:
          allOf:
            - {type: object, properties: {run_id: {type: number}, at: {type: integer}}}
            - {type: object, properties: {run_id: {type: integer}, at: {type: string}}}
        """,
    )
    fields = {f.wire_name: f.type for f in _model(defs, "Job").fields}
    assert fields == {"run_id": Prim("int"), "at": Prim("str")}
    assert [d.pointer.rsplit("/", 1)[-1] for d in diags] == ["at"]
    assert "redefines property 'at' with another type" in diags[0].message
