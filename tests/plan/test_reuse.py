"""Plan keys: a regeneration takes a model or resource module from the previous
output without planning it exactly when what planning it reads is unchanged, and
the result is always what a generation from scratch gives."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest
from oagen import pipeline
from oagen import plan as plan_package
from oagen.builder import build
from oagen.diagnostics import Diagnostics
from oagen.ir import (
    NO_CONSTRAINTS,
    Alias,
    Constraints,
    Definition,
    Field,
    ListOf,
    MapOf,
    Model,
    Nullable,
    Prim,
    PyIdent,
    Ref,
)
from oagen.load import load
from oagen.manifest import MANIFEST
from oagen.options import Options
from oagen.pipeline import generate_files
from oagen.plan import models as plan_models
from oagen.plan.extensions import class_bases
from oagen.plan.reuse import PlanKeys, Watched
from oagen.pytypes import Definitions
from oagen.write import write

REPO = Path(__file__).resolve().parents[2]
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Reuse", "version": "1"},
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["pets"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Pet"},
                                }
                            }
                        },
                    }
                },
            }
        },
        "/owners": {
            "get": {
                "operationId": "listOwners",
                "tags": ["owners"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Owner"}}
                        },
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "description": "The pet's name."},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "tag": {"$ref": "#/components/schemas/Tag"},
                    "owner": {"$ref": "#/components/schemas/Owner"},
                },
            },
            "Owner": {
                "type": "object",
                "properties": {
                    "nick": {"type": "string", "description": "A nickname."},
                    "address": {"$ref": "#/components/schemas/Address"},
                },
            },
            "Address": {"type": "object", "properties": {"street": {"type": "string"}}},
            "Dog": {
                "allOf": [
                    {"$ref": "#/components/schemas/Pet"},
                    {"type": "object", "properties": {"barks": {"type": "boolean"}}},
                ]
            },
            "Kind": {"type": "string", "enum": ["cat", "dog"]},
            "Tag": {"type": "string"},
            "Shape": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Circle"},
                    {"$ref": "#/components/schemas/Square"},
                ],
                "discriminator": {"propertyName": "kind"},
            },
            "Circle": {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"type": "string"}, "r": {"type": "number"}},
            },
            "Square": {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"type": "string"}, "side": {"type": "number"}},
            },
            "Drawing": {
                "type": "object",
                "properties": {"shape": {"$ref": "#/components/schemas/Shape"}},
            },
            # a union that decodes by the discriminator of the model its options extend
            "Animal": {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"type": "string"}},
                "discriminator": {"propertyName": "kind"},
            },
            "Lion": {
                "allOf": [
                    {"$ref": "#/components/schemas/Animal"},
                    {"properties": {"mane": {"type": "boolean"}}},
                ]
            },
            "Tiger": {
                "allOf": [
                    {"$ref": "#/components/schemas/Animal"},
                    {"properties": {"stripes": {"type": "integer"}}},
                ]
            },
            "Zoo": {
                "type": "object",
                "properties": {
                    "star": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/Lion"},
                            {"$ref": "#/components/schemas/Tiger"},
                        ]
                    }
                },
            },
        }
    },
}


def _schemas(spec: dict[str, Any]) -> dict[str, Any]:
    return spec["components"]["schemas"]  # type: ignore[no-any-return]


def _describe_owner_nick(spec: dict[str, Any]) -> None:
    _schemas(spec)["Owner"]["properties"]["nick"]["description"] = "What friends call them."


def _add_kind(spec: dict[str, Any]) -> None:
    _schemas(spec)["Kind"]["enum"].append("bird")


def _retype_tag(spec: dict[str, Any]) -> None:
    _schemas(spec)["Tag"] = {"type": "integer"}


def _constrain_owner(spec: dict[str, Any]) -> None:
    # Owner gets a check: Pet, which holds an Owner, now validates it
    _schemas(spec)["Owner"]["properties"]["nick"]["maxLength"] = 10


def _constrain_address(spec: dict[str, Any]) -> None:
    # Owner holds an Address, which gets a check: Owner validates it, and Pet, whose
    # own inputs (Pet, Owner, Kind, Tag) are unchanged, now validates its Owner
    _schemas(spec)["Address"]["properties"]["street"]["minLength"] = 1


def _rename_owner(spec: dict[str, Any]) -> None:
    text = json.dumps(spec).replace("Owner", "Keeper")
    spec.clear()
    spec.update(json.loads(text))


def _require_square_side(spec: dict[str, Any]) -> None:
    # a union tries its options most specific first: the order of Shape's decoders
    _schemas(spec)["Square"]["required"] = ["kind", "side"]


def _map_discriminator(spec: dict[str, Any]) -> None:
    _schemas(spec)["Shape"]["discriminator"]["mapping"] = {
        "c": "#/components/schemas/Circle",
        "s": "#/components/schemas/Square",
    }


def _map_inherited_discriminator(spec: dict[str, Any]) -> None:
    # Zoo's `star` decodes by Animal's discriminator, which Zoo's module never names
    _schemas(spec)["Animal"]["discriminator"]["mapping"] = {"lion": "#/components/schemas/Lion"}


def _describe_pet_name(spec: dict[str, Any]) -> None:
    # Dog extends Pet: a subclass, planned again (it reads Pet), its text unchanged
    _schemas(spec)["Pet"]["properties"]["name"]["description"] = "What it answers to."


def _flatten_dog(spec: dict[str, Any]) -> None:
    # Dog redefines a property of Pet: no longer a subclass of it
    _schemas(spec)["Dog"]["allOf"][1]["properties"]["name"] = {"type": "integer"}


def _describe_operation(spec: dict[str, Any]) -> None:
    spec["paths"]["/pets"]["get"]["summary"] = "All the pets."


def _describe_owner(spec: dict[str, Any]) -> None:
    # Pet's `owner` field has no description of its own: its docs print Owner's
    _schemas(spec)["Owner"]["description"] = "Who looks after a pet."


EDITS = {
    "description": _describe_owner_nick,
    "enum value": _add_kind,
    "alias type": _retype_tag,
    "validation": _constrain_owner,
    "validation of a model held": _constrain_address,
    "rename": _rename_owner,
    "union order": _require_square_side,
    "discriminator": _map_discriminator,
    "discriminator of a base": _map_inherited_discriminator,
    "operation": _describe_operation,
    "base description": _describe_pet_name,
    "extension flattened": _flatten_dog,
    "schema description printed elsewhere": _describe_owner,
}


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The model modules (by the names they define) and resources planned, in order."""
    seen: list[str] = []
    model_module = plan_models._model_module
    resource = plan_package._resource

    def spy_model(*args: Any, **kwargs: Any) -> Any:
        context = model_module(*args, **kwargs)
        seen.append(f"models: {', '.join(context.all_names)}")
        return context

    def spy_resource(api: Any, index: Any, r: Any) -> Any:
        seen.append(f"resource: {r.class_name}")
        return resource(api, index, r)

    monkeypatch.setattr(plan_models, "_model_module", spy_model)
    monkeypatch.setattr(plan_package, "_resource", spy_resource)
    return seen


