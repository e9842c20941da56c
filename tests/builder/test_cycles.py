"""builder, cycles: aliases that are one of their own alternatives with nothing in
between lose that reference (a warning says so); recursion through a container holds."""

from __future__ import annotations

from pathlib import Path

from oagen.ir import Alias, Definition, ListOf, MapOf, Nullable, Prim, Ref, UnionOf

from tests.builder.support import HEAD_30, HEAD_31, _build


def _built(
    tmp_path: Path, schemas: str, head: str = HEAD_31
) -> tuple[dict[str, Definition], list[str]]:
    api, diags = _build(tmp_path, f"{head}paths: {{}}\ncomponents:\n  schemas:\n{schemas}")
    assert [d for d in diags if d.severity == "error"] == []
    return {d.name: d for d in api.definitions}, [f"{d.pointer}: {d.message}" for d in diags]


def _target(defs: dict[str, Definition], name: str) -> object:
    alias = defs[name]
    assert isinstance(alias, Alias), alias
    return alias.target


def test_a_union_that_lists_itself_is_its_other_alternatives(tmp_path: Path) -> None:
    defs, warnings = _built(
        tmp_path,
        """\
    Pet: {oneOf: [{$ref: '#/components/schemas/Pet'}, {$ref: '#/components/schemas/Node'}]}
    Node: {type: object, properties: {kids: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}
""",
    )
    assert _target(defs, "Pet") == Ref("Node")
    assert warnings == [
        "#/components/schemas/Pet: `Pet` is one of its own alternatives with nothing in"
        " between (through `Pet`): that reference adds nothing and is left out"
    ]


def test_aliases_that_only_name_each_other_accept_any_value(tmp_path: Path) -> None:
    defs, warnings = _built(
        tmp_path,
        """\
    A: {$ref: '#/components/schemas/B'}
    B: {anyOf: [{$ref: '#/components/schemas/A'}]}
    C: {type: array, items: {$ref: '#/components/schemas/A'}}
""",
    )
    # A is B's schema, whose only alternative is A: A is itself, and so any value
    assert _target(defs, "A") == Prim("any")
    assert _target(defs, "B") == Ref("A")
    assert _target(defs, "C") == ListOf(Ref("A"))
    assert warnings == [
        "#/components/schemas/B: `A` is one of its own alternatives with nothing in between"
        " (through `A`): that reference adds nothing and is left out; nothing else is left,"
        " so any value is accepted"
    ]


def test_a_nullable_union_that_lists_itself_keeps_null(tmp_path: Path) -> None:
    defs, _ = _built(
        tmp_path,
        """\
    N: {nullable: true, oneOf: [{$ref: '#/components/schemas/N'}, {type: string}]}
""",
        HEAD_30,
    )
    assert _target(defs, "N") == Nullable(Prim("str"))


def test_recursion_through_a_container_is_kept(tmp_path: Path) -> None:
    defs, warnings = _built(
        tmp_path,
        """\
    Json:
      anyOf:
        - {type: string}
        - {type: array, items: {$ref: '#/components/schemas/Json'}}
        - {type: object, additionalProperties: {$ref: '#/components/schemas/Json'}}
""",
    )
    assert _target(defs, "Json") == UnionOf((Prim("str"), ListOf(Ref("Json")), MapOf(Ref("Json"))))
    assert warnings == []
