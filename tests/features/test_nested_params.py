"""Parameters OpenAPI's styles cannot write: arrays and objects nested in an array or
object parameter go as compact JSON text (a warning at generation says so), but in a
`deepObject`, which writes them in brackets; header and cookie values that cannot go
on the wire are refused naming the parameter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from oagen.builder import build
from oagen.diagnostics import Diagnostics
from oagen.load import load
from oagen.validate import validate

from .conftest import BASE, HEAD_30, Reply, Server, call, client, feature_spec, models_of

NESTED = feature_spec(
    "param_nested",
    HEAD_30
    + """\
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: filter, in: query, style: deepObject, explode: true,
           schema: {type: object, properties: {ids: {type: array, items: {type: string}}}}}
        - {name: tags, in: query,
           schema: {type: array, items: {type: object, properties: {k: {type: string}}}}}
        - {name: X-Filter, in: header, schema: {type: object, properties: {ids: {type: array, items: {type: integer}}}}}
        - {name: opts, in: query, schema: {type: object, properties: {ids: {type: array, items: {type: string}}, n: {type: integer}}}}
        - {name: grid, in: query, schema: {type: object, properties: {rows: {type: array, items: {type: array, items: {type: integer}}}}}}
      responses: {'200': {description: ok}}
  /more:
    get:
      operationId: listMore
      parameters:
        - {name: where, in: query, style: deepObject, explode: true, schema: {$ref: '#/components/schemas/Where'}}
        - {name: pipes, in: query, style: pipeDelimited, explode: false, schema: {type: array, items: {$ref: '#/components/schemas/Pair'}}}
        - {name: packed, in: query, explode: false, schema: {type: array, items: {$ref: '#/components/schemas/Pair'}}}
        - {name: prefs, in: cookie, schema: {type: object, properties: {ids: {type: array, items: {type: integer}}}}}
        - {name: flat, in: query, style: deepObject, explode: true, schema: {$ref: '#/components/schemas/Pair'}}
        - name: asJson
          in: query
          content: {application/json: {schema: {type: object, properties: {ids: {type: array, items: {type: string}}}}}}
        - {name: X-Name, in: header, schema: {type: string}}
        - {name: X-Json, in: header, content: {application/json: {schema: {$ref: '#/components/schemas/Pair'}}}}
        - {name: session, in: cookie, schema: {type: string}}
      responses: {'200': {description: ok}}
  /v1/invoices:
    post:
      operationId: createInvoice
      parameters:
        - {name: expand, in: query, style: deepObject, explode: true, schema: {type: array, items: {type: string}}}
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                customer: {type: string}
                items:
                  type: array
                  items: {type: object, properties: {price: {type: string}, quantity: {type: integer}}}
                metadata: {type: object, additionalProperties: {type: string}}
                expand: {type: array, items: {type: string}}
            encoding:
              items: {style: deepObject, explode: true}
              metadata: {style: deepObject, explode: true}
              expand: {style: deepObject, explode: true}
      responses: {'200': {description: ok}}
components:
  schemas:
    Where:
      type: object
      properties:
        range: {$ref: '#/components/schemas/Pair'}
        name: {type: string}
    Pair:
      type: object
      properties:
        k: {type: string}
        v: {type: integer}
""",
)


def _warnings(tmp_path: Path) -> list[str]:
    """The build's warnings, `LINE:COL: warning: message (pointer)` (file name left out)."""
    path = NESTED.write_to(tmp_path / "warnings")
    loaded = load(path)
    sink = Diagnostics(loaded.locate)
    validate(loaded, sink)
    build(loaded, sink, NESTED.package_name)
    assert [str(d) for d in sink.items if d.severity == "error"] == []
    return [str(d).split(f"{path.name}:", 1)[1] for d in sink.items if d.severity == "warning"]


def test_nested_values_are_reported_at_their_parameter(tmp_path: Path) -> None:
    ops = "#/paths/~1{}/get/parameters/{}"
    # (none for `filter` and `where`: a deepObject writes what is nested in brackets)
    assert _warnings(tmp_path) == [
        "11:11: warning: query parameter 'tags': OpenAPI defines no 'form' serialisation for"
        " the arrays and objects nested in it (its items); they are sent as compact JSON text"
        f" ({ops.format('items', 1)})",
        "13:11: warning: header parameter 'X-Filter': OpenAPI defines no 'simple' serialisation"
        " for the arrays and objects nested in it (property 'ids'); they are sent as compact"
        f" JSON text ({ops.format('items', 2)})",
        # `opts`: its array of scalars repeats its key, as in a form; not `grid`'s arrays
        "15:11: warning: query parameter 'grid': OpenAPI defines no 'form' serialisation for"
        " the arrays and objects nested in it (property 'rows'); they are sent as compact JSON"
        f" text ({ops.format('items', 4)})",
        "22:11: warning: query parameter 'pipes': OpenAPI defines no 'pipeDelimited'"
        " serialisation for the arrays and objects nested in it (its items); they are sent as"
        f" compact JSON text ({ops.format('more', 1)})",
        "23:11: warning: query parameter 'packed': OpenAPI defines no 'form' serialisation for"
        " the arrays and objects nested in it (its items); they are sent as compact JSON text"
        f" ({ops.format('more', 2)})",
        "24:11: warning: cookie parameter 'prefs': OpenAPI defines no 'form' serialisation for"
        " the arrays and objects nested in it (property 'ids'); they are sent as compact JSON"
        " text (a call is refused when that text holds a quote, comma, space or backslash,"
        f" which a cookie cannot carry) ({ops.format('more', 3)})",
    ]