def _regenerate(tmp_path: Path, edit: Any, planned: list[str]) -> tuple[dict[str, str], ...]:
    """(first output, regenerated over it after `edit`, generated from scratch);
    `planned` is left holding what the regeneration planned."""
    spec = tmp_path / "reuse.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    out = tmp_path / "out"
    first = generate_files(spec, formatter="none").files
    write(out, first)
    changed = json.loads(json.dumps(SPEC))
    edit(changed)
    spec.write_text(json.dumps(changed), encoding="utf-8")
    planned.clear()
    again = generate_files(spec, formatter="none", previous=out).files
    replanned = list(planned)
    fresh = generate_files(spec, formatter="none").files
    planned[:] = replanned
    return first, again, fresh


@pytest.mark.parametrize("edit", EDITS.values(), ids=list(EDITS))
def test_regeneration_over_the_previous_output_is_a_fresh_generation(
    tmp_path: Path, edit: Any, planned: list[str]
) -> None:
    first, again, fresh = _regenerate(tmp_path, edit, planned)
    assert again == fresh
    assert again != first


def test_a_description_edit_plans_only_the_module_that_prints_it(
    tmp_path: Path, planned: list[str]
) -> None:
    first, again, _ = _regenerate(tmp_path, _describe_owner_nick, planned)
    # only Owner's own module: those that refer to Owner (Pet, Dog, the owners
    # resource) read what it is, not its docs, and are taken as they were
    assert planned == ["models: Owner"]
    changed = {path for path in again if again[path] != first[path]}
    assert changed == {"models/_owner.py", MANIFEST}


