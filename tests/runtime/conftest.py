"""Fixtures of the runtime tests: the runtime modules of a freshly generated
`archal_client`, real sleeps forbidden where asked, local HTTP servers."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.runtime.servers import LocalServer


@pytest.fixture(autouse=True)
def _fresh_package(archal_package: object) -> None:
    """Every test imports `archal_client` from the freshly generated copy."""


@pytest.fixture(scope="module")
def m(archal_package: Path) -> types.SimpleNamespace:
    import archal_client
    from archal_client import _base_client, _params, _response, _serde, _types, errors

    return types.SimpleNamespace(
        pkg=archal_client,
        bc=_base_client,
        params=_params,
        serde=_serde,
        resp=_response,
        types=_types,
        errors=errors,
        UNSET=_types.UNSET,
        Param=_params.Param,
        Endpoint=_base_client.Endpoint,
        Body=_base_client.Body,
    )


@pytest.fixture
def no_real_sleep(monkeypatch: pytest.MonkeyPatch, archal_package: Path) -> None:
    """Any real sleep in the runtime is a test failure."""
    from archal_client import _base_client

    def forbidden(*args: object) -> None:
        raise AssertionError("the runtime called a real sleep")

    monkeypatch.setattr(_base_client.time, "sleep", forbidden)


@pytest.fixture
def serve() -> Iterator[Callable[..., LocalServer]]:
    """Start real local HTTP servers (`serve(answer)`); all are stopped afterwards."""
    started: list[LocalServer] = []

    def start(answer: Callable[[object], object]) -> LocalServer:
        server = LocalServer(answer).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
