"""Shared by the real-server end-to-end tests: serve an app on 127.0.0.1 in a thread,
generate a client package from the document it serves, import it, type-check it."""

from __future__ import annotations

import importlib
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from oagen.pipeline import generate_files
from oagen.write import write

READY_DEADLINE = 15.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(
    url: str, is_ours: Callable[[httpx.Response], bool], alive: Callable[[], bool]
) -> None:
    """Poll `url` until `is_ours(response)` (bounded); fail if the server thread died."""
    deadline = time.monotonic() + READY_DEADLINE
    while True:
        if not alive():
            pytest.fail(f"the server for {url} exited before answering", pytrace=False)
        try:
            r = httpx.get(url, timeout=1.0)
            if is_ours(r):
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"no answer from {url} in {READY_DEADLINE} s", pytrace=False)
        time.sleep(0.05)


@contextmanager
def serve_asgi(
    app: Any, probe: str, is_ours: Callable[[httpx.Response], bool], name: str
) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a thread on a free port; yield its base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{name}", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url + probe, is_ours, thread.is_alive)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_wsgi(
    app: Any, probe: str, is_ours: Callable[[httpx.Response], bool], name: str
) -> Iterator[str]:
    """Serve a WSGI app with the standard library's threading server on a free port."""
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    class ThreadingServer(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    server = make_server(
        "127.0.0.1", 0, app, server_class=ThreadingServer, handler_class=QuietHandler
    )
    port = server.server_address[1]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"wsgi-{name}"
    )
    thread.daemon = True
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url + probe, is_ours, thread.is_alive)
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class Generated:
    """An imported generated package and where it lives."""

    root: Path
    spec: dict[str, Any]
    pkg: ModuleType
    models: ModuleType
    errors: ModuleType


def _drop_modules(package: str) -> None:
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]


@contextmanager
def generated_client(spec: dict[str, Any], package: str, root: Path) -> Iterator[Generated]:
    """Save `spec`, generate `package` from it under `root`, import it; unimport after."""
    spec_path = root / f"{package.removesuffix('_client')}.json"
    spec_path.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    pkgs = root / "pkgs"
    write(pkgs / package, generate_files(spec_path, package_name=package).files)
    sys.path.insert(0, str(pkgs))
    _drop_modules(package)
    importlib.invalidate_caches()
    try:
        yield Generated(
            root=pkgs,
            spec=spec,
            pkg=importlib.import_module(package),
            models=importlib.import_module(f"{package}.models"),
            errors=importlib.import_module(f"{package}.errors"),
        )
    finally:
        sys.path.remove(str(pkgs))
        _drop_modules(package)


def mypy_strict(cwd: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    """`mypy --strict` for Python 3.10 (the generated package's floor) on `targets`."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-version",
            "3.10",
            "--no-incremental",
            *targets,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
