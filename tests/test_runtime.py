"""Direct tests of the static client runtime (templates/runtime/, copied into every package).

The runtime modules are imported from a freshly generated `archal_client` (fixture
`archal_package`) and driven with hand-built `Endpoint`s and `httpx.MockTransport`
handlers; retries never really sleep (the client's `_sleep` is replaced by a recorder).
"""

from __future__ import annotations

import asyncio
import base64
import email.utils
import io
import json
import time
import types
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def m(archal_package: Path) -> types.SimpleNamespace:
    from archal_client import _base_client, _params, _response, _serde, _types, errors

    return types.SimpleNamespace(
        bc=_base_client,
        params=_params,
        serde=_serde,
        resp=_response,
        types=_types,
        errors=errors,
        UNSET=_types.UNSET,
        Param=_params.Param,
        Endpoint=_base_client.Endpoint,
        Body=_base_client.Body,
    )


class Server:
    """A scripted MockTransport handler that records every request it receives.

    Each script item is either an exception class (raised as a transport error) or a
    `(status, kwargs)` pair for `httpx.Response`; the last item repeats.
    """

    def __init__(self, *script: Any) -> None:
        self.script = list(script) or [(200, {"json": {}})]
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append(request.content)
        index = min(len(self.requests) - 1, len(self.script) - 1)
        item = self.script[index]
        if isinstance(item, type) and issubclass(item, Exception):
            raise item("scripted failure", request=request)
        status, kwargs = item
        return httpx.Response(status, **kwargs)

    @property
    def calls(self) -> int:
        return len(self.requests)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def _config(m: types.SimpleNamespace, **overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = dict(
        base_url="https://api.test/v1/",
        security_schemes={},
        credentials={},
        timeout=5.0,
        max_retries=2,
        default_headers=None,
        user_agent="runtime-tests/1.0",
    )
    config.update(overrides)
    return config


def sync_client(m: types.SimpleNamespace, server: Server, **overrides: Any) -> Any:
    client = m.bc.SyncAPIClient(
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        **_config(m, **overrides),
    )
    client.sleeps = []
    client._sleep = client.sleeps.append
    return client


def async_client(m: types.SimpleNamespace, server: Server, **overrides: Any) -> Any:
    client = m.bc.AsyncAPIClient(
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)),
        **_config(m, **overrides),
    )
    client.sleeps = []

    async def fake_sleep(seconds: float) -> None:
        client.sleeps.append(seconds)

    client._sleep = fake_sleep
    return client


def any_json(m: types.SimpleNamespace) -> Any:
    return m.resp.json_response(m.serde.any_)


def ep(m: types.SimpleNamespace, method: str = "GET", path: str = "/things", **kw: Any) -> Any:
    kw.setdefault("responses", {"200": any_json(m)})
    return m.Endpoint(method=method, path=path, **kw)


@pytest.fixture(autouse=True)
def no_real_sleep(monkeypatch: pytest.MonkeyPatch, archal_package: Path) -> None:
    """Any real sleep in the runtime is a test failure."""
    from archal_client import _base_client

    def forbidden(*args: object) -> None:
        raise AssertionError("the runtime called a real sleep")

    monkeypatch.setattr(_base_client.time, "sleep", forbidden)


# ===================================================================== _params: query


def P(
    m: types.SimpleNamespace, name: str, location: str, style: str, explode: bool, **kw: Any
) -> Any:
    return m.Param(name, location, style, explode, **kw)


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


# ====================================================================== _serde decoders


def raises_validation(m, fn, *args):
    with pytest.raises(m.errors.APIResponseValidationError) as info:
        fn(*args)
    return info.value


class TestDecoders:
    def test_str(self, m):
        assert m.serde.str_("x") == "x"
        for bad in (1, None, True, [], {}):
            raises_validation(m, m.serde.str_, bad)

    def test_int(self, m):
        assert m.serde.int_(5) == 5
        assert m.serde.int_(-3) == -3
        assert m.serde.int_(4.0) == 4 and type(m.serde.int_(4.0)) is int
        for bad in (True, False, 4.5, "4", None, []):
            raises_validation(m, m.serde.int_, bad)
        assert raises_validation(m, m.serde.int_, True).problem == "expected integer, got boolean"

    def test_float(self, m):
        assert m.serde.float_(1.5) == 1.5
        assert m.serde.float_(2) == 2  # an int is a number
        for bad in (True, "1.5", None, {}):
            raises_validation(m, m.serde.float_, bad)
        assert raises_validation(m, m.serde.float_, "1.5").problem == "expected number, got string"

    def test_bool(self, m):
        assert m.serde.bool_(True) is True
        assert m.serde.bool_(False) is False
        for bad in (0, 1, "true", None):
            raises_validation(m, m.serde.bool_, bad)

    def test_none_object_any(self, m):
        assert m.serde.none_(None) is None
        raises_validation(m, m.serde.none_, 0)
        assert m.serde.object_({"a": 1}) == {"a": 1}
        assert raises_validation(m, m.serde.object_, [1]).problem == "expected object, got array"
        assert m.serde.any_([1, {"x": None}]) == [1, {"x": None}]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2024-05-01T10:20:30Z", datetime(2024, 5, 1, 10, 20, 30, tzinfo=UTC)),
            ("2024-05-01t10:20:30z", datetime(2024, 5, 1, 10, 20, 30, tzinfo=UTC)),
            (
                "2024-05-01T10:20:30.5+05:30",
                datetime(
                    2024, 5, 1, 10, 20, 30, 500000, tzinfo=timezone(timedelta(hours=5, minutes=30))
                ),
            ),
            (
                "2024-05-01T10:20:30.123456789-08:00",
                datetime(2024, 5, 1, 10, 20, 30, 123456, tzinfo=timezone(timedelta(hours=-8))),
            ),
            ("2024-05-01T10:20:30+00:00", datetime(2024, 5, 1, 10, 20, 30, tzinfo=UTC)),
        ],
    )
    def test_datetime_valid(self, m, text, expected):
        got = m.serde.datetime_(text)
        assert got == expected
        assert got.utcoffset() == expected.utcoffset()

    def test_datetime_zulu_without_fromisoformat_z(self, m, monkeypatch):
        """Python 3.10's fromisoformat cannot read `Z`: the fast path spells it out."""
        monkeypatch.setattr(m.serde, "_READS_Z", False)
        got = m.serde.datetime_("2024-05-01T10:20:30Z")
        assert got == datetime(2024, 5, 1, 10, 20, 30, tzinfo=UTC)
        raises_validation(m, m.serde.datetime_, "2024-13-01T10:20:30Z")

    @pytest.mark.parametrize(
        "bad",
        [
            "2024-13-01T00:00:00Z",
            "2024-02-30T00:00:00Z",
            "2024-05-01T25:00:00Z",
            "2024-05-01",
            "yesterday",
            "",
            "2024-05-01T10:20:30Zjunk",
            # the shape of the fast path (20 characters, `Z`), digits wrong
            "2024-05-01T10:20:3xZ",
            "2024-05-01T1 :20:30Z",
            "2024-W18-3T10:20:30Z",
            "+024-05-01T10:20:30Z",
            1714558830,
            None,
        ],
    )
    def test_datetime_invalid(self, m, bad):
        raises_validation(m, m.serde.datetime_, bad)

    @pytest.mark.parametrize("bad", ["2024-05-01T10:20:30+24:00", "2024-05-01T10:20:30+05:99"])
    def test_datetime_out_of_range_offset_is_a_validation_error(self, m, bad):
        """RFC 3339 offsets are 00-23:00-59; anything else is an invalid date-time."""
        raises_validation(m, m.serde.datetime_, bad)

    def test_date(self, m):
        assert m.serde.date_("2024-02-29") == date(2024, 2, 29)
        for bad in ("2023-02-29", "2024-05-01T00:00:00Z", "May 1", 20240501):
            raises_validation(m, m.serde.date_, bad)

    def test_uuid(self, m):
        text = "12345678-1234-5678-1234-567812345678"
        assert m.serde.uuid_(text) == uuid.UUID(text)
        for bad in ("not-a-uuid", "12345678-1234", 5):
            raises_validation(m, m.serde.uuid_, bad)
        assert raises_validation(m, m.serde.uuid_, "nope").problem == "invalid uuid 'nope'"

    def test_bytes(self, m):
        assert m.serde.bytes_("aGk=") == b"hi"
        raises_validation(m, m.serde.bytes_, "***")
        raises_validation(m, m.serde.bytes_, b"aGk=")

    def test_list_and_map(self, m):
        assert m.serde.list_([1, 2], m.serde.int_) == [1, 2]
        err = raises_validation(m, m.serde.list_, [1, 2, "x", "y"], m.serde.int_)
        assert err.path == (2,)
        assert str(err) == "$[2]: expected integer, got string"
        raises_validation(m, m.serde.list_, {"a": 1}, m.serde.int_)
        assert m.serde.map_({"a": 1}, m.serde.int_) == {"a": 1}
        err = raises_validation(m, m.serde.map_, {"a": 1, "b": None}, m.serde.int_)
        assert err.path == ("b",)
        assert str(err) == "$.b: expected integer, got null"


