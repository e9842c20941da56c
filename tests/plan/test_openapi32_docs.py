"""OpenAPI 3.2 metadata in the generated documentation: named servers (client
`base_url` docs, README), the oauth2 device flow, metadata URL and deprecation (the
credential's docs and the scheme's runtime description), tag summaries."""

from __future__ import annotations

from pathlib import Path

from oagen.pipeline import generate_files

SPEC = """\
openapi: 3.2.0
info: {title: D, version: "1"}
servers:
  - {url: "https://api.test", name: prod, description: Production}
  - {url: "https://sandbox.test", name: sandbox}
tags:
  - {name: pets, summary: Pets and their things}
  - {name: toys, parent: pets, summary: Toys}
paths:
  /toys:
    get: {operationId: listToys, tags: [toys], responses: {"204": {description: ok}}}
components:
  securitySchemes:
    dev:
      type: oauth2
      deprecated: true
      oauth2MetadataUrl: https://auth.test/.well-known/oauth-authorization-server
      flows:
        deviceAuthorization:
          deviceAuthorizationUrl: https://auth.test/device
          tokenUrl: https://auth.test/token
          scopes: {}
"""


def test_servers_device_flow_and_tag_summaries_are_documented(tmp_path: Path) -> None:
    spec = tmp_path / "docs32.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    files = generate_files(spec, package_name="docs32_client").files
    client = files["_client.py"]
    assert "Servers: prod: https://api.test (Production); sandbox: https://sandbox.test." in client
    assert 'token_url="https://auth.test/token"' in client
    assert 'device_authorization_url="https://auth.test/device"' in client
    assert 'metadata_url="https://auth.test/.well-known/oauth-authorization-server"' in client
    assert "device authorization endpoint (RFC 8628): `https://auth.test/device`." in client
    assert "Deprecated." in client
    assert (
        "- `prod`: https://api.test (Production)\n- `sandbox`: https://sandbox.test\n"
        in (files["README.md"])
    )
    assert 'def toys(self) -> ToysResource:\n        """Toys"""' in files["resources/pets.py"]
    assert "def pets(self)" in client and "def toys(self)" not in client
    assert "result = client.pets.toys.list_toys()" in files["README.md"]
