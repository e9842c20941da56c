"""End-to-end tests: a client generated from a live FastAPI app's own OpenAPI document.

`tests/e2e/fastapi_app.py` (a small shop: orders with nested items and an address, an enum,
a discriminated union of pets, nullable fields, query arrays, a header and a cookie, a
multipart upload, an HTTPBearer route, 204 and 422 responses) is served by uvicorn on
127.0.0.1 in a background thread. The OpenAPI 3.1 document FastAPI serves at
`/openapi.json` is saved and turned into `shop_client`, which is imported from a temp
dir and drives every route over real HTTP (no mocks): `Client` for all of them,
`AsyncClient` for a few. The app records every matched route; the last test checks that
all were called. A slow test type-checks the generated package with `mypy --strict`.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from uuid import UUID

import httpx
import pytest
from oagen.pipeline import generate_files
from oagen.write import write

from tests.e2e import fastapi_app

PACKAGE = "shop_client"
TOKEN = "s3cret-token"
READY_DEADLINE = 15.0


# --------------------------------------------------------------------------- fixtures


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """Serve the FastAPI app with uvicorn in a thread; yield its URL; stop it after."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(
        fastapi_app.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-shop", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_DEADLINE
        while True:
            if not thread.is_alive():
                pytest.fail("uvicorn exited before answering", pytrace=False)
            try:
                # The app's own document (not just an open port) proves it is our server.
                r = httpx.get(f"{url}/openapi.json", timeout=1.0)
                if r.status_code == 200 and r.json().get("info", {}).get("title") == "Shop":
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"uvicorn did not answer on {url} in {READY_DEADLINE} s", pytrace=False)
            time.sleep(0.05)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class Shop:
    """The imported generated package and where it lives."""

    root: Path
    spec: dict[str, Any]
    pkg: ModuleType
    models: ModuleType
    errors: ModuleType


