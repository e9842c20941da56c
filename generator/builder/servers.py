"""Servers: the default base URL a `servers` list gives, and warnings about the
entries that give none."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from ..diagnostics import Diagnostics, Where
from .routes import TEMPLATE_VAR

__all__ = ["check_servers", "server_url"]


def check_servers(servers: Any, where: Where, sink: Diagnostics) -> None:
    """Warn about server URLs with a `{variable}` that `variables` does not declare
    with a default: such a server gives the client no default base URL."""
    if not isinstance(servers, list):
        return
    for index, server in enumerate(servers):
        url = server.get("url") if isinstance(server, dict) else None
        if not isinstance(url, str):
            continue
        variables = server.get("variables")
        declared = variables if isinstance(variables, dict) else {}
        for name in TEMPLATE_VAR.findall(url):
            var = declared.get(name)
            if not isinstance(var, dict) or var.get("default") is None:
                sink.warning(
                    f"server URL {url!r} uses {{{name}}}, which its `variables` do not "
                    "declare with a default: no default base URL comes from it "
                    "(pass `base_url=`)",
                    where.child(index, "url"),
                )


def server_url(servers: Any, base: str | None) -> str | None:
    """The first server's URL, variables set to their defaults; a relative URL is
    resolved against `base`. None when there is no usable absolute URL."""
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
        return None
    server = servers[0]
    url = server.get("url")
    if not isinstance(url, str):
        return None
    variables = server.get("variables") if isinstance(server.get("variables"), dict) else {}
    assert isinstance(variables, dict)

    def substitute(match: re.Match[str]) -> str:
        var = variables.get(match.group(1))
        default = var.get("default") if isinstance(var, dict) else None
        return str(default) if default is not None else match.group(0)

    url = TEMPLATE_VAR.sub(substitute, url)
    if base is not None and not url.startswith(("http://", "https://")):
        url = urljoin(base + "/", url)
    if not url.startswith(("http://", "https://")) or "{" in url:
        return None
    return url.rstrip("/")
