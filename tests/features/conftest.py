"""Helpers of the feature tests: inline specs, the IR they build, generated packages.

Every spec is declared once at module level with `feature_spec(...)`, which registers
it: the mypy test (test_mypy.py) generates all registered specs into one folder and
type-checks them together. Behaviour tests get an imported package through the
`package` fixture, which generates it (once per session), imports it, and removes it
from `sys.modules` afterwards.
"""

from __future__ import annotations

import email.parser
import email.policy
import importlib
import json
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from oagen.builder import build
from oagen.diagnostics import Diagnostics
from oagen.ir import Api, Definition, Field, Model, Operation, Param
from oagen.load import load
from oagen.pipeline import generate_files
from oagen.validate import validate
from oagen.write import write

BASE = "https://api.test"
HEAD_31 = "openapi: 3.1.0\ninfo: {title: Feature API, version: '1.0.0'}\nservers: [{url: 'https://api.test'}]\n"
HEAD_30 = "openapi: 3.0.3\ninfo: {title: Feature API, version: '1.0.0'}\nservers: [{url: 'https://api.test'}]\n"


@dataclass(frozen=True)
class FeatureSpec:
    """An inline spec (plus other files next to it) and its generated package name."""

    key: str
    text: str
    extra_files: dict[str, str] = field(default_factory=dict)
    # Code using the package, type-checked with it by the mypy test (`pkg` is the package).
    typecheck: str = ""

    @property
    def package_name(self) -> str:
        return f"feat_{self.key}_client"

    def write_to(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in self.extra_files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)  # (`schemas/a.yaml`)
            (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
        path = folder / f"{self.key}.yaml"
        path.write_text(textwrap.dedent(self.text), encoding="utf-8")
        return path


REGISTRY: dict[str, FeatureSpec] = {}


def feature_spec(
    key: str, text: str, extra_files: dict[str, str] | None = None, typecheck: str = ""
) -> FeatureSpec:
    """Declare (and register) the spec of one feature; `key` names its package."""
    assert re.fullmatch(r"[a-z][a-z0-9_]*", key), key
    assert key not in REGISTRY, f"duplicate feature spec {key!r}"
    spec = FeatureSpec(key, text, dict(extra_files or {}), textwrap.dedent(typecheck))
    REGISTRY[key] = spec
    return spec


def get_path(path: str, op_id: str, schema_ref: str) -> str:
    """The YAML of `paths` entry `path`: a GET `op_id` answering 200 with JSON typed by
    component schema `schema_ref`."""
    return f"""\
  {path}:
    get:
      operationId: {op_id}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/{schema_ref}'}}
"""


def schemas_spec(key: str, schemas: str, head: str = HEAD_31, paths: str = "{}") -> FeatureSpec:
    """A spec holding only `components/schemas` (indented YAML text) and `paths`."""
    body = textwrap.indent(textwrap.dedent(schemas), "    ")
    return feature_spec(key, f"{head}paths: {paths}\ncomponents:\n  schemas:\n{body}")


# --------------------------------------------------------------------------- IR


def build_ir(tmp_path: Path, spec: FeatureSpec) -> Api:
    """The IR of `spec`; fails the test on any error diagnostic."""
    path = spec.write_to(tmp_path / f"ir_{spec.key}")
    loaded = load(path)
    sink = Diagnostics(loaded.locate)
    validate(loaded, sink)
    api = build(loaded, sink, spec.package_name)
    errors = [str(d) for d in sink.items if d.severity == "error"]
    assert errors == []
    return api


def defs(api: Api) -> dict[str, Definition]:
    return {d.name: d for d in api.definitions}


def model(api: Api, name: str) -> Model:
    found = defs(api)[name]
    assert isinstance(found, Model), found
    return found


def fields(m: Model) -> dict[str, Field]:
    return {f.wire_name: f for f in m.fields}


def ops(api: Api) -> dict[str, Operation]:
    resources = list(api.resources) + ([api.root] if api.root else [])
    return {op.python_name: op for r in resources for op in r.operations}


def op_by_id(api: Api, operation_id: str) -> Operation:
    for op in ops(api).values():
        if op.operation_id == operation_id:
            return op
    raise AssertionError(f"no operation {operation_id!r} in {sorted(ops(api))}")


def params(op: Operation) -> dict[tuple[str, str], Param]:
    """(location, wire name) -> Param."""
    return {(p.location, p.wire_name): p for p in op.params}


# --------------------------------------------------------------------------- packages


class Packages:
    """Generated packages of one session, in one folder on `sys.path`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.generated: set[str] = set()

    def generate(self, spec: FeatureSpec) -> Path:
        out = self.root / spec.package_name
        if spec.key not in self.generated:
            path = spec.write_to(self.root.parent / "specs" / spec.key)
            write(out, generate_files(path, package_name=spec.package_name).files)
            self.generated.add(spec.key)
        return out


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Packages]:
    root = tmp_path_factory.mktemp("feature_pkgs") / "pkgs"
    root.mkdir()
    sys.path.insert(0, str(root))
    try:
        yield Packages(root)
    finally:
        sys.path.remove(str(root))


def _forget(name: str) -> None:
    for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[module]


@pytest.fixture
def package(packages: Packages) -> Iterator[Callable[[FeatureSpec], ModuleType]]:
    """`package(spec)`: generate `spec` (once per session) and import it fresh."""
    loaded: list[str] = []

    def load_package(spec: FeatureSpec) -> ModuleType:
        packages.generate(spec)
        _forget(spec.package_name)
        importlib.invalidate_caches()
        loaded.append(spec.package_name)
        return importlib.import_module(spec.package_name)

    yield load_package
    for name in loaded:
        _forget(name)


def submodule(pkg: ModuleType, name: str) -> ModuleType:
    return importlib.import_module(f"{pkg.__name__}.{name}")


# --------------------------------------------------------------------------- wire


@dataclass
class Reply:
    status: int = 200
    json_body: Any = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def build(self) -> httpx.Response:
        if self.content is not None:
            return httpx.Response(self.status, content=self.content, headers=self.headers)
        if self.json_body is None:
            return httpx.Response(self.status, headers=self.headers)
        return httpx.Response(self.status, json=self.json_body, headers=self.headers)


class Server:
    """A MockTransport handler recording requests; answers with `reply` (or `replies` in turn)."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies) or [Reply(200, {})]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.replies[min(len(self.requests), len(self.replies)) - 1].build()

    @property
    def only(self) -> httpx.Request:
        assert len(self.requests) == 1, [str(r.url) for r in self.requests]
        return self.requests[0]


def client(pkg: ModuleType, server: Server, *, base_url: str | None = BASE, **options: Any) -> Any:
    """A sync `Client` of `pkg` sending to `server` (no retries)."""
    http = httpx.Client(transport=httpx.MockTransport(server))
    kwargs: dict[str, Any] = {"http_client": http, "max_retries": 0, **options}
    if base_url is not None:
        kwargs["base_url"] = base_url
    return pkg.Client(**kwargs)


def async_client(
    pkg: ModuleType, server: Server, *, base_url: str | None = BASE, **options: Any
) -> Any:
    http = httpx.AsyncClient(transport=httpx.MockTransport(server))
    kwargs: dict[str, Any] = {"http_client": http, "max_retries": 0, **options}
    if base_url is not None:
        kwargs["base_url"] = base_url
    return pkg.AsyncClient(**kwargs)


def query_pairs(request: httpx.Request) -> list[tuple[str, str]]:
    """The decoded query of `request`, in order."""
    return parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True)


