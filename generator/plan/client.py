"""Plans of the package `__init__`, the clients and `resources/__init__`."""

from __future__ import annotations

import re

from ..imports import ImportSet
from ..ir import (
    Api,
)
from ..literals import py_literal
from .common import _doc, _module, _parameter, _resource_class_names, _title, resource_ref
from .contexts import (
    ClientContext,
    CredentialArg,
    InitContext,
    ResourceRef,
    SchemeEntry,
)


def _init(api: Api) -> InitContext:
    clients = ("AsyncClient", "Client")
    types = ("UNSET", "Unset")
    grants = ("OAuth2ClientCredentials", "OAuth2RefreshToken") if _has_oauth2(api) else ()
    doc = f"Python client of the {_title(api)} (version {api.version})."
    if api.summary:
        doc += "\n\n" + api.summary
    return InitContext(
        docstring=_doc(doc, 0),
        version=py_literal(api.version),
        client_names=clients,
        type_names=types,
        all_names=tuple(sorted((*clients, *types, *grants, "__version__"))),
        oauth2_names=grants,
    )


def env_prefix(api: Api) -> str:
    """The start of the environment variables the clients read: the package name
    upper-cased, without a `_CLIENT` suffix, then `_` (`archal_client` -> `ARCHAL_`)."""
    name = api.package_name.upper()
    if name.endswith("_CLIENT") and name != "_CLIENT":
        name = name[: -len("_CLIENT")]
    return name + "_"


def _scheme_constructor(api: Api, name: str) -> str:
    scheme = next(s for s in api.security_schemes if s.python_name == name)
    if scheme.token_url is not None or scheme.refresh_url is not None:
        return _call_text(
            "OAuth2",
            [
                ("token_url", scheme.token_url),
                ("refresh_url", scheme.refresh_url),
                ("device_authorization_url", scheme.device_authorization_url),
                ("metadata_url", scheme.metadata_url),
            ],
        )
    if scheme.kind == "bearer":
        return "HttpBearer()"
    if scheme.kind == "http":
        return f"HttpScheme({py_literal(scheme.http_scheme)})"
    if scheme.kind == "basic":
        return "HttpBasic()"
    return f"ApiKey(location={py_literal(scheme.location)}, name={py_literal(scheme.param_name)})"


def _named_servers(api: Api) -> str:
    """The spec's servers, when it names them (3.2 `name`): ` Servers: name: url; ...`."""
    if not any(server.name for server in api.servers):
        return ""
    entries = [
        f"{server.name or 'unnamed'}: {server.url}"
        + (f" ({server.description})" if server.description else "")
        for server in api.servers
    ]
    return " Servers: " + "; ".join(entries) + "."


def _call_text(callee: str, arguments: list[tuple[str, str | None]]) -> str:
    given = [f"{k}={py_literal(v)}" for k, v in arguments if v is not None]
    return f"{callee}({', '.join(given)})"


def _relative_server(api: Api) -> str:
    """What the `base_url` docs say when no server URL is absolute: the first one
    (Swagger 2.0's `host` without `schemes`: `//api.example.com/v1`), to complete."""
    if not api.servers:
        return " (the spec declares none: give one)."
    return (
        f" (the spec's first, `{api.servers[0].url}`, is relative to where the spec is"
        " served: give it absolute)."
    )


def _has_oauth2(api: Api) -> bool:
    return any(s.token_url or s.refresh_url for s in api.security_schemes)


