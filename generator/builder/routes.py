"""Path keys as real specs write them: a query string inside one, which OpenAPI does
not allow but real specs have (medium.com's `/search?query={query}`, OpenAI's
`/responses?beta=true`, ClickSend's `/email/history/export?filename={filename}` with
`filename` declared `in: path`)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TypeVar

from ..diagnostics import Diagnostics, Where
from ..ir import ParamLocation

__all__ = ["TEMPLATE_VAR", "Route", "route"]

_TEMPLATE_PAIR = re.compile(r"([^=&{}]+)=\{([^{}]+)\}")
_FIXED_PAIR = re.compile(r"[^=&{}]+(?:=[^&{}]*)?")
TEMPLATE_VAR = re.compile(r"\{([^{}]*)\}")  # a `{name}` of a path or server URL template


_V = TypeVar("_V")


@dataclass(frozen=True, slots=True)
class Route:
    """Where an operation is sent: its `path`, and the `in: path` parameters its key
    places in the query string (declared name -> the query parameter's name)."""

    path: str
    to_query: dict[str, str] = field(default_factory=dict)

    def relocate(
        self, params: dict[tuple[ParamLocation, str], _V]
    ) -> dict[tuple[ParamLocation, str], str]:
        """Moves the path parameters the query string sends in `params` (by location
        and name) to the query, under the name they are sent by; returns their own
        names (the method's arguments), by their new keys."""
        own: dict[tuple[ParamLocation, str], str] = {}
        for var, wire in self.to_query.items():
            if ("path", var) in params and ("query", wire) not in params:
                params[("query", wire)] = params.pop(("path", var))
                own[("query", wire)] = var
        return own


def route(
    path: str, declared: Collection[tuple[ParamLocation, str]], where: Where, sink: Diagnostics
) -> Route:
    """The path an operation whose parameters are `declared` (by location and name)
    is sent to, given its path key `path`.

    In a query string written into the key, a `name={name}` pair of a declared query
    parameter is left out (the parameter sends it: the same bytes on the wire); so is
    a `name={var}` pair of a declared path parameter `var` that the path before the
    `?` does not use: that parameter is sent as the query parameter `name` (encoded as
    a query value, so that its `&` or `=` stay in it). Fixed pairs (`beta=true`) stay,
    sent with every call (they tell the operation apart from one at the same path
    without them). Anything else is an error."""
    route_part, mark, query = path.partition("?")
    if not mark:
        return Route(path)
    query_names = {name for location, name in declared if location == "query"}
    path_names = {name for location, name in declared if location == "path"}
    in_route = set(TEMPLATE_VAR.findall(route_part))
    fixed: list[str] = []
    to_query: dict[str, str] = {}
    for pair in query.split("&"):
        if m := _TEMPLATE_PAIR.fullmatch(pair):
            name, var = m.groups()
            if name == var and var in query_names:
                continue
            if (
                var in path_names
                and var not in in_route
                and var not in to_query
                and name not in query_names
                and name not in to_query.values()
            ):
                to_query[var] = name
                continue
        if not _FIXED_PAIR.fullmatch(pair):
            sink.error(
                f"the path holds a query string ({'?' + query!r}) whose {pair!r} is neither "
                "a fixed `name=value` nor `name={name}` of a parameter of the operation "
                "(a query parameter, or a path parameter the path does not use)",
                where,
            )
            return Route(route_part)
        fixed.append(pair)
    kept = "?" + "&".join(fixed) if fixed else ""
    said = [f"{kept!r} is sent with every call"] if fixed else []
    if len(fixed) + len(to_query) < query.count("&") + 1:
        said.append("its variables are sent as the query parameters of the same names")
    said.extend(
        f"path parameter {var!r} is sent as the query parameter {name!r}"
        for var, name in to_query.items()
    )
    sink.warning(f"the path holds a query string ({'?' + query!r}): " + "; ".join(said), where)
    return Route(route_part + kept, to_query)
