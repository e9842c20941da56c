"""pytypes: annotations and decoder helpers, one distinct helper per distinct type."""

from __future__ import annotations

from oagen.ir import (
    Discriminator,
    ListOf,
    LiteralOf,
    MapOf,
    Nullable,
    Prim,
    PyIdent,
    Ref,
    UnionOf,
)
from oagen.pytypes import Types
from oagen.typeindex import describe


def test_nested_nullability_gets_distinct_decoders() -> None:
    types = Types(())
    inner_nullable = types.decoder(ListOf(Nullable(Prim("str"))))
    outer_nullable = types.decoder(Nullable(ListOf(Prim("str"))))
    assert inner_nullable != outer_nullable
    returns = {d.name: d.returns for d in types.decoders}
    assert returns[inner_nullable] == "list[str | None]"
    assert returns[outer_nullable] == "list[str] | None"


def test_slugs_are_unambiguous_for_containers() -> None:
    types = Types(())
    shapes = [
        ListOf(MapOf(Prim("int"))),
        MapOf(ListOf(Prim("int"))),
        ListOf(ListOf(Prim("int"))),
        Nullable(MapOf(Nullable(Prim("int")))),
        MapOf(Nullable(Nullable(Prim("int")))),
    ]
    assert len({types.slug(t) for t in shapes}) == len(shapes)


def test_unions_differing_only_in_discriminator_do_not_share_a_decoder() -> None:
    from oagen.ir import Constraints, Field, Model

    def model(name: str) -> Model:
        tag = Field("kind", PyIdent("kind"), Prim("str"), True, False, None, None,
                    Constraints(), False, False, False, "")  # fmt: skip
        return Model(PyIdent(name), (tag,), None, None, "")

    types = Types((model("Cat"), model("Dog")))
    options = (Ref(PyIdent("Cat")), Ref(PyIdent("Dog")))
    a = UnionOf(options, Discriminator("kind", (("c", PyIdent("Cat")), ("d", PyIdent("Dog")))))
    b = UnionOf(options, Discriminator("kind", (("Cat", PyIdent("Cat")), ("Dog", PyIdent("Dog")))))
    assert types.decoder(a) != types.decoder(b)


def test_a_model_named_like_a_container_does_not_share_its_decoder() -> None:
    """A model `ListEnv` and the type `list[Env]` (clever-cloud.com's spec has both)."""
    from oagen.ir import Constraints, Field, Model

    def model(name: str) -> Model:
        field = Field("x", PyIdent("x"), Prim("str"), True, False, None, None,
                      Constraints(), False, False, False, "")  # fmt: skip
        return Model(PyIdent(name), (field,), None, None, "")

    types = Types((model("ListEnv"), model("Env")), model_prefix="_models.")
    container = types.decoder(ListOf(Ref(PyIdent("Env"))))
    named = types.decoder(Ref(PyIdent("ListEnv")))
    assert container != named
    returns = {d.name: d.returns for d in types.decoders}
    assert returns[container] == "list[Env]"
    assert returns[named] == "ListEnv"


def test_type_refs_names_every_reference_in_order() -> None:
    """What plan keys and class bases read a type's references from: refs inside
    every kind of container, a discriminator's mapped models, a tuple's items and
    rest; a model's fields, its additional properties and its base."""
    from oagen.ir import NO_CONSTRAINTS, Field, LiteralOf, Model, TupleOf
    from oagen.typeindex import definition_refs, type_refs

    t = UnionOf(
        (
            Ref(PyIdent("A")),
            ListOf(Nullable(Ref(PyIdent("B")))),
            MapOf(Ref(PyIdent("C"))),
            TupleOf((Ref(PyIdent("D")), Prim("int")), rest=Ref(PyIdent("E"))),
            LiteralOf(("x",)),
        ),
        Discriminator("kind", (("f", PyIdent("F")), ("g", PyIdent("G")))),
    )
    assert type_refs(t) == ["A", "B", "C", "D", "E", "F", "G"]
    assert type_refs(Prim("str")) == []
    field = Field(
        wire_name="u",
        python_name=PyIdent("u"),
        type=t,
        is_required=True,
        has_default=False,
        default=None,
        description=None,
        constraints=NO_CONSTRAINTS,
        is_read_only=False,
        is_write_only=False,
        is_deprecated=False,
        pointer="#/u",
    )
    model = Model(PyIdent("M"), (field,), Ref(PyIdent("H")), None, "#", None, base=PyIdent("Base"))
    assert definition_refs(model) == [*"ABCDEFG", "H", "Base"]


def test_a_union_decoding_error_names_what_was_expected_in_json_words() -> None:
    """It said `expected map_str | literal_3a158f7c | nullable_datetime`: decoder
    names, not what a reader of the error knows."""
    t = UnionOf(
        (
            MapOf(Prim("str")),
            LiteralOf(("a", 1)),
            Nullable(Prim("datetime")),
            ListOf(Ref(PyIdent("Pet"))),
            Ref(PyIdent("Pet")),
        )
    )
    assert describe(t) == 'object | "a" | 1 | date-time | null | array | Pet'
    types = Types(())
    types.decoder(UnionOf((MapOf(Prim("str")), Nullable(Prim("datetime")))))
    (decoder,) = [d for d in types.decoders if d.name.startswith("_d_union")]
    assert "'object | date-time | null')" in decoder.body


def test_a_mapping_to_a_schema_outside_the_union_is_not_decoded_by() -> None:
    """`oneOf: [A, B]` whose mapping sends `a` to ASchema (no option, nor a model
    extending one): `a` was decoded as ASchema, a value of no type the union has; it
    is now decoded by the first option it fits. A model extending an option stays."""
    from oagen.ir import NO_CONSTRAINTS, Alias, Field, Model
    from oagen.typeindex import implied_discriminator

    def model(name: str, base: str | None = None) -> Model:
        field = Field("kind", PyIdent("kind"), Prim("str"), True, False, None, None,
                      NO_CONSTRAINTS, False, False, False, "")  # fmt: skip
        return Model(PyIdent(name), (field,), None, None, "", base=base and PyIdent(base))

    defs = [
        model("A"),
        model("B"),
        model("Puppy", "B"),
        Alias(PyIdent("ASchema"), Prim("any"), None, ""),
    ]
    declared = Discriminator(
        "kind", (("a", PyIdent("ASchema")), ("b", PyIdent("B")), ("p", PyIdent("Puppy")))
    )
    options = (Ref(PyIdent("A")), Ref(PyIdent("B")))
    found = implied_discriminator({d.name: d for d in defs}, options, declared)
    assert found == Discriminator("kind", (("b", "B"), ("p", "Puppy")))