def _client(api: Api) -> ClientContext:
    imports = ImportSet()
    imports.add("functools", "cached_property")
    imports.add_module("httpx")
    imports.add("._types", "Headers", "Timeout")
    imports.add("._base_client", "AsyncAPIClient", "SecurityScheme", "SyncAPIClient")
    schemes: list[SchemeEntry] = []
    credentials: list[CredentialArg] = []
    prefix = env_prefix(api)
    for scheme in api.security_schemes:
        constructor = _scheme_constructor(api, scheme.python_name)
        is_oauth2 = constructor.startswith("OAuth2(")
        module = "._oauth2" if is_oauth2 else "._base_client"
        imports.add(module, constructor.split("(")[0])
        schemes.append(SchemeEntry(py_literal(scheme.python_name), constructor))
        annotation = "tuple[str, str] | None" if scheme.kind == "basic" else "str | None"
        # the grants it takes: client credentials only when its flows have that flow
        # (a `password` flow's `tokenUrl` refuses them)
        grants = ["OAuth2ClientCredentials"] if scheme.has_client_credentials else []
        grants.append("OAuth2RefreshToken")
        if is_oauth2:
            imports.add("._oauth2", *grants)
            annotation = f"str | {' | '.join(grants)} | None"
        what = {
            "bearer": "sent as `Authorization: Bearer <value>`",
            "http": f"sent as `Authorization: {scheme.http_scheme} <value>`",
            "basic": "a `(user, password)` tuple for HTTP basic authentication",
            "api_key": f"sent in the {scheme.location} `{scheme.param_name}`",
        }[scheme.kind]
        if is_oauth2:
            what += (
                f", or an {' / '.join(f'`{g}`' for g in grants)} grant whose"
                f" tokens are fetched from `{scheme.token_url or scheme.refresh_url}`"
            )
        doc = f"Credential of the `{scheme.wire_name}` security scheme, {what}."
        variable = prefix + scheme.python_name.upper()
        doc += f" Default: the environment variable `{variable}`" + (
            " (`user:password`)." if scheme.kind == "basic" else "."
        )
        if scheme.device_authorization_url:
            doc += (
                " The spec's device authorization endpoint (RFC 8628):"
                f" `{scheme.device_authorization_url}`."
            )
        if scheme.metadata_url:
            doc += f" Authorization server metadata: `{scheme.metadata_url}`."
        if scheme.is_deprecated:
            doc += " Deprecated."
        if scheme.description:
            doc += " " + scheme.description
        # parenthesized like any parameter whose line is too long (see `_parameter`)
        annotation = _parameter(scheme.python_name, annotation, "None").annotation
        credentials.append(CredentialArg(scheme.python_name, annotation, doc))
    checking = ImportSet()  # the resource classes: imported when first used
    refs: list[ResourceRef] = []
    for resource in api.resources:
        if len(resource.attribute_path) > 1:
            continue  # a nested tag: an attribute of its parent's resource
        module = f".resources.{_module(resource)}"
        names = _resource_class_names(resource.class_name)
        checking.add(module, *names)
        refs.append(resource_ref(resource, module))
    if checking.lines():
        imports.add("typing", "TYPE_CHECKING")
    root_class = root_methods = None
    if api.root is not None:
        module = f".resources.{_module(api.root)}"
        imports.add(module, *_resource_class_names(api.root.class_name))
        root_class = api.root.class_name
        root_methods = tuple(op.python_name for op in api.root.operations)
    args_doc = "\n".join(
        [
            "Args:",
            f"    base_url: The server URL; default: the environment variable"
            f" `{prefix}BASE_URL`, else the spec's first server"
            + (f" ({api.base_url})." if api.base_url else _relative_server(api))
            + _named_servers(api),
            *(f"    {c.name}: {c.doc}" for c in credentials),
            "    timeout: Seconds each attempt of a request may take as a whole, from"
            " connecting to the last byte (an `httpx.Timeout` sets httpx's limits per"
            " phase, its largest value bounds the attempt, unless a phase has none);"
            " default 60.",
            "    max_retries: Retries of connection errors, 408, 429 and 5xx responses.",
            "    default_headers: Headers sent with every request.",
            "    http_client: An `httpx` client to send requests with (transport, proxies,"
            " event hooks); base URL, credentials, timeout and retries still apply.",
        ]
    )
    return ClientContext(
        docstring=_doc(f"The clients of the {_title(api)}.", 0),
        imports=imports.lines(),
        type_checking_imports=checking.lines(),
        default_base_url=py_literal(api.base_url),
        # a header value: printable ASCII only, whatever `info.version` holds
        user_agent=py_literal(
            re.sub(r"[^\x21-\x7e]", "_", f"{api.package_name}/{api.version}") + " (oagen)"
        ),
        schemes=tuple(schemes),
        credentials=tuple(credentials),
        env_prefix=py_literal(prefix),
        resources=tuple(refs),
        sync_doc=_doc(f"Synchronous client of the {_title(api)}.", 4),
        async_doc=_doc(f"Asynchronous client of the {_title(api)}.", 4),
        sync_init_doc=_doc(f"Create a client.\n\n{args_doc}", 8),
        async_init_doc=_doc(f"Create an async client.\n\n{args_doc}", 8),
        root_class=root_class,
        root_methods=root_methods or (),
    )


def _resources_init(api: Api) -> InitContext:
    return InitContext(
        docstring=_doc(
            f"Resources of the {_title(api)}: one module per tag, imported on first use.", 0
        ),
        version="",
        client_names=(),
        type_names=(),
        all_names=(),
    )