def _session(m, data: object) -> dict[str, Any]:
    """What a model's from_dict does: the declared properties taken out of a copy."""
    d = m.serde.object_copy(data)
    return {
        "id": m.serde.req_pop(d, "sessionId", m.serde.str_),
        "createdAt": m.serde.req_pop(d, "createdAt", m.serde.datetime_),
        "alive": m.serde.opt_pop(d, "alive", m.serde.bool_),
        "extra": d,
    }


def _session_list(m, data: object) -> list[dict[str, Any]]:
    d = m.serde.object_(data)
    return m.serde.req(d, "sessions", lambda v: m.serde.list_(v, lambda s: _session(m, s)))


class TestPropertiesAndPaths:
    def test_req_opt_extra(self, m):
        out = _session(m, {"sessionId": "s1", "createdAt": "2024-05-01T00:00:00Z", "x": [1]})
        assert out["id"] == "s1"
        assert out["alive"] is m.UNSET
        assert out["extra"] == {"x": [1]}
        out = _session(m, {"sessionId": "s1", "createdAt": "2024-05-01T00:00:00Z", "alive": False})
        assert out["alive"] is False
        assert out["extra"] == {}

    def test_missing_required(self, m):
        err = raises_validation(m, _session, m, {"createdAt": "2024-05-01T00:00:00Z"})
        assert err.path == ("sessionId",)
        assert str(err) == "$.sessionId: missing required property"

    def test_wrong_optional(self, m):
        err = raises_validation(
            m, _session, m, {"sessionId": "s", "createdAt": "2024-05-01T00:00:00Z", "alive": "yes"}
        )
        assert str(err) == "$.alive: expected boolean, got string"

    def test_nested_path(self, m):
        good = {"sessionId": "a", "createdAt": "2024-05-01T00:00:00Z"}
        bad = {"sessionId": "b", "createdAt": "nope"}
        err = raises_validation(m, _session_list, m, {"sessions": [good, bad]})
        assert err.path == ("sessions", 1, "createdAt")
        assert err.problem == "invalid date-time 'nope'"
        assert str(err) == "$.sessions[1].createdAt: invalid date-time 'nope'"
        err = raises_validation(m, _session_list, m, {"sessions": [bad]})
        assert str(err) == "$.sessions[0].createdAt: invalid date-time 'nope'"

    def test_extra_with_decoder(self, m):
        err = raises_validation(m, m.serde.rest, {"a": 2, "b": "x"}, m.serde.int_)
        assert str(err) == "$.b: expected integer, got string"
        assert m.serde.rest({"a": 2, "c": 3}, m.serde.int_) == {"a": 2, "c": 3}

    def test_taking_properties_leaves_the_input_alone(self, m):
        data = {"sessionId": "s1", "createdAt": "2024-05-01T00:00:00Z", "x": 1, "a": 2}
        out = _session(m, data)
        assert list(out["extra"]) == ["x", "a"]  # undeclared, in the order received
        assert list(data) == ["sessionId", "createdAt", "x", "a"]
        raises_validation(m, m.serde.object_copy, [1])

    def test_union(self, m):
        options = [m.serde.int_, m.serde.str_]
        assert m.serde.union_(5, options, "integer or string") == 5
        assert m.serde.union_("x", options, "integer or string") == "x"
        err = raises_validation(m, m.serde.union_, [1], options, "integer or string")
        assert err.problem == "expected integer or string, got array"

    def test_json_response_attaches_response(self, m):
        decoder = m.resp.json_response(lambda d: _session_list(m, d))
        request = httpx.Request("GET", "https://api.test/s")
        response = httpx.Response(200, json={"sessions": [{"sessionId": 1}]}, request=request)
        err = raises_validation(m, decoder, response)
        assert str(err) == "$.sessions[0].sessionId: expected string, got integer"
        assert err.response is response
        assert err.status_code == 200
        assert err.body == {"sessions": [{"sessionId": 1}]}
        assert isinstance(err, m.errors.APIError)

        not_json = httpx.Response(200, text="<html>", request=request)
        err = raises_validation(m, decoder, not_json)
        assert err.problem == "response body is not valid JSON"
        assert err.body == "<html>"


# ========================================================================= _serde.encode


class TestEncode:
    def test_encode_values(self, m):
        class Model:
            def to_dict(self) -> dict[str, Any]:
                return {"inner": True}

        u = uuid.UUID("12345678-1234-5678-1234-567812345678")
        value = {
            "when": datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
            "day": date(2024, 5, 1),
            "id": u,
            "raw": b"hi",
            "price": Decimal("1.50"),
            "nested": {"list": [1, "a", None, {"deep": m.UNSET, "keep": 0}], "gone": m.UNSET},
            "model": Model(),
            "tuple": (1, 2),
            "null": None,
            "skip": m.UNSET,
        }
        assert m.serde.encode(value) == {
            "when": "2024-05-01T10:00:00+00:00",
            "day": "2024-05-01",
            "id": str(u),
            "raw": "aGk=",
            "price": "1.50",
            "nested": {"list": [1, "a", None, {"keep": 0}]},
            "model": {"inner": True},
            "tuple": [1, 2],
            "null": None,
        }

    def test_encode_rejects_unknown(self, m):
        with pytest.raises(TypeError):
            m.serde.encode(object())


