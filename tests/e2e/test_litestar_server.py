"""End-to-end tests: a client generated from a live Litestar 2 app's own OpenAPI document.

`tests/e2e/litestar_app.py` (a small library: books as msgspec Structs with camelCase wire
names, shelves as dataclasses, tuple fields, nullable fields, an enum, constrained path,
query and header parameters, a 201, a 204 and list responses) is served by uvicorn on
127.0.0.1 in a background thread. The OpenAPI 3.1 document Litestar serves at
`/schema/openapi.json` is turned into `library_client`, which is imported from a temp dir
and drives every route over real HTTP: `Client` for all of them, `AsyncClient` for
several. The app records every matched route; a later test checks that all were called.
Slow tests type-check the generated package, and typical calls, with `mypy --strict`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from tests.e2e import litestar_app
from tests.e2e._harness import Generated, generated_client, mypy_strict, serve_asgi

PACKAGE = "library_client"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_asgi(
        litestar_app.app,
        "/schema/openapi.json",
        lambda r: r.status_code == 200 and r.json().get("info", {}).get("title") == "Library",
        "litestar",
    ) as url:
        yield url


@pytest.fixture(scope="module")
def lib(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    import httpx

    spec = httpx.get(f"{base_url}/schema/openapi.json", timeout=5.0).json()
    with generated_client(spec, PACKAGE, tmp_path_factory.mktemp("litestar")) as generated:
        yield generated


@pytest.fixture
def client(lib: Generated, base_url: str) -> Iterator[Any]:
    with lib.pkg.Client(base_url=base_url, timeout=10.0, max_retries=0) as c:
        yield c


def _new_book(lib: Generated, **overrides: Any) -> Any:
    m = lib.models
    fields: dict[str, Any] = dict(
        title="The Structure of Scientific Revolutions",
        author=m.Author(full_name="Thomas Kuhn", birth_year=1922),
        genre="science",
        page_count=264,
        dimensions_cm=(13.9, 21.5),
        isbn="978-0226458083",
        tags=["philosophy", "classic"],
    )
    fields.update(overrides)
    return m.BookCreate(**fields)


# --------------------------------------------------------------------------- the document


def test_document_is_what_litestar_emits(lib: Generated) -> None:
    """Guards the premises of the other tests: the shapes Litestar really produces."""
    spec = lib.spec
    assert spec["openapi"].startswith("3.1")
    schemas = spec["components"]["schemas"]
    book = schemas["Book"]["properties"]
    # msgspec `rename="camel"`: camelCase wire names
    assert {"pageCount", "dimensionsCm", "createdAt"} <= set(book)
    # a tuple is 3.1 `prefixItems`
    assert book["dimensionsCm"] == {
        "prefixItems": [{"type": "number"}, {"type": "number"}],
        "type": "array",
    }
    assert [s["type"] for s in schemas["Shelf"]["properties"]["position"]["prefixItems"]] == [
        "integer",
        "integer",
        "string",
    ]
    # `X | None` is a oneOf with null
    assert book["isbn"] == {"oneOf": [{"type": "string"}, {"type": "null"}]}
    assert schemas["Genre"]["enum"] == ["fiction", "science", "history"]
    params = {p["name"]: p for p in spec["paths"]["/books/search"]["get"]["parameters"]}
    assert params["X-Request-Id"]["in"] == "header"
    assert params["X-Request-Id"]["schema"]["minLength"] == 3
    (book_id,) = spec["paths"]["/books/{book_id}"]["get"]["parameters"]
    assert book_id["schema"] == {"type": "integer", "minimum": 1.0}
    assert "201" in spec["paths"]["/books"]["post"]["responses"]
    assert "204" in spec["paths"]["/books/{book_id}"]["delete"]["responses"]
    # Litestar's own operationIds where the handler names none
    assert spec["paths"]["/shelves/{name}"]["put"]["operationId"] == "ShelvesNamePutShelf"


# --------------------------------------------------------------------------- sync client


def test_untagged_route_is_a_client_method(client: Any, lib: Generated) -> None:
    health = client.health()
    assert isinstance(health, lib.models.Health)
    assert (health.status, health.version) == ("ok", "2.1.0")


def test_book_crud(client: Any, lib: Generated) -> None:
    m, errors = lib.models, lib.errors

    created = client.books.create_book(body=_new_book(lib))
    assert isinstance(created, m.Book)
    assert isinstance(created.id, int)
    assert created.title == "The Structure of Scientific Revolutions"
    assert isinstance(created.author, m.Author)
    assert (created.author.full_name, created.author.birth_year) == ("Thomas Kuhn", 1922)
    assert created.genre == "science"
    assert created.page_count == 264
    assert list(created.dimensions_cm) == [13.9, 21.5]
    assert created.isbn == "978-0226458083"
    assert created.tags == ["philosophy", "classic"]
    assert isinstance(created.created_at, datetime)
    assert created.created_at.isoformat() == "2024-05-17T12:30:00+00:00"
    assert m.Book.from_dict(created.to_dict()) == created

    assert client.books.get_book(created.id) == created

    # PATCH: the fields given change, the others stay
    updated = client.books.update_book(
        created.id, body=m.BookPatch(title="Structure", genre="history")
    )
    assert isinstance(updated, m.Book)
    assert (updated.title, updated.genre, updated.tags) == (
        "Structure",
        "history",
        ["philosophy", "classic"],
    )
    updated = client.books.update_book(created.id, body=m.BookPatch(tags=["short"]))
    assert (updated.title, updated.tags) == ("Structure", ["short"])
    assert client.books.get_book(created.id) == updated

    # 204 -> None
    assert client.books.delete_book(created.id) is None

    # a 404 the spec does not declare: the status class, the decoded JSON as it came
    with pytest.raises(errors.NotFoundError) as missing:
        client.books.get_book(created.id)
    assert missing.value.status_code == 404
    assert missing.value.body == {"status_code": 404, "detail": f"book {created.id} not found"}
    with pytest.raises(errors.NotFoundError):
        client.books.delete_book(created.id)


def test_book_from_plain_dict_and_nulls(client: Any, lib: Generated) -> None:
    book = client.books.create_book(
        body={
            "title": "Anonymous Tales",
            "author": {"fullName": "Unknown", "birthYear": None},
            "genre": "fiction",
            "pageCount": 12,
            "dimensionsCm": [10.0, 15.0],
        }
    )
    assert isinstance(book, lib.models.Book)
    assert book.author.birth_year is None  # null on the wire, not absent
    assert book.isbn is None  # the server's default, sent as null
    assert book.tags == []
    client.books.delete_book(book.id)


def test_list_books_enum_filter_and_limit(client: Any, lib: Generated) -> None:
    a = client.books.create_book(body=_new_book(lib, title="A", genre="fiction"))
    b = client.books.create_book(body=_new_book(lib, title="B", genre="history"))
    c = client.books.create_book(body=_new_book(lib, title="C", genre="history"))
    try:
        everything = client.books.list_books()
        assert isinstance(everything, list)
        assert all(isinstance(x, lib.models.Book) for x in everything)
        assert {a.id, b.id, c.id} <= {x.id for x in everything}
        assert [x.id for x in client.books.list_books(genre="history")] == [b.id, c.id]
        assert [x.id for x in client.books.list_books(genre="history", limit=1)] == [b.id]
        assert [x.id for x in client.books.list_books(genre="fiction")] == [a.id]
        # the constraints of query and path parameters are checked before sending
        with pytest.raises(ValueError, match="limit"):
            client.books.list_books(limit=0)
        with pytest.raises(ValueError, match="limit"):
            client.books.list_books(limit=51)
        with pytest.raises(ValueError, match="genre"):
            client.books.list_books(genre="poetry")
        with pytest.raises(ValueError, match="book_id"):
            client.books.get_book(0)
    finally:
        for x in (a, b, c):
            client.books.delete_book(x.id)


def test_search_header_query_and_array(client: Any, lib: Generated) -> None:
    m = lib.models
    a = client.books.create_book(body=_new_book(lib, title="Roman History", genre="history"))
    b = client.books.create_book(body=_new_book(lib, title="History of Science"))
    c = client.books.create_book(body=_new_book(lib, title="Fictional History", genre="fiction"))
    try:
        result = client.books.search_books(x_request_id="req-1", q="history")
        assert isinstance(result, m.SearchResult)
        assert (result.request_id, result.query, result.genres, result.limit) == (
            "req-1",
            "history",
            [],
            5,
        )
        assert [x.id for x in result.matches] == [a.id, b.id, c.id]
        assert all(isinstance(x, m.Book) for x in result.matches)

        # genre=history&genre=science (an exploded form array of enum values)
        result = client.books.search_books(
            x_request_id="req-2", q="HISTORY", genre=["science", "history"], limit=1
        )
        assert result.genres == ["history", "science"]
        assert [x.id for x in result.matches] == [a.id]

        with pytest.raises(ValueError, match=r"(?i)x.request.id"):
            client.books.search_books(x_request_id="ab", q="x")  # minLength 3
        with pytest.raises(ValueError, match="q"):
            client.books.search_books(x_request_id="req-3", q="")  # minLength 1
    finally:
        for x in (a, b, c):
            client.books.delete_book(x.id)


def test_declared_400_is_decoded(client: Any, lib: Generated) -> None:
    """Litestar's own 400 (a query value its validation rejects) decodes to the
    error model the spec declares for it."""
    errors = lib.errors
    with pytest.raises(errors.BadRequestError) as bad:
        client.books.search_books(x_request_id="req-4", q="x", extra_query={"limit": "many"})
    assert bad.value.status_code == 400
    body = bad.value.body
    assert type(body).__name__ == "SearchBooksResponse400"
    assert body.status_code == 400
    assert "limit" in str(body.extra) or "limit" in body.detail


def test_request_model_constraints_checked_locally(lib: Generated) -> None:
    with pytest.raises(ValueError, match="title"):
        _new_book(lib, title="")
    with pytest.raises(ValueError, match=r"page_count|pageCount"):
        _new_book(lib, page_count=0)
    with pytest.raises(ValueError, match="genre"):
        _new_book(lib, genre="poetry")


def test_shelves_dataclass_with_tuple(client: Any, lib: Generated) -> None:
    m = lib.models
    book = client.books.create_book(body=_new_book(lib))
    try:
        shelf = client.shelves.name_put_shelf(
            "physics",
            body=m.Shelf(name="physics", position=(2, 5, "B"), book_ids=[book.id]),
        )
        assert isinstance(shelf, m.Shelf)
        assert (shelf.name, list(shelf.position), shelf.book_ids) == (
            "physics",
            [2, 5, "B"],
            [book.id],
        )
        assert shelf.note is None  # the dataclass default, sent as null
        plain = client.shelves.name_put_shelf(
            "empty", body={"name": "empty", "position": [0, 0, "-"], "note": "dusty"}
        )
        assert (plain.book_ids, plain.note) == ([], "dusty")
        shelves = client.shelves.list_shelves()
        assert isinstance(shelves, list)
        assert {s.name: s for s in shelves}["physics"] == shelf
        # a shelf naming a missing book: the server's 404
        with pytest.raises(lib.errors.NotFoundError):
            client.shelves.name_put_shelf(
                "ghost", body=m.Shelf(name="ghost", position=(0, 1, "Z"), book_ids=[10**9])
            )
    finally:
        client.books.delete_book(book.id)


def test_tuple_fields_are_tuples(client: Any, lib: Generated) -> None:
    """3.1 `prefixItems` (a Python tuple on the server) decodes to a tuple.

    Known open generator item ("prefixItems typing as tuples"): today the field is
    typed `list[Any]` and decodes to a list, so this test fails until that lands."""
    m = lib.models
    book = client.books.create_book(body=_new_book(lib))
    try:
        assert book.dimensions_cm == (13.9, 21.5)
        shelf = client.shelves.name_put_shelf(
            "tuples", body=m.Shelf(name="tuples", position=(1, 2, "C"))
        )
        assert shelf.position == (1, 2, "C")
    finally:
        client.books.delete_book(book.id)


# --------------------------------------------------------------------------- async client


async def test_async_client(lib: Generated, base_url: str) -> None:
    m, errors = lib.models, lib.errors
    async with lib.pkg.AsyncClient(base_url=base_url, timeout=10.0, max_retries=0) as client:
        health = await client.health()
        assert health.status == "ok"
        book = await client.books.create_book(body=_new_book(lib, title="Async IO"))
        assert isinstance(book, m.Book)
        assert await client.books.get_book(book.id) == book
        updated = await client.books.update_book(book.id, body=m.BookPatch(genre="fiction"))
        assert updated.genre == "fiction"
        listed = await client.books.list_books(genre="fiction")
        assert book.id in {x.id for x in listed}
        found = await client.books.search_books(x_request_id="async-1", q="async io")
        assert [x.id for x in found.matches] == [book.id]
        shelf = await client.shelves.name_put_shelf(
            "async", body=m.Shelf(name="async", position=(9, 9, "Q"), book_ids=[book.id])
        )
        assert shelf.book_ids == [book.id]
        assert "async" in {s.name for s in await client.shelves.list_shelves()}
        assert await client.books.delete_book(book.id) is None
        with pytest.raises(errors.NotFoundError):
            await client.books.get_book(book.id)


# --------------------------------------------------------------------------- coverage, types


def test_every_route_was_called(lib: Generated) -> None:
    """Runs after the tests above: every route of the app was reached through the client."""
    routes = litestar_app.api_routes()
    assert len(routes) == 9
    missing = routes - litestar_app.CALLED
    assert not missing, f"routes never called: {sorted(missing)}"


@pytest.mark.slow
def test_generated_package_passes_mypy_strict(lib: Generated) -> None:
    proc = mypy_strict(lib.root, PACKAGE)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# The calls above written as a user would, with the types the contract promises.
USAGE = """\
from __future__ import annotations