def test_nested_values_go_on_the_wire_as_json_text(package: Any) -> None:
    pkg = package(NESTED)
    m = models_of(pkg)
    _, req = call(
        pkg,
        lambda c: c.list_items(
            filter=m.ListItemsFilter(ids=["a", "b"]),
            tags=[m.ListItemsTagsItem(k="v")],
            x_filter=m.ListItemsXFilter(ids=[1, 2]),
        ),
        Reply(200),
    )
    assert str(req.url) == (
        f"{BASE}/items?filter%5Bids%5D%5B0%5D=a&filter%5Bids%5D%5B1%5D=b"
        "&tags=%7B%22k%22%3A%22v%22%7D"
    )
    assert req.headers["X-Filter"] == "ids,[1,2]"


def test_a_deep_object_writes_arrays_and_nested_objects_in_brackets(package: Any) -> None:
    """Stripe's form bodies and `expand`: a `deepObject` array is `expand[0]=a`, an
    array of objects `items[0][price]=p`, as qs, Rails and Stripe read them (the
    arrays were joined with commas, and the objects in them sent as JSON text)."""
    pkg = package(NESTED)
    m = models_of(pkg)
    body = m.CreateInvoiceBody(
        customer="cus_1",
        items=[m.CreateInvoiceBodyItemsItem(price="p_1", quantity=2)],
        metadata={"order": "6735"},
        expand=["lines", "customer"],
    )
    _, req = call(pkg, lambda c: c.create_invoice(expand=["customer.tax"], body=body), Reply(200))
    assert str(req.url) == f"{BASE}/v1/invoices?expand%5B0%5D=customer.tax"
    assert req.content.decode().split("&") == [
        "customer=cus_1",
        "items%5B0%5D%5Bprice%5D=p_1",
        "items%5B0%5D%5Bquantity%5D=2",
        "metadata%5Border%5D=6735",
        "expand%5B0%5D=lines",
        "expand%5B1%5D=customer",
    ]


def test_an_exploded_form_object_repeats_the_key_of_an_array_of_scalars(package: Any) -> None:
    # as a urlencoded form writes it (`ids=a&ids=b`); arrays of arrays stay JSON text
    pkg = package(NESTED)
    m = models_of(pkg)
    opts, grid = m.ListItemsOpts(ids=["a", "b,c"], n=1), m.ListItemsGrid(rows=[[1, 2]])
    _, req = call(pkg, lambda c: c.list_items(opts=opts, grid=grid), Reply(200))
    assert str(req.url) == f"{BASE}/items?ids=a&ids=b%2Cc&n=1&rows=%5B%5B1%2C2%5D%5D"


def test_nested_values_of_other_styles_and_locations(package: Any) -> None:
    pkg = package(NESTED)
    m = models_of(pkg)
    pairs = [m.Pair(k="a", v=1), m.Pair(k="b|c")]
    _, req = call(
        pkg,
        lambda c: c.list_more(
            where=m.Where(range=m.Pair(k="x", v=2), name="n"),
            pipes=pairs,
            packed=pairs,
            prefs=m.ListMorePrefs(ids=[7]),
            flat=m.Pair(k="y", v=3),
        ),
        Reply(200),
    )
    assert str(req.url) == (
        f"{BASE}/more?where%5Brange%5D%5Bk%5D=x&where%5Brange%5D%5Bv%5D=2&where%5Bname%5D=n"
        "&pipes=%7B%22k%22%3A%22a%22%2C%22v%22%3A1%7D%7C%7B%22k%22%3A%22b%7Cc%22%7D"
        "&packed=%7B%22k%22%3A%22a%22%2C%22v%22%3A1%7D,%7B%22k%22%3A%22b%7Cc%22%7D"
        "&flat%5Bk%5D=y&flat%5Bv%5D=3"
    )
    assert req.headers["Cookie"] == "ids=%5B7%5D"  # JSON, percent-encoded as any cookie value


@pytest.mark.parametrize(
    ("arguments", "field", "problem"),
    [
        (
            {"x_name": "caf\u00e9"},
            "x_name",
            "the header value holds '\u00e9', which a header cannot carry (only ASCII text"
            " can be sent)",
        ),
        (
            {"x_json": {"k": "\u65e5"}},
            "x_json",
            "the header value holds '\u65e5', which a header cannot carry (only ASCII text"
            " can be sent)",
        ),
    ],
)
def test_header_values_that_cannot_be_sent_are_refused(
    package: Any, arguments: dict[str, Any], field: str, problem: str
) -> None:
    pkg = package(NESTED)
    server = Server()
    with client(pkg, server) as c, pytest.raises(pkg.errors.RequestValidationError) as info:
        c.list_more(**arguments)
    assert (info.value.field, info.value.problem) == (field, problem)
    assert server.requests == []


@pytest.mark.parametrize(
    ("arguments", "cookie"),
    [
        ({"session": "caf\u00e9"}, "session=caf%C3%A9"),
        ({"session": 'a "b";c'}, "session=a%20%22b%22%3Bc"),
        ({"session": "a,b\\"}, "session=a%2Cb%5C"),
        ({"prefs": {"ids": [1, 2]}}, "ids=%5B1%2C2%5D"),
    ],
)
def test_cookie_values_are_percent_encoded(
    package: Any, arguments: dict[str, Any], cookie: str
) -> None:
    """`form`, the cookie style of OpenAPI 3.0 and 3.1, is RFC 6570's form expansion."""
    _, req = call(package(NESTED), lambda c: c.list_more(**arguments), Reply(200))
    assert req.headers["Cookie"] == cookie
