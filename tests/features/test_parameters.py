"""Parameters: locations, style/explode, content-encoded values, awkward names."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from oagen.ir import ListOf, Prim, Ref

from .conftest import (
    BASE,
    HEAD_31,
    Reply,
    build_ir,
    call,
    feature_spec,
    is_identifier,
    op_by_id,
    params,
    query_pairs,
)

STYLES = feature_spec(
    "param_styles",
    HEAD_31
    + """\
paths:
  /search:
    get:
      operationId: search
      parameters:
        - {name: ids, in: query, schema: {type: array, items: {type: integer}}}
        - {name: tags, in: query, explode: false, schema: {type: array, items: {type: string}}}
        - {name: point, in: query, schema: {$ref: '#/components/schemas/Point'}}
        - {name: box, in: query, explode: false, schema: {$ref: '#/components/schemas/Point'}}
        - {name: words, in: query, style: spaceDelimited, explode: false, schema: {type: array, items: {type: string}}}
        - {name: pipes, in: query, style: pipeDelimited, explode: false, schema: {type: array, items: {type: string}}}
        - {name: filter, in: query, style: deepObject, explode: true, schema: {$ref: '#/components/schemas/Point'}}
        - {name: flag, in: query, schema: {type: boolean}}
        - {name: X-Trace, in: header, schema: {type: array, items: {type: string}}}
        - {name: X-Request-Id, in: header, required: true, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
        - {name: lang, in: cookie, schema: {type: string}}
      responses:
        '204': {description: done}
  /simple/{ids}/{obj}/{exploded}:
    get:
      operationId: pathSimple
      parameters:
        - {name: ids, in: path, required: true, schema: {type: array, items: {type: integer}}}
        - {name: obj, in: path, required: true, schema: {$ref: '#/components/schemas/Point'}}
        - {name: exploded, in: path, required: true, explode: true, schema: {$ref: '#/components/schemas/Point'}}
      responses:
        '204': {description: done}
  /label/{one}/{many}/{manyx}:
    get:
      operationId: pathLabel
      parameters:
        - {name: one, in: path, required: true, style: label, schema: {type: string}}
        - {name: many, in: path, required: true, style: label, schema: {type: array, items: {type: integer}}}
        - {name: manyx, in: path, required: true, style: label, explode: true, schema: {type: array, items: {type: integer}}}
      responses:
        '204': {description: done}
  /matrix/{one}/{many}/{manyx}:
    get:
      operationId: pathMatrix
      parameters:
        - {name: one, in: path, required: true, style: matrix, schema: {type: string}}
        - {name: many, in: path, required: true, style: matrix, schema: {type: array, items: {type: integer}}}
        - {name: manyx, in: path, required: true, style: matrix, explode: true, schema: {type: array, items: {type: integer}}}
      responses:
        '204': {description: done}
components:
  schemas:
    Point:
      type: object
      properties:
        x: {type: integer}
        y: {type: integer}
""",
)


def test_param_styles_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, STYLES)
    ps = params(op_by_id(api, "search"))
    summary = {k: (p.style, p.explode) for k, p in ps.items()}
    assert summary == {
        ("query", "ids"): ("form", True),
        ("query", "tags"): ("form", False),
        ("query", "point"): ("form", True),
        ("query", "box"): ("form", False),
        ("query", "words"): ("spaceDelimited", False),
        ("query", "pipes"): ("pipeDelimited", False),
        ("query", "filter"): ("deepObject", True),
        ("query", "flag"): ("form", True),
        ("header", "X-Trace"): ("simple", False),
        ("header", "X-Request-Id"): ("simple", False),
        ("cookie", "session"): ("form", True),
        ("cookie", "lang"): ("form", True),
    }
    assert ps[("query", "ids")].type == ListOf(Prim("int"))
    assert ps[("query", "point")].type == Ref("Point")
    assert ps[("header", "X-Request-Id")].is_required
    assert ps[("header", "X-Request-Id")].python_name == "x_request_id"
    label = params(op_by_id(api, "pathLabel"))
    assert [(p.style, p.explode) for p in label.values()] == [
        ("label", False), ("label", False), ("label", True),
    ]  # fmt: skip
    matrix = params(op_by_id(api, "pathMatrix"))
    assert [(p.style, p.explode) for p in matrix.values()] == [
        ("matrix", False), ("matrix", False), ("matrix", True),
    ]  # fmt: skip


def test_query_header_cookie_styles(package: Any) -> None:
    pkg = package(STYLES)
    m = importlib.import_module(f"{pkg.__name__}.models")
    _, req = call(
        pkg,
        lambda c: c.search(
            ids=[1, 2],
            tags=["a", "b"],
            point=m.Point(x=1, y=2),
            box={"x": 3, "y": 4},
            words=["a", "b"],
            pipes=["a", "b"],
            filter=m.Point(x=5, y=6),
            flag=True,
            x_trace=["t1", "t2"],
            x_request_id="rid",
            session="s1",
            lang="en",
        ),
        Reply(204),
    )
    assert req.method == "GET"
    assert req.url.path == "/search"
    assert query_pairs(req) == [
        ("ids", "1"),
        ("ids", "2"),
        ("tags", "a,b"),
        ("x", "1"),
        ("y", "2"),
        ("box", "x,3,y,4"),
        ("words", "a b"),
        ("pipes", "a|b"),
        ("filter[x]", "5"),
        ("filter[y]", "6"),
        ("flag", "true"),
    ]
    assert req.headers["X-Trace"] == "t1,t2"
    assert req.headers["X-Request-Id"] == "rid"
    assert req.headers["Cookie"] == "session=s1; lang=en"


def test_optional_params_are_not_sent(package: Any) -> None:
    pkg = package(STYLES)
    _, req = call(pkg, lambda c: c.search(x_request_id="r"), Reply(204))
    assert str(req.url) == f"{BASE}/search"
    assert "cookie" not in req.headers and "x-trace" not in req.headers


def test_path_styles(package: Any) -> None:
    pkg = package(STYLES)
    m = importlib.import_module(f"{pkg.__name__}.models")
    _, req = call(
        pkg, lambda c: c.path_simple([1, 2, 3], m.Point(x=1, y=2), m.Point(x=3, y=4)), Reply(204)
    )
    assert req.url.raw_path == b"/simple/1,2,3/x,1,y,2/x=3,y=4"
    _, req = call(pkg, lambda c: c.path_label("a b", [1, 2], [3, 4]), Reply(204))
    assert req.url.raw_path == b"/label/.a%20b/.1,2/.3.4"
    _, req = call(pkg, lambda c: c.path_matrix("v", [1, 2], [3, 4]), Reply(204))
    assert req.url.raw_path == b"/matrix/;one=v/;many=1,2/;manyx=3;manyx=4"


# --------------------------------------------------------------------------- content-encoded

CONTENT = feature_spec(
    "param_content",
    HEAD_31
    + """\
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - name: where
          in: query
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Where'}
        - name: tags
          in: query
          content:
            application/json:
              schema: {type: array, items: {type: string}}
      responses:
        '204': {description: done}
components:
  schemas:
    Where:
      type: object
      properties:
        name: {type: string}
        age: {type: integer}
""",
)


def test_content_param_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, CONTENT)
    ps = params(op_by_id(api, "listItems"))
    assert ps[("query", "where")].type == Ref("Where")
    assert ps[("query", "tags")].type == ListOf(Prim("str"))
    # the IR records that these values are JSON-encoded (however it spells it)
    where = ps[("query", "where")]
    assert "json" in repr(where).replace(where.pointer, "").lower()


def test_content_param_is_json_encoded(package: Any) -> None:
    pkg = package(CONTENT)
    m = importlib.import_module(f"{pkg.__name__}.models")
    _, req = call(
        pkg, lambda c: c.list_items(where=m.Where(name="a b", age=3), tags=["x", "y"]), Reply(204)
    )
    pairs = query_pairs(req)
    assert [k for k, _ in pairs] == ["where", "tags"]
    assert json.loads(pairs[0][1]) == {"name": "a b", "age": 3}
    assert json.loads(pairs[1][1]) == ["x", "y"]


# --------------------------------------------------------------------------- names

NAMES = feature_spec(
    "param_names",
    HEAD_31
    + """\
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: id, in: query, schema: {type: integer}}
        - {name: x-api-key, in: header, schema: {type: string}}
        - {name: $filter, in: query, schema: {type: string}}
        - {name: 'page[size]', in: query, schema: {type: integer}}
        - {name: '@type', in: query, schema: {type: string}}
        - {name: class, in: query, schema: {type: string}}
        - {name: from, in: query, schema: {type: string}}
      responses:
        '204': {description: done}