# ========================================================================== _serde.check


class TestCheck:
    @pytest.mark.parametrize(
        ("value", "rules"),
        [
            (5, {"minimum": 5, "maximum": 5}),
            (5.5, {"exclusive_minimum": 5, "exclusive_maximum": 6}),
            (0.3, {"multiple_of": 0.1}),
            (12, {"multiple_of": 4}),
            ("abc", {"min_length": 3, "max_length": 3}),
            ("h\u00e9", {"max_length": 2}),
            ("ab-12", {"pattern": r"^[a-z]+-\d+$"}),
            ("xx-12-yy", {"pattern": r"\d+"}),
            ([1, 2], {"min_items": 2, "max_items": 2, "unique_items": True}),
            ("open", {"choices": ("open", "closed")}),
            (True, {"choices": (True,)}),
            ({"a": 1}, {"min_properties": 1, "max_properties": 1}),
        ],
    )
    def test_passes(self, m, value, rules):
        assert m.serde.check(value, "field", **rules) is None

    @pytest.mark.parametrize(
        ("value", "rules", "problem"),
        [
            (4, {"minimum": 5}, "must be >= 5, got 4"),
            (6, {"maximum": 5}, "must be <= 5, got 6"),
            (5, {"exclusive_minimum": 5}, "must be > 5, got 5"),
            (6, {"exclusive_maximum": 6}, "must be < 6, got 6"),
            (7, {"multiple_of": 2}, "must be a multiple of 2, got 7"),
            (0.25, {"multiple_of": 0.1}, "must be a multiple of 0.1, got 0.25"),
            ("ab", {"min_length": 3}, "must have at least 3 characters, got 2"),
            ("abcd", {"max_length": 3}, "must have at most 3 characters, got 4"),
            ("ab_12", {"pattern": r"^[a-z]+-\d+$"}, "must match the pattern '^[a-z]+-\\\\d+$'"),
            ([1], {"min_items": 2}, "must have at least 2 item(s), got 1"),
            ([1, 2, 3], {"max_items": 2}, "must have at most 2 item(s), got 3"),
            ([1, 2, 1], {"unique_items": True}, "items must be unique"),
            (
                "other",
                {"choices": ("open", "closed")},
                "must be one of 'open', 'closed', got 'other'",
            ),
            (1, {"choices": (True,)}, "must be one of True, got 1"),
            (True, {"choices": (1,)}, "must be one of 1, got True"),
        ],
    )
    def test_fails(self, m, value, rules, problem):
        with pytest.raises(m.errors.RequestValidationError) as info:
            m.serde.check(value, "Model.field", **rules)
        err = info.value
        assert isinstance(err, ValueError)
        assert err.field == "Model.field"
        assert err.problem == problem
        assert str(err) == f"Model.field: {problem}"

    def test_unset_and_none_not_checked(self, m):
        rules = {"minimum": 5, "min_length": 3, "min_items": 1, "choices": ("a",), "pattern": "x"}
        m.serde.check(None, "f", **rules)
        m.serde.check(m.UNSET, "f", **rules)

    def test_bool_not_checked_as_number(self, m):
        m.serde.check(True, "f", minimum=5)

    def test_unique_items_distinguishes_true_from_one(self, m):
        """JSON Schema: `1` and `true` are different values, so [1, true] is unique."""
        m.serde.check([1, True], "f", unique_items=True)
        m.serde.check([0, False], "f", unique_items=True)

    def test_multiple_of_with_big_integer(self, m):
        """10**30 % 7 == 1: a RequestValidationError, not a decimal exception."""
        with pytest.raises(m.errors.RequestValidationError):
            m.serde.check(10**30, "f", multiple_of=7)
        m.serde.check(7 * 10**30, "f", multiple_of=7)

    def test_validate_nested(self, m):
        seen: list[str] = []

        class Model:
            def validate(self, path: str = "Model") -> None:
                seen.append(path)

        m.serde.validate_nested({"a": [Model(), 1], "b": Model()}, "body")
        assert seen == ["body['a'][0]", "body['b']"]

    def test_param_checks_before_sending(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(
            m,
            params=(
                P(m, "limit", "query", "form", True, checks={"maximum": 10}, python_name="limit_"),
            ),
        )
        with pytest.raises(m.errors.RequestValidationError) as info:
            client._request(endpoint, (11,))
        assert info.value.field == "limit_"
        assert server.calls == 0
        client._request(endpoint, (10,))
        assert server.last.url.params["limit"] == "10"


# ============================================================================= retries


class TestSyncRetries:
    def test_connect_error_retried_then_raised(self, m):
        server = Server(httpx.ConnectError)
        client = sync_client(m, server, max_retries=2)
        with pytest.raises(m.errors.APIConnectionError) as info:
            client._request(ep(m))
        assert type(info.value) is m.errors.APIConnectionError
        assert isinstance(info.value.__cause__, httpx.ConnectError)
        assert info.value.request is server.last
        assert server.calls == 3
        assert len(client.sleeps) == 2

    def test_timeout_retried_then_raised(self, m):
        server = Server(httpx.ReadTimeout)
        client = sync_client(m, server, max_retries=3)
        with pytest.raises(m.errors.APITimeoutError) as info:
            client._request(ep(m))
        assert isinstance(info.value, m.errors.APIConnectionError)
        assert info.value.message == "Request timed out."
        assert server.calls == 4
        assert len(client.sleeps) == 3

    def test_connect_error_then_success(self, m):
        server = Server(httpx.ConnectError, (200, {"json": {"ok": 1}}))
        client = sync_client(m, server)
        assert client._request(ep(m)) == {"ok": 1}
        assert server.calls == 2

    @pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
    def test_retryable_statuses(self, m, status):
        server = Server((status, {"json": {}}), (200, {"json": {"done": True}}))
        client = sync_client(m, server)
        assert client._request(ep(m)) == {"done": True}
        assert server.calls == 2
        assert len(client.sleeps) == 1

    @pytest.mark.parametrize("status", [400, 401, 404, 409, 422])
    def test_non_retryable_statuses(self, m, status):
        server = Server((status, {"json": {}}), (200, {"json": {}}))
        client = sync_client(m, server)
        with pytest.raises(m.errors.APIStatusError):
            client._request(ep(m))
        assert server.calls == 1
        assert client.sleeps == []

    def test_retries_exhausted_raise_status_error(self, m):
        server = Server((503, {"json": {"e": 1}}))
        client = sync_client(m, server, max_retries=2)
        with pytest.raises(m.errors.InternalServerError) as info:
            client._request(ep(m))
        assert info.value.status_code == 503
        assert server.calls == 3

    def test_max_retries_zero(self, m):
        server = Server((503, {"json": {}}), (200, {"json": {}}))
        client = sync_client(m, server, max_retries=0)
        with pytest.raises(m.errors.InternalServerError):
            client._request(ep(m))
        assert server.calls == 1 and client.sleeps == []

        server = Server(httpx.ConnectError)
        client = sync_client(m, server, max_retries=0)
        with pytest.raises(m.errors.APIConnectionError):
            client._request(ep(m))
        assert server.calls == 1 and client.sleeps == []

    def test_negative_max_retries_rejected(self, m):
        with pytest.raises(ValueError):
            sync_client(m, Server(), max_retries=-1)

    def test_backoff_grows_within_jitter_bounds(self, m):
        server = Server((503, {}))
        client = sync_client(m, server, max_retries=6)
        with pytest.raises(m.errors.InternalServerError):
            client._request(ep(m))
        bases = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
        assert len(client.sleeps) == 6
        for delay, base in zip(client.sleeps, bases, strict=True):
            assert 0.75 * base <= delay <= base

    @pytest.mark.parametrize(("rand", "factor"), [(0.0, 1.0), (0.5, 0.875), (0.9999999, 0.75)])
    def test_backoff_exact_values(self, m, monkeypatch, rand, factor):
        monkeypatch.setattr(m.bc.random, "random", lambda: rand)
        server = Server(httpx.ConnectError)
        client = sync_client(m, server, max_retries=6)
        with pytest.raises(m.errors.APIConnectionError):
            client._request(ep(m))
        expected = [b * factor for b in (0.5, 1.0, 2.0, 4.0, 8.0, 8.0)]
        assert client.sleeps == pytest.approx(expected, rel=1e-6)

    def test_retry_after_seconds(self, m):
        server = Server((429, {"headers": {"Retry-After": "3"}}), (200, {"json": {}}))
        client = sync_client(m, server)
        client._request(ep(m))
        assert client.sleeps == [3.0]

    def test_retry_after_ms_wins(self, m):
        server = Server(
            (503, {"headers": {"retry-after-ms": "1500", "Retry-After": "30"}}),
            (200, {"json": {}}),
        )
        client = sync_client(m, server)
        client._request(ep(m))
        assert client.sleeps == [1.5]

    def test_retry_after_http_date(self, m):
        when = email.utils.formatdate(time.time() + 10, usegmt=True)
        server = Server((503, {"headers": {"Retry-After": when}}), (200, {"json": {}}))
        client = sync_client(m, server)
        client._request(ep(m))
        assert len(client.sleeps) == 1
        assert 8.5 <= client.sleeps[0] <= 10.0

    def test_retry_after_past_http_date_is_zero(self, m):
        when = email.utils.formatdate(time.time() - 100, usegmt=True)
        server = Server((503, {"headers": {"Retry-After": when}}), (200, {"json": {}}))
        client = sync_client(m, server)
        client._request(ep(m))
        assert client.sleeps == [0.0]

    def test_unparsable_retry_after_falls_back_to_backoff(self, m, monkeypatch):
        monkeypatch.setattr(m.bc.random, "random", lambda: 0.0)
        server = Server((503, {"headers": {"Retry-After": "soon-ish"}}), (200, {"json": {}}))
        client = sync_client(m, server)
        client._request(ep(m))
        assert client.sleeps == [0.5]

    @pytest.mark.parametrize(
        "headers", [{"Retry-After": "120"}, {"retry-after-ms": "61000"}, {"Retry-After": "3600"}]
    )
    def test_retry_after_too_long_is_not_waited_for(self, m, headers):
        server = Server((503, {"headers": headers}), (200, {"json": {}}))
        client = sync_client(m, server)
        with pytest.raises(m.errors.InternalServerError):
            client._request(ep(m))
        assert server.calls == 1
        assert client.sleeps == []

    def test_retry_after_sixty_is_waited_for(self, m):
        server = Server((429, {"headers": {"Retry-After": "60"}}), (200, {"json": {}}))
        client = sync_client(m, server)
        client._request(ep(m))
        assert client.sleeps == [60.0]

    @pytest.mark.parametrize("method", ["POST", "PATCH"])
    def test_post_patch_not_retried_without_idempotency_key(self, m, method):
        server = Server((503, {}), (200, {"json": {}}))
        client = sync_client(m, server)
        with pytest.raises(m.errors.InternalServerError):
            client._request(ep(m, method))
        assert server.calls == 1

        server = Server(httpx.ConnectError, (200, {"json": {}}))
        client = sync_client(m, server)
        with pytest.raises(m.errors.APIConnectionError):
            client._request(ep(m, method))
        assert server.calls == 1

    @pytest.mark.parametrize("method", ["POST", "PATCH"])
    def test_post_patch_retried_with_idempotency_key(self, m, method):
        server = Server((503, {}), (200, {"json": {"ok": True}}))
        client = sync_client(m, server)
        out = client._request(ep(m, method), extra_headers={"Idempotency-Key": "k-1"})
        assert out == {"ok": True}
        assert server.calls == 2
        assert [r.headers["Idempotency-Key"] for r in server.requests] == ["k-1", "k-1"]

    def test_generated_idempotency_key_is_reused_across_retries(self, m):
        server = Server((500, {}), (500, {}), (200, {"json": {}}))
        client = sync_client(m, server)
        endpoint = ep(
            m,
            "POST",
            body=m.Body("application/json", "json"),
            idempotency_header="Idempotency-Key",
        )
        client._request(endpoint, body={"a": 1})
        assert server.calls == 3
        keys = {r.headers["Idempotency-Key"] for r in server.requests}
        assert len(keys) == 1
        assert uuid.UUID(keys.pop()).version == 4
        assert server.bodies == [b'{"a":1}'] * 3

    @pytest.mark.parametrize("method", ["PUT", "DELETE", "HEAD", "OPTIONS"])
    def test_idempotent_methods_retried(self, m, method):
        server = Server((503, {}), (200, {"json": {}}))
        client = sync_client(m, server)
        endpoint = ep(m, method, responses={"200": m.resp.NO_CONTENT})
        client._request(endpoint)
        assert server.calls == 2

    @pytest.mark.parametrize("kind", ["generator", "file"])
    def test_non_rewindable_body_not_retried(self, m, kind):
        server = Server((503, {}), (200, {"json": {}}))
        client = sync_client(m, server)
        endpoint = ep(m, "PUT", body=m.Body("application/octet-stream", "binary"))

        def chunks():
            yield b"abc"
            yield b"def"

        body = chunks() if kind == "generator" else io.BytesIO(b"abcdef")
        with pytest.raises(m.errors.InternalServerError):
            client._request(endpoint, body=body)
        assert server.calls == 1
        assert server.bodies == [b"abcdef"]

    def test_bytes_binary_body_retried(self, m):
        server = Server((503, {}), (200, {"json": {}}))
        client = sync_client(m, server)
        endpoint = ep(m, "PUT", body=m.Body("application/octet-stream", "binary"))
        client._request(endpoint, body=b"abcdef")
        assert server.bodies == [b"abcdef", b"abcdef"]

    def test_rewindable_multipart_body_retried(self, m):
        """A multipart body made of bytes can be sent twice: a PUT is retried like any other."""
        server = Server((503, {}), (200, {"json": {}}))
        client = sync_client(m, server)
        endpoint = ep(m, "PUT", body=m.Body("multipart/form-data", "multipart"))
        client._request(endpoint, body={"file": b"abc"})
        assert server.calls == 2

    def test_idempotency_header_endpoint_post_connect_error(self, m):
        server = Server(httpx.ConnectError, (200, {"json": {"ok": 1}}))
        client = sync_client(m, server)
        endpoint = ep(m, "POST", idempotency_header="Idempotency-Key")
        assert client._request(endpoint) == {"ok": 1}
        assert server.calls == 2


class TestAsyncRetries:
    async def test_connect_error_uses_async_sleep(self, m, monkeypatch):
        server = Server(httpx.ConnectError)
        client = async_client(m, server, max_retries=2)
        with pytest.raises(m.errors.APIConnectionError) as info:
            await client._request(ep(m))
        assert type(info.value) is m.errors.APIConnectionError
        assert server.calls == 3
        assert len(client.sleeps) == 2
        assert 0.375 <= client.sleeps[0] <= 0.5
        assert 0.75 <= client.sleeps[1] <= 1.0

    async def test_default_sleep_is_asyncio_sleep(self, m):
        client = m.bc.AsyncAPIClient(
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(Server())), **_config(m)
        )
        assert client._sleep is asyncio.sleep

    async def test_timeout(self, m):
        server = Server(httpx.ReadTimeout)
        client = async_client(m, server, max_retries=1)
        with pytest.raises(m.errors.APITimeoutError):
            await client._request(ep(m))
        assert server.calls == 2 and len(client.sleeps) == 1

    async def test_status_retry_and_retry_after(self, m):
        server = Server(
            (429, {"headers": {"Retry-After": "3"}}),
            (503, {"headers": {"retry-after-ms": "1500"}}),
            (200, {"json": {"ok": True}}),
        )
        client = async_client(m, server)
        assert await client._request(ep(m)) == {"ok": True}
        assert client.sleeps == [3.0, 1.5]

    async def test_non_retryable_and_long_retry_after(self, m):
        server = Server((404, {"json": {}}))
        client = async_client(m, server)
        with pytest.raises(m.errors.NotFoundError):
            await client._request(ep(m))
        assert server.calls == 1

        server = Server((503, {"headers": {"Retry-After": "61"}}), (200, {"json": {}}))
        client = async_client(m, server)
        with pytest.raises(m.errors.InternalServerError):
            await client._request(ep(m))
        assert server.calls == 1 and client.sleeps == []

    async def test_post_needs_idempotency_key(self, m):
        server = Server((503, {}), (200, {"json": {}}))
        client = async_client(m, server)
        with pytest.raises(m.errors.InternalServerError):
            await client._request(ep(m, "POST"))
        assert server.calls == 1

        server = Server((503, {}), (200, {"json": {"ok": 1}}))
        client = async_client(m, server)
        endpoint = ep(m, "POST", idempotency_header="Idempotency-Key")
        assert await client._request(endpoint) == {"ok": 1}
        assert server.calls == 2
        assert (
            server.requests[0].headers["Idempotency-Key"]
            == server.requests[1].headers["Idempotency-Key"]
        )

    async def test_async_stream_body_not_retried(self, m):
        server = Server((503, {}), (200, {"json": {}}))
        client = async_client(m, server)

        async def chunks():
            yield b"ab"
            yield b"cd"

        endpoint = ep(m, "PUT", body=m.Body("application/octet-stream", "binary"))
        with pytest.raises(m.errors.InternalServerError):
            await client._request(endpoint, body=chunks())
        assert server.calls == 1
        assert server.bodies == [b"abcd"]

    async def test_max_retries_zero(self, m):
        server = Server((500, {}))
        client = async_client(m, server, max_retries=0)
        with pytest.raises(m.errors.InternalServerError):
            await client._request(ep(m))
        assert server.calls == 1 and client.sleeps == []