from datetime import datetime

from library_client import AsyncClient, Client, Unset
from library_client.errors import NotFoundError
from library_client.models import Author, Book, BookPatch, Genre, Health, SearchResult, Shelf


def sync_calls() -> None:
    with Client(base_url="http://127.0.0.1:1") as client:
        health: Health = client.health()
        book: Book = client.books.create_book(body={"title": "t"})
        author: Author = book.author
        birth_year: int | None | Unset = author.birth_year  # optional and nullable
        genre: Genre = book.genre
        isbn: str | None = book.isbn
        created_at: datetime = book.created_at
        books: list[Book] = client.books.list_books(genre="history", limit=3)
        book = client.books.get_book(book.id)
        book = client.books.update_book(book.id, body=BookPatch(title=None, tags=["x"]))
        found: SearchResult = client.books.search_books(
            x_request_id="abc", q="q", genre=["science"], limit=2
        )
        matches: list[Book] = found.matches
        client.books.delete_book(book.id)
        shelf: Shelf = client.shelves.name_put_shelf("s", body={"name": "s"})
        shelves: list[Shelf] = client.shelves.list_shelves()
        try:
            client.books.get_book(1)
        except NotFoundError as exc:
            code: int = exc.status_code


async def async_calls() -> None:
    async with AsyncClient(base_url="http://127.0.0.1:1") as client:
        book: Book = await client.books.get_book(1)
        books: list[Book] = await client.books.list_books()
        await client.books.delete_book(book.id)
"""

# `prefixItems` typed as tuples: the known open generator item (see
# test_tuple_fields_are_tuples); this check fails until it lands.
USAGE_TUPLES = """\
from __future__ import annotations

from library_client.models import Author, Book, BookCreate, Shelf


def tuples(book: Book, shelf: Shelf) -> None:
    create = BookCreate(
        title="t",
        author=Author(full_name="a", birth_year=None),
        genre="fiction",
        page_count=1,
        dimensions_cm=(1.0, 2.0),
        isbn=None,
    )
    size: tuple[float, float] = book.dimensions_cm
    position: tuple[int, int, str] = shelf.position
    new = Shelf(name="s", position=(1, 2, "A"))
"""


@pytest.mark.slow
@pytest.mark.parametrize("usage", ["USAGE", "USAGE_TUPLES"])
def test_documented_usage_type_checks(lib: Generated, usage: str) -> None:
    name = f"usage_{usage.lower()}.py"
    (lib.root / name).write_text(globals()[usage], encoding="utf-8")
    proc = mypy_strict(lib.root, name)
    assert proc.returncode == 0, proc.stdout + proc.stderr