""",
)


def test_param_names_ir(tmp_path: Path) -> None:
    api = build_ir(tmp_path, NAMES)
    ps = params(op_by_id(api, "getThing"))
    names = {k: p.python_name for k, p in ps.items()}
    assert len(set(names.values())) == len(names)
    assert all(is_identifier(n) for n in names.values())
    assert names[("query", "class")] == "class_"
    assert names[("query", "from")] == "from_"
    assert names[("header", "x-api-key")] == "x_api_key"
    assert names[("path", "id")] != names[("query", "id")]


def test_param_names_keep_wire_names(tmp_path: Path, package: Any) -> None:
    api = build_ir(tmp_path, NAMES)
    names = {k: p.python_name for k, p in params(op_by_id(api, "getThing")).items()}
    pkg = package(NAMES)
    kwargs = {
        names[("query", "id")]: 7,
        names[("header", "x-api-key")]: "k",
        names[("query", "$filter")]: "f",
        names[("query", "page[size]")]: 10,
        names[("query", "@type")]: "t",
        "class_": "c",
        "from_": "2024",
    }
    _, req = call(pkg, lambda c: c.get_thing("p/1", **kwargs), Reply(204))
    assert req.url.raw_path.split(b"?")[0] == b"/things/p%2F1"
    assert query_pairs(req) == [
        ("id", "7"),
        ("$filter", "f"),
        ("page[size]", "10"),
        ("@type", "t"),
        ("class", "c"),
        ("from", "2024"),
    ]
    assert req.headers["x-api-key"] == "k"


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_param_names_async_same_wire(package: Any, mode: str) -> None:
    from .conftest import Server, async_client, client

    pkg = package(NAMES)
    server = Server(Reply(204))
    if mode == "sync":
        with client(pkg, server) as c:
            c.get_thing("a", class_="c", from_="f")
    else:
        async with async_client(pkg, server) as ac:
            await ac.get_thing("a", class_="c", from_="f")
    assert query_pairs(server.only) == [("class", "c"), ("from", "f")]


# --------------------------------------------------------------------------- query strings in path keys

PATH_QUERY = feature_spec(
    "path_query",
    HEAD_31
    + """\
