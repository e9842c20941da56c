"""Path keys as real specs write them: a query string inside one, which OpenAPI does
not allow but real specs have (medium.com's `/search?query={query}`, OpenAI's
`/responses?beta=true`)."""

from __future__ import annotations

import re

from ..diagnostics import Diagnostics, Where

__all__ = ["route"]

_TEMPLATE_PAIR = re.compile(r"([^=&{}]+)=\{([^{}]+)\}")
_FIXED_PAIR = re.compile(r"[^=&{}]+(?:=[^&{}]*)?")


def route(path: str, query_names: set[str], where: Where, sink: Diagnostics) -> str:
    """The path an operation is sent to, given its path key `path`.

    In a query string written into the key, a `name={name}` pair of a declared query
    parameter is left out (the parameter sends it: the same bytes on the wire); fixed
    pairs (`beta=true`) stay, sent with every call (they tell the operation apart
    from one at the same path without them). Anything else is an error."""
    route_part, mark, query = path.partition("?")
    if not mark:
        return path
    fixed: list[str] = []
    for pair in query.split("&"):
        if (m := _TEMPLATE_PAIR.fullmatch(pair)) and m.group(1) == m.group(2) in query_names:
            continue
        if not _FIXED_PAIR.fullmatch(pair):
            sink.error(
                f"the path holds a query string ({'?' + query!r}) whose {pair!r} is neither "
                "a fixed `name=value` nor `name={name}` of a query parameter of the operation",
                where,
            )
            return route_part
        fixed.append(pair)
    kept = "?" + "&".join(fixed) if fixed else ""
    said = [f"{kept!r} is sent with every call"] if fixed else []
    if len(fixed) < query.count("&") + 1:
        said.append("its variables are sent as the query parameters of the same names")
    sink.warning(f"the path holds a query string ({'?' + query!r}): " + "; ".join(said), where)
    return route_part + kept
