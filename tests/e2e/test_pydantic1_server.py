"""A real FastAPI server on pydantic 1 (`tests/e2e/pydantic1_app.py`): older FastAPI
apps write tuples as JSON Schema draft 4's `items` list, which oagen reads as
`prefixItems` (with a warning). The server runs with uvicorn in a venv of its own
(`.cache/e2e/pydantic1-venv`, made once from the package index: pydantic 1 and 2
cannot share one), started and stopped by the test."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e._harness import Generated, free_port, generated_client, mypy_strict, wait_ready

HERE = Path(__file__).resolve().parent
VENV = HERE.parents[1] / ".cache" / "e2e" / "pydantic1-venv"
PINS = ("fastapi==0.99.1", "pydantic==1.10.27", "starlette==0.27.0", "uvicorn==0.29.0")

pytestmark = pytest.mark.slow


def _venv() -> Path:
    """The server's venv, made (and its pins installed) on first use."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".pins"
    if not stamp.is_file() or stamp.read_text(encoding="utf-8") != "\n".join(PINS):
        subprocess.run([sys.executable, "-m", "venv", "--clear", VENV], check=True)
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PINS],
            check=True,
            capture_output=True,
        )
        stamp.write_text("\n".join(PINS), encoding="utf-8")
    return python


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [
            _venv(),
            "-m",
            "uvicorn",
            "pydantic1_app:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=HERE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        ours = lambda r: r.status_code == 200 and r.json()["info"]["title"] == "Pydantic one"  # noqa: E731
        wait_ready(url + "/openapi.json", ours, lambda: server.poll() is None)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def lib(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    spec = httpx.get(base_url + "/openapi.json").json()
    with generated_client(spec, "pydantic_one_client", tmp_path_factory.mktemp("p1")) as lib:
        yield lib


def test_the_document_has_draft_4_tuples(lib: Generated) -> None:
    thing = lib.spec["components"]["schemas"]["Thing"]["properties"]
    assert lib.spec["openapi"] == "3.1.0"
    assert thing["pair"]["items"] == [{"type": "integer"}, {"type": "string"}]
    assert (thing["pair"]["minItems"], thing["pair"]["maxItems"]) == (2, 2)


def test_tuples_go_and_come_back_as_tuples(lib: Generated, base_url: str) -> None:
    thing = lib.models.Thing(pair=(1, "ab"), rest=(1, 2, 3), maybe=(1.5, True), nested=[("x", 1)])
    with lib.pkg.Client(base_url=base_url) as client:
        got = client.echo_thing(body=thing)
        assert type(got) is lib.models.Thing
        assert got.pair == (2, "AB") and got.maybe == (1.5, True)
        assert got.rest == [1, 2, 3] and got.nested == [("x", 1)]
        # a pair of three is refused before it is sent, as a dict or as a model
        with pytest.raises(lib.errors.RequestValidationError, match=r"body\.pair: expected array"):
            client.echo_thing(body={"pair": [1, "a", 2], "rest": []})
    with pytest.raises(ValueError, match=r"pair: must have at most 2 item"):
        lib.models.Thing(pair=(1, "a", 2), rest=())


def test_the_package_passes_mypy_strict(lib: Generated) -> None:
    done = mypy_strict(lib.root, "pydantic_one_client")
    assert done.returncode == 0, done.stdout + done.stderr
