"""What a request sends: JSON encoding, and the checks against the spec's constraints
that run before anything is sent (static runtime, copied verbatim).

Generated code reaches these through `_serde` (`_serde.check`, `_serde.encode`).
"""

from __future__ import annotations

import base64
import functools
import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction
from typing import Any
from uuid import UUID

from ._types import UNSET
from .errors import RequestValidationError

__all__ = ["check", "encode", "required_sets", "validate_nested"]


def encode(value: object) -> Any:
    """A JSON-ready copy of `value`: models via `to_dict`, ISO dates, `UNSET` dropped."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items() if v is not UNSET}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def _fail(field: str, problem: str) -> RequestValidationError:
    return RequestValidationError(field, problem)


def _check_number(value: float, field: str, rules: Mapping[str, Any]) -> None:
    if "minimum" in rules and value < rules["minimum"]:
        raise _fail(field, f"must be >= {rules['minimum']}, got {value}")
    if "maximum" in rules and value > rules["maximum"]:
        raise _fail(field, f"must be <= {rules['maximum']}, got {value}")
    if "exclusive_minimum" in rules and value <= rules["exclusive_minimum"]:
        raise _fail(field, f"must be > {rules['exclusive_minimum']}, got {value}")
    if "exclusive_maximum" in rules and value >= rules["exclusive_maximum"]:
        raise _fail(field, f"must be < {rules['exclusive_maximum']}, got {value}")
    step = rules.get("multiple_of")
    if step is not None and Fraction(str(value)) % Fraction(str(step)) != 0:
        raise _fail(field, f"must be a multiple of {step}, got {value}")


def _check_string(value: str, field: str, rules: Mapping[str, Any]) -> None:
    if "min_length" in rules and len(value) < rules["min_length"]:
        raise _fail(
            field,
            f"must have at least {rules['min_length']} characters, got {len(value)}",
        )
    if "max_length" in rules and len(value) > rules["max_length"]:
        raise _fail(
            field,
            f"must have at most {rules['max_length']} characters, got {len(value)}",
        )
    pattern = rules.get("pattern")
    if pattern is not None and _regex(pattern).search(value) is None:
        raise _fail(field, f"must match the pattern {pattern!r}")


@functools.lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str]:
    """`pattern`, an ECMA-262 regular expression (JSON Schema's dialect), as Python
    reads it alike: a `$` outside a class ends the text only (Python's `$` also
    matches before a last newline: `\\Z`), and `\\d`, `\\w`, `\\b` are ASCII."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])  # an escape: `\$`, `\]` are literal
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = "\\Z"
        out.append(char)
        index += 1
    return re.compile("".join(out), re.ASCII)


def _check_array(value: Sequence[Any], field: str, rules: Mapping[str, Any]) -> None:
    if "min_items" in rules and len(value) < rules["min_items"]:
        raise _fail(
            field, f"must have at least {rules['min_items']} item(s), got {len(value)}"
        )
    if "max_items" in rules and len(value) > rules["max_items"]:
        raise _fail(
            field, f"must have at most {rules['max_items']} item(s), got {len(value)}"
        )
    if rules.get("unique_items"):
        seen: set[str] = set()
        for item in value:
            key = _json_key(item)  # 1 and true differ, 1 and 1.0 do not
            if key in seen:
                raise _fail(field, "items must be unique")
            seen.add(key)


def _check_object(
    value: Mapping[str, Any], field: str, rules: Mapping[str, Any]
) -> None:
    if "min_properties" in rules and len(value) < rules["min_properties"]:
        raise _fail(field, f"must have at least {rules['min_properties']} properties")
    if "max_properties" in rules and len(value) > rules["max_properties"]:
        raise _fail(field, f"must have at most {rules['max_properties']} properties")
    each: Mapping[str, Any] | None = rules.get("values")
    if each is not None:
        for key, item in value.items():
            check(item, f"{field}[{key!r}]", **each)


def check(value: object, field: str, **rules: Any) -> None:
    """Raise `RequestValidationError` naming `field` when `value` breaks a rule.

    Rules are the JSON Schema keywords in snake_case (`minimum`, `max_length`,
    `min_items`, `pattern`, ...) plus `choices`, the allowed values of an enum or
    const; `items` (the rules of every array item), `prefix_items` (of the first
    ones, by position); `values` (of every value of a map); `any_of` (rules of which a value must meet one whose `kinds`,
    JSON types, it has); `required` (`UNSET` is refused). `UNSET` and `None` are
    otherwise not checked (required/nullable are typed).
    """
    if value is None or value is UNSET:
        if value is UNSET and rules.get("required"):
            raise _fail(field, "is required")
        return
    choices = rules.get("choices")
    if choices is not None and not any(_is_choice(value, c) for c in choices):
        allowed = ", ".join(repr(c) for c in choices)
        raise _fail(field, f"must be one of {allowed}, got {value!r}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        _check_number(value, field, rules)
    elif isinstance(value, str):
        _check_string(value, field, rules)
    elif isinstance(value, (list, tuple)):
        _check_array(value, field, rules)
        _check_items(value, field, rules)
    elif isinstance(value, Mapping):
        _check_object(value, field, rules)
    branches = rules.get("any_of")
    if branches is not None:
        _check_any_of(value, field, branches)


def _is_choice(value: object, choice: object) -> bool:
    """`value == choice` as JSON compares: `1` is not `true`, but `1` is `1.0`, inside
    arrays and objects too."""
    if value != choice:
        return False
    if type(value) is type(choice) and not isinstance(value, (list, tuple, dict)):
        return True
    return _json_key(value) == _json_key(choice)


def _json_key(value: object) -> str:
    """`value`'s JSON text, numbers by value (`1.0` as `1`), keys sorted: equal for
    values JSON Schema calls equal."""
    return json.dumps(_by_value(encode(value)), sort_keys=True)


def _by_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (list, tuple)):
        return [_by_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _by_value(item) for key, item in value.items()}
    return value


def _check_items(value: Sequence[Any], field: str, rules: Mapping[str, Any]) -> None:
    prefix: Sequence[Mapping[str, Any]] = rules.get("prefix_items", ())
    for index, (item, at) in enumerate(zip(value, prefix)):
        check(item, f"{field}[{index}]", **at)
    rest: Mapping[str, Any] | None = rules.get("items")
    if rest is not None:
        for index in range(len(prefix), len(value)):
            check(value[index], f"{field}[{index}]", **rest)


def _kinds(value: object) -> tuple[str, ...]:
    """The JSON types of a value (as it is encoded); () when it cannot be told."""
    if isinstance(value, bool):
        return ("boolean",)
    if isinstance(value, int):
        return ("integer", "number")
    if isinstance(value, float):
        return ("number", "integer") if value.is_integer() else ("number",)
    if isinstance(value, (str, datetime, date, time, UUID, bytes)):
        return ("string",)
    if isinstance(value, (list, tuple)):
        return ("array",)
    if isinstance(value, Mapping) or hasattr(value, "to_dict"):
        return ("object",)
    return ()


def _check_any_of(
    value: object, field: str, branches: Sequence[Mapping[str, Any]]
) -> None:
    """`value` must meet the rules of one branch of its JSON type (anyOf/oneOf)."""
    kinds = _kinds(value)
    first: RequestValidationError | None = None
    for branch in branches:
        rules = dict(branch)
        accepted = rules.pop("kinds", ())
        if kinds and accepted and not set(kinds) & set(accepted):
            continue
        try:
            check(value, field, **rules)
        except RequestValidationError as exc:
            first = first or exc
            continue
        return
    if first is not None:
        raise first  # what the first branch of its type says
    raise _fail(field, f"must be one of the types the spec allows, got {value!r}")


def required_sets(
    data: Mapping[str, Any],
    field: str,
    sets: Sequence[Sequence[str]],
    exactly_one: bool,
) -> None:
    """The anyOf/oneOf branches of an object that only require properties: `data`
    (the object as sent) must have all the properties of at least one set
    (`exactly_one`: of exactly one)."""
    met = sum(all(name in data for name in s) for s in sets)
    if met == 1 or (met > 1 and not exactly_one):
        return
    choices = "; or ".join(", ".join(s) for s in sets)
    which = "exactly one" if exactly_one else "at least one"
    raise _fail(field, f"must set {which} of: {choices} ({met} set)")


def validate_nested(value: object, field: str) -> None:
    """Run `validate()` of every model inside `value` (a model, list or map).

    Only models with something to check have a `validate` method; the others (and
    plain values) pass. Generated models call this only for fields that may hold a
    model with one; request bodies, which callers may give as anything, always.
    """
    validate = getattr(value, "validate", None)
    if callable(validate):
        validate(field)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            validate_nested(item, f"{field}[{index}]")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            validate_nested(item, f"{field}[{key!r}]")
