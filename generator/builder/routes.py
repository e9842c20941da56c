"""Path keys as real specs write them: a query string inside one (`/search?q={q}`,
which OpenAPI does not allow) kept off the route when it only repeats query parameters."""

from __future__ import annotations

import re

from ..diagnostics import Diagnostics, Where

__all__ = ["route"]

_QUERY_PAIR = re.compile(r"([^=&{}]+)=\{([^{}]+)\}")


def route(path: str, query_names: set[str], where: Where, sink: Diagnostics) -> str:
    """`path` without a query string written into it: kept off (with a warning) when
    each of its pairs is `name={name}` of a declared query parameter (sent as that
    parameter: the same bytes on the wire); an error otherwise."""
    route_part, mark, query = path.partition("?")
    if not mark:
        return path
    pairs = [_QUERY_PAIR.fullmatch(pair) for pair in query.split("&")]
    if all(m is not None and m.group(1) == m.group(2) in query_names for m in pairs):
        sink.warning(
            f"the path holds a query string ({'?' + query!r}); its variables are sent "
            "as the query parameters of the same names",
            where,
        )
    else:
        sink.error(
            f"the path holds a query string ({'?' + query!r}) that is not only the "
            "operation's query parameters (`name={name}`): a path cannot carry one",
            where,
        )
    return route_part
