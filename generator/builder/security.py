"""Security schemes -> the client's credentials, and operations' `security`
requirements -> the alternatives of credentials each call sends."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..diagnostics import Diagnostics, Where
from ..ir import PyIdent, SecurityScheme
from ..load import split_pointer
from ..names import NameTable, snake
from .docs import doc_text

__all__ = ["requirements", "scheme_names", "security_schemes"]

_SCHEMES = "#/components/securitySchemes/"  # 3.2: a requirement may name a scheme's URI

# An http authentication scheme's name (RFC 9110 token).
_HTTP_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def security_schemes(
    root: dict[str, Any], names: NameTable, sink: Diagnostics, where: Where
) -> tuple[SecurityScheme, ...]:
    components = root.get("components") if isinstance(root.get("components"), dict) else {}
    assert isinstance(components, dict)
    raw = components.get("securitySchemes")
    if not isinstance(raw, dict):
        return ()
    out: list[SecurityScheme] = []
    for key, scheme in raw.items():
        if not isinstance(scheme, dict) or scheme.get("type") == "mutualTLS":
            continue  # mutualTLS: the `http_client`'s certificate, no credential
        kind = scheme.get("type")
        description = doc_text(scheme, "description")
        python = names.claim(snake(str(key), "credential"))
        http = str(scheme.get("scheme", "")) if kind == "http" else ""
        if http.lower() == "basic":
            out.append(SecurityScheme(str(key), python, "basic", None, None, description))
        elif kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
            location, name = scheme["in"], str(scheme.get("name", key))
            if location != "query" and not _HTTP_TOKEN.fullmatch(name):
                sink.warning(
                    f"{location} name {name!r} of API key {str(key)!r} is not a valid HTTP "
                    "token (RFC 9110: no spaces, quotes or separators): every call that "
                    "sends this key will be refused by the client",
                    where.child("components", "securitySchemes", str(key), "name"),
                )
            out.append(SecurityScheme(str(key), python, "api_key", location, name, description))
        elif kind == "oauth2":
            out.append(_oauth2(str(key), python, scheme, description))
        elif http and http.lower() != "bearer" and _HTTP_TOKEN.fullmatch(http):
            sink.warning(
                f"http scheme {http!r} of security scheme {str(key)!r}: the credential is sent"
                f" as `Authorization: {http} <value>`, the value as given",
                where.child("components", "securitySchemes", str(key), "scheme"),
            )
            out.append(
                SecurityScheme(str(key), python, "http", None, None, description, http_scheme=http)
            )
        else:  # http bearer, openIdConnect: a token
            if kind != "openIdConnect" and http.lower() != "bearer":  # what else: a guess
                sink.warning(
                    f"security scheme {str(key)!r} (type {kind!r}"
                    + (f", scheme {http!r}" if http else "")
                    + (f", in {scheme.get('in')!r}" if kind == "apiKey" else "")
                    + ") is not one the client can send as described: its credential is "
                    "sent as `Authorization: Bearer <value>`",
                    where.child("components", "securitySchemes", str(key)),
                )
            out.append(SecurityScheme(str(key), python, "bearer", None, None, description))
    deprecated = {str(k) for k, v in raw.items() if isinstance(v, dict) and v.get("deprecated")}
    return tuple(replace(s, is_deprecated=s.wire_name in deprecated) for s in out)


def scheme_names(
    root: dict[str, Any], schemes: tuple[SecurityScheme, ...]
) -> dict[str, PyIdent | None]:
    """The client keyword of each security scheme, by name; None for a `mutualTLS`
    one: a TLS client certificate, which the caller gives the `http_client` (nothing
    goes in a request)."""
    components = root.get("components")
    raw = components.get("securitySchemes") if isinstance(components, dict) else None
    names: dict[str, PyIdent | None] = {s.wire_name: s.python_name for s in schemes}
    for key, scheme in raw.items() if isinstance(raw, dict) else ():
        if isinstance(scheme, dict) and scheme.get("type") == "mutualTLS":
            names[str(key)] = None
    return names


def requirements(
    value: Any, where: Where, names: dict[str, PyIdent | None], sink: Diagnostics
) -> tuple[tuple[PyIdent, ...], ...]:
    """An operation's `security`: its alternatives, each the keywords of the schemes
    it requires. A scheme is named by its key or (3.2) its URI in this document; an
    alternative naming an undeclared scheme is left out (nothing says what to send)."""
    if not isinstance(value, list):
        return ()
    alternatives: list[tuple[PyIdent, ...]] = []
    for index, requirement in enumerate(value):
        if not isinstance(requirement, dict):
            continue
        required: list[PyIdent] = []
        for scheme in requirement:
            key = str(scheme)
            if key not in names and key.startswith(_SCHEMES):
                key = split_pointer(key)[-1]
            if key in names and names[key] is None:
                continue  # mutualTLS: nothing sent
            python = names.get(key)
            if python is None:
                sink.warning(
                    f"unknown security scheme {scheme!r} (components.securitySchemes does"
                    " not declare it): this security requirement is left out",
                    where.child("security", index),
                )
                break
            required.append(python)
        else:
            alternatives.append(tuple(required))
    return tuple(alternatives)


def _oauth2(
    key: str, python: PyIdent, scheme: dict[str, Any], description: str | None
) -> SecurityScheme:
    """A bearer token, or one fetched from the `tokenUrl` of its flows (the
    `clientCredentials` flow's first)."""
    flows = scheme.get("flows") if isinstance(scheme.get("flows"), dict) else {}
    assert isinstance(flows, dict)
    device = flows.get("deviceAuthorization")
    device = device if isinstance(device, dict) else {}
    token_url = refresh_url = None
    for name in ("clientCredentials", "authorizationCode", "password", "deviceAuthorization"):
        flow = flows.get(name)
        if isinstance(flow, dict):
            if token_url is None and isinstance(flow.get("tokenUrl"), str):
                token_url = flow["tokenUrl"]
            if refresh_url is None and isinstance(flow.get("refreshUrl"), str):
                refresh_url = flow["refreshUrl"]
    return SecurityScheme(
        key,
        python,
        "bearer",
        None,
        None,
        description,
        token_url=token_url,
        refresh_url=refresh_url,
        has_client_credentials=isinstance(flows.get("clientCredentials"), dict),
        device_authorization_url=_str(device.get("deviceAuthorizationUrl")),
        metadata_url=_str(scheme.get("oauth2MetadataUrl")),
    )


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
