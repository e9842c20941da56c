"""Measurements taken inside a generated client, in a fresh interpreter.

Run by path with the interpreter that has the client's dependencies (oagen's venv for
oagen's clients, the peer venv for openapi-python-client's and pydantic's); stdlib
only, so it works in both. Prints one JSON object on stdout.

    python probes.py first-call FLAVOR ROOT PACKAGE TARGET RESPONSE_JSON ARG...
    python probes.py decode FLAVOR ROOT MODULE CLASS DATA_JSON COUNT PASSES

FLAVOR is `oagen`, `peer` or (decode only) `pydantic`. ROOT is the folder holding
the package. For a first call, TARGET is `resource.method` (oagen) or the endpoint
module inside the package (peer).
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from typing import Any

BASE_URL = "https://api.bench.test"


def first_call(
    flavor: str, package: str, target: str, response: Any, args: list[str]
) -> dict[str, Any]:
    """Seconds to import the package, then to build a Client and make one call."""
    started = time.perf_counter()
    client_package = importlib.import_module(package)
    imported = time.perf_counter()
    import httpx

    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=response))
    try:
        if flavor == "oagen":
            http_client = httpx.Client(transport=transport)
            client = client_package.Client(base_url=BASE_URL, http_client=http_client)
            resource, method = target.split(".")
            result = getattr(getattr(client, resource), method)(*args)
        else:
            endpoint = importlib.import_module(f"{package}.{target}")
            client = client_package.Client(base_url=BASE_URL, httpx_args={"transport": transport})
            result = endpoint.sync(*args, client=client)
        outcome = f"returned {type(result).__name__}"
    except Exception as exc:  # still a first call: reported with its time
        outcome = f"raised {_error(exc)}"
    called = time.perf_counter()
    return {"import": imported - started, "first_call": called - imported, "result": outcome}


def decode(
    flavor: str, module: str, name: str, example: Any, count: int, passes: int
) -> dict[str, Any]:
    """Seconds per pass of decoding (and encoding back) `count` copies of `example`."""
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        return {"missing": f"{type(exc).__name__}: {exc}"}
    text = json.dumps(example)
    if flavor == "pydantic":
        from pydantic import TypeAdapter

        adapter = TypeAdapter(list[cls])  # type: ignore[valid-type]

        def decode_all(items: list[Any]) -> list[Any]:
            return adapter.validate_python(items)  # type: ignore[no-any-return]

        def encode_all(objects: list[Any]) -> object:
            return adapter.dump_python(objects, mode="json", by_alias=True)

    else:

        def decode_all(items: list[Any]) -> list[Any]:
            return [cls.from_dict(item) for item in items]

        def encode_all(objects: list[Any]) -> object:
            return [obj.to_dict() for obj in objects]

    timings: dict[str, list[float]] = {"from_dict": [], "to_dict": []}
    for number in range(passes + 1):  # the first pass warms up (lazy imports, caches)
        items = [json.loads(text) for _ in range(count)]
        started = time.perf_counter()
        objects = decode_all(items)
        decoded = time.perf_counter()
        encode_all(objects)
        encoded = time.perf_counter()
        if number:
            timings["from_dict"].append(decoded - started)
            timings["to_dict"].append(encoded - decoded)
    return timings


def _error(exc: Exception) -> str:
    """The exception's type and the start of its message (pydantic's are long)."""
    lines = [line.split(" [type=")[0].strip() for line in str(exc).splitlines()]
    return f"{type(exc).__name__}: {' '.join(line for line in lines[:3] if line)}"[:160]


def main(argv: list[str]) -> dict[str, Any]:
    command, flavor, root, *rest = argv
    sys.path.insert(0, root)
    if command == "first-call":
        package, target, response_file, *args = rest
        with open(response_file, encoding="utf-8") as f:
            response = json.load(f)
        return first_call(flavor, package, target, response, args)
    if command == "decode":
        module, name, data_file, count, passes = rest
        with open(data_file, encoding="utf-8") as f:
            example = json.load(f)
        try:
            return decode(flavor, module, name, example, int(count), int(passes))
        except Exception as exc:  # report the crash, as a result
            return {"error": _error(exc)}
    raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
