"""The name hint of a `$ref` target that is no named schema (`#/components/schemas/A/
properties/b`, a schema inside an operation): the `<Parent><Field>` name the schema gets
when it is met inline, so the name does not depend on which is met first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from ..diagnostics import Where
from ..ir import PyIdent
from ..names import pascal
from ..resolve import Resolver
from .media import body_hints, pick_media

__all__ = ["ref_hint", "referred_place"]

_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def ref_hint(
    target: Where,
    named: Callable[[Where], PyIdent | None],
    lookup: Callable[[Where], Any],
) -> str:
    """The hint for the schema at `target`: under a place already `named`, that name
    plus a part per step (`properties/b` -> `B`, `items` -> `Item`, `oneOf/0` ->
    `Option1`, an `allOf` part nothing: it is merged into its schema, ...); under an
    operation's request body or response, the operation's hint first; a whole file,
    its name (`Pet` for `schemas/Pet.yaml`); else (and for a named schema) the last
    token, as before."""
    tokens = [_unescape(t) for t in target.pointer.removeprefix("#/").split("/")]
    last = tokens[-1] if tokens and tokens[-1] else ""
    if target.pointer in ("", "#", "#/"):  # a whole file (`$ref: schemas/Pet.yaml`)
        return PurePosixPath(target.document.split("?", 1)[0]).stem.split(".", 1)[0]
    for cut in range(len(tokens) - 1, 0, -1):
        base = named(Where(target.document, _join(tokens[:cut])))
        if base is not None:
            rest = _steps(tokens[cut:])
            return last if rest is None else base + rest
    base_hint, cut = _operation_base(tokens, target.document, lookup)
    if base_hint is not None:
        rest = _steps(tokens[cut:])
        if rest is not None:
            return base_hint + rest
    return last


def _steps(tokens: list[str]) -> str | None:
    """The name parts of the schema steps `tokens`, or None for a step the builder does
    not name that way."""
    out, i = "", 0
    while i < len(tokens):
        token = tokens[i]
        index = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token == "properties" and index:
            out, i = out + pascal(index, "Field"), i + 2
        elif token == "items":
            out, i = out + "Item", i + 1
        elif token == "additionalProperties":
            out, i = out + "Value", i + 1
        elif token in ("oneOf", "anyOf") and index.isdigit():
            out, i = out + f"Option{int(index) + 1}", i + 2
        elif token == "allOf" and index.isdigit():
            i += 2  # a part: merged into the schema it is part of, which names it
        elif token == "prefixItems" and index.isdigit():
            out, i = out + f"Item{int(index) + 1}", i + 2
        else:
            return None
    return out


def _operation_base(
    tokens: list[str], document: str, lookup: Callable[[Where], Any]
) -> tuple[str | None, int]:
    """`<Op>Body` / `<Op>Response[Code]` for a place inside an operation's inline request
    body or response schema (`paths/<p>/<method>/requestBody/content/<media>/schema/...`),
    and how many tokens that covers."""
    if len(tokens) < 7 or tokens[0] != "paths" or tokens[2] not in _HTTP_METHODS:
        return None, 0
    op = lookup(Where(document, _join(tokens[:3])))
    if not isinstance(op, dict):
        return None, 0
    op_id = op.get("operationId")
    op_name = pascal(op_id if isinstance(op_id, str) else f"{tokens[2]} {tokens[1]}", "Operation")
    if tokens[3:5] == ["requestBody", "content"] and tokens[6] == "schema":
        body = op.get("requestBody")
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict) or tokens[5] not in content:
            return None, 0
        default = pick_media(content)
        medias = [default, *(str(m) for m in content if str(m) != default)]
        return body_hints(op_name, medias)[medias.index(tokens[5])], 7
    if len(tokens) >= 8 and tokens[3] == "responses" and tokens[5:8:2] == ["content", "schema"]:
        code = tokens[4]
        return op_name + "Response" + ("" if code == "200" else code.title()), 8
    return None, 0


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _join(tokens: list[str]) -> str:
    return "#/" + "/".join(t.replace("~", "~0").replace("/", "~1") for t in tokens)


_ONLY_REFERS = frozenset({"$ref", "description", "summary"})


def referred_place(
    target: Where, named: Callable[[Where], PyIdent | None], resolver: Resolver
) -> Where:
    """The place a `$ref` to `target` stands for: `target`, or, when that place has no
    name and only refers on (a `$ref` to an operation's schema that is a `$ref` to
    `Pet`), the place it refers to (`Pet`, not a copy of it named after the
    operation). The chain ends: the caller's `deref` found no cycle in it."""
    value = resolver.lookup(target)
    while (
        named(target) is None
        and isinstance(value, dict)
        and isinstance(value.get("$ref"), str)
        and value.keys() <= _ONLY_REFERS
    ):
        target = resolver.target(value["$ref"], target)
        value = resolver.lookup(target)
    return target