paths:
  /responses:
    post: {operationId: create, responses: {'204': {description: done}}}
  /responses?beta=true:
    post: {operationId: createBeta, responses: {'204': {description: done}}}
  /search?query={query}:
    get:
      operationId: search
      parameters:
        - {name: query, in: query, required: true, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer}}
      responses: {'204': {description: done}}
  /users/{userid}/pic?key={APIKEY}&size={sizes}:
    get:
      operationId: userPicture
      parameters:
        - {name: userid, in: path, required: true, schema: {type: string}}
        - {name: APIKEY, in: path, required: true, schema: {type: string}}
        - {name: sizes, in: path, required: true, schema: {type: array, items: {type: integer}}}
      responses: {'204': {description: done}}
""",
)


def test_path_parameters_a_path_keys_query_string_names_are_sent_as_query_values(
    package: Any,
) -> None:
    """learnifier.com's `/users/{userid}/pic?key={APIKEY}` (ClickSend's and icons8's
    are alike), `APIKEY` declared `in: path`: sent as the query parameter `key`,
    encoded as a query value (its `&`, `=` and `#` stay in it), and expanded as the
    template would expand it (`simple`: an array's items joined by commas)."""
    pkg = package(PATH_QUERY)
    _, req = call(
        pkg, lambda c: c.user_picture("u 1", apikey="a&b=c#d", sizes=[64, 128]), Reply(204)
    )
    assert query_pairs(req) == [("key", "a&b=c#d"), ("size", "64,128")]
    assert str(req.url).startswith(f"{BASE}/users/u%201/pic?key=a%26b%3Dc%23d&size=64")


def test_query_strings_written_in_path_keys_go_on_the_wire_once(package: Any) -> None:
    """OpenAI's `/responses?beta=true` sends its fixed pair (and no other operation
    does); medium.com's `/search?query={query}` sends `query` as the parameter it is."""
    pkg = package(PATH_QUERY)
    _, req = call(pkg, lambda c: c.create_beta(extra_query={"x": "1"}), Reply(204))
    assert str(req.url) == f"{BASE}/responses?beta=true&x=1"
    _, req = call(pkg, lambda c: c.create(), Reply(204))
    assert str(req.url) == f"{BASE}/responses"
    _, req = call(pkg, lambda c: c.search(query="a b", page=2), Reply(204))
    assert str(req.url) == f"{BASE}/search?query=a+b&page=2"
