"""A small FastAPI shop used by tests/e2e/test_fastapi_server.py.

The test serves it with uvicorn, generates a client from the `/openapi.json` FastAPI
itself produces and drives every route through that client. Every matched request is
recorded in `CALLED` as `(method, path template)` so the test can prove all routes ran.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Literal, Union
from uuid import UUID, uuid4

from fastapi import (
    Cookie,
    Depends,
    FastAPI,
    File,
    Form,
    Header,
    HTTPException,
    Query,
    Request,
    Response,
    UploadFile,
)
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, field_validator

# --------------------------------------------------------------------------- models


class OrderStatus(StrEnum):
    pending = "pending"
    shipped = "shipped"
    delivered = "delivered"


class Address(BaseModel):
    street: str
    city: str
    postcode: str | None = None


class Item(BaseModel):
    sku: str = Field(min_length=1)
    quantity: int = Field(ge=1)
    unit_price: float


class OrderCreate(BaseModel):
    customer: str
    items: list[Item]
    address: Address
    status: OrderStatus = OrderStatus.pending
    tags: list[str] = []
    note: str | None = None  # optional and nullable
    priority: int | None  # required but nullable

    @field_validator("customer")
    @classmethod
    def _customer_not_blank(cls, value: str) -> str:
        # A rule the schema cannot express: only the server rejects it (422).
        if not value.strip():
            raise ValueError("customer must not be blank")
        return value


class OrderUpdate(BaseModel):
    status: OrderStatus | None = None
    note: str | None = None
    address: Address | None = None


class Order(BaseModel):
    id: int
    customer: str
    items: list[Item]
    address: Address
    status: OrderStatus
    tags: list[str]
    note: str | None
    priority: int | None
    total: float
    created_at: datetime


class ErrorMessage(BaseModel):
    detail: str


class Cat(BaseModel):
    kind: Literal["cat"]
    name: str
    lives: int = 9


class Dog(BaseModel):
    kind: Literal["dog"]
    name: str
    good_boy: bool = True


Pet = Annotated[Union[Cat, Dog], Field(discriminator="kind")]


class PetRecord(BaseModel):
    id: UUID
    pet: Pet
    created_at: datetime


class RequestEcho(BaseModel):
    request_id: str
    session_id: str | None
    has_authorization: bool
    tags: list[str]
    ids: list[int]


class PartsResult(BaseModel):
    meta: dict[str, object]
    meta_is_text: bool
    image_content_type: str | None
    image_size: int


class UploadResult(BaseModel):
    filename: str | None
    content_type: str | None
    size: int
    sha256: str
    description: str
    label: str | None


class Me(BaseModel):
    scheme: str
    token: str


class Health(BaseModel):
    status: str


# --------------------------------------------------------------------------- app

CALLED: set[tuple[str, str]] = set()
ORDERS: dict[int, Order] = {}
PETS: dict[UUID, PetRecord] = {}
_ids = itertools.count(1)

app = FastAPI(title="Shop", version="1.2.3")
bearer = HTTPBearer()


@app.middleware("http")
async def _record(request: Request, call_next):  # type: ignore[no-untyped-def]
    response = await call_next(request)
    route = request.scope.get("route")
    if isinstance(route, APIRoute):
        CALLED.add((request.method, route.path))
    return response


def _total(items: list[Item]) -> float:
    return round(sum(i.quantity * i.unit_price for i in items), 2)


def _order(order_id: int) -> Order:
    if order_id not in ORDERS:
        raise HTTPException(404, f"order {order_id} not found")
    return ORDERS[order_id]


NOT_FOUND = {404: {"model": ErrorMessage, "description": "Not found"}}


@app.get("/health", operation_id="health", response_model=Health)
def health() -> Health:
    return Health(status="ok")


@app.post(
    "/orders", operation_id="create_order", tags=["orders"], status_code=201, response_model=Order
)
def create_order(body: OrderCreate) -> Order:
    oid = next(_ids)
    order = Order(
        id=oid,
        total=_total(body.items),
        created_at=datetime(2024, 5, 17, 12, 30, tzinfo=UTC),
        **body.model_dump(),
    )
    ORDERS[oid] = order
    return order


@app.get("/orders", operation_id="list_orders", tags=["orders"], response_model=list[Order])
def list_orders(
    status: OrderStatus | None = None,
    tags: Annotated[list[str], Query()] = [],  # noqa: B006
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> list[Order]:
    out = [
        o
        for o in ORDERS.values()
        if (status is None or o.status == status) and (not tags or set(tags) & set(o.tags))
    ]
    return out[:limit]


@app.get(
    "/orders/{order_id}",
    operation_id="get_order",
    tags=["orders"],
    response_model=Order,
    responses=NOT_FOUND,
)
def get_order(order_id: int) -> Order:
    return _order(order_id)


@app.patch(
    "/orders/{order_id}",
    operation_id="update_order",
    tags=["orders"],
    response_model=Order,
    responses=NOT_FOUND,
)
def update_order(order_id: int, body: OrderUpdate) -> Order:
    order = _order(order_id)
    # Absent fields are left alone; an explicit null clears a nullable one.
    changes = body.model_dump(exclude_unset=True)
    if changes.get("status", "") is None or changes.get("address", "") is None:
        raise HTTPException(400, "status and address cannot be null")
    updated = Order.model_validate({**order.model_dump(), **changes})
    ORDERS[order_id] = updated
    return updated


@app.delete(
    "/orders/{order_id}",
    operation_id="delete_order",
    tags=["orders"],
    status_code=204,
    responses=NOT_FOUND,
)
def delete_order(order_id: int) -> Response:
    _order(order_id)
    del ORDERS[order_id]
    return Response(status_code=204)


@app.post("/pets", operation_id="create_pet", tags=["pets"], status_code=201)
def create_pet(pet: Pet) -> PetRecord:
    record = PetRecord(id=uuid4(), pet=pet, created_at=datetime.now(UTC))
    PETS[record.id] = record
    return record


@app.get("/pets", operation_id="list_pets", tags=["pets"])
def list_pets(kind: Literal["cat", "dog"] | None = None) -> list[PetRecord]:
    return [r for r in PETS.values() if kind is None or r.pet.kind == kind]


@app.get("/pets/{pet_id}", operation_id="get_pet", tags=["pets"], responses=NOT_FOUND)
def get_pet(pet_id: UUID) -> Pet:
    if pet_id not in PETS:
        raise HTTPException(404, f"pet {pet_id} not found")
    return PETS[pet_id].pet


@app.get("/echo", operation_id="echo_request", tags=["echo"])
def echo_request(
    request: Request,
    x_request_id: Annotated[str, Header()],
    session_id: Annotated[str | None, Cookie()] = None,
    tags: Annotated[list[str], Query()] = [],  # noqa: B006
    ids: Annotated[list[int], Query()] = [],  # noqa: B006
) -> RequestEcho:
    return RequestEcho(
        request_id=x_request_id,
        session_id=session_id,
        has_authorization="authorization" in request.headers,
        tags=tags,
        ids=ids,
    )


@app.post("/files", operation_id="upload_file", tags=["files"])
async def upload_file(
    file: Annotated[UploadFile, File()],
    description: Annotated[str, Form()],
    label: Annotated[str | None, Form()] = None,
) -> UploadResult:
    data = await file.read()
    return UploadResult(
        filename=file.filename,
        content_type=file.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        description=description,
        label=label,
    )


# A multipart body whose `encoding` FastAPI cannot declare: the schema and encoding are
# written out (`openapi_extra`), and the form is read by hand.
_PARTS_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["meta", "image"],
                "properties": {
                    "meta": {
                        "type": "object",
                        "properties": {"title": {"type": "string"}, "pages": {"type": "integer"}},
                    },
                    "image": {"type": "string"},
                },
            },
            "encoding": {
                "meta": {"contentType": "application/json"},
                "image": {"contentType": "image/png"},
            },
        }
    },
}


@app.post(
    "/files/parts",
    operation_id="upload_parts",
    tags=["files"],
    openapi_extra={"requestBody": _PARTS_BODY},
)
async def upload_parts(request: Request) -> PartsResult:
    form = await request.form()
    meta, image = form["meta"], form["image"]
    if isinstance(image, str):
        raise HTTPException(422, "image must be a file part")
    return PartsResult(
        meta=json.loads(meta) if isinstance(meta, str) else {},
        meta_is_text=isinstance(meta, str),
        image_content_type=image.content_type,
        image_size=len(await image.read()),
    )


@app.get("/me", operation_id="get_me", tags=["auth"])
def get_me(creds: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]) -> Me:
    return Me(scheme=creds.scheme, token=creds.credentials)


def api_routes() -> set[tuple[str, str]]:
    """`(method, path)` of every route of the app (not the docs routes)."""
    return {
        (method, route.path)
        for route in app.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
