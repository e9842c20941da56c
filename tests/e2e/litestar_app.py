"""A small Litestar 2 library used by tests/e2e/test_litestar_server.py.

The test serves it with uvicorn, generates a client from the OpenAPI 3.1 document Litestar
itself serves at `/schema/openapi.json` and drives every route through that client. The
app uses what Litestar turns into schemas in its own way: msgspec Structs with camelCase
wire names (`rename="camel"`), dataclasses, `tuple[...]` fields (3.1 `prefixItems`),
optional fields (`oneOf` with `{type: null}`), enums, constrained path/query/header
parameters (`Annotated[int, PathParameter(ge=1)]`, Litestar 2.25's non-deprecated style), a 201 and a 204, list responses.
Every matched request is recorded in `CALLED` as `(method, path template)`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

import msgspec
from litestar import Controller, Litestar, Request, delete, get, patch, post, put
from litestar.exceptions import NotFoundException
from litestar.middleware import ASGIMiddleware
from litestar.openapi.config import OpenAPIConfig
from litestar.params import (
    FromPath,
    FromQuery,
    HeaderParameter,
    JSONBody,
    PathParameter,
    QueryParameter,
)
from litestar.types import ASGIApp, Receive, Scope, Send

# --------------------------------------------------------------------------- models


class Genre(StrEnum):
    FICTION = "fiction"
    SCIENCE = "science"
    HISTORY = "history"


class Author(msgspec.Struct, rename="camel"):
    full_name: str
    birth_year: int | None = None


class BookCreate(msgspec.Struct, rename="camel"):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    author: Author
    genre: Genre
    page_count: Annotated[int, msgspec.Meta(ge=1)]
    # (width, height) in cm: a tuple is `prefixItems` in OpenAPI 3.1
    dimensions_cm: tuple[float, float]
    isbn: str | None = None
    tags: list[str] = []


class Book(msgspec.Struct, rename="camel"):
    id: int
    title: str
    author: Author
    genre: Genre
    page_count: int
    dimensions_cm: tuple[float, float]
    isbn: str | None
    tags: list[str]
    created_at: datetime


class BookPatch(msgspec.Struct, rename="camel"):
    """Fields left `None` are left alone."""

    title: str | None = None
    genre: Genre | None = None
    tags: list[str] | None = None


@dataclass
class Shelf:
    name: str
    # (row, column, label): a mixed-type tuple
    position: tuple[int, int, str]
    book_ids: list[int] = field(default_factory=list)
    note: str | None = None


@dataclass
class Health:
    status: str
    version: str


@dataclass
class SearchResult:
    request_id: str
    query: str
    genres: list[Genre]
    limit: int
    matches: list[Book]


# --------------------------------------------------------------------------- state

CALLED: set[tuple[str, str]] = set()
BOOKS: dict[int, Book] = {}
SHELVES: dict[str, Shelf] = {}
_ids = itertools.count(1)
CREATED_AT = datetime(2024, 5, 17, 12, 30, tzinfo=UTC)


BookId = Annotated[int, PathParameter(ge=1)]


def _book(book_id: int) -> Book:
    if book_id not in BOOKS:
        raise NotFoundException(f"book {book_id} not found")
    return BOOKS[book_id]


# --------------------------------------------------------------------------- routes


@get("/health", operation_id="health", sync_to_thread=False)
def health() -> Health:
    return Health(status="ok", version="2.1.0")


class BookController(Controller):
    path = "/books"
    tags = ["books"]  # noqa: RUF012  (Litestar's own class attribute)

    @post(operation_id="createBook", sync_to_thread=False)
    def create_book(self, data: JSONBody[BookCreate]) -> Book:
        book_id = next(_ids)
        book = Book(
            id=book_id,
            title=data.title,
            author=data.author,
            genre=data.genre,
            page_count=data.page_count,
            dimensions_cm=data.dimensions_cm,
            isbn=data.isbn,
            tags=list(data.tags),
            created_at=CREATED_AT,
        )
        BOOKS[book_id] = book
        return book

    @get(operation_id="listBooks", sync_to_thread=False)
    def list_books(
        self,
        genre: FromQuery[Genre | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=50)] = 20,
    ) -> list[Book]:
        books = [b for b in BOOKS.values() if genre is None or b.genre == genre]
        return books[:limit]

    @get("/{book_id:int}", operation_id="getBook", sync_to_thread=False)
    def get_book(self, book_id: BookId) -> Book:
        return _book(book_id)

    @patch("/{book_id:int}", operation_id="updateBook", sync_to_thread=False)
    def update_book(self, book_id: BookId, data: JSONBody[BookPatch]) -> Book:
        book = _book(book_id)
        changes: dict[str, Any] = {
            name: getattr(data, name)
            for name in ("title", "genre", "tags")
            if getattr(data, name) is not None
        }
        BOOKS[book_id] = msgspec.structs.replace(book, **changes)
        return BOOKS[book_id]

    @delete("/{book_id:int}", operation_id="deleteBook", sync_to_thread=False)
    def delete_book(self, book_id: BookId) -> None:
        _book(book_id)
        del BOOKS[book_id]

    @get("/search", operation_id="searchBooks", sync_to_thread=False)
    def search_books(
        self,
        request_id: Annotated[str, HeaderParameter(name="X-Request-Id", min_length=3)],
        q: Annotated[str, QueryParameter(min_length=1, max_length=50)],
        genres: Annotated[list[Genre] | None, QueryParameter(name="genre")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=10)] = 5,
    ) -> SearchResult:
        wanted = set(genres or [])
        matches = [
            b
            for b in BOOKS.values()
            if q.lower() in b.title.lower() and (not wanted or b.genre in wanted)
        ]
        return SearchResult(
            request_id=request_id,
            query=q,
            genres=sorted(wanted, key=lambda g: g.value),
            limit=limit,
            matches=matches[:limit],
        )


class ShelfController(Controller):
    path = "/shelves"
    tags = ["shelves"]  # noqa: RUF012

    @put("/{name:str}", sync_to_thread=False)
    def put_shelf(self, name: FromPath[str], data: JSONBody[Shelf]) -> Shelf:
        for book_id in data.book_ids:
            _book(book_id)
        shelf = Shelf(name=name, position=data.position, book_ids=data.book_ids, note=data.note)
        SHELVES[name] = shelf
        return shelf

    @get(sync_to_thread=False)
    def list_shelves(self) -> list[Shelf]:
        return list(SHELVES.values())


# --------------------------------------------------------------------------- app


class RecordRoutes(ASGIMiddleware):
    """Records `(method, path template)` of every request a route handler matched."""

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        await next_app(scope, receive, send)
        handler = scope.get("route_handler")
        path = scope.get("path_template")
        if handler is not None and path is not None and not path.startswith("/schema"):
            request: Request[Any, Any, Any] = Request(scope)
            CALLED.add((request.method, path))


ROUTE_HANDLERS = [health, BookController, ShelfController]

app = Litestar(
    route_handlers=ROUTE_HANDLERS,
    middleware=[RecordRoutes()],
    openapi_config=OpenAPIConfig(title="Library", version="2.1.0"),
    debug=False,
)


def api_routes() -> set[tuple[str, str]]:
    """`(method, path template)` of every route of the app (not the schema routes)."""
    out: set[tuple[str, str]] = set()
    for route in app.routes:
        if route.path.startswith("/schema"):
            continue
        for method in route.methods:
            if method not in {"HEAD", "OPTIONS"}:
                out.add((method, route.path_format))
    return out
