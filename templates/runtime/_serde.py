"""JSON decoding used by the generated models (static runtime), and the names of
`_checks` (encoding and request checks) that generated code reaches through here.

Generated `from_dict` methods are straight-line calls into the decoders here: each one
takes a JSON value and returns the Python value or raises `APIResponseValidationError`
with the JSON path of the mismatch. Decoding is lenient (unknown keys and enum values
pass); request checks (`check`) are strict and raise `RequestValidationError`.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, TypeVar
from uuid import UUID

from ._checks import check, encode, required_sets, validate_nested
from ._types import UNSET, Unset
from .errors import APIResponseValidationError

# What generated modules call (`_serde.<name>`) and what the other runtime modules
# use (`encode`, `check`, `validate_nested`, from `_checks`); everything else here is
# private.
# tests/plan/test_serde_names.py holds the list to exactly that.
__all__ = [
    "any_",
    "bad",
    "bool_",
    "bytes_",
    "check",
    "date_",
    "datetime_",
    "encode",
    "encode_part",
    "file_",
    "float_",
    "int_",
    "integer_at",
    "is_file",
    "list_",
    "map_",
    "none_",
    "number_at",
    "object_",
    "object_copy",
    "opt",
    "opt_pop",
    "req",
    "req_pop",
    "required_sets",
    "rest",
    "str_",
    "tag_of",
    "tagged_",
    "time_",
    "tuple_",
    "union_",
    "uuid_",
    "validate_nested",
]

_T = TypeVar("_T")
_Decoder = Callable[[Any], _T]

_JSON_TYPES: dict[type, str] = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
    dict: "object",
    type(None): "null",
}


def _mismatch(expected: str, value: object) -> APIResponseValidationError:
    got = _JSON_TYPES.get(type(value), type(value).__name__)
    return APIResponseValidationError(f"expected {expected}, got {got}")


def req(d: Mapping[str, Any], key: str, decode: _Decoder[_T]) -> _T:
    """Decode the required property `key` of `d`."""
    try:
        value = d[key]
    except KeyError:
        raise APIResponseValidationError(
            "missing required property", path=(key,)
        ) from None
    try:
        return decode(value)
    except APIResponseValidationError as exc:
        raise exc.at(key) from None


def opt(d: Mapping[str, Any], key: str, decode: _Decoder[_T]) -> _T | Unset:
    """Decode the optional property `key` of `d`; `UNSET` when it is absent."""
    if key not in d:
        return UNSET
    value = d[key]
    try:
        return decode(value)
    except APIResponseValidationError as exc:
        raise exc.at(key) from None


def req_pop(d: dict[str, Any], key: str, decode: _Decoder[_T]) -> _T:
    """`req`, taking the property out of `d` (a model's own copy of the object: what
    is left at the end are the undeclared properties, in the order received)."""
    try:
        value = d.pop(key)
    except KeyError:
        raise APIResponseValidationError(
            "missing required property", path=(key,)
        ) from None
    try:
        return decode(value)
    except APIResponseValidationError as exc:
        raise exc.at(key) from None


def opt_pop(d: dict[str, Any], key: str, decode: _Decoder[_T]) -> _T | Unset:
    """`opt`, taking the property out of `d` (see `req_pop`)."""
    value: object = d.pop(key, UNSET)
    if value is UNSET:
        return UNSET
    try:
        return decode(value)
    except APIResponseValidationError as exc:
        raise exc.at(key) from None


def rest(d: dict[str, Any], decode: _Decoder[_T]) -> dict[str, _T]:
    """The undeclared properties left in `d`, each decoded with `decode`."""
    out: dict[str, _T] = {}
    for k, v in d.items():
        try:
            out[k] = decode(v)
        except APIResponseValidationError as exc:
            raise exc.at(k) from None
    return out


def object_copy(value: object) -> dict[str, Any]:
    """A JSON object as a new dict a decoder may take properties out of."""
    if isinstance(value, dict):
        return dict(value)
    raise _mismatch("object", value)


def object_(value: object) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise _mismatch("object", value)


def str_(value: object) -> str:
    if isinstance(value, str):
        return value
    raise _mismatch("string", value)


def int_(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise _mismatch("integer", value)


def float_(value: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raise _mismatch("number", value)


def bool_(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise _mismatch("boolean", value)


def none_(value: object) -> None:
    if value is None:
        return None
    raise _mismatch("null", value)


def any_(value: Any) -> Any:
    return value


_DATETIME = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?"
    r"(?:([Zz])|([+-])(\d\d):?(\d\d))?"
)


# What servers send nearly always: seconds, 3 or 6 fraction digits, `Z` or an offset.
_RFC3339_COMMON = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3}|\.\d{6})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)"
)


def _reads_z() -> bool:
    """Whether fromisoformat reads a `Z` offset (Python 3.11+; 3.10 needs `+00:00`)."""
    try:
        datetime.fromisoformat("2000-01-01T00:00:00Z")
    except ValueError:
        return False
    return True


_READS_Z = _reads_z()


def datetime_(value: object) -> datetime:
    """An RFC 3339 date-time (also `Z` and 1-9 fraction digits on Python 3.10). A leap
    second (`23:59:60Z`), which `datetime` cannot hold, is the instant before it."""
    if (  # `2011-01-26T19:01:12Z`, the most common shape: the separators are checked
        type(value) is str  # here and fromisoformat checks the (ASCII) digits
        and len(value) == 20
        and value[19] == "Z"
        and value[10] == "T"
        and value[4] == value[7] == "-"
        and value[13] == value[16] == ":"
        and value.isascii()
    ):
        try:
            return datetime.fromisoformat(value if _READS_Z else value[:19] + "+00:00")
        except ValueError:
            pass  # e.g. a month 13: the full path below says what is wrong
    if type(value) is str and _RFC3339_COMMON.fullmatch(value):
        try:  # the common shape, parsed in C (Python 3.10 needs `+00:00` for `Z`)
            return datetime.fromisoformat(
                value[:-1] + "+00:00" if value[-1] == "Z" else value
            )
        except ValueError:
            pass  # e.g. a month 13: the full path below says what is wrong
    text = str_(value)
    match = _DATETIME.fullmatch(text)
    if match is None:
        raise APIResponseValidationError(f"invalid date-time {text!r}")
    year, month, day, hour, minute, sec, frac, zulu, sign, tzh, tzm = match.groups()
    tz: timezone | None = None
    if zulu:
        tz = timezone.utc
    elif sign:
        if int(tzh) > 23 or int(tzm) > 59:
            raise APIResponseValidationError(f"invalid date-time {text!r}: bad offset")
        offset = timedelta(hours=int(tzh), minutes=int(tzm))
        tz = timezone(-offset if sign == "-" else offset)
    second, micro = int(sec or 0), int((frac or "0")[:6].ljust(6, "0"))
    if second == 60:  # RFC 3339's leap second
        second, micro = 59, 999999
    try:
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), second, micro, tz
        )
    except ValueError as exc:
        raise APIResponseValidationError(f"invalid date-time {text!r}: {exc}") from None


def date_(value: object) -> date:
    text = str_(value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise APIResponseValidationError(f"invalid date {text!r}") from None


def time_(value: object) -> time:
    text = str_(value)
    try:
        return time.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise APIResponseValidationError(f"invalid time {text!r}") from None


def uuid_(value: object) -> UUID:
    text = str_(value)
    try:
        return UUID(text)
    except ValueError:
        raise APIResponseValidationError(f"invalid uuid {text!r}") from None


def bytes_(value: object) -> bytes:
    """A base64 string (`format: byte`)."""
    text = str_(value)
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise APIResponseValidationError("invalid base64 string") from None


def list_(value: object, item: _Decoder[_T]) -> list[_T]:
    """Decode a JSON array item by item."""
    if not isinstance(value, list):
        raise _mismatch("array", value)
    try:
        return [item(v) for v in value]
    except APIResponseValidationError:
        pass
    for index, v in enumerate(value):  # find the index of the first mismatch
        try:
            item(v)
        except APIResponseValidationError as exc:
            raise exc.at(index) from None
    raise AssertionError("unreachable")  # pragma: no cover


def map_(value: object, item: _Decoder[_T]) -> dict[str, _T]:
    """Decode a JSON object used as a map, value by value."""
    d = object_(value)
    out: dict[str, _T] = {}
    for k, v in d.items():
        try:
            out[k] = item(v)
        except APIResponseValidationError as exc:
            raise exc.at(k) from None
    return out


def union_(
    value: object,
    options: Sequence[_Decoder[Any]],
    expected: str,
    closed: Sequence[tuple[str, ...] | None] = (),
) -> Any:
    """The first option that decodes `value`. `closed`: for each option, the only
    properties it allows (a model without additionalProperties; None: any). An object
    with others goes to such an option only when no other decodes it."""
    later: list[_Decoder[Any]] = []
    for index, decode in enumerate(options):
        allowed = closed[index] if index < len(closed) else None
        if (
            allowed is not None
            and isinstance(value, dict)
            and not set(value) <= set(allowed)
        ):
            later.append(decode)
            continue
        try:
            return decode(value)
        except APIResponseValidationError:
            continue
    for decode in later:  # responses stay lenient: its other properties are dropped
        try:
            return decode(value)
        except APIResponseValidationError:
            continue
    raise _mismatch(expected, value)


def tuple_(
    value: object, items: Sequence[_Decoder[Any]], exact: bool = True
) -> tuple[Any, ...]:
    """Decode a JSON array of `len(items)` items (a `prefixItems` tuple), each with
    its decoder. Not `exact` (a schema that does not pin the length): as many as
    arrived, those past `items` as they are."""
    if not isinstance(value, list):
        raise _mismatch(f"array of {len(items)} items", value)
    if exact and len(value) != len(items):
        raise APIResponseValidationError(
            f"expected array of {len(items)} items, got {len(value)}"
        )
    return (*_items_at(value, items), *value[len(items) :])


def _items_at(value: list[Any], decoders: Sequence[_Decoder[Any]]) -> list[Any]:
    out: list[Any] = []
    for index, (v, decode) in enumerate(zip(value, decoders)):
        try:
            out.append(decode(v))
        except APIResponseValidationError as exc:
            raise exc.at(index) from None
    return out


def tagged_(
    value: object,
    prop: str,
    mapping: Mapping[str, _Decoder[Any]],
    options: Sequence[_Decoder[Any]],
    expected: str,
    closed: Sequence[tuple[str, ...] | None] = (),
) -> Any:
    """A discriminated union: the variant named by `value[prop]`, else the first
    option that decodes (an unknown tag must not make the response unreadable; see
    `union_` for `closed`)."""
    tag = tag_of(value, prop)
    decode = mapping.get(tag) if tag is not None else None
    if decode is not None:
        return decode(value)
    return union_(value, options, expected, closed)


def tag_of(value: object, prop: str) -> str | None:
    """The tag an object carries in `prop`, as a discriminator's mapping keys write it:
    a string as it is, a number or boolean as its JSON text (`100`, `true`); None
    when `value` is no object or the property no such scalar."""
    tag = value.get(prop) if isinstance(value, dict) else None
    if isinstance(tag, str):
        return tag
    if isinstance(tag, bool):
        return "true" if tag else "false"
    if isinstance(tag, (int, float)):
        return repr(tag)
    return None


def is_file(value: object) -> bool:
    """Whether `value` is what a multipart body sends as a file part: bytes, a file
    object, or an httpx file tuple (`(name, content[, type[, headers]])`)."""
    return isinstance(value, (bytes, bytearray, tuple)) or hasattr(value, "read")


def file_(value: object) -> Any:
    """A file part of a multipart body's model (bytes, file object or tuple) as
    given; from JSON, the string as sent (base64 is `format: byte` only)."""
    return value if is_file(value) else str_(value)


def bad(key: str, expected: str, value: object) -> APIResponseValidationError:
    """The error for property `key` of an object: missing, or not `expected`."""
    if value is UNSET:
        return APIResponseValidationError("missing required property", path=(key,))
    return _mismatch(expected, value).at(key)


def encode_part(value: object) -> Any:
    """A value of a union that may be a file (a multipart body's field): a file
    (bytes, a file object, a tuple) as it is, for its part; else `encode(value)`."""
    return value if is_file(value) else encode(value)


def integer_at(key: str, value: object) -> int:
    """Property `key` as an int (`value` is not one already): a whole number written
    with a fraction converts (JSON Schema: `3.0` is an integer)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise bad(key, "integer", value)


def number_at(key: str, value: object) -> float:
    """Property `key` as a number (`value` is not a float): an integer stays an int,
    as `float_` keeps it (exact past 2**53, and past the range of a float)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise bad(key, "number", value)