# ============================================================================ security


SECRET_BEARER = "tok-SECRET-123"
SECRET_PASSWORD = "pw-SECRET-456"
SECRET_KEY = "key-SECRET-789"


def secured_client(m, server: Server, credentials: dict[str, object], **kw: Any) -> Any:
    schemes = {
        "bearer": m.bc.HttpBearer(),
        "basic": m.bc.HttpBasic(),
        "header_key": m.bc.ApiKey("header", "X-API-Key"),
        "query_key": m.bc.ApiKey("query", "api_key"),
        "cookie_key": m.bc.ApiKey("cookie", "sid"),
    }
    return sync_client(m, server, security_schemes=schemes, credentials=credentials, **kw)


class TestSecurity:
    def test_bearer(self, m):
        server = Server()
        client = secured_client(m, server, {"bearer": SECRET_BEARER})
        client._request(ep(m, security=(("bearer",),)))
        assert server.last.headers["Authorization"] == f"Bearer {SECRET_BEARER}"

    def test_basic(self, m):
        server = Server()
        client = secured_client(m, server, {"basic": ("alice", SECRET_PASSWORD)})
        client._request(ep(m, security=(("basic",),)))
        expected = base64.b64encode(f"alice:{SECRET_PASSWORD}".encode()).decode()
        assert server.last.headers["Authorization"] == f"Basic {expected}"

    def test_api_key_header_query_cookie(self, m):
        server = Server()
        client = secured_client(
            m, server, {"header_key": SECRET_KEY, "query_key": "q-key", "cookie_key": "c-key"}
        )
        client._request(ep(m, security=(("header_key", "query_key", "cookie_key"),)))
        request = server.last
        assert request.headers["X-API-Key"] == SECRET_KEY
        assert request.url.params.multi_items() == [("api_key", "q-key")]
        assert request.headers["Cookie"] == "sid=c-key"
        assert "Authorization" not in request.headers

    def test_first_satisfied_alternative_wins(self, m):
        security = (("bearer", "header_key"), ("basic",), ("query_key",))
        server = Server()
        client = secured_client(
            m, server, {"bearer": SECRET_BEARER, "basic": ("u", "p"), "query_key": "q"}
        )
        client._request(ep(m, security=security))
        # ("bearer", "header_key") is not satisfied (no header_key): basic wins, alone.
        assert server.last.headers["Authorization"].startswith("Basic ")
        assert "api_key" not in server.last.url.params
        assert "X-API-Key" not in server.last.headers

        client = secured_client(
            m, server, {"bearer": SECRET_BEARER, "header_key": SECRET_KEY, "basic": ("u", "p")}
        )
        client._request(ep(m, security=security))
        assert server.last.headers["Authorization"] == f"Bearer {SECRET_BEARER}"
        assert server.last.headers["X-API-Key"] == SECRET_KEY

    def test_empty_alternative_sends_nothing(self, m):
        server = Server()
        client = secured_client(m, server, {"bearer": SECRET_BEARER, "query_key": "q"})
        client._request(ep(m, security=((), ("bearer",))))
        assert "Authorization" not in server.last.headers
        client._request(ep(m, security=(("basic",), (), ("bearer",))))
        assert "Authorization" not in server.last.headers
        client._request(ep(m, security=()))
        assert "Authorization" not in server.last.headers
        assert "api_key" not in server.last.url.params

    def test_no_satisfied_alternative_sends_nothing(self, m):
        server = Server()
        client = secured_client(m, server, {"bearer": None})
        client._request(ep(m, security=(("bearer",), ("basic",))))
        assert "Authorization" not in server.last.headers

    def test_repr_hides_credentials(self, m):
        client = secured_client(
            m,
            Server(),
            {
                "bearer": SECRET_BEARER,
                "basic": ("alice", SECRET_PASSWORD),
                "header_key": SECRET_KEY,
            },
        )
        text = repr(client)
        assert text == "<SyncAPIClient base_url='https://api.test/v1'>"
        for secret in (SECRET_BEARER, SECRET_PASSWORD, SECRET_KEY):
            assert secret not in text
            assert secret not in str(client)


