"""The comparison's other side: openapi-python-client (and pydantic) in a cached venv."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .measure import BenchError

__all__ = [
    "PEER",
    "PeerCounts",
    "count_peer",
    "ensure_client_venv",
    "ensure_venv",
    "peer_call_module",
    "peer_env",
]

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / ".cache" / "bench" / "peer-venv"
PEER = "openapi-python-client==0.29.1"
# What the peer's generated clients import (httpx, attrs come with it), and the
# pydantic side of the decoding comparison.
REQUIREMENTS = (PEER, "python-dateutil", "pydantic>=2", "datamodel-code-generator")
CLIENT_VENV = REPO / ".cache" / "bench" / "client-venv"


def ensure_venv() -> Path:
    """The peer venv's python, created and filled once (reused while REQUIREMENTS hold)."""
    return _ensure(VENV, REQUIREMENTS)


def ensure_client_venv() -> Path:
    """The python of a venv holding only what generated clients import (httpx at the
    version oagen's own venv has, and the peer clients' attrs and python-dateutil):
    where a user imports a client. Import times are measured there, not in the venvs
    of the generators (whose extra packages, such as `rich` and `click`, which httpx
    imports when they are present, would be counted as the client's)."""
    import httpx

    return _ensure(CLIENT_VENV, (f"httpx=={httpx.__version__}", "attrs", "python-dateutil"))


def _ensure(venv: Path, requirements: tuple[str, ...]) -> Path:
    python = venv / "bin" / "python"
    stamp = venv / ".bench-installed"
    wanted = "\n".join(requirements)
    if python.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return python
    print(f"installing {', '.join(requirements)} into {venv.relative_to(REPO)}", file=sys.stderr)
    for command in (
        [sys.executable, "-m", "venv", "--clear", venv],
        [python, "-m", "pip", "install", "--quiet", *requirements],
    ):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BenchError(f"could not set up {venv.name}: {done.stderr.strip()[-2000:]}")
    stamp.write_text(wanted, encoding="utf-8")
    return python


def peer_env() -> dict[str, str]:
    """The environment of a peer run: its venv first on PATH, so its `ruff` post-hooks run."""
    env = dict(os.environ)
    env["PATH"] = f"{VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(VENV)
    return env


@dataclass(frozen=True, slots=True)
class PeerCounts:
    endpoints: int  # endpoint modules written (each has sync/asyncio functions)
    skipped: int  # endpoints it announced it would not generate
    warnings: int  # "WARNING parsing <endpoint>" blocks (mostly responses it omitted)
    schema_warnings: int  # schemas it could not process (and the models they removed)


def count_peer(package: Path, stderr: str) -> PeerCounts:
    endpoints = sum(
        1
        for module in (package / "api").rglob("*.py")
        if "\ndef sync_detailed(" in module.read_text(encoding="utf-8")
    )
    lines = stderr.splitlines()
    return PeerCounts(
        endpoints=endpoints,
        skipped=sum("Endpoint will not be generated" in line for line in lines),
        warnings=sum(line.startswith("WARNING parsing ") for line in lines),
        schema_warnings=sum(
            line.startswith(("Unable to process schema", "Unable to parse this part"))
            for line in lines
        ),
    )


def peer_call_module(package: Path, method: str, path: str) -> str | None:
    """The dotted module (inside the package) of the peer's endpoint for `method path`."""
    url = re.compile(r'"url": "' + re.escape(path) + r'"(\.format\(|,)')
    for module in sorted((package / "api").rglob("*.py")):
        text = module.read_text(encoding="utf-8")
        if f'"method": "{method}"' in text and url.search(text):
            return ".".join(module.relative_to(package).with_suffix("").parts)
    return None
