"""The generator digest the manifest records is the same however oagen is installed:
an editable install keeps the templates beside the code, a wheel inside the package
(`oagen/templates/runtime/*.py` are runtime sources, not oagen's code). It differed:
`oagen check` installed from a wheel called a client generated from a checkout stale."""

from __future__ import annotations

import shutil
from importlib.resources import files as package_files
from pathlib import Path

from oagen import manifest
from oagen.manifest import generator_digest, tree_digest


def test_the_generator_digest_does_not_depend_on_the_install_layout(tmp_path: Path) -> None:
    code = Path(manifest.__file__).resolve().parent
    templates = Path(str(package_files("oagen.templates")))
    wheel = tmp_path / "site-packages" / "oagen"  # the layout a wheel installs
    shutil.copytree(code, wheel, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(templates, wheel / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    assert sorted(p.name for p in (wheel / "templates" / "runtime").glob("*.py"))
    assert tree_digest(wheel, wheel / "templates") == generator_digest()
    # what the digest covers still changes it: a runtime module, a template, the code
    for changed in ("templates/runtime/_types.py", "templates/package/models.py.jinja", "load.py"):
        copy = tmp_path / changed.replace("/", "_") / "oagen"
        shutil.copytree(wheel, copy)
        with (copy / changed).open("a", encoding="utf-8") as file:
            file.write("\n")
        assert tree_digest(copy, copy / "templates") != generator_digest(), changed
