"""Imports come from what the code's builders recorded, never from searching its text.

`pytypes.Types` records the imports of every expression it returns; each planner
records those of the code it writes itself. Checked here on the plan (substrings of
names in a spec's text must not pull imports in), and on every generated package: no
unused import (ruff F401).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from oagen.ir import Constraints, Field, Model, Prim, PyIdent, Ref, UnionOf
from oagen.plan.contexts import ResourceContext
from oagen.pytypes import Types
from ruff.__main__ import find_ruff_bin

from .conftest import build_api, contexts

# Every name the resource planner may import appears in this path and its summary,
# where they are text, not code: none may be imported because of them.
LOOKALIKES = "/RAW/NO_CONTENT/httpx.Response/_serde.str_/Param(x)/Body(y)/_models.Pet"
SPEC = f"""\
openapi: 3.1.0
info: {{title: Imports API, version: '1.0.0'}}
servers: [{{url: 'https://api.test'}}]
paths:
  {LOOKALIKES}:
    get:
      operationId: getPet
      tags: [pets]
      summary: json_response text_response bytes_response RAW NO_CONTENT httpx.Client
      responses:
        '200':
          description: The pet.
          content: {{application/json: {{schema: {{$ref: '#/components/schemas/Pet'}}}}}}
  /raw:
    post:
      operationId: postRaw
      tags: [raw]
      parameters:
        - {{name: limit, in: query, schema: {{type: integer}}}}
      requestBody:
        content: {{application/json: {{schema: {{type: object}}}}}}
      responses:
        '200': {{description: No schema, so the httpx.Response itself.}}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {{type: string}}
"""


def _resource(tmp_path: Path, module: str) -> ResourceContext:
    context = contexts(build_api(tmp_path, SPEC))[f"resources/{module}.py"]
    assert isinstance(context, ResourceContext)
    return context


def test_resource_imports_ignore_lookalike_text(tmp_path: Path) -> None:
    assert _resource(tmp_path, "pets").imports == (
        "from functools import cached_property",
        "from typing import TYPE_CHECKING",
        "",
        "from .. import models as _models",  # the `_d_Pet` decoder
        "from .._base_client import AsyncResource, Endpoint, SyncResource",
        "from .._response import async_to_raw_response_wrapper, json_response,"
        " to_raw_response_wrapper",
        "from .._types import UNSET, Headers, Query, Timeout, Unset",
    )


def test_resource_imports_follow_the_declarations(tmp_path: Path) -> None:
    imports = _resource(tmp_path, "raw").imports
    assert "import httpx" in imports  # the return annotation `httpx.Response`
    assert "from .._base_client import AsyncResource, Body, Endpoint, Param, SyncResource" in (
        imports
    )
    assert any(line.startswith("from .._response import RAW,") for line in imports)
    assert "from .. import _serde" not in imports
    assert not any("TYPE_CHECKING" in line for line in imports)


def test_types_record_the_imports_of_the_expressions_they_return() -> None:
    types = Types(())
    assert types.annotation(Prim("str")) == "str"
    assert types.encoder(Prim("datetime"), "x") == "x.isoformat()"
    assert types.imports.lines() == ()  # neither names anything
    assert types.annotation(Prim("datetime")) == "datetime"
    assert types.imports.lines() == ("from datetime import datetime",)
    assert types.decoder(Prim("int")) == "_serde.int_"
    assert "from .. import _serde" in types.imports.lines()

    union = Types(())
    assert union.encoder(UnionOf((Prim("str"), Prim("int")), None), "x") == "_serde.encode(x)"
    assert union.imports.lines() == ("from .. import _serde",)

    inline = Types(())
    inline.inline_decode(Prim("str"), '"name"', required=True)
    assert inline.imports.lines() == ("from .. import _serde", "from .._types import UNSET")

    pet = Model(PyIdent("Pet"), (Field("name", PyIdent("name"), Prim("str"), True, False, None,
                None, Constraints(), False, False, False, ""),), None, None, "")  # fmt: skip
    lazy = Types((pet,), model_prefix="_models.")
    assert lazy.decoder(Ref(PyIdent("Pet"))) == "_d_Pet"
    assert lazy.imports.lines() == ("from .. import models as _models",)
    assert lazy.models_used == {"Pet"}  # the helper's return annotation


def test_no_generated_module_has_an_unused_import(all_packages: list[Path]) -> None:
    result = subprocess.run(
        [
            os.fsdecode(find_ruff_bin()),
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "F401",
            "--target-version",
            "py310",
            "--output-format",
            "concise",
            *map(str, all_packages),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