def json_body(request: httpx.Request) -> Any:
    return json.loads(request.content)


@dataclass(frozen=True)
class Part:
    name: str | None
    filename: str | None
    content_type: str | None
    data: bytes


def multipart_parts(request: httpx.Request) -> list[Part]:
    """The parts of a `multipart/form-data` request body, in order."""
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data"), content_type
    raw = f"Content-Type: {content_type}\r\n\r\n".encode() + request.content
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    assert message.is_multipart()
    parts: list[Part] = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        parts.append(
            Part(
                part.get_param("name", header="content-disposition"),
                part.get_filename(),
                part.get("content-type") if "content-type" in part else None,
                payload if isinstance(payload, bytes) else b"",
            )
        )
    return parts


def is_identifier(name: str) -> bool:
    import keyword

    return name.isidentifier() and not keyword.iskeyword(name) and name.isascii()


def call(
    pkg: ModuleType, invoke: Callable[[Any], Any], *replies: Reply, **client_options: Any
) -> tuple[Any, httpx.Request]:
    """`invoke(client)` on a sync client; returns its result and the one request sent."""
    server = Server(*replies)
    with client(pkg, server, **client_options) as c:
        result = invoke(c)
    return result, server.only


def models_of(pkg: ModuleType) -> ModuleType:
    return submodule(pkg, "models")
