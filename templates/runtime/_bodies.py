"""Request bodies: checking them against the spec and encoding them (static runtime,
copied verbatim)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from . import _serde
from ._params import Param, simple_text
from ._types import UNSET
from .errors import APIResponseValidationError, RequestValidationError

__all__ = ["Body"]


@dataclass(frozen=True)
class Body:
    """How the request body of an operation is encoded."""

    media_type: str
    kind: Literal["json", "form", "multipart", "binary", "text"]
    # Decodes a plain dict body into the model of its schema, to check it.
    decode: Callable[[Any], Any] | None = None
    # Whether a value is an instance of this media type's model (operations with
    # several media types: a body given without `content_type=` goes by its type).
    is_model: Callable[[object], bool] | None = None


def _choose_body(bodies: tuple[Body, ...], value: object, content_type: object) -> Body:
    """The media type `value` is sent as: the one `content_type` names; else the
    first taking the value's type (bytes or a file: raw bytes; a str: text; a model
    instance: that model's); else the first one, the default (JSON when declared)."""
    if content_type is not UNSET:
        for body in bodies:
            if body.media_type == content_type:
                return body
        names = ", ".join(repr(body.media_type) for body in bodies)
        raise RequestValidationError(
            "content_type", f"must be one of {names}, got {content_type!r}"
        )
    if isinstance(value, (bytes, bytearray)) or hasattr(value, "read"):
        kind = "binary"
    else:
        kind = "text" if isinstance(value, str) else ""
    for body in bodies:
        if body.kind == kind or (body.is_model is not None and body.is_model(value)):
            return body
    return bodies[0]


def _check_body(value: object, decode: Callable[[Any], Any] | None) -> None:
    """Check a request body against the spec's constraints before it is sent.

    A model instance checks itself (when it has constraints to check: only such
    models have `validate`); a plain mapping given where the spec names a model is
    decoded into that model first (so required properties, types and constraints
    are all checked), and reported under the field path `body.<name>`.
    """
    validate = getattr(value, "validate", None)
    if callable(validate):
        validate()
    elif decode is not None and isinstance(value, Mapping):
        try:
            instance = decode(value)
        except APIResponseValidationError as exc:
            path = "".join(
                f"[{s}]" if isinstance(s, int) else f".{s}" for s in exc.path
            )
            raise RequestValidationError(f"body{path}", exc.problem) from None
        _serde.validate_nested(instance, "body")
    else:
        _serde.validate_nested(value, "body")


def _json_bytes(value: object) -> bytes:
    payload = _serde.encode(value)
    return json.dumps(
        payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode()


def _form_field(name: str) -> Param:
    """How a form field's value is written: as a `form` style, exploded query
    parameter's would be."""
    return Param(name=name, location="query", style="form", explode=True)


def _form_fields(value: object) -> list[tuple[str, str]]:
    encoded = _serde.encode(value)
    if not isinstance(encoded, Mapping):
        raise TypeError("a form body must be a model or a mapping")
    out: list[tuple[str, str]] = []
    for key, item in encoded.items():
        items = item if isinstance(item, list) else [item]
        for one in items:
            text = (
                json.dumps(one)
                if isinstance(one, (dict, list))
                else simple_text(_form_field(key), one)
            )
            out.append((key, text))
    return out


def _is_bytes_file(value: object) -> bool:
    """Whether a multipart file value is in memory (so the body can be re-sent)."""
    if isinstance(value, tuple):
        return len(value) >= 2 and isinstance(value[1], (bytes, str))
    return isinstance(value, (bytes, str))


def _multipart(value: object) -> tuple[list[tuple[str, Any]], dict[str, list[str]]]:
    to_dict = getattr(value, "to_dict", None)
    fields = to_dict() if callable(to_dict) else value  # file fields stay as given
    if not isinstance(fields, Mapping):
        raise TypeError("a multipart body must be a model or a mapping")
    files: list[tuple[str, Any]] = []
    data: dict[str, list[str]] = {}
    for key, item in fields.items():
        for one in item if isinstance(item, list) else [item]:
            if isinstance(one, (bytes, tuple)) or hasattr(one, "read"):
                files.append((key, one))
            elif one is not UNSET:
                encoded = _serde.encode(one)
                text = (
                    json.dumps(encoded)
                    if isinstance(encoded, (dict, list))
                    else simple_text(_form_field(key), encoded)
                )
                data.setdefault(key, []).append(text)
    return files, data
