"""Stage 6 on its own: each formatter's output, and invalid generated code refused
(never written) whichever formatter is chosen."""

from __future__ import annotations

import pytest
from oagen.format import FormatError, format_sources

UGLY = "x = {'a':1,\n  'b':2}\n"


def test_ruff_and_black_give_the_same_bytes() -> None:
    ruff = format_sources({"m.py": UGLY}, "ruff")
    black = format_sources({"m.py": UGLY}, "black")
    assert ruff == black == {"m.py": 'x = {"a": 1, "b": 2}\n'}


def test_none_leaves_the_text_as_rendered() -> None:
    sources = {"pkg/m.py": UGLY, "README.md": "# t\n", "pkg/py.typed": ""}
    assert format_sources(sources, "none") == sources


def test_non_python_files_pass_through_every_formatter() -> None:
    sources = {"README.md": "*  a\n", "pkg/m.py": "y=2\n"}
    assert format_sources(sources, "ruff") == {"README.md": "*  a\n", "pkg/m.py": "y = 2\n"}


@pytest.mark.parametrize("formatter", ["ruff", "black", "none"])
def test_invalid_generated_code_is_refused_naming_the_file(formatter: str) -> None:
    sources = {"pkg/good.py": "x = 1\n", "pkg/bad.py": "def f(:\n    pass\n"}
    with pytest.raises(FormatError) as caught:
        format_sources(sources, formatter)  # type: ignore[arg-type]
    if formatter != "black":  # black's message names no file (it formats one text)
        assert "bad.py" in str(caught.value)
    assert "good.py" not in str(caught.value)