def test_a_schema_description_is_planned_again_where_it_is_printed(
    tmp_path: Path, planned: list[str]
) -> None:
    first, again, _ = _regenerate(tmp_path, _describe_owner, planned)
    # Pet's `owner` field prints Owner's description as its own; Dog holds the
    # field too (planned again), declared by its base Pet (its text unchanged)
    assert planned == ["models: Pet", "models: Owner", "models: Dog"]
    changed = {path for path in again if again[path] != first[path]}
    assert changed == {"models/_pet.py", "models/_owner.py", MANIFEST}
    assert "Who looks after a pet." in again["models/_pet.py"]


def test_keys_are_recorded_for_every_planned_file(tmp_path: Path) -> None:
    spec = tmp_path / "reuse.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    files = generate_files(spec, formatter="none").files
    plans = json.loads(files[MANIFEST])["plans"]
    assert set(plans) == set(files) - {*plan_package.RUNTIME_FILES, "py.typed", MANIFEST}
    assert {"models/_pet.py", "models/_enums.py", "resources/pets.py", "README.md"} <= set(plans)
    assert all(len(key) == 64 for key in plans.values())


def test_files_planned_from_the_whole_api_are_rendered_when_their_context_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README, the client and the `__init__`s are keyed by their contexts: an
    operation's summary, which the README prints, renders the README again and no
    other of them."""
    rendered: list[str] = []
    real = pipeline.renderer

    def spy(*args: Any, **kwargs: Any) -> Any:
        one = real(*args, **kwargs)

        def render(file: plan_package.FilePlan) -> str:
            if file.template is not None:
                rendered.append(file.path)
            return one(file)

        return render

    monkeypatch.setattr(pipeline, "renderer", spy)
    spec = tmp_path / "reuse.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    out = tmp_path / "out"
    write(out, generate_files(spec, formatter="none").files)
    assert {"README.md", "_client.py", "__init__.py", "models/__init__.py"} <= set(rendered)
    changed = json.loads(json.dumps(SPEC))
    _describe_operation(changed)
    spec.write_text(json.dumps(changed), encoding="utf-8")
    rendered.clear()
    again = generate_files(spec, formatter="none", previous=out).files
    assert rendered == ["resources/pets.py", "README.md"]
    assert "All the pets." in again["README.md"]
    assert again == generate_files(spec, formatter="none").files


def test_a_base_description_edit_rewrites_only_the_base(tmp_path: Path, planned: list[str]) -> None:
    first, again, _ = _regenerate(tmp_path, _describe_pet_name, planned)
    assert planned == ["models: Pet", "models: Dog"]  # Dog's own fields include Pet's
    assert "class Dog(Pet):" in again["models/_dog.py"]
    changed = {path for path in again if again[path] != first[path]}
    assert changed == {"models/_pet.py", MANIFEST}


def test_a_reused_file_must_be_on_disk_as_recorded(tmp_path: Path, planned: list[str]) -> None:
    spec = tmp_path / "reuse.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    out = tmp_path / "out"
    write(out, generate_files(spec, formatter="none").files)
    edited = next((out / "models").glob("_enums.py"))
    edited.write_text(edited.read_text(encoding="utf-8") + "# hand edit\n", encoding="utf-8")
    planned.clear()
    files = generate_files(spec, formatter="none", previous=out).files
    assert planned == ["models: Kind"]
    assert "# hand edit" not in files["models/_enums.py"]


def test_other_options_plan_everything_again(tmp_path: Path, planned: list[str]) -> None:
    spec = tmp_path / "reuse.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    out = tmp_path / "out"
    write(out, generate_files(spec, formatter="none", package_name="one").files)
    planned.clear()
    generate_files(spec, formatter="none", package_name="two", previous=out)
    assert len(planned) == len(set(planned)) > 5


def test_a_read_outside_the_keyed_inputs_is_noticed() -> None:
    tag = Alias(PyIdent("Tag"), Ref(PyIdent("Text")), None, "#/components/schemas/Tag")
    text = Alias(PyIdent("Text"), Ref(PyIdent("Tag")), None, "#/components/schemas/Text")
    pet = Model(PyIdent("Pet"), (), None, None, "#/components/schemas/Pet")
    index = Definitions([tag, text, pet])
    watched = Watched(index, frozenset({PyIdent("Pet"), PyIdent("Tag")}))
    assert watched.by_name[PyIdent("Tag")] is tag
    assert not watched.escaped
    assert watched.recursive == index.recursive
    assert watched.by_name.get(PyIdent("Text")) is text
    assert watched.escaped


def test_an_installable_project_layout_is_reused_too(tmp_path: Path, planned: list[str]) -> None:
    spec = tmp_path / "reuse.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    options = Options(formatter="none", meta=("pyproject",))
    out = tmp_path / "out"
    write(out, generate_files(spec, options=options).files)
    changed = json.loads(json.dumps(SPEC))
    _describe_owner_nick(changed)
    spec.write_text(json.dumps(changed), encoding="utf-8")
    planned.clear()
    again = generate_files(spec, options=options, previous=out).files
    assert planned == ["models: Owner"]
    assert "reuse_client/models/_pet.py" in json.loads(again[MANIFEST])["plans"]
    assert again == generate_files(spec, options=options).files


def test_a_module_whose_planning_reads_more_than_its_key_gets_no_key(
    tmp_path: Path, planned: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # inputs that leave out what the members refer to: planning Pet reads Owner,
    # Kind and Tag outside them, so Pet's module is recorded without a key and is
    # planned again (and is right) after an edit of Owner that Pet's key misses
    members_only = lambda self, members: frozenset(d.name for d in members)  # noqa: E731
    monkeypatch.setattr(PlanKeys, "model_inputs", members_only)
    first, again, fresh = _regenerate(tmp_path, _rename_owner, planned)
    plans = json.loads(first[MANIFEST])["plans"]
    assert "models/_pet.py" not in plans and "models/_owner.py" not in plans
    assert {"models/_address.py", "models/_enums.py"} <= set(plans)  # they refer to none
    assert "models: Pet" in planned
    assert again == fresh


def test_type_expressions_repr_every_field() -> None:
    """Plan keys digest the IR's repr; the commonest type expressions spell theirs
    out, and every record must keep naming every field as the dataclass repr would
    (`records` drops only the recursion guard around it)."""
    field = Field(
        wire_name="name", python_name=PyIdent("name"), type=Nullable(Prim("str")),
        is_required=True, has_default=False, default=None, description="The name.",
        constraints=Constraints(min_length=1), is_read_only=False, is_write_only=False,
        is_deprecated=False, pointer="#/components/schemas/Pet/properties/name",
    )  # fmt: skip
    samples = [
        Prim("str"),
        Ref(PyIdent("Pet")),
        Nullable(Ref(PyIdent("Pet"))),
        ListOf(Prim("int")),
        MapOf(Nullable(Prim("any"))),
        Constraints(min_length=1, pattern="^a"),
        field,
        Model(PyIdent("Pet"), (field,), None, "A pet.", "#/components/schemas/Pet", None),
    ]
    for value in samples:
        named = ", ".join(f"{f.name}={getattr(value, f.name)!r}" for f in fields(value))
        assert repr(value) == f"{type(value).__qualname__}({named})"


def _other(value: Any) -> Any:
    """A value of the same kind as `value`, and different."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value + "x"
    if value is None:
        return "x"
    if isinstance(value, Constraints):
        return Constraints(min_length=1)
    if isinstance(value, Prim):
        return Prim("int")
    raise AssertionError(value)


