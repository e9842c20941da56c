"""Plans of the generated README and of `pyproject.toml` (`--meta pyproject`)."""

from __future__ import annotations

import re
import unicodedata

from ..ir import (
    Api,
    Operation,
    Resource,
    TypeExpr,
)
from ..literals import py_literal, toml_string
from ..pytypes import Definitions, Types
from .client import env_prefix
from .contexts import (
    PyprojectContext,
    ReadmeContext,
    SectionContext,
    SnippetContext,
)
from .pagination import paginated

_PEP440 = re.compile(r"\d+(\.\d+)*")


_LINK = re.compile(r"\]\(\s*([^)\s]*)")
_LINE_START = re.compile(r"\[[^\]]*\]:|```|~~~")


def _markdown_text(text: str) -> str:
    """Spec text as one line of Markdown: its links, emphasis and code spans kept (the
    spec's own Markdown, as API docs render it), but no raw HTML (`<`, `>`, `&` written
    as entities), no images, no links other than http(s), mailto and relative ones,
    nothing that starts a heading or a table, and control and bidi characters written
    as escapes."""
    flat = " ".join(text.split())
    if not (flat.isascii() and flat.isprintable()):  # else no character to escape
        flat = "".join(
            ch if ch.isprintable() and unicodedata.category(ch) != "Cf" else f"\\u{ord(ch):04x}"
            for ch in flat
        )
    for char, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        flat = flat.replace(char, escaped)
    flat = re.sub(r"([#|])", r"\\\1", flat).replace("![", "!\\[")
    if _LINE_START.match(flat):  # a link reference definition, a code fence
        flat = "\\" + flat
    return _LINK.sub(_safe_link, flat)


def _safe_link(match: re.Match[str]) -> str:
    """A link target kept when its scheme is http(s) or mailto (or it has none);
    otherwise the brackets are written as text."""
    target = match.group(1)
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", target)
    if scheme is None or scheme.group(1).lower() in ("http", "https", "mailto"):
        return match.group(0)
    return "\\]\\(" + match.group(0)[2:]


def _placeholder(types: Types, t: TypeExpr, name: str) -> str:
    annotation = types.annotation(t)
    if annotation == "str":
        return py_literal(name)
    if annotation in ("int", "float"):
        return "1"
    if annotation == "bool":
        return "True"
    return "..."


def _snippet(types: Types, api: Api, resource: Resource, op: Operation) -> SnippetContext:
    args = [_placeholder(types, p.type, p.python_name) for p in op.params if p.location == "path"]
    args += [
        f"{p.python_name}={_placeholder(types, p.type, p.python_name)}"
        for p in op.params
        if p.location != "path" and p.is_required
    ]
    if op.body is not None and op.body.is_required:
        body = f"{types.annotation(op.body.type)}(...)" if types.is_model(op.body.type) else "..."
        args.append(f"body={body}")
    target = ".".join(("client", *resource.attribute_path))
    code = f"result = {target}.{op.python_name}({', '.join(args)})"
    title = f"`{op.python_name}`: `{op.method} {_markdown_text(op.path)}`"
    if op.summary:
        title += " " + _markdown_text(op.summary)
    return SnippetContext(title, code)


def _readme(api: Api, index: Definitions) -> ReadmeContext:
    types = Types(index)
    credentials = ", ".join(
        f"{s.python_name}=" + ('("user", "password")' if s.kind == "basic" else '"..."')
        for s in api.security_schemes
    )
    base = "" if api.base_url else 'base_url="https://...", '
    setup = f"from {api.package_name} import Client\n\n"
    setup += f"client = Client({base}{credentials})".replace(", )", ")")
    sections: list[SectionContext] = []
    resources = [*api.resources, *([api.root] if api.root is not None else [])]
    for resource in resources:
        heading = ".".join(("client", *resource.attribute_path))
        snippets = tuple(_snippet(types, api, resource, op) for op in resource.operations)
        sections.append(SectionContext(heading, snippets))
    return ReadmeContext(
        paginated=paginated(api),
        title=_markdown_text(api.title),
        summary=_markdown_text(api.summary or api.description or ""),
        package=api.package_name,
        version=_markdown_text(api.version),
        setup=setup,
        environment=(
            (f"{env_prefix(api)}BASE_URL", "base_url"),
            *(
                (env_prefix(api) + s.python_name.upper(), s.python_name)
                for s in api.security_schemes
            ),
        ),
        sections=tuple(sections),
        servers=_servers(api),
    )


def _servers(api: Api) -> tuple[str, ...]:
    """The servers' lines, when the spec names them (3.2 `servers[].name`)."""
    if not any(server.name for server in api.servers):
        return ()
    return tuple(
        f"`{_markdown_text(server.name or 'unnamed')}`: {_markdown_text(server.url)}"
        + (f" ({_markdown_text(server.description)})" if server.description else "")
        for server in api.servers
    )


def _pyproject(api: Api) -> PyprojectContext:
    version = api.version if _PEP440.fullmatch(api.version) else "0.0.0"
    return PyprojectContext(
        distribution=toml_string(api.package_name.replace(".", "-").replace("_", "-")),
        version=toml_string(version),
        description=toml_string(" ".join(f"Python client of the {api.title}".split())),
        package=toml_string(api.package_name),
        subpackages=toml_string(api.package_name + ".*"),
    )