# =================================================================== headers & request


class TestHeaders:
    def test_defaults(self, m):
        server = Server()
        client = sync_client(m, server)
        client._request(ep(m, path="/x"))
        request = server.last
        assert str(request.url) == "https://api.test/v1/x"
        assert request.headers["User-Agent"] == "runtime-tests/1.0"
        assert request.headers["Accept"] == "application/json"
        assert request.method == "GET"

    def test_precedence(self, m):
        server = Server()
        client = secured_client(
            m,
            server,
            {"bearer": SECRET_BEARER},
            default_headers={
                "X-A": "default",
                "X-B": "default",
                "X-C": "default",
                "Authorization": "default",
            },
        )
        params = (
            P(m, "X-B", "header", "simple", False),
            P(m, "X-C", "header", "simple", False),
        )
        endpoint = ep(m, params=params, security=(("bearer",),))
        client._request(endpoint, ("param", "param"), extra_headers={"X-C": "extra"})
        h = server.last.headers
        assert h["X-A"] == "default"
        assert h["X-B"] == "param"
        assert h["X-C"] == "extra"
        assert h["Authorization"] == f"Bearer {SECRET_BEARER}"  # auth > defaults
        assert h.get_list("X-C") == ["extra"]

    def test_param_beats_auth_and_extra_beats_param(self, m):
        server = Server()
        client = secured_client(m, server, {"header_key": SECRET_KEY})
        endpoint = ep(
            m,
            params=(P(m, "X-API-Key", "header", "simple", False),),
            security=(("header_key",),),
        )
        client._request(endpoint, ("from-param",))
        assert server.last.headers.get_list("X-API-Key") == ["from-param"]
        client._request(endpoint, ("from-param",), extra_headers={"X-API-Key": "from-extra"})
        assert server.last.headers.get_list("X-API-Key") == ["from-extra"]
        client._request(endpoint, (m.UNSET,))
        assert server.last.headers.get_list("X-API-Key") == [SECRET_KEY]

    def test_extra_headers_cookie_wins(self, m):
        """`extra_headers` win over all other headers, the Cookie header included."""
        server = Server()
        client = secured_client(m, server, {"cookie_key": "c-secret"})
        client._request(ep(m, security=(("cookie_key",),)), extra_headers={"Cookie": "sid=mine"})
        assert server.last.headers.get_list("Cookie") == ["sid=mine"]

    def test_idempotency_key_generated_once_per_call(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(
            m,
            "POST",
            params=(P(m, "Idempotency-Key", "header", "simple", False),),
            idempotency_header="Idempotency-Key",
        )
        client._request(endpoint, (m.UNSET,))
        client._request(endpoint, (m.UNSET,))
        first, second = (r.headers.get_list("Idempotency-Key") for r in server.requests)
        assert len(first) == 1 and len(second) == 1
        assert uuid.UUID(first[0]).version == 4
        assert uuid.UUID(second[0]).version == 4
        assert first != second

    def test_idempotency_key_from_caller_kept(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(
            m,
            "POST",
            params=(P(m, "Idempotency-Key", "header", "simple", False),),
            idempotency_header="Idempotency-Key",
        )
        client._request(endpoint, ("mine",))
        assert server.last.headers.get_list("Idempotency-Key") == ["mine"]
        client._request(endpoint, (m.UNSET,), extra_headers={"Idempotency-Key": "extra"})
        assert server.last.headers.get_list("Idempotency-Key") == ["extra"]
        client._request(endpoint, ("mine",), extra_headers={"idempotency-key": "extra"})
        assert server.last.headers.get_list("Idempotency-Key") == ["extra"]

    def test_idempotency_key_from_default_headers_kept(self, m):
        server = Server()
        client = sync_client(m, server, default_headers={"Idempotency-Key": "dflt"})
        client._request(ep(m, "POST", idempotency_header="Idempotency-Key"))
        assert server.last.headers.get_list("Idempotency-Key") == ["dflt"]

    def test_timeout_override(self, m):
        server = Server()
        client = sync_client(m, server, timeout=7.0)
        client._request(ep(m))
        assert server.last.extensions["timeout"]["read"] == 7.0
        client._request(ep(m), timeout=1.5)
        assert server.last.extensions["timeout"]["read"] == 1.5

    def test_base_url_required(self, m):
        with pytest.raises(ValueError):
            sync_client(m, Server(), base_url=None)


# ============================================================================== bodies


class JsonModel:
    def __init__(self, name: str, when: datetime) -> None:
        self.name = name
        self.when = when
        self.validated = 0

    def validate(self, path: str = "JsonModel") -> None:
        self.validated += 1

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "when": self.when.isoformat()}


class TestBodies:
    def test_json_model(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("application/json", "json"))
        model = JsonModel("caf\u00e9", datetime(2024, 5, 1, tzinfo=UTC))
        client._request(endpoint, body=model)
        assert model.validated == 1
        assert server.last.headers["Content-Type"] == "application/json"
        assert server.bodies[-1] == (
            '{"name":"caf\u00e9","when":"2024-05-01T00:00:00+00:00"}'.encode()
        )

    def test_json_model_validation_blocks_sending(self, m):
        errors = m.errors

        class Strict:
            def validate(self, path: str = "Strict") -> None:
                raise errors.RequestValidationError(f"{path}.n", "must be >= 1, got 0")

            def to_dict(self) -> dict[str, Any]:
                return {"n": 0}

        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("application/json", "json"))
        with pytest.raises(m.errors.RequestValidationError) as info:
            client._request(endpoint, body=Strict())
        assert info.value.field == "Strict.n"
        assert server.calls == 0

        with pytest.raises(m.errors.RequestValidationError) as info:
            client._request(endpoint, body={"items": [Strict()]})
        assert info.value.field == "body['items'][0].n"
        assert server.calls == 0

    def test_json_dict(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "PUT", body=m.Body("application/merge-patch+json", "json"))
        u = uuid.UUID("12345678-1234-5678-1234-567812345678")
        client._request(
            endpoint,
            body={
                "id": u,
                "at": date(2024, 1, 2),
                "gone": m.UNSET,
                "null": None,
                "l": [1, {"x": True}],
            },
        )
        assert server.last.headers["Content-Type"] == "application/merge-patch+json"
        assert json.loads(server.bodies[-1]) == {
            "id": str(u),
            "at": "2024-01-02",
            "null": None,
            "l": [1, {"x": True}],
        }

    def test_json_rejects_nan(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("application/json", "json"))
        with pytest.raises(ValueError):
            client._request(endpoint, body={"x": float("nan")})
        assert server.calls == 0

    def test_extra_content_type_wins(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("application/json", "json"))
        client._request(
            endpoint, body={"a": 1}, extra_headers={"Content-Type": "application/vnd.x+json"}
        )
        assert server.last.headers.get_list("Content-Type") == ["application/vnd.x+json"]

    def test_form(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("application/x-www-form-urlencoded", "form"))
        client._request(
            endpoint,
            body={"a": "x y&z", "b": True, "c": [1, 2], "d": {"k": 1}, "e": m.UNSET, "f": 2.5},
        )
        assert server.last.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert parse_qsl(server.bodies[-1].decode(), keep_blank_values=True) == [
            ("a", "x y&z"),
            ("b", "true"),
            ("c", "1"),
            ("c", "2"),
            ("d", '{"k": 1}'),
            ("f", "2.5"),
        ]

    def test_form_rejects_non_mapping(self, m):
        client = sync_client(m, Server())
        endpoint = ep(m, "POST", body=m.Body("application/x-www-form-urlencoded", "form"))
        with pytest.raises(TypeError):
            client._request(endpoint, body=[1, 2])

    def test_multipart_files(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("multipart/form-data", "multipart"))
        client._request(
            endpoint,
            body={
                "raw": b"RAWBYTES",
                "doc": ("report.csv", b"a,b\n1,2\n", "text/csv"),
                "skip": m.UNSET,
            },
        )
        content_type = server.last.headers["Content-Type"]
        assert content_type.startswith("multipart/form-data; boundary=")
        body = server.bodies[-1]
        assert b'Content-Disposition: form-data; name="raw"; filename="upload"' in body
        assert b"RAWBYTES" in body
        assert (
            b'name="doc"; filename="report.csv"\r\nContent-Type: text/csv\r\n\r\na,b\n1,2\n' in body
        )
        assert b'name="skip"' not in body

    def test_multipart_with_text_fields(self, m):
        """Text fields go next to the files (`data=`), as form-data parts."""
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("multipart/form-data", "multipart"))
        client._request(
            endpoint,
            body={"file": ("a.txt", b"abc", "text/plain"), "name": "x", "public": True, "n": 3},
        )
        body = server.bodies[-1]
        assert server.last.headers["Content-Type"].startswith("multipart/form-data; boundary=")
        assert b'name="name"\r\n\r\nx\r\n' in body
        assert b'name="public"\r\n\r\ntrue\r\n' in body
        assert b'name="n"\r\n\r\n3\r\n' in body
        assert b'filename="a.txt"' in body

    def test_text(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("text/plain", "text"))
        client._request(endpoint, body="h\u00e9llo")
        assert server.last.headers["Content-Type"] == "text/plain"
        assert server.bodies[-1] == "h\u00e9llo".encode()

    @pytest.mark.parametrize("payload", [b"\x00\x01\xff", bytearray(b"\x00\x01\xff")])
    def test_binary(self, m, payload):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "PUT", body=m.Body("application/octet-stream", "binary"))
        client._request(endpoint, body=payload)
        assert server.last.headers["Content-Type"] == "application/octet-stream"
        assert server.bodies[-1] == b"\x00\x01\xff"

    def test_no_body(self, m):
        server = Server()
        client = sync_client(m, server)
        endpoint = ep(m, "POST", body=m.Body("application/json", "json"))
        client._request(endpoint)
        assert server.bodies[-1] == b""
        assert "Content-Type" not in server.last.headers