def test_every_attribute_of_a_field_counts_in_the_plan_keys() -> None:
    """A module's key sees every attribute of its own models' fields, and of the
    models it refers to every attribute but the docs (description, pointer)."""
    field = Field(
        wire_name="name", python_name=PyIdent("name"), type=Prim("str"), is_required=True,
        has_default=False, default=None, description=None, constraints=NO_CONSTRAINTS,
        is_read_only=False, is_write_only=False, is_deprecated=False, pointer="#/p",
    )  # fmt: skip
    pet = PyIdent("Pet")

    def keys(f: Field) -> tuple[str, str]:
        """The key of a module holding a model with field `f`, and of one referring to it."""
        plan_keys = PlanKeys(
            Definitions([Model(pet, (f,), None, None, "#/m")]), {}, frozenset(), {}
        )
        inputs = frozenset({pet})
        return plan_keys.key("m.py", "", inputs, inputs), plan_keys.key("r.py", "", inputs)

    own, referred = keys(field)
    for attribute in fields(Field):
        changed = keys(replace(field, **{attribute.name: _other(getattr(field, attribute.name))}))
        documents = attribute.name in ("description", "pointer")
        assert changed[0] != own, attribute.name
        assert (changed[1] != referred) is not documents, attribute.name
    # JSON values told apart as JSON does: 1 and true, 1 and 1.0, "1" and 1
    for a, b in ((1, True), (0, False), (1, 1.0), ("1", 1)):
        assert keys(replace(field, default=a)) != keys(replace(field, default=b)), (a, b)


