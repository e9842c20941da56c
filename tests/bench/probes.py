"""Measurements taken inside a generated client, in a fresh interpreter.

Run by path with the interpreter that has the client's dependencies (oagen's venv for
oagen's clients, the peer venv for openapi-python-client's and pydantic's); stdlib
only, so it works in both. Prints one JSON object on stdout.

    python probes.py first-call FLAVOR ROOT PACKAGE TARGET RESPONSE_JSON ARG...
    python probes.py decode FLAVOR ROOT MODULE CLASS DATA_JSON COUNT PASSES
    python probes.py overhead FLAVOR ROOT PACKAGE TARGET RESPONSE_JSON CREDENTIAL CALLS PASSES ARG...

FLAVOR is `oagen`, `peer` or (decode only) `pydantic`. ROOT is the folder holding
the package. For a call, TARGET is `resource.method` (oagen) or the endpoint
module inside the package (peer). CREDENTIAL is `keyword=value`: the oagen Client's
credential keyword, or `token` for the peer's `AuthenticatedClient`.
"""

from __future__ import annotations

import gc
import importlib
import json
import sys
import time
from collections.abc import Callable
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


def overhead(
    flavor: str,
    package: str,
    target: str,
    response: Any,
    credential: str,
    calls: int,
    passes: int,
    args: list[str],
) -> dict[str, Any]:
    """µs per call of raw httpx and of the generated client, through the same
    `httpx.MockTransport` handler, alternating, `passes` times after a warm-up pass.

    Raw httpx is `httpx.Client(transport=...).get(url)` of the URL the generated client
    requests (the handler notes it on the first call): the difference is what the
    client adds per call (building the request, credentials, checks, decoding the body).
    """
    import httpx

    client_package = importlib.import_module(package)
    urls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if not urls:
            urls.append(str(request.url))
        return httpx.Response(200, json=response)

    transport = httpx.MockTransport(handler)
    keyword, _, secret = credential.partition("=")
    call: Callable[[], object]
    if flavor == "oagen":
        client = client_package.Client(
            base_url=BASE_URL, http_client=httpx.Client(transport=transport), **{keyword: secret}
        )
        resource, method = target.split(".")
        function = getattr(getattr(client, resource), method)

        def call() -> object:
            return function(*args)

    else:
        endpoint = importlib.import_module(f"{package}.{target}")
        client = client_package.AuthenticatedClient(
            base_url=BASE_URL, httpx_args={"transport": transport}, **{keyword: secret}
        )

        def call() -> object:
            return endpoint.sync(*args, client=client)

    result = call()
    raw_client = httpx.Client(transport=transport)

    def raw() -> object:
        return raw_client.get(urls[0])

    timings: dict[str, list[float]] = {"raw": [], "client": [], "overhead": []}
    for number in range(passes + 1):  # the first pass warms up
        raw_us, client_us = _microseconds(raw, calls), _microseconds(call, calls)
        if number:
            timings["raw"].append(raw_us)
            timings["client"].append(client_us)
            timings["overhead"].append(client_us - raw_us)
    return {**timings, "url": urls[0], "result": type(result).__name__}


def _microseconds(function: Callable[[], object], calls: int) -> float:
    """Mean µs of CPU time per call of `calls` calls (a collection first, so that none
    is owed). CPU time of this process, not wall time: what other processes on the
    machine do (a test suite, say) does not count."""
    gc.collect()
    started = time.process_time()
    for _ in range(calls):
        function()
    return (time.process_time() - started) / calls * 1e6


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
    if command == "overhead":
        package, target, response_file, credential, calls, passes, *args = rest
        with open(response_file, encoding="utf-8") as f:
            response = json.load(f)
        try:
            return overhead(
                flavor, package, target, response, credential, int(calls), int(passes), args
            )
        except Exception as exc:  # report the crash, as a result
            return {"error": _error(exc)}
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