# ======================================================================= status errors


def tagged(tag: str, m: types.SimpleNamespace):
    def decode(data: object) -> tuple[str, object]:
        d = m.serde.object_(data)
        return (tag, m.serde.req(d, "error", m.serde.str_))

    return decode


class TestStatusErrors:
    @pytest.mark.parametrize(
        ("status", "cls_name"),
        [
            (400, "BadRequestError"),
            (401, "AuthenticationError"),
            (403, "PermissionDeniedError"),
            (404, "NotFoundError"),
            (409, "ConflictError"),
            (422, "UnprocessableEntityError"),
            (429, "RateLimitError"),
            (500, "InternalServerError"),
            (502, "InternalServerError"),
            (503, "InternalServerError"),
            (599, "InternalServerError"),
            (408, "APIStatusError"),
            (418, "APIStatusError"),
            (302, "APIStatusError"),
        ],
    )
    def test_status_classes(self, m, status, cls_name):
        server = Server((status, {"json": {"error": "boom"}}))
        client = sync_client(m, server, max_retries=0)
        with pytest.raises(m.errors.APIStatusError) as info:
            client._request(ep(m))
        err = info.value
        assert type(err) is getattr(m.errors, cls_name)
        assert err.status_code == status
        assert err.response.status_code == status
        assert err.request is server.last
        assert err.body == {"error": "boom"}
        assert err.message == f'Error code: {status} - {{"error":"boom"}}'
        assert isinstance(err, m.errors.APIError)

    def test_error_decoder_selection(self, m):
        errors = {"404": tagged("404", m), "4XX": tagged("4XX", m), "default": tagged("default", m)}
        for status, tag in [
            (404, "404"),
            (400, "4XX"),
            (409, "4XX"),
            (500, "default"),
            (302, "default"),
        ]:
            server = Server((status, {"json": {"error": "e"}}))
            client = sync_client(m, server, max_retries=0)
            with pytest.raises(m.errors.APIStatusError) as info:
                client._request(ep(m, errors=errors))
            assert info.value.body == (tag, "e"), status

    def test_no_matching_error_decoder_keeps_json(self, m):
        server = Server((500, {"json": {"error": "e"}}))
        client = sync_client(m, server, max_retries=0)
        with pytest.raises(m.errors.InternalServerError) as info:
            client._request(ep(m, errors={"404": tagged("404", m)}))
        assert info.value.body == {"error": "e"}

    def test_failed_error_decoding_keeps_plain_json(self, m):
        server = Server((404, {"json": {"error": 5, "other": [1]}}))
        client = sync_client(m, server)
        with pytest.raises(m.errors.NotFoundError) as info:
            client._request(ep(m, errors={"404": tagged("404", m)}))
        assert info.value.body == {"error": 5, "other": [1]}

    def test_text_body(self, m):
        server = Server((502, {"text": "<html>Bad gateway</html>"}))
        client = sync_client(m, server, max_retries=0)
        with pytest.raises(m.errors.InternalServerError) as info:
            client._request(ep(m, errors={"default": tagged("d", m)}))
        assert info.value.body == "<html>Bad gateway</html>"
        assert info.value.message == "Error code: 502 - <html>Bad gateway</html>"

    def test_empty_body(self, m):
        server = Server((404, {}))
        client = sync_client(m, server)
        with pytest.raises(m.errors.NotFoundError) as info:
            client._request(ep(m))
        assert info.value.body is None
        assert info.value.message == "Error code: 404"

    async def test_async_status_error(self, m):
        server = Server((401, {"json": {"error": "nope"}}))
        client = async_client(m, server)
        with pytest.raises(m.errors.AuthenticationError) as info:
            await client._request(ep(m, errors={"401": tagged("401", m)}))
        assert info.value.body == ("401", "nope")
        assert server.calls == 1

    def test_2xx_body_mismatch(self, m):
        server = Server((200, {"json": {"sessions": [{"sessionId": "a", "createdAt": 5}]}}))
        client = sync_client(m, server)
        endpoint = ep(m, responses={"200": m.resp.json_response(lambda d: _session_list(m, d))})
        with pytest.raises(m.errors.APIResponseValidationError) as info:
            client._request(endpoint)
        assert str(info.value) == "$.sessions[0].createdAt: expected string, got integer"
        assert info.value.status_code == 200