def _drop_modules() -> None:
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def shop(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    """Fetch `/openapi.json`, generate `shop_client` from it and import it."""
    root = tmp_path_factory.mktemp("fastapi")
    spec = httpx.get(f"{base_url}/openapi.json", timeout=5.0).json()
    spec_path = root / "shop.json"
    spec_path.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    pkgs = root / "pkgs"
    write(pkgs / PACKAGE, generate_files(spec_path, package_name=PACKAGE).files)
    sys.path.insert(0, str(pkgs))
    _drop_modules()
    importlib.invalidate_caches()
    try:
        yield Shop(
            root=pkgs,
            spec=spec,
            pkg=importlib.import_module(PACKAGE),
            models=importlib.import_module(f"{PACKAGE}.models"),
            errors=importlib.import_module(f"{PACKAGE}.errors"),
        )
    finally:
        sys.path.remove(str(pkgs))
        _drop_modules()


@pytest.fixture
def client(shop: Shop, base_url: str) -> Iterator[Any]:
    with shop.pkg.Client(base_url=base_url, http_bearer=TOKEN, timeout=10.0, max_retries=0) as c:
        yield c


def _new_order(shop: Shop, **overrides: Any) -> Any:
    m = shop.models
    fields: dict[str, Any] = dict(
        customer="Ada Lovelace",
        items=[
            m.Item(sku="BOOK-1", quantity=2, unit_price=12.5),
            m.Item(sku="PEN-7", quantity=3, unit_price=1.25),
        ],
        address=m.Address(street="1 Analytical Way", city="London"),
        status="shipped",
        tags=["gift", "express"],
        priority=None,
    )
    fields.update(overrides)
    return m.OrderCreate(**fields)


# --------------------------------------------------------------------------- the document


def test_document_is_what_fastapi_emits(shop: Shop) -> None:
    """Guards the premises of the other tests: the shapes FastAPI really produces."""
    spec = shop.spec
    assert spec["openapi"].startswith("3.1")
    schemas = spec["components"]["schemas"]
    # nullable via anyOf with null
    assert schemas["OrderCreate"]["properties"]["note"]["anyOf"] == [
        {"type": "string"},
        {"type": "null"},
    ]
    # discriminated union, inline in the request body
    body = spec["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["discriminator"]["propertyName"] == "kind"
    # the file field of the multipart body (OpenAPI 3.1 style: contentMediaType)
    assert "file" in schemas["Body_upload_file"]["properties"]
    assert spec["components"]["securitySchemes"] == {
        "HTTPBearer": {"type": "http", "scheme": "bearer"}
    }
    assert spec["paths"]["/echo"]["get"]["parameters"][3]["in"] == "cookie"


# --------------------------------------------------------------------------- sync client


def test_untagged_route_is_a_client_method(client: Any, shop: Shop) -> None:
    health = client.health()
    assert isinstance(health, shop.models.Health)
    assert health.status == "ok"


def test_order_crud(client: Any, shop: Shop) -> None:
    m, errors = shop.models, shop.errors

    created = client.orders.create_order(body=_new_order(shop, note="ring twice"))
    assert isinstance(created, m.Order)
    assert isinstance(created.id, int)
    assert created.customer == "Ada Lovelace"
    assert [type(i) for i in created.items] == [m.Item, m.Item]
    assert [(i.sku, i.quantity, i.unit_price) for i in created.items] == [
        ("BOOK-1", 2, 12.5),
        ("PEN-7", 3, 1.25),
    ]
    assert isinstance(created.address, m.Address)
    assert created.address.street == "1 Analytical Way"
    assert created.address.postcode is None  # null on the wire, not absent
    assert created.status == "shipped"
    assert created.tags == ["gift", "express"]
    assert created.note == "ring twice"
    assert created.priority is None
    assert created.total == 28.75
    assert isinstance(created.created_at, datetime)
    assert created.created_at.isoformat() == "2024-05-17T12:30:00+00:00"
    # decoding is lossless
    assert m.Order.from_dict(created.to_dict()) == created

    fetched = client.orders.get_order(created.id)
    assert fetched == created

    # PATCH: absent fields are left alone ...
    updated = client.orders.update_order(created.id, body=m.OrderUpdate(status="delivered"))
    assert isinstance(updated, m.Order)
    assert (updated.status, updated.note) == ("delivered", "ring twice")
    # ... an explicit None is sent as null and clears the nullable field
    updated = client.orders.update_order(created.id, body=m.OrderUpdate(note=None))
    assert (updated.status, updated.note) == ("delivered", None)
    updated = client.orders.update_order(
        created.id,
        body=m.OrderUpdate(address=m.Address(street="2 Engine St", city="Leeds", postcode="LS1")),
    )
    assert updated.address == m.Address(street="2 Engine St", city="Leeds", postcode="LS1")
    assert client.orders.get_order(created.id) == updated

    # a 400 the spec does not declare: the status class, the raw decoded JSON
    with pytest.raises(errors.BadRequestError) as bad:
        client.orders.update_order(created.id, body=m.OrderUpdate(status=None))
    assert bad.value.status_code == 400

    assert client.orders.delete_order(created.id) is None

    with pytest.raises(errors.NotFoundError) as missing:
        client.orders.get_order(created.id)
    assert missing.value.status_code == 404
    assert isinstance(missing.value.body, m.ErrorMessage)
    assert missing.value.body.detail == f"order {created.id} not found"
    with pytest.raises(errors.NotFoundError):
        client.orders.delete_order(created.id)


def test_order_from_plain_dict(client: Any, shop: Shop) -> None:
    order = client.orders.create_order(
        body={
            "customer": "Grace",
            "items": [{"sku": "CHIP", "quantity": 1, "unit_price": 3.5}],
            "address": {"street": "Navy Yard", "city": "Arlington", "postcode": None},
            "priority": 3,
        }
    )
    assert isinstance(order, shop.models.Order)
    assert order.status == "pending"  # the server's default
    assert order.tags == []
    assert order.priority == 3
    assert order.note is None
    updated = client.orders.update_order(order.id, body={"note": "fragile"})
    assert updated.note == "fragile"
    client.orders.delete_order(order.id)


def test_list_orders_enum_and_query_array(client: Any, shop: Shop) -> None:
    a = client.orders.create_order(body=_new_order(shop, tags=["red"], status="pending"))
    b = client.orders.create_order(body=_new_order(shop, tags=["blue"], status="shipped"))
    c = client.orders.create_order(body=_new_order(shop, tags=["green"], status="shipped"))
    try:
        everything = client.orders.list_orders()
        assert isinstance(everything, list)
        assert all(isinstance(o, shop.models.Order) for o in everything)
        assert {a.id, b.id, c.id} <= {o.id for o in everything}

        # tags=red&tags=green (an exploded form array)
        tagged = client.orders.list_orders(tags=["red", "green"])
        assert sorted(o.id for o in tagged) == [a.id, c.id]
        assert [o.id for o in client.orders.list_orders(tags=["green"])] == [c.id]

        shipped = client.orders.list_orders(status="shipped", tags=["red", "blue", "green"])
        assert sorted(o.id for o in shipped) == [b.id, c.id]
        assert len(client.orders.list_orders(tags=["red", "blue", "green"], limit=2)) == 2

        # constraints on query parameters are checked before anything is sent
        with pytest.raises(ValueError, match="limit"):
            client.orders.list_orders(limit=500)
        with pytest.raises(ValueError, match="status"):
            client.orders.list_orders(status="lost")
    finally:
        for o in (a, b, c):
            client.orders.delete_order(o.id)


def test_request_model_constraints_checked_locally(shop: Shop) -> None:
    with pytest.raises(ValueError, match="quantity"):
        shop.models.Item(sku="X", quantity=0, unit_price=1.0)


def test_unprocessable_entity(client: Any, shop: Shop) -> None:
    """A body FastAPI rejects (a validator the schema cannot express) -> 422."""
    errors, m = shop.errors, shop.models
    with pytest.raises(errors.UnprocessableEntityError) as err:
        client.orders.create_order(body=_new_order(shop, customer="   "))
    exc = err.value
    assert isinstance(exc, errors.APIStatusError)
    assert exc.status_code == 422
    assert exc.response.status_code == 422
    assert isinstance(exc.body, m.HTTPValidationError)
    assert isinstance(exc.body.detail, list)
    (problem,) = exc.body.detail
    assert isinstance(problem, m.ValidationError)
    assert problem.loc == ["body", "customer"]
    assert "customer must not be blank" in problem.msg
    assert problem.type == "value_error"


def test_discriminated_union(client: Any, shop: Shop) -> None:
    m, errors = shop.models, shop.errors

    cat = client.pets.create_pet(body=m.Cat(kind="cat", name="Tom", lives=7))
    assert isinstance(cat, m.PetRecord)
    assert isinstance(cat.id, UUID)
    assert isinstance(cat.created_at, datetime)
    assert isinstance(cat.pet, m.Cat)
    assert (cat.pet.kind, cat.pet.name, cat.pet.lives) == ("cat", "Tom", 7)

    dog = client.pets.create_pet(body=m.Dog(kind="dog", name="Rex", good_boy=False))
    assert isinstance(dog.pet, m.Dog)
    assert (dog.pet.name, dog.pet.good_boy) == ("Rex", False)

    # a plain dict body (JSON bodies take a model or a dict)
    plain = client.pets.create_pet(body={"kind": "dog", "name": "Fido"})
    assert isinstance(plain.pet, m.Dog)
    assert plain.pet.good_boy is True  # the server's default

    # a union as the whole response body, decoded by the discriminator
    got = client.pets.get_pet(dog.id)
    assert isinstance(got, m.Dog)
    assert got == dog.pet
    got_cat = client.pets.get_pet(cat.id)
    assert isinstance(got_cat, m.Cat)
    assert got_cat.lives == 7

    cats = client.pets.list_pets(kind="cat")
    assert {r.id for r in cats} >= {cat.id}
    assert all(isinstance(r.pet, m.Cat) for r in cats)
    every = client.pets.list_pets()
    assert {cat.id, dog.id, plain.id} <= {r.id for r in every}
    assert {type(r.pet) for r in every} == {m.Cat, m.Dog}

    with pytest.raises(errors.NotFoundError) as missing:
        client.pets.get_pet(UUID(int=0))
    assert isinstance(missing.value.body, m.ErrorMessage)


def test_header_cookie_and_query_arrays(client: Any, shop: Shop) -> None:
    echo = client.echo.request(
        x_request_id="req-42", session_id="sess-9", tags=["a", "b c"], ids=[3, 1, 2]
    )
    assert isinstance(echo, shop.models.RequestEcho)
    assert echo.request_id == "req-42"
    assert echo.session_id == "sess-9"
    assert echo.tags == ["a", "b c"]
    assert echo.ids == [3, 1, 2]
    # the bearer credential goes only to operations that require it
    assert echo.has_authorization is False

    bare = client.echo.request(x_request_id="req-43")
    assert (bare.request_id, bare.session_id, bare.tags, bare.ids) == ("req-43", None, [], [])


def _upload_model(shop: Shop, file: Any, **fields: Any) -> Any:
    return shop.models.BodyUploadFile(file=file, description="a report", **fields)


@pytest.mark.parametrize("form", ["bytes", "file object", "tuple"])
def test_multipart_upload(client: Any, shop: Shop, form: str) -> None:
    data = b"col1,col2\n1,2\n" * 100
    file: Any
    if form == "bytes":
        file = data
    elif form == "file object":
        file = io.BytesIO(data)
    else:
        file = ("report.csv", data, "text/csv")
    result = client.files.upload_file(body=_upload_model(shop, file, label="q3"))
    assert isinstance(result, shop.models.UploadResult)
    assert result.size == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert result.description == "a report"
    assert result.label == "q3"
    if form == "tuple":
        assert (result.filename, result.content_type) == ("report.csv", "text/csv")


def test_multipart_encoding_json_and_image_parts(client: Any, shop: Shop) -> None:
    """`encoding`: `meta` goes as an application/json part, `image` (a plain string in
    the schema) as an image/png file part; FastAPI reads both back."""
    m = shop.models
    body = m.UploadPartsBody(meta=m.UploadPartsBodyMeta(title="t", pages=3), image=b"\x89PNG")
    result = client.files.upload_parts(body=body)
    assert result.meta == {"title": "t", "pages": 3}
    assert result.meta_is_text is True
    assert (result.image_content_type, result.image_size) == ("image/png", 4)


def test_multipart_upload_plain_dict(client: Any, shop: Shop) -> None:
    result = client.files.upload_file(
        body={"file": ("notes.txt", b"hello", "text/plain"), "description": "notes"}
    )
    assert (result.filename, result.size, result.description, result.label) == (
        "notes.txt",
        5,
        "notes",
        None,
    )


def test_http_bearer(client: Any, shop: Shop, base_url: str) -> None:
    me = client.auth.get_me()
    assert isinstance(me, shop.models.Me)
    assert (me.scheme, me.token) == ("Bearer", TOKEN)

    # a client without the credential sends no Authorization header: FastAPI's
    # HTTPBearer answers 401 (a status the spec does not declare for the route)
    with (
        shop.pkg.Client(base_url=base_url, max_retries=0) as anonymous,
        pytest.raises(shop.errors.AuthenticationError) as denied,
    ):
        anonymous.auth.get_me()
    assert denied.value.status_code == 401


def test_raw_response(client: Any, shop: Shop) -> None:
    order = client.orders.create_order(body=_new_order(shop))
    raw = client.with_raw_response.orders.get_order(order.id)
    assert raw.status_code == 200
    assert raw.headers["content-type"] == "application/json"
    assert raw.parse() == order
    deleted = client.with_raw_response.orders.delete_order(order.id)
    assert deleted.status_code == 204
    assert deleted.parse() is None


# --------------------------------------------------------------------------- async client


async def test_async_client(shop: Shop, base_url: str) -> None:
    m, errors = shop.models, shop.errors
    async with shop.pkg.AsyncClient(
        base_url=base_url, http_bearer=TOKEN, timeout=10.0, max_retries=0
    ) as client:
        assert (await client.health()).status == "ok"

        order = await client.orders.create_order(body=_new_order(shop, tags=["async"]))
        assert isinstance(order, m.Order)
        assert isinstance(order.items[0], m.Item)
        assert await client.orders.get_order(order.id) == order
        listed = await client.orders.list_orders(tags=["async"])
        assert [o.id for o in listed] == [order.id]
        patched = await client.orders.update_order(order.id, body=m.OrderUpdate(note="async"))
        assert patched.note == "async"
        assert await client.orders.delete_order(order.id) is None
        with pytest.raises(errors.NotFoundError):
            await client.orders.get_order(order.id)

        with pytest.raises(errors.UnprocessableEntityError) as err:
            await client.orders.create_order(body=_new_order(shop, customer=""))
        assert err.value.status_code == 422
        assert isinstance(err.value.body, m.HTTPValidationError)

        record = await client.pets.create_pet(body=m.Cat(kind="cat", name="Async"))
        assert isinstance(record.pet, m.Cat)
        pet = await client.pets.get_pet(record.id)
        assert isinstance(pet, m.Cat)
        assert pet.name == "Async"

        echo = await client.echo.request(x_request_id="a-1", session_id="s", tags=["x"])
        assert (echo.request_id, echo.session_id, echo.tags) == ("a-1", "s", ["x"])

        uploaded = await client.files.upload_file(
            body=m.BodyUploadFile(file=("a.bin", b"\x00\x01", None), description="async")
        )
        assert (uploaded.filename, uploaded.size) == ("a.bin", 2)

        me = await client.auth.get_me()
        assert me.token == TOKEN


# --------------------------------------------------------------------------- coverage, types


def test_every_route_was_called(shop: Shop) -> None:
    """Runs last: every route of the app was reached through the generated client."""
    missing = fastapi_app.api_routes() - fastapi_app.CALLED
    assert not missing, f"routes never called: {sorted(missing)}"


def _mypy(cwd: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version",
            "3.10",
            "--no-incremental",
            *targets,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_generated_package_passes_mypy_strict(shop: Shop) -> None:
    proc = _mypy(shop.root, PACKAGE)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# The calls the tests above make, written as a user would, with the types DESIGN promises.
USAGE = """\
from __future__ import annotations

import io
from datetime import datetime
from uuid import UUID

from shop_client import AsyncClient, Client
from shop_client.errors import NotFoundError, UnprocessableEntityError
from shop_client.models import (
    Address,
    BodyUploadFile,
    Cat,
    Dog,
    Health,
    Item,
    Me,
    Order,
    OrderCreate,
    OrderStatus,
    OrderUpdate,
    PetRecord,
    RequestEcho,
    UploadResult,
)


def sync_calls() -> None:
    with Client(base_url="http://127.0.0.1:1", http_bearer="t") as client:
        health: Health = client.health()
        order: Order = client.orders.create_order(
            body=OrderCreate(
                customer="a",
                items=[Item(sku="s", quantity=1, unit_price=1.0)],
                address=Address(street="s", city="c"),
                status="shipped",
                note=None,
                priority=None,
            )
        )
        order = client.orders.create_order(body={"customer": "a"})
        status: OrderStatus = order.status
        note: str | None = order.note
        created_at: datetime = order.created_at
        same: Order = client.orders.get_order(order.id)
        orders: list[Order] = client.orders.list_orders(status="pending", tags=["a"], limit=5)
        updated: Order = client.orders.update_order(order.id, body=OrderUpdate(note=None))
        updated = client.orders.update_order(order.id, body={"note": None})
        client.orders.delete_order(order.id)
        record: PetRecord = client.pets.create_pet(body=Cat(name="Tom"))
        record = client.pets.create_pet(body=Dog(name="Rex", good_boy=False))
        record = client.pets.create_pet(body={"kind": "dog", "name": "Rex"})
        pet_id: UUID = record.id
        pet: Cat | Dog = client.pets.get_pet(pet_id)
        echo: RequestEcho = client.echo.request(
            x_request_id="r", session_id="s", tags=["a"], ids=[1]
        )
        up: UploadResult = client.files.upload_file(
            body=BodyUploadFile(file=b"x", description="d")
        )
        up = client.files.upload_file(body=BodyUploadFile(file=io.BytesIO(b"x"), description="d"))
        up = client.files.upload_file(
            body=BodyUploadFile(file=("a.csv", b"x", "text/csv"), description="d", label=None)
        )
        up = client.files.upload_file(body={"file": b"x", "description": "d"})
        me: Me = client.auth.get_me()
        try:
            client.orders.get_order(1)
        except (NotFoundError, UnprocessableEntityError) as exc:
            code: int = exc.status_code


async def async_calls() -> None:
    async with AsyncClient(base_url="http://127.0.0.1:1", http_bearer="t") as client:
        order: Order = await client.orders.get_order(1)
        orders: list[Order] = await client.orders.list_orders(tags=["a"])
        pet: Cat | Dog = await client.pets.get_pet(UUID(int=1))
        await client.orders.delete_order(order.id)
        up: UploadResult = await client.files.upload_file(
            body=BodyUploadFile(file=b"x", description="d")
        )
"""


@pytest.mark.slow
def test_documented_usage_type_checks(shop: Shop) -> None:
    """The signatures and model field types accept what DESIGN says callers pass."""
    (shop.root / "usage_check.py").write_text(USAGE, encoding="utf-8")
    proc = _mypy(shop.root, "usage_check.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
