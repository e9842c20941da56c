"""The runtime's parameter serialisation: query styles, path expansion, header values."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.runtime.direct import P, Server, ep, sync_client

pytestmark = pytest.mark.usefixtures("no_real_sleep")


# ===================================================================== _params: query


class TestQuerySerialization:
    def test_form_explode_array(self, m):
        p = P(m, "ids", "query", "form", True)
        assert m.params.serialize(p, [1, 2, "x"]) == [("ids", "1"), ("ids", "2"), ("ids", "x")]

    def test_form_no_explode_array(self, m):
        p = P(m, "ids", "query", "form", False)
        assert m.params.serialize(p, [1, 2, "x"]) == [("ids", "1,2,x")]

    def test_form_explode_object(self, m):
        p = P(m, "obj", "query", "form", True)
        assert m.params.serialize(p, {"role": "admin", "n": 5, "skip": m.UNSET}) == [
            ("role", "admin"),
            ("n", "5"),
        ]

    def test_form_no_explode_object(self, m):
        p = P(m, "obj", "query", "form", False)
        assert m.params.serialize(p, {"role": "admin", "n": 5}) == [("obj", "role,admin,n,5")]

    def test_space_delimited(self, m):
        p = P(m, "ids", "query", "spaceDelimited", False)
        assert m.params.serialize(p, ["a", "b", "c"]) == [("ids", "a b c")]

    def test_pipe_delimited(self, m):
        p = P(m, "ids", "query", "pipeDelimited", False)
        assert m.params.serialize(p, [1, 2, 3]) == [("ids", "1|2|3")]

    def test_tab_delimited_from_a_swagger_2_tsv_collection(self, m):
        p = P(m, "ids", "query", "tabDelimited", False)
        assert m.params.serialize(p, ["a", "b"]) == [("ids", "a\tb")]

    def test_deep_object(self, m):
        p = P(m, "filter", "query", "deepObject", True)
        assert m.params.serialize(p, {"status": "open", "mine": True, "gone": m.UNSET}) == [
            ("filter[status]", "open"),
            ("filter[mine]", "true"),
        ]

    def test_model_with_to_dict_is_an_object(self, m):
        class Model:
            def to_dict(self) -> dict[str, Any]:
                return {"a": 1, "b": False}

        p = P(m, "filter", "query", "deepObject", True)
        assert m.params.serialize(p, Model()) == [("filter[a]", "1"), ("filter[b]", "false")]

    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (True, "true"),
            (False, "false"),
            (0, "0"),
            (2.5, "2.5"),
            ("plain", "plain"),
            (datetime(2024, 5, 1, 10, 20, 30, tzinfo=UTC), "2024-05-01T10:20:30+00:00"),
            (datetime(2024, 5, 1, 10, 20, 30, 123000), "2024-05-01T10:20:30.123000"),
            (date(2024, 5, 1), "2024-05-01"),
            (
                uuid.UUID("12345678-1234-5678-1234-567812345678"),
                "12345678-1234-5678-1234-567812345678",
            ),
            (Decimal("1.10"), "1.10"),
        ],
    )
    def test_scalars(self, m, value, text):
        p = P(m, "v", "query", "form", True)
        assert m.params.serialize(p, value) == [("v", text)]

    def test_booleans_inside_arrays(self, m):
        p = P(m, "flags", "query", "form", False)
        assert m.params.serialize(p, [True, False]) == [("flags", "true,false")]

    def test_query_on_the_wire(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(
            m,
            params=(
                P(m, "ids", "query", "form", True),
                P(m, "tags", "query", "spaceDelimited", False),
                P(m, "f", "query", "deepObject", True),
                P(m, "flag", "query", "form", True),
                P(m, "absent", "query", "form", True),
            ),
        )
        client._request(
            endpoint,
            ([1, 2], ["a b", "c"], {"k": "v&w"}, False, m.UNSET),
            extra_query={"extra": "1"},
        )
        assert server.last.url.params.multi_items() == [
            ("ids", "1"),
            ("ids", "2"),
            ("tags", "a b c"),
            ("f[k]", "v&w"),
            ("flag", "false"),
            ("extra", "1"),
        ]
        assert "absent" not in server.last.url.params


class TestQueryEncoding:
    """The query string byte for byte: each item percent-encoded, then joined by its
    style's delimiter as OpenAPI's style examples write it (a form's comma as it is,
    `?color=blue,black,brown`; a pipe as `%7C`), so an item's own comma stays apart."""

    @pytest.mark.parametrize(
        ("style", "explode", "value", "pairs"),
        [
            ("form", False, ["a,b", "c d", "e&f"], [("t", "a%2Cb,c+d,e%26f")]),
            ("form", True, ["a,b", "c"], [("t", "a%2Cb"), ("t", "c")]),
            ("form", False, {"r": "x,y", "n": 5}, [("t", "r,x%2Cy,n,5")]),
            ("form", True, {"r": "x,y"}, [("r", "x%2Cy")]),
            # an exploded object's array of scalars repeats its key, as a form does
            (
                "form",
                True,
                {"i": [1, "b"], "o": [{"k": 1}]},
                [("i", "1"), ("i", "b"), ("o", "%5B%7B%22k%22%3A1%7D%5D")],
            ),
            ("form", False, {"i": [1, 2]}, [("t", "i,%5B1%2C2%5D")]),
            ("pipeDelimited", False, ["a", "b c", "d|e"], [("t", "a%7Cb+c%7Cd%7Ce")]),
            ("pipeDelimited", True, ["a", "b"], [("t", "a"), ("t", "b")]),
            ("spaceDelimited", False, ["a", "b"], [("t", "a%20b")]),
            ("spaceDelimited", True, ["a", "b"], [("t", "a"), ("t", "b")]),
            # an object as OpenAPI's style examples write it: `R%20100%20G%20200`
            ("spaceDelimited", False, {"R": 100, "G": "a b"}, [("t", "R%20100%20G%20a+b")]),
            ("pipeDelimited", False, {"R": 100, "G": "x|y"}, [("t", "R%7C100%7CG%7Cx%7Cy")]),
            ("deepObject", True, {"k": "v&w"}, [("t[k]", "v%26w")]),
            ("json", True, {"k": "a b"}, [("t", "%7B%22k%22%3A%22a+b%22%7D")]),
        ],
    )
    def test_items_are_encoded_one_by_one(self, m, style, explode, value, pairs):
        assert m.params.query_pairs(P(m, "t", "query", style, explode), value) == pairs

    def test_allow_reserved_keeps_what_a_query_value_may_hold(self, m):
        p = P(m, "q", "query", "form", True, allow_reserved=True)
        # `&`, `=`, `+` and `#` would change what the query says: encoded all the same
        assert m.params.query_pairs(p, "a/b?c:d@e=f&g+h i#j") == [
            ("q", "a/b?c:d@e%3Df%26g%2Bh%20i%23j")
        ]
        q = P(m, "q", "query", "form", False, allow_reserved=True)
        assert m.params.query_pairs(q, ["a/b", "c,d"]) == [("q", "a/b,c,d")]
        # percent-encoded triples pass through (RFC 6570 reserved expansion); a `%`
        # that starts none is encoded
        assert m.params.query_pairs(p, "/docs/a%20b/c%2fd%zz%") == [
            ("q", "/docs/a%20b/c%2fd%25zz%25")
        ]
        plain = P(m, "q", "query", "form", True)
        assert m.params.query_pairs(plain, "a%20b") == [("q", "a%2520b")]

    def test_on_the_wire(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(
            m,
            params=(
                P(m, "tags", "query", "form", False),
                P(m, "path", "query", "form", True, allow_reserved=True),
                P(m, "ids", "query", "pipeDelimited", False),
            ),
        )
        client._request(endpoint, (["a,b", "c d"], "x/y?z", [1, 2]))
        assert server.last.url.query == b"tags=a%2Cb,c+d&path=x/y?z&ids=1%7C2"

    def test_the_http_clients_own_params_are_kept_and_the_calls_win(self, m):
        server = Server()
        client = sync_client(m, server)
        client._http_client = httpx.Client(
            transport=httpx.MockTransport(server), params={"v": "1", "tags": "old"}
        )
        endpoint = ep(m, params=(P(m, "tags", "query", "form", False),))
        client._request(endpoint, (["a", "b"],))
        assert server.last.url.query == b"v=1&tags=a,b"
        client._request(endpoint, (m.UNSET,))
        assert server.last.url.query == b"v=1&tags=old"

    def test_extra_query_replaces_a_parameter_of_its_name(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(
            m, params=(P(m, "n", "query", "form", True), P(m, "k", "query", "form", True))
        )
        client._request(endpoint, (1, "x"), extra_query={"n": 5, "more": "a b"})
        assert server.last.url.query == b"k=x&n=5&more=a+b"

    def test_an_exploded_cookie_array_sends_every_item(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, params=(P(m, "c", "cookie", "form", True),))
        client._request(endpoint, (["a", "b"],))
        assert server.last.headers["Cookie"] == "c=a; c=b"

    def test_none_is_undefined_and_left_out_as_rfc_6570_has_it(self, m):
        """A nullable parameter given None is not sent (`q=` would be the empty text,
        which a server reads as another value or refuses); None items and values of
        an array or object go too; JSON text (`content`) writes `null`."""
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(
            m,
            "GET",
            "/things/{id}",
            params=(
                P(m, "id", "path", "simple", False),
                P(m, "q", "query", "form", True),
                P(m, "arr", "query", "form", True),
                P(m, "obj", "query", "deepObject", True),
                P(m, "filter", "query", "json", False),
                P(m, "X-Opt", "header", "simple", False),
                P(m, "ck", "cookie", "form", True),
            ),
        )
        args = ("7", None, [None, "a"], {"x": None, "y": 1}, None, None, None)
        client._request(endpoint, args)
        request = server.last
        assert request.url.raw_path == b"/v1/things/7?arr=a&obj%5By%5D=1&filter=null"
        assert "X-Opt" not in request.headers and "Cookie" not in request.headers
        with pytest.raises(m.errors.RequestValidationError, match=r"^id: a path parameter cannot"):
            client._request(endpoint, (None, *args[1:]))


# ====================================================================== _params: path


def expand(m, template: str, **values: tuple[Any, Any]) -> str:
    return m.params.expand_path(template, values)


class TestPathExpansion:
    @pytest.mark.parametrize(
        ("style", "explode", "value", "expected"),
        [
            ("simple", False, "5", "5"),
            ("simple", False, ["a", "b"], "a,b"),
            ("simple", True, ["a", "b"], "a,b"),
            ("simple", False, {"k": "v", "n": 1}, "k,v,n,1"),
            ("simple", True, {"k": "v", "n": 1}, "k=v,n=1"),
            ("label", False, "5", ".5"),
            ("label", False, ["a", "b"], ".a,b"),
            ("label", True, ["a", "b"], ".a.b"),
            ("label", False, {"k": "v", "n": 1}, ".k,v,n,1"),
            ("label", True, {"k": "v", "n": 1}, ".k=v.n=1"),
            ("matrix", False, "5", ";id=5"),
            ("matrix", False, ["a", "b"], ";id=a,b"),
            ("matrix", True, ["a", "b"], ";id=a;id=b"),
            ("matrix", False, {"k": "v", "n": 1}, ";id=k,v,n,1"),
            ("matrix", True, {"k": "v", "n": 1}, ";k=v;n=1"),
            # empty values (OpenAPI's style table, RFC 6570's `;`): the bare name
            ("matrix", False, "", ";id"),
            ("matrix", False, [], ";id"),
            ("matrix", True, [], ";id"),
            ("matrix", True, ["a", ""], ";id=a;id"),
            ("matrix", False, {}, ";id"),
            ("matrix", True, {}, ";id"),
            ("label", False, ["a", ""], ".a,"),
            ("simple", False, True, "true"),
            ("simple", False, date(2024, 5, 1), "2024-05-01"),
        ],
    )
    def test_styles(self, m, style, explode, value, expected):
        p = P(m, "id", "path", style, explode)
        assert expand(m, "/x/{id}/y", id=(p, value)) == f"/x/{expected}/y"

    @pytest.mark.parametrize(
        ("value", "encoded"),
        [
            ("a/b", "a%2Fb"),
            ("what?", "what%3F"),
            ("frag#1", "frag%231"),
            ("with space", "with%20space"),
            ("100%", "100%25"),
            ("h\u00e9llo", "h%C3%A9llo"),
            ("\u65e5\u672c", "%E6%97%A5%E6%9C%AC"),
            ("a:b@c", "a%3Ab%40c"),
            ("k=v&x", "k%3Dv%26x"),
            ("safe-._~", "safe-._~"),
        ],
    )
    def test_percent_encoding(self, m, value, encoded):
        p = P(m, "id", "path", "simple", False)
        assert expand(m, "/x/{id}", id=(p, value)) == f"/x/{encoded}"

    def test_label_and_matrix_values_are_encoded(self, m):
        label = P(m, "id", "path", "label", True)
        matrix = P(m, "id", "path", "matrix", True)
        assert expand(m, "/{id}", id=(label, ["a/b", "c d"])) == "/.a%2Fb.c%20d"
        assert expand(m, "/{id}", id=(matrix, {"k/": "v?"})) == "/;k%2F=v%3F"

    def test_allow_reserved_keeps_reserved_but_encodes_the_rest(self, m):
        p = P(m, "path", "path", "simple", False, allow_reserved=True)
        value = "a/b:c@d!$&'()*+,;=[e] f?g#h%i\u00e9"
        assert expand(m, "/proxy/{path}", path=(p, value)) == (
            "/proxy/a/b:c@d!$&'()*+,;=[e]%20f%3Fg%23h%25i%C3%A9"
        )
        assert expand(m, "/proxy/{path}", path=(p, "a%2Fb%C3%A9%4")) == "/proxy/a%2Fb%C3%A9%254"

    @pytest.mark.parametrize(
        ("style", "path", "header"),
        [
            ("pipeDelimited", "/p/a%7Cb%7Cc%20d", "a|b|c d"),
            ("spaceDelimited", "/p/a%20b%20c%20d", "a b c d"),
            ("tabDelimited", "/p/a%09b%09c%20d", "a\tb\tc d"),
        ],
    )
    def test_swagger2_delimited_arrays_in_path_and_header(self, m, style, path, header):
        """2.0's `pipes`, `ssv` and `tsv` collection formats outside the query: the
        items joined by the delimiter (percent-encoded in the path)."""
        p = P(m, "ids", "path", style, False)
        assert expand(m, "/p/{ids}", ids=(p, ["a", "b", "c d"])) == path
        h = P(m, "X-Ids", "header", style, False)
        assert m.params.simple_text(h, ["a", "b", "c d"]) == header

    def test_multiple_params(self, m):
        a = P(m, "a", "path", "simple", False)
        b = P(m, "b", "path", "simple", False)
        assert expand(m, "/s/{a}/c/{b}", a=(a, "x/y"), b=(b, 7)) == "/s/x%2Fy/c/7"

    @pytest.mark.parametrize(
        ("allow_reserved", "value", "expected"),
        [
            (False, "..", "/a/%2E%2E/b"),
            (False, ".", "/a/%2E/b"),
            (False, "../../etc/passwd", "/a/..%2F..%2Fetc%2Fpasswd/b"),
            (True, "..", "/a/%2E%2E/b"),
            (True, ".", "/a/%2E/b"),
            (True, "x/../y", "/a/x/%2E%2E/y/b"),
            (True, "../../etc", "/a/%2E%2E/%2E%2E/etc/b"),
            (True, "./x", "/a/%2E/x/b"),
        ],
    )
    def test_dot_segments_cannot_traverse(self, m, allow_reserved, value, expected):
        server = Server()
        client = sync_client(m, server)
        p = P(m, "p", "path", "simple", False, allow_reserved=allow_reserved)
        client._request(ep(m, path="/a/{p}/b", params=(p,)), (value,))
        raw_path = server.last.url.raw_path.decode()
        assert raw_path == "/v1" + expected
        segments = raw_path.split("/")
        assert "." not in segments and ".." not in segments

    @pytest.mark.parametrize(
        ("style", "explode", "value"),
        [
            ("label", True, ["", ""]),  # ".." segment
            ("label", False, ""),  # "." segment
            ("label", True, [""]),  # "." segment
        ],
    )
    def test_label_values_cannot_form_dot_segments(self, m, style, explode, value):
        """A label-style value must not expand into a `.`/`..` segment either."""
        server = Server()
        client = sync_client(m, server)
        p = P(m, "p", "path", style, explode)
        client._request(ep(m, path="/a/{p}/b", params=(p,)), (value,))
        raw_path = server.last.url.raw_path.decode()
        segments = raw_path.split("/")
        assert raw_path.startswith("/v1/a/") and raw_path.endswith("/b"), raw_path
        assert len(segments) == 5, raw_path
        assert "." not in segments and ".." not in segments

    def test_encoded_path_survives_httpx(self, m):
        server = Server()
        client = sync_client(m, server)
        p = P(m, "id", "path", "simple", False)
        r = P(m, "rest", "path", "simple", False, allow_reserved=True)
        client._request(ep(m, path="/s/{id}/r/{rest}", params=(p, r)), ("a/b c?#%", "x/y:z@w"))
        assert server.last.url.raw_path == b"/v1/s/a%2Fb%20c%3F%23%25/r/x/y:z@w"
        assert server.last.url.query == b""


# ==================================================================== _params: headers


class TestHeaderValues:
    @pytest.mark.parametrize(
        ("explode", "value", "expected"),
        [
            (False, "v", "v"),
            (False, 5, "5"),
            (False, True, "true"),
            (False, ["a", "b", 3], "a,b,3"),
            (False, {"k": "v", "n": 1}, "k,v,n,1"),
            (True, {"k": "v", "n": 1}, "k=v,n=1"),
            (False, datetime(2024, 5, 1, tzinfo=UTC), "2024-05-01T00:00:00+00:00"),
        ],
    )
    def test_simple_text(self, m, explode, value, expected):
        p = P(m, "X-H", "header", "simple", explode)
        assert m.params.simple_text(p, value) == expected

    def test_header_param_on_the_wire(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(
            m,
            params=(
                P(m, "X-Ids", "header", "simple", False),
                P(m, "X-Flag", "header", "simple", False),
                P(m, "X-Absent", "header", "simple", False),
            ),
        )
        client._request(endpoint, ([1, 2], False, m.UNSET))
        assert server.last.headers["X-Ids"] == "1,2"
        assert server.last.headers["X-Flag"] == "false"
        assert "X-Absent" not in server.last.headers

    def test_cookie_param(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, params=(P(m, "theme", "cookie", "form", True),))
        client._request(endpoint, ("dark",))
        assert server.last.headers["Cookie"] == "theme=dark"


# ============================================================ _params: nested values


class TestNestedValues:
    """Arrays and objects inside an array or object parameter (no OpenAPI style says
    how to write them) go as compact JSON text, never Python's repr."""

    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (["a", "b"], '["a","b"]'),
            (
                {"k": "caf\u00e9", "n": [1, 2.5, None, True]},
                '{"k":"caf\u00e9","n":[1,2.5,null,true]}',
            ),
            ((1, 2), "[1,2]"),
            ({"at": date(2024, 5, 1)}, '{"at":"2024-05-01"}'),
        ],
    )
    def test_scalar_text_of_a_nested_array_or_object_is_compact_json(self, m, value, text):
        assert m.params.scalar_text(value) == text

    def test_scalar_text_of_a_nested_model_is_its_json(self, m):
        class Model:
            def to_dict(self) -> dict[str, Any]:
                return {"k": "v", "ids": [1]}

        assert m.params.scalar_text(Model()) == '{"k":"v","ids":[1]}'
        assert m.params.scalar_text({"a": 1, "gone": m.UNSET}) == '{"a":1}'

    @pytest.mark.parametrize("value", [{1, 2}, object(), [object()], {"x": float("nan")}])
    def test_a_value_that_is_no_scalar_array_or_object_is_refused(self, m, value):
        p = P(m, "tags", "query", "form", True, python_name="tag_list")
        with pytest.raises(m.errors.RequestValidationError) as info:
            m.params.serialize(p, [value])
        assert info.value.field == "tag_list"
        assert "cannot be sent as a parameter value" in info.value.problem

    @pytest.mark.parametrize("location", ["query", "header", "path"])
    def test_json_content_json_cannot_carry_is_refused(self, m, location):
        """A `content: application/json` parameter is JSON text as a JSON body is:
        NaN is refused naming the argument (it was sent as `NaN`)."""
        p = P(m, "f", location, "json", False, python_name="filter")
        write = m.params.path_value if location == "path" else m.params.serialize
        with pytest.raises(m.errors.RequestValidationError) as info:
            write(p, {"ratio": float("nan")})
        assert info.value.field == "filter"
        assert info.value.problem.startswith("cannot be sent as JSON")

    def test_a_deep_object_nested_past_its_limit_is_refused(self, m):
        """Bracket notation follows a value as deep as it goes, up to a limit: a value
        nested deeper (or one holding itself) is refused, not recursed into forever."""
        p = P(m, "filter", "query", "deepObject", True, python_name="filter")
        value: dict[str, object] = {"k": "v"}
        for _ in range(40):
            value = {"k": value}
        with pytest.raises(m.errors.RequestValidationError) as info:
            m.params.serialize(p, value)
        assert (info.value.field, info.value.problem) == ("filter", "nested too deeply to be sent")
        looped: dict[str, object] = {}
        looped["self"] = looped
        with pytest.raises(m.errors.RequestValidationError):
            m.params.serialize(p, looped)
        assert m.params.serialize(p, {"a": [{"b": 1}]}) == [("filter[a][0][b]", "1")]

    @pytest.mark.parametrize("value", [float("nan"), float("inf"), [1.5, float("-inf")]])
    def test_a_number_that_is_not_finite_is_refused(self, m, value):
        p = P(m, "price", "query", "form", True, python_name="price")
        with pytest.raises(m.errors.RequestValidationError) as info:
            m.params.query_pairs(p, value)
        assert info.value.field == "price"
        assert "is not a number that can be sent" in info.value.problem

    @pytest.mark.parametrize(
        ("style", "explode", "value", "pairs"),
        [
            # a deepObject writes what is nested in brackets, arrays by index
            (
                "deepObject",
                True,
                {"ids": ["a", "b"]},
                [("filter[ids][0]", "a"), ("filter[ids][1]", "b")],
            ),
            ("deepObject", True, {"a": {"b": 1}}, [("filter[a][b]", "1")]),
            ("deepObject", False, ["x", None, "z"], [("filter[0]", "x"), ("filter[2]", "z")]),
            (
                "deepObject",
                True,
                {"items": [{"price": "p_1", "qty": 2}], "on": True, "gone": None},
                [
                    ("filter[items][0][price]", "p_1"),
                    ("filter[items][0][qty]", "2"),
                    ("filter[on]", "true"),
                ],
            ),
            # in the query an exploded form object's array of scalars repeats its key
            ("form", True, {"ids": [1, 2], "n": 3}, [("ids", "1"), ("ids", "2"), ("n", "3")]),
            ("form", True, {"ids": [[1], [2]]}, [("ids", "[[1],[2]]")]),
            ("form", False, {"ids": [1, 2]}, [("filter", "ids,[1,2]")]),
            (
                "form",
                True,
                [{"k": "v"}, {"k": "w"}],
                [("filter", '{"k":"v"}'), ("filter", '{"k":"w"}')],
            ),
            ("form", False, [{"k": "v"}, {"k": "w"}], [("filter", '{"k":"v"},{"k":"w"}')]),
            ("pipeDelimited", False, [{"k": "v"}, [1]], [("filter", '{"k":"v"}|[1]')]),
            ("spaceDelimited", False, [["a"], ["b"]], [("filter", '["a"] ["b"]')]),
        ],
    )
    def test_query_styles_write_nested_values_as_json(self, m, style, explode, value, pairs):
        p = P(m, "filter", "query", style, explode)
        assert m.params.serialize(p, value) == pairs

    def test_a_cookie_object_keeps_its_arrays_as_json(self, m):
        # repeating the key is the query's (and a form's) way, not a cookie's
        p = P(m, "prefs", "cookie", "form", True)
        assert m.params.serialize(p, {"ids": [1, 2]}) == [("ids", "[1,2]")]

    @pytest.mark.parametrize(
        ("explode", "text"), [(False, 'ids,[1,2],k,{"a":"b"}'), (True, 'ids=[1,2],k={"a":"b"}')]
    )
    def test_header_object_with_nested_members(self, m, explode, text):
        p = P(m, "X-Filter", "header", "simple", explode)
        assert m.params.simple_text(p, {"ids": [1, 2], "k": {"a": "b"}}) == text

    def test_path_array_of_objects(self, m):
        p = P(m, "id", "path", "simple", False)
        assert expand(m, "/x/{id}", id=(p, [{"k": "v"}])) == "/x/%7B%22k%22%3A%22v%22%7D"

    def test_nested_values_are_percent_encoded_on_the_wire(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(
            m,
            params=(
                P(m, "filter", "query", "deepObject", True),
                P(m, "tags", "query", "form", True),
                P(m, "X-Filter", "header", "simple", False),
            ),
        )
        client._request(
            endpoint,
            ({"ids": ["a", "caf\u00e9"]}, [{"k": "v"}], {"ids": [1, 2]}),
            extra_query={"extra": [1]},
        )
        assert server.last.url.query == (
            b"filter%5Bids%5D%5B0%5D=a&filter%5Bids%5D%5B1%5D=caf%C3%A9"
            b"&tags=%7B%22k%22%3A%22v%22%7D&extra=%5B1%5D"
        )
        assert server.last.headers["X-Filter"] == "ids,[1,2]"


# ================================================================ header and cookie values


class TestHeaderCookieValueChecks:
    """What a header or cookie value cannot carry is refused naming the parameter,
    before anything is sent (never httpx's UnicodeEncodeError)."""

    def _refused(self, m, param, value) -> Any:
        server = Server()
        client = sync_client(m, server)
        with pytest.raises(m.errors.RequestValidationError) as info:
            client._request(ep(m, params=(param,)), (value,))
        assert server.requests == []
        return info.value

    @pytest.mark.parametrize("value", ["caf\u00e9", "\u65e5\u672c", ["ok", "\u00fc"]])
    def test_header_value_not_printable_ascii_is_refused(self, m, value):
        error = self._refused(
            m, P(m, "X-Name", "header", "simple", False, python_name="x_name"), value
        )
        assert error.field == "x_name"
        assert "the header value holds" in error.problem

    def test_non_ascii_refusal_says_why(self, m):
        server = Server()
        client = sync_client(m, server)
        param = P(m, "X-Name", "header", "simple", False)
        printable = "a\tb !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~"
        client._request(ep(m, params=(param,)), (printable,))  # tab and printable ASCII go
        assert server.last.headers["X-Name"] == printable
        error = self._refused(m, param, "caf\u00e9")
        assert error.field == "X-Name"
        assert error.problem == (
            "the header value holds '\u00e9', which a header cannot carry"
            " (only ASCII text can be sent)"
        )

    def test_json_content_header_value_is_checked_too(self, m):
        p = P(m, "X-Where", "header", "json", False, python_name="x_where")
        error = self._refused(m, p, {"name": "caf\u00e9"})
        assert error.field == "x_where"

    @pytest.mark.parametrize(
        ("value", "sent"),
        [
            ("caf\u00e9", "caf%C3%A9"),
            ("a b", "a%20b"),
            ("a\tb", "a%09b"),
            ('a"b', "a%22b"),
            ("a,b;c", "a%2Cb%3Bc"),
            ("a\\b", "a%5Cb"),
            ("100%", "100%25"),
            ("tok-en_1.2~", "tok-en_1.2~"),
        ],
    )
    def test_cookie_values_are_percent_encoded(self, m, value, sent):
        """`form`, the cookie style of OpenAPI 3.0 and 3.1, is RFC 6570's form
        expansion: each value percent-encoded, which keeps it inside cookie-octets."""
        server = Server()
        client = sync_client(m, server)
        p = P(m, "session", "cookie", "form", True, python_name="sess")
        client._request(ep(m, params=(p,)), (value,))
        assert server.last.headers["Cookie"] == f"session={sent}"

    def test_cookie_array_items_are_encoded_one_by_one(self, m):
        """The `,` a non-exploded `form` array or object writes between values stays;
        one inside a value is encoded (it would read as two values)."""
        p = P(m, "ids", "cookie", "form", False)
        server = Server()
        client = sync_client(m, server)
        client._request(ep(m, params=(p,)), (["a,b", "c d"],))
        assert server.last.headers["Cookie"] == "ids=a%2Cb,c%20d"
        client._request(ep(m, params=(p,)), ({"k": "v w"},))
        assert server.last.headers["Cookie"] == "ids=k,v%20w"

    def test_a_json_cookie_is_percent_encoded(self, m):
        p = P(m, "obj", "cookie", "json", False)
        server = Server()
        client = sync_client(m, server)
        client._request(ep(m, params=(p,)), ({"id": 1, "role": "a b"},))
        assert server.last.headers["Cookie"] == "obj=%7B%22id%22%3A1%2C%22role%22%3A%22a%20b%22%7D"
