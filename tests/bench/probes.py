"""Measurements taken inside a generated client, in a fresh interpreter.

Run by path with the interpreter that has the client's dependencies (oagen's venv for
oagen's clients, the peer venv for openapi-python-client's and pydantic's, the client
venv for both clients at once); stdlib only, so it works in all. Prints one JSON
object on stdout.

    python probes.py first-call FLAVOR ROOT PACKAGE TARGET RESPONSE_JSON ARG...
    python probes.py decode FLAVOR ROOT MODULE CLASS DATA_JSON COUNT PASSES
    python probes.py overhead - ROOT CONFIG_JSON

FLAVOR is `oagen`, `peer` or (decode only) `pydantic`. ROOT is the folder holding
the packages. For a call, TARGET is `resource.method` (oagen) or the endpoint
module inside the package (peer); a credential is `keyword=value`: the oagen
Client's credential keyword, or `token` for the peer's `AuthenticatedClient`.
CONFIG_JSON (overhead) holds `response`, `calls`, `blocks`, `rounds` and `clients`:
flavor -> `package`, `target`, `credential` and `args`.
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
    importlib.import_module(package)
    imported = time.perf_counter()
    import httpx

    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=response))
    client = {"package": package, "target": target, "credential": "", "args": args}
    try:
        result = _client_call(flavor, client, transport)()
        outcome = f"returned {type(result).__name__}"
    except Exception as exc:  # still a first call: reported with its time
        outcome = f"raised {_error(exc)}"
    called = time.perf_counter()
    return {"import": imported - started, "first_call": called - imported, "result": outcome}


def overhead(config: dict[str, Any]) -> dict[str, Any]:
    """µs per call of raw httpx and of each generated client (`config["clients"]`:
    flavor -> package, target, credential, args), all in this one process, through
    the same `httpx.MockTransport` handler answering `config["response"]`.

    Raw httpx is `httpx.Client(transport=...).get(url)` of the URL the clients
    request (the handler notes it on the first call): the difference is what a client
    adds per call (building the request, credentials, checks, decoding the body).

    Each of `rounds` rounds times `blocks` blocks of `calls` calls of each (raw and
    the clients, in turns) and keeps each one's fastest block: what the machine's
    other work adds to a block only ever makes it slower, so the fastest is the one
    least disturbed. A round's overhead is a client's fastest minus raw's fastest.
    """
    import httpx

    urls: list[str] = []
    answer = config["response"]

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        return httpx.Response(200, json=answer)

    transport = httpx.MockTransport(handler)
    calls: dict[str, Callable[[], object]] = {}
    results: dict[str, str] = {}
    for flavor, client in config["clients"].items():
        urls.clear()
        calls[flavor] = _client_call(flavor, client, transport)
        results[flavor] = type(calls[flavor]()).__name__
    url = urls[0]  # the URL the last client requested (they request the same one)
    raw_client = httpx.Client(transport=transport)
    calls = {"raw": lambda: raw_client.get(url), **calls}
    timings: dict[str, dict[str, list[float]]] = {
        flavor: {"raw": [], "client": [], "overhead": []} for flavor in config["clients"]
    }
    order = list(calls)
    for number in range(config["rounds"] + 1):  # the first round warms up
        fastest = dict.fromkeys(order, float("inf"))
        for block in range(config["blocks"]):
            for name in order[block % len(order) :] + order[: block % len(order)]:
                spent = _microseconds(calls[name], config["calls"])
                fastest[name] = min(fastest[name], spent)
        if number:
            for flavor, found in timings.items():
                found["raw"].append(fastest["raw"])
                found["client"].append(fastest[flavor])
                found["overhead"].append(fastest[flavor] - fastest["raw"])
    return {"timings": timings, "url": url, "results": results}


def _client_call(flavor: str, client: dict[str, Any], transport: object) -> Callable[[], object]:
    """One call of a generated client's operation, as a function of no arguments: the
    client built with the `credential` (`keyword=value`; "" for none)."""
    import httpx

    package = importlib.import_module(client["package"])
    keyword, _, secret = client["credential"].partition("=")
    credential = {keyword: secret} if keyword else {}
    args = client["args"]
    if flavor == "oagen":
        instance = package.Client(
            base_url=BASE_URL, http_client=httpx.Client(transport=transport), **credential
        )
        resource, method = client["target"].split(".")
        function = getattr(getattr(instance, resource), method)
        return lambda: function(*args)
    endpoint = importlib.import_module(f"{client['package']}.{client['target']}")
    kind = package.AuthenticatedClient if credential else package.Client
    peer_client = kind(base_url=BASE_URL, httpx_args={"transport": transport}, **credential)
    return lambda: endpoint.sync(*args, client=peer_client)


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
        with open(rest[0], encoding="utf-8") as f:
            config = json.load(f)
        try:
            return overhead(config)
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
