"""The runtime's `_serde`: decoders, JSON paths of mismatches, encoding, constraint checks."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.runtime.direct import P, Server, _session, _session_list, ep, sync_client

pytestmark = pytest.mark.usefixtures("no_real_sleep")


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

    def test_number_property_keeps_what_json_wrote(self, m):
        """A number property decodes as the list items and top-level numbers do: an
        integer stays an int (exact past 2**53; no OverflowError past float's range)."""
        assert m.serde.number_at("amount", 9007199254740993) == 9007199254740993
        huge = 10**400
        assert m.serde.number_at("amount", huge) is huge
        for bad in (True, "1.5", None):
            assert raises_validation(m, lambda v: m.serde.number_at("amount", v), bad)

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
            # a leap second (RFC 3339 allows 60): the last instant Python has before it
            ("2016-12-31T23:59:60Z", datetime(2016, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)),
            (
                "2016-12-31T18:59:60.5-05:00",
                datetime(2016, 12, 31, 18, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5))),
            ),
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
            "2024-05-01T10:20:61Z",
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

    def test_union_gives_a_closed_option_only_the_objects_it_allows(self, m):
        def closed(value):
            return ("closed", sorted(m.serde.object_(value)))

        def open_(value):
            return ("open", sorted(m.serde.object_(value)))

        options, names = [closed, open_], (("a",), None)
        assert m.serde.union_({"a": 1}, options, "x", names) == ("closed", ["a"])
        assert m.serde.union_({"a": 1, "b": 2}, options, "x", names) == ("open", ["a", "b"])
        # none else decodes it: the closed option after all (responses stay lenient)
        assert m.serde.union_({"b": 2}, [closed, m.serde.int_], "x", names) == ("closed", ["b"])
        assert m.serde.union_(7, [closed, m.serde.int_], "x", names) == 7
        tagged = m.serde.tagged_({"t": "?", "b": 1}, "t", {}, options, "x", names)
        assert tagged == ("open", ["b", "t"])

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
            ("cost $5", {"pattern": r"[$]\d$"}),  # `$` in a class, and escaped, is a `$`
            ("cost $5", {"pattern": r"\$5$"}),
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
            # ECMA-262, JSON Schema's dialect: `$` ends the text, `\d` is ASCII
            ("ab-12\n", {"pattern": r"^[a-z]+-\d+$"}, "must match the pattern '^[a-z]+-\\\\d+$'"),
            ("ab-\u0661", {"pattern": r"^[a-z]+-\d+$"}, "must match the pattern '^[a-z]+-\\\\d+$'"),
            ("a\n", {"pattern": r"^(a|b)$"}, "must match the pattern '^(a|b)$'"),
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

    def test_json_equality_in_unique_items_and_choices(self, m):
        """JSON Schema compares numbers by value (`1` is `1.0`) and never `true` with
        `1`, inside arrays and objects too."""
        with pytest.raises(m.errors.RequestValidationError, match="unique"):
            m.serde.check([1, 1.0], "f", unique_items=True)
        const = ([1, 2, "foo", True],)
        with pytest.raises(m.errors.RequestValidationError):
            m.serde.check([1, 2, "foo", 1], "f", choices=const)
        m.serde.check([1, 2.0, "foo", True], "f", choices=const)
        m.serde.check({"a": [1.0]}, "f", choices=({"a": [1]},))

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
