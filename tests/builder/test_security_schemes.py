"""Security schemes in the IR and the generated client: an http scheme other than
bearer and basic is sent as written (issue 12 item 12), with a generation warning;
the environment variables the clients read (issue 14 item 8)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from oagen.pipeline import generate_files
from oagen.plan.client import env_prefix

from tests.builder.support import HEAD_31, _build, _ops

SCHEMES = (
    HEAD_31
    + """\
paths: {}
components:
  securitySchemes:
    sig: {type: http, scheme: signature}
    token: {type: http, scheme: Bearer}
    login: {type: http, scheme: basic}
    odd: {type: http, scheme: 'not a token'}
    where: {type: apiKey, in: body, name: k}
    made_up: {type: signature}
    oidc: {type: openIdConnect, openIdConnectUrl: 'https://id.test/.well-known/openid-configuration'}
"""
)


def test_http_scheme_other_than_bearer_and_basic_is_kept_with_a_warning(tmp_path: Path) -> None:
    api, diagnostics = _build(tmp_path, SCHEMES)
    assert [(s.python_name, s.kind, s.http_scheme) for s in api.security_schemes] == [
        ("sig", "http", "signature"),
        ("token", "bearer", None),
        ("login", "basic", None),
        ("odd", "bearer", None),
        ("where", "bearer", None),
        ("made_up", "bearer", None),
        ("oidc", "bearer", None),
    ]
    warning, *guessed = [str(d) for d in diagnostics if d.severity == "warning"]
    assert "http scheme 'signature' of security scheme 'sig'" in warning
    assert "sent as `Authorization: signature <value>`" in warning
    assert "spec.yaml:6:31:" in warning  # where `scheme: signature` is
    # schemes the client cannot send as described: a guess, said (oidc: a token)
    said = [w.split(": warning: ")[1] for w in guessed]  # (validation says its part too)
    assert [w.split(")")[0] for w in said if w.startswith("security scheme")] == [
        "security scheme 'odd' (type 'http', scheme 'not a token'",
        "security scheme 'where' (type 'apiKey', in 'body'",
        "security scheme 'made_up' (type 'signature'",
    ]
    assert sum("sent as `Authorization: Bearer <value>`" in w for w in said) == 3


def test_generated_client_sends_the_scheme_as_written(tmp_path: Path) -> None:
    spec = tmp_path / "sig.yaml"
    spec.write_text(SCHEMES, encoding="utf-8")
    files = generate_files(spec).files
    client = next(text for path, text in files.items() if Path(path).name == "_client.py")
    assert '"sig": HttpScheme("signature")' in client
    assert "sent as `Authorization: signature <value>`" in client


@pytest.mark.parametrize(
    ("package", "prefix"),
    [
        ("archal_client", "ARCHAL_"),
        ("petstore", "PETSTORE_"),
        ("github_client_client", "GITHUB_CLIENT_"),
        ("client", "CLIENT_"),
    ],
)
def test_environment_prefix_is_the_package_name_without_client(
    tmp_path: Path, package: str, prefix: str
) -> None:
    api, _ = _build(tmp_path, SCHEMES)
    assert env_prefix(replace(api, package_name=package)) == prefix


MUTUAL_TLS = """\
openapi: 3.2.0
info: {title: T, version: '1'}
security: [{mtls: []}]
paths:
  /a: {get: {operationId: a, responses: {'204': {description: ok}}}}
  /b:
    get:
      operationId: b
      security: [{mtls: [], key: []}, {'#/components/securitySchemes/bearer': []}]
      responses: {'204': {description: ok}}
  /c:
    get:
      operationId: c
      security: [{'#/components/securitySchemes/missing': []}]
      responses: {'204': {description: ok}}
components:
  securitySchemes:
    mtls: {type: mutualTLS, description: the client certificate}
    key: {type: apiKey, in: header, name: X-Key}
    bearer: {type: http, scheme: bearer}
"""


def test_mutual_tls_has_no_credential_and_schemes_go_by_uri_too(tmp_path: Path) -> None:
    """mutualTLS is the `http_client`'s certificate: no keyword, nothing sent (a value
    given for it would have gone out as a bearer token); 3.2 names a scheme by its
    URI in a requirement as well as by its key."""
    api, diagnostics = _build(tmp_path, MUTUAL_TLS)
    assert [s.python_name for s in api.security_schemes] == ["key", "bearer"]
    assert {name: op.security for name, op in _ops(api).items()} == {
        "a": ((),),  # nothing to send: TLS does it
        "b": (("key",), ("bearer",)),
        "c": (),
    }
    [warning] = [d for d in diagnostics if d.severity == "warning"]
    assert "unknown security scheme '#/components/securitySchemes/missing'" in str(warning)
