"""Real Swagger 2.0 specs and their swagger2openapi 7.0.8 conversions, for the
differential test (`test_swagger2.py`) and the bench.

Everything is fetched at test time with npm into `.cache/swagger2/` (ignored by git):
`npm pack` for the spec packages, `npm install --prefix` for swagger2openapi (it has
dependencies), whose CLI is then run with node.

    python -m tests.corpus.swagger2      # fetch, convert and list the pairs
"""

from __future__ import annotations

import gzip
import subprocess
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "swagger2"
S2O = "swagger2openapi@7.0.8"
PACKAGES = {
    "oas-examples": ("@readme/oas-examples@8.2.2", "readme-oas-examples-8.2.2.tgz"),
    "kubernetes": ("kubernetes-client@9.0.0", "kubernetes-client-9.0.0.tgz"),
}
KUBERNETES = tuple(f"swagger-1.1{n}.json" for n in range(4))


def _pack(name: str) -> Path:
    spec, tgz = PACKAGES[name]
    archive = CACHE / tgz
    if not archive.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "pack", spec, "--silent"], cwd=CACHE, check=True, stdout=subprocess.DEVNULL
        )
    return archive


def specs() -> dict[str, Path]:
    """Name -> the 2.0 spec file: every 2.0 example of @readme/oas-examples (YAML and
    JSON) and the four Kubernetes specs of kubernetes-client (gunzipped)."""
    out: dict[str, Path] = {}
    folder = CACHE / "specs"
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(_pack("oas-examples")) as tar:
        for member in tar.getmembers():
            parts = member.name.split("/")
            if member.isfile() and parts[1:2] == ["2.0"] and len(parts) == 4:
                target = folder / f"{parts[2]}-{parts[3]}"
                if not target.exists():
                    data = tar.extractfile(member)
                    assert data is not None
                    target.write_bytes(data.read())
                out[target.name] = target
    with tarfile.open(_pack("kubernetes")) as tar:
        for name in KUBERNETES:
            target = folder / name
            if not target.exists():
                data = tar.extractfile(f"package/lib/specs/{name}.gz")
                assert data is not None
                target.write_bytes(gzip.decompress(data.read()))
            out[name] = target
    return dict(sorted(out.items()))


def s2o_cli() -> Path:
    cli = CACHE / "s2o" / "node_modules" / "swagger2openapi" / "swagger2openapi.js"
    if not cli.exists():
        command = ["npm", "install", "--prefix", str(CACHE / "s2o"), "--no-audit", "--no-fund"]
        subprocess.run([*command, "--loglevel=error", S2O], check=True, stdout=subprocess.DEVNULL)
    return cli


def converted(spec: Path) -> Path:
    """swagger2openapi's 3.0 conversion of `spec` (`--patch`, as its users run it),
    written next to the cached spec as JSON."""
    target = CACHE / "converted" / (spec.stem + ".openapi.json")
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        command = ["node", str(s2o_cli()), "--patch", str(spec), "-o", str(target)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return target


if __name__ == "__main__":
    for name, path in specs().items():
        print(name, path, converted(path))