# ========================================================================= APIResponse


def _resp(status: int, **kw: Any) -> httpx.Response:
    return httpx.Response(status, request=httpx.Request("GET", "https://api.test/x"), **kw)


class TestAPIResponse:
    def test_parse_selection(self, m):
        decoders = {
            "200": lambda r: "200",
            "201": lambda r: "201",
            "2XX": lambda r: "2XX",
            "default": lambda r: "default",
        }
        assert m.resp.APIResponse(_resp(200), decoders).parse() == "200"
        assert m.resp.APIResponse(_resp(201), decoders).parse() == "201"
        assert m.resp.APIResponse(_resp(204), decoders).parse() == "2XX"
        without_range = {"200": lambda r: "200", "default": lambda r: "default"}
        assert m.resp.APIResponse(_resp(202), without_range).parse() == "default"
        only_201 = {"201": lambda r: "201", "202": lambda r: "202"}
        assert m.resp.APIResponse(_resp(200), only_201).parse() == "201"

    def test_select_decoder(self, m):
        table = {"404": "a", "4XX": "b", "default": "c"}
        assert m.resp.select_decoder(table, 404) == "a"
        assert m.resp.select_decoder(table, 410) == "b"
        assert m.resp.select_decoder(table, 500) == "c"
        assert m.resp.select_decoder({"404": "a"}, 500) is None

    def test_properties_and_builtin_decoders(self, m):
        response = _resp(201, headers={"X-R": "1"}, content=b"raw-bytes")
        api = m.resp.APIResponse(response, {"201": m.resp.bytes_response})
        assert api.status_code == 201
        assert api.headers["X-R"] == "1"
        assert api.content == b"raw-bytes"
        assert api.http_response is response
        assert api.parse() == b"raw-bytes"
        assert repr(api) == "<APIResponse [201]>"
        assert m.resp.text_response(_resp(200, text="h\u00e9")) == "h\u00e9"
        assert m.resp.NO_CONTENT(_resp(204)) is None
        assert m.resp.RAW(response) is response


