"""Property-based tests (hypothesis) of every generated model and response decoder.

For every model of `archal_client`, of the golden cases (tests/cases/*/spec.yaml) and
of the feature specs (tests/features), strategies are derived from the dataclass
fields and their type hints. Checked:

- `Model.from_dict(model.to_dict()) == model`, also through a JSON text round trip;
- arbitrary JSON, and JSON mutated from valid instances (wrong types, missing keys,
  nulls), fed to `from_dict` and to every operation's response decoder either
  decodes or raises `APIResponseValidationError` with a JSON path, nothing else.

Instances are built without `__init__` (which checks request constraints): decoding is
lenient, so any value of the declared types must round-trip.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import datetime as dt
import importlib
import inspect
import json
import re
import sys
import types
import typing
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from oagen.pipeline import generate_files
from oagen.write import write

from tests.features import conftest as features

HERE = Path(__file__).resolve().parents[1]  # tests/
CASES = sorted(p.parent.name for p in (HERE / "cases").glob("*/spec.yaml"))
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


def _feature_keys() -> list[str]:
    for path in sorted((HERE / "features").glob("test_*.py")):
        if path.stem != "test_mypy":
            importlib.import_module(f"tests.features.{path.stem}")
    return sorted(features.REGISTRY)


TARGETS = ["archal", *(f"case:{c}" for c in CASES), *(f"feat:{k}" for k in _feature_keys())]


# --------------------------------------------------------------------------- packages


def _forget(name: str) -> None:
    for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[module]


@pytest.fixture(scope="module")
def pkg_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("prop_pkgs")
    sys.path.insert(0, str(root))
    yield root
    sys.path.remove(str(root))


@pytest.fixture
def package(
    request: pytest.FixtureRequest, pkg_root: Path, archal_package: Path
) -> Iterator[types.ModuleType]:
    target: str = request.param
    if target == "archal":
        import archal_client

        yield archal_client
        return
    kind, key = target.split(":")
    name = f"prop_{key}_client"
    if kind == "case":
        spec_path = HERE / "cases" / key / "spec.yaml"
    else:
        spec_path = features.REGISTRY[key].write_to(pkg_root.parent / f"prop_specs_{key}")
    out = pkg_root / name
    if not out.exists():
        write(out, generate_files(spec_path, package_name=name).files)
    _forget(name)
    importlib.invalidate_caches()
    yield importlib.import_module(name)
    _forget(name)


# --------------------------------------------------------------------------- strategies

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
TIMEZONES = st.one_of(
    st.none(),
    st.just(dt.UTC),
    st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: dt.timezone(dt.timedelta(minutes=m))),
)


@dataclasses.dataclass
class Models:
    """The models of one package, their namespace and their strategies."""

    package: types.ModuleType
    classes: dict[str, type]
    namespace: dict[str, Any]
    unset_type: type
    strategies: dict[type, st.SearchStrategy[Any]] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, package: types.ModuleType) -> Models:
        models = importlib.import_module(f"{package.__name__}.models")
        types_mod = importlib.import_module(f"{package.__name__}._types")
        namespace: dict[str, Any] = {}
        classes: dict[str, type] = {}
        broken: list[str] = []
        for name in models.__all__:
            try:
                value = getattr(models, name)
            except NameError:  # see test_every_type_alias_module_imports
                broken.append(name)
                continue
            namespace[name] = value
            if isinstance(value, type) and dataclasses.is_dataclass(value):
                classes[name] = value
        for value in list(classes.values()):  # the helper names the hints use
            module = sys.modules[_defining_module(models, value)]
            namespace = {**vars(module), **namespace}
        for name in broken:  # evaluate the alias with every model in scope
            source = Path(models.__file__).parent / f"{models._MODULES[name]}.py"
            scope = dict(namespace, __name__=f"{models.__name__}._alias_{name}")
            exec(compile(source.read_text(), str(source), "exec"), scope)
            namespace[name] = scope[name]
        return cls(package, classes, namespace, types_mod.Unset)

    def model(self, model: type) -> st.SearchStrategy[Any]:
        """Instances of `model`, built without `__init__` (no request checks)."""
        if model not in self.strategies:
            self.strategies[model] = st.deferred(lambda: self._build(model))
        return self.strategies[model]

    def _build(self, model: type) -> st.SearchStrategy[Any]:
        hints = typing.get_type_hints(model, globalns=self.namespace, localns=self.namespace)
        # the JSON names `from_dict` reads (a superset: every string constant of its
        # code): extra properties must not take one
        known = {c for c in model.from_dict.__func__.__code__.co_consts if isinstance(c, str)}
        fields: dict[str, st.SearchStrategy[Any]] = {}
        for f in dataclasses.fields(model):
            if f.name == "additional_properties":
                value_type = typing.get_args(hints[f.name])[1]
                keys = st.text(max_size=6).filter(lambda k: k not in known)
                fields[f.name] = st.dictionaries(keys, self.of_type(value_type), max_size=2)
            else:
                fields[f.name] = self.of_type(hints[f.name])

        def construct(values: dict[str, Any]) -> Any:
            obj = model.__new__(model)
            for name, value in values.items():
                object.__setattr__(obj, name, value)
            return obj

        return st.fixed_dictionaries(fields).map(construct)

    def of_type(self, hint: Any) -> st.SearchStrategy[Any]:
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if hint is self.unset_type:
            return st.just(self.package.UNSET)
        if hint is type(None) or hint is None:
            return st.none()
        if origin is typing.Literal:
            return st.sampled_from(args)
        if origin in (typing.Union, types.UnionType):
            return st.one_of(*(self.of_type(a) for a in args))
        if origin is list:
            return st.lists(self.of_type(args[0]), max_size=3)
        if origin is dict:
            return st.dictionaries(st.text(max_size=6), self.of_type(args[1]), max_size=3)
        if origin is typing.Annotated:
            return self.of_type(args[0])
        if origin is tuple or hint is typing.IO[bytes]:
            return st.nothing()  # file parts (multipart): bytes stand for them
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return self.model(hint)
        simple: dict[Any, st.SearchStrategy[Any]] = {
            str: st.text(max_size=10),
            int: st.integers(),
            float: st.floats(allow_nan=False, allow_infinity=False),
            bool: st.booleans(),
            bytes: st.binary(max_size=10),
            uuid.UUID: st.uuids(),
            dt.datetime: st.datetimes(timezones=TIMEZONES),
            dt.date: st.dates(),
            dt.time: st.times(timezones=TIMEZONES),
            typing.Any: JSON,
            object: JSON,
        }
        if hint in simple:
            return simple[hint]
        raise AssertionError(f"no strategy for the type hint {hint!r}")


def _defining_module(models: types.ModuleType, model: type) -> str:
    module_names: dict[str, str] = getattr(models, "_MODULES", {})
    sub = module_names.get(model.__name__)
    return f"{models.__name__}.{sub}" if sub else model.__module__


# --------------------------------------------------------------------------- mutation


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw: st.DrawFn, valid: Any) -> Any:
    """`valid` JSON with one value replaced (wrong type, null) or one key removed."""
    data = copy.deepcopy(valid)
    path = draw(st.sampled_from(_paths(data)))
    action = draw(st.sampled_from(["replace", "null", "delete", "wrong_scalar"]))
    if not path:
        return None if action == "null" else draw(JSON)
    parent = data
    for segment in path[:-1]:
        parent = parent[segment]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "null":
        parent[last] = None
    elif action == "wrong_scalar":
        parent[last] = draw(st.sampled_from([0, 1.5, True, "", "x", [], {}, -(10**30)]))
    else:
        parent[last] = draw(JSON)
    return data


# --------------------------------------------------------------------------- checks


def _assert_validation_error(package: types.ModuleType, exc: BaseException, where: str) -> None:
    errors = importlib.import_module(f"{package.__name__}.errors")
    assert isinstance(exc, errors.APIResponseValidationError), (
        f"{where}: {type(exc).__name__}: {exc}"
    )
    assert isinstance(exc.path, tuple) and all(isinstance(s, (str, int)) for s in exc.path)
    assert str(exc).startswith("$"), str(exc)


def _decode(package: types.ModuleType, decode: Callable[[Any], Any], data: Any, where: str) -> None:
    try:
        decode(data)
    except Exception as exc:
        _assert_validation_error(package, exc, where)


def _endpoints(package: types.ModuleType) -> list[tuple[str, Any]]:
    base = importlib.import_module(f"{package.__name__}._base_client")
    found: list[tuple[str, Any]] = []
    resources = Path(package.__file__).parent / "resources"
    modules = [importlib.import_module(f"{package.__name__}._client")]
    modules += [
        importlib.import_module(f"{package.__name__}.resources.{p.stem}")
        for p in sorted(resources.glob("*.py"))
        if p.stem != "__init__"
    ]
    for module in modules:
        for name, value in sorted(vars(module).items()):
            if isinstance(value, base.Endpoint):
                found.append((f"{module.__name__}.{name}", value))
    return found


def _subclass_tags(model: type) -> tuple[str, set[str]] | None:
    """The property a base class's `from_dict` hands objects to its subclasses by,
    and the tags it hands over (as `_serde.tag_of` gives them); None: it hands none."""
    source = inspect.getsource(model.from_dict)  # type: ignore[attr-defined]
    found = re.search(r"tag_of\(data, ('[^']*'|\"[^\"]*\")\)", source)
    if found is None:
        return None
    tags: set[str] = set()
    for test in re.findall(r"tag (?:==|in) (.+):$", source, re.MULTILINE):
        value = ast.literal_eval(test)
        tags.update(value if isinstance(value, tuple) else [value])
    return ast.literal_eval(found.group(1)), tags


def _round_trip(models: Models, model: type) -> Callable[[], None]:
    tagged = _subclass_tags(model)
    tag_of = importlib.import_module(f"{models.package.__name__}._serde").tag_of

    @SETTINGS
    @given(instance=models.model(model))
    def check(instance: Any) -> None:
        data = instance.to_dict()
        # an instance holding a subclass's tag decodes as that subclass (drawn now and
        # then when tags are small integers): not a round trip of this class
        assume(tagged is None or tag_of(data, tagged[0]) not in tagged[1])
        assert model.from_dict(data) == instance
        try:
            wire = json.loads(json.dumps(data))
        except TypeError:
            return  # file fields (multipart) hold bytes: not JSON
        assert model.from_dict(wire) == instance

    return check


def _arbitrary(
    package: types.ModuleType, decode: Callable[[Any], Any], where: str
) -> Callable[[], None]:
    @SETTINGS
    @given(data=JSON)
    def check(data: Any) -> None:
        _decode(package, decode, data, where)

    return check


def _mutated(
    package: types.ModuleType, models: Models, model: type, decode: Callable[[Any], Any], where: str
) -> Callable[[], None]:
    @SETTINGS
    @given(st.data())
    def check(data: st.DataObject) -> None:
        instance = data.draw(models.model(model))
        try:
            valid = json.loads(json.dumps(instance.to_dict()))
        except TypeError:
            return
        _decode(package, decode, data.draw(mutated(valid)), where)

    return check


def _run(check: Callable[[], None], where: str) -> None:
    try:
        check()
    except Exception as exc:
        raise AssertionError(f"{where}: {type(exc).__name__}: {exc}") from exc


@pytest.mark.parametrize("package", TARGETS, indirect=True)
def test_models_round_trip(package: types.ModuleType) -> None:
    models = Models.of(package)
    for name, model in sorted(models.classes.items()):
        _run(_round_trip(models, model), f"{package.__name__}.models.{name}")


@pytest.mark.parametrize("package", TARGETS, indirect=True)
def test_models_decode_arbitrary_json_or_raise_validation_errors(package: types.ModuleType) -> None:
    models = Models.of(package)
    for name, model in sorted(models.classes.items()):
        where = f"{package.__name__}.models.{name}.from_dict"
        _run(_arbitrary(package, model.from_dict, where), where)
        _run(_mutated(package, models, model, model.from_dict, where), where)


def _response(
    data: Any, status: int = 200, content_type: str = "application/json"
) -> httpx.Response:
    request = httpx.Request("GET", "https://api.test/x")
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return httpx.Response(
        status, content=content, headers={"Content-Type": content_type}, request=request
    )


def _via_response(decode: Callable[[httpx.Response], Any]) -> Callable[[Any], Any]:
    return lambda data: decode(_response(data))


@pytest.mark.parametrize("package", TARGETS, indirect=True)
def test_response_decoders_raise_only_validation_errors(package: types.ModuleType) -> None:
    models = Models.of(package)
    decoders = [
        (f"{where}[{status}]", decode)
        for where, endpoint in _endpoints(package)
        for status, decode in endpoint.responses.items()
    ]
    if not decoders:
        pytest.skip("no operations")

    @SETTINGS
    @given(
        index=st.integers(0, len(decoders) - 1),
        body=st.one_of(
            JSON,
            st.binary(max_size=30),
            st.sampled_from([b"", b"<html>error</html>", b'{"a": ', b"null", b"[" * 3000]),
        ),
        content_type=st.sampled_from(
            ["application/json", "text/html", "text/plain", "application/problem+json"]
        ),
    )
    def lying(index: int, body: Any, content_type: str) -> None:
        where, decode = decoders[index]
        _decode(package, lambda d: decode(_response(d, 200, content_type)), body, where)

    _run(lying, package.__name__)
    for where, decode in decoders:
        _run(_arbitrary(package, _via_response(decode), where), where)
        for model in models.classes.values():
            if _returns(decode, model):
                _run(_mutated(package, models, model, _via_response(decode), where), where)


def _returns(decode: Any, model: type, depth: int = 4) -> bool:
    """Whether a response decoder decodes `model` (somewhere in the functions it
    calls, directly or through `_d_...` helpers, is `Model.from_dict`)."""
    code = getattr(decode, "__code__", None)
    if code is None or depth == 0:
        return False
    if model.__name__ in code.co_names:
        return True
    called = [c.cell_contents for c in (decode.__closure__ or ()) if callable(c.cell_contents)]
    called += [
        decode.__globals__[n]
        for n in code.co_names
        if n.startswith("_d_") and callable(decode.__globals__.get(n))
    ]
    return any(_returns(f, model, depth - 1) for f in called)


@pytest.mark.parametrize("package", TARGETS, indirect=True)
def test_every_type_alias_module_imports(package: types.ModuleType) -> None:
    """Every name in `models.__all__` can be imported at run time."""
    models = importlib.import_module(f"{package.__name__}.models")
    broken = []
    for name in models.__all__:
        try:
            getattr(models, name)
        except NameError as exc:
            broken.append(f"{name}: {exc}")
    assert broken == []


@pytest.mark.parametrize("package", TARGETS, indirect=True)
def test_every_models_type_hints_resolve_in_its_own_module(package: types.ModuleType) -> None:
    """`typing.get_type_hints(Model)`, as pydantic, cattrs and hypothesis call it,
    finds every name a model's annotations use in the module that defines it."""
    models = importlib.import_module(f"{package.__name__}.models")
    broken = []
    for name in models.__all__:
        found = getattr(models, name)
        if isinstance(found, type) and dataclasses.is_dataclass(found):
            try:
                typing.get_type_hints(found)
            except NameError as exc:
                broken.append(f"{name}: {exc}")
    assert broken == []


def test_every_target_has_models() -> None:
    assert "archal" in TARGETS and len(TARGETS) >= 15