def _documented_elsewhere(definition: Definition) -> Definition:
    """`definition` with other docs (descriptions and pointers, its fields' too)."""
    docs = {"description": "Documented elsewhere.", "pointer": "#/elsewhere"}
    if isinstance(definition, Model):
        fields_ = tuple(replace(f, **docs) for f in definition.fields)
        return replace(definition, fields=fields_, **docs)
    return replace(definition, **docs)


@pytest.mark.parametrize("source", ["reuse", "archal"])
def test_a_module_reads_no_docs_of_the_definitions_it_refers_to(
    tmp_path: Path, source: str
) -> None:
    """What plan keys rely on: a model module planned with other docs for every
    definition but its own, and a resource module with other docs for all of them,
    get the same contexts (keys cover referred-to definitions without their docs)."""
    if source == "reuse":
        path = tmp_path / "reuse.json"
        path.write_text(json.dumps(SPEC), encoding="utf-8")
    else:
        path = REPO / "specs" / "archal.yaml"
    spec = load(path)
    sink = Diagnostics(spec.locate)
    api = build(spec, sink, "client")
    index = Definitions(api.definitions)
    layout = plan_models.model_layout(api)
    validated = plan_models.validated_models(index)
    bases = class_bases(index.by_name, layout.modules)
    assert bases or source != "reuse"  # Dog extends Pet: a base read from another module
    for module, (names, doc) in layout.groups.items():
        members = [index.by_name[name] for name in names]
        elsewhere = Definitions(
            [d if d.name in names else _documented_elsewhere(d) for d in api.definitions]
        )
        args = (layout.modules, doc, validated, bases)
        planned = plan_models._model_module(index, members, *args)
        assert plan_models._model_module(elsewhere, members, *args) == planned, module
    elsewhere = Definitions([_documented_elsewhere(d) for d in api.definitions])
    for resource in plan_package.resource_list(api):
        planned_resource = plan_package._resource(api, index, resource)
        assert plan_package._resource(api, elsewhere, resource) == planned_resource