class TestRawResponse:
    def test_sync_wrapper(self, m):
        server = Server((201, {"json": {"id": 7}, "headers": {"X-Req": "r1"}}))
        client = sync_client(m, server)
        endpoint = ep(m, "POST", responses={"201": any_json(m)})

        def create() -> Any:
            return client._request(endpoint)

        raw = m.resp.to_raw_response_wrapper(create)()
        assert isinstance(raw, m.resp.APIResponse)
        assert raw.status_code == 201
        assert raw.headers["X-Req"] == "r1"
        assert raw.parse() == {"id": 7}
        assert m.resp.RAW_RESPONSE.get() is False
        assert create() == {"id": 7}
        assert m.resp.to_raw_response_wrapper(create).__name__ == "create"

    def test_sync_wrapper_resets_on_error(self, m):
        server = Server((404, {"json": {}}))
        client = sync_client(m, server)
        wrapped = m.resp.to_raw_response_wrapper(lambda: client._request(ep(m)))
        with pytest.raises(m.errors.NotFoundError):
            wrapped()
        assert m.resp.RAW_RESPONSE.get() is False

    async def test_async_wrapper(self, m):
        server = Server((200, {"json": {"ok": True}}))
        client = async_client(m, server)
        endpoint = ep(m)

        async def get() -> Any:
            return await client._request(endpoint)

        raw = await m.resp.async_to_raw_response_wrapper(get)()
        assert isinstance(raw, m.resp.APIResponse)
        assert raw.status_code == 200
        assert raw.parse() == {"ok": True}
        assert m.resp.RAW_RESPONSE.get() is False
        assert await get() == {"ok": True}

    async def test_async_wrappers_keep_concurrent_calls_apart(self, m):
        gate = asyncio.Event()

        async def handler(request: httpx.Request) -> httpx.Response:
            await gate.wait()
            return httpx.Response(200, json={"path": request.url.path})

        client = m.bc.AsyncAPIClient(
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)), **_config(m)
        )

        async def get(path: str) -> Any:
            return await client._request(ep(m, path=path))

        raw_task = asyncio.ensure_future(m.resp.async_to_raw_response_wrapper(get)("/raw"))
        plain_task = asyncio.ensure_future(get("/plain"))
        await asyncio.sleep(0)
        gate.set()
        raw, plain = await asyncio.gather(raw_task, plain_task)
        assert isinstance(raw, m.resp.APIResponse)
        assert raw.parse() == {"path": "/v1/raw"}
        assert plain == {"path": "/v1/plain"}

    async def test_async_client_context_manager_closes_owned_client_only(self, m):
        http = httpx.AsyncClient(transport=httpx.MockTransport(Server()))
        async with m.bc.AsyncAPIClient(http_client=http, **_config(m)):
            pass
        assert not http.is_closed
        await http.aclose()

    def test_sync_client_context_manager_closes_owned_client_only(self, m):
        http = httpx.Client(transport=httpx.MockTransport(Server()))
        with m.bc.SyncAPIClient(http_client=http, **_config(m)):
            pass
        assert not http.is_closed
        with m.bc.SyncAPIClient(http_client=None, **_config(m)) as own:
            inner = own._http_client
        assert inner.is_closed
